/**
 * apply's progress on stderr: when stderr is a terminal, a count of nodes finished with the
 * elapsed time and one live line per node and cluster, redrawn in place; otherwise (a pipe, a CI
 * log) one plain `name: state` line per event.
 */
import type { Io } from '../io.js';

/** Node states after which a node has nothing left to do in the current phase. */
const FINISHED = /^(done|unchanged|skipped|planned|failed\b)/;

export class Progress {
  private readonly rows = new Map<string, string>();
  private readonly nodes: ReadonlySet<string>;
  private readonly started = Date.now();
  private drawn = 0;
  private readonly live: boolean;
  private ended = false;

  constructor(
    private readonly io: Io,
    nodes: readonly string[],
  ) {
    // Live redraw only where cursor movement is understood.
    this.live = !!io.stderrIsTTY && io.env.TERM !== 'dumb';
    this.nodes = new Set(nodes);
    for (const n of nodes) this.rows.set(n, 'waiting');
  }

  node(node: string, state: string): void {
    this.set(node, state);
  }

  cluster(cluster: string, state: string): void {
    this.set(`cluster ${cluster}`, state);
  }

  private set(key: string, state: string): void {
    this.ended = false;
    this.rows.set(key, state);
    if (!this.live) {
      this.io.stderr(`${key}: ${state}\n`);
      return;
    }
    this.redraw();
  }

  private redraw(): void {
    const width = Math.max(...[...this.rows.keys()].map((k) => k.length));
    const cols = this.io.columns ?? (Number(this.io.env.COLUMNS) || 100);
    const finished = [...this.rows].filter(([k, v]) => this.nodes.has(k) && FINISHED.test(v)).length;
    const head = `nodes ${finished}/${this.nodes.size} finished, ${((Date.now() - this.started) / 1000).toFixed(1)} s`;
    let out = this.drawn ? `\x1b[${this.drawn}A` : '';
    out += `\x1b[2K${head.slice(0, cols - 1)}\n`;
    for (const [k, v] of this.rows) out += `\x1b[2K${`${k.padEnd(width)}  ${v}`.slice(0, cols - 1)}\n`;
    this.drawn = this.rows.size + 1;
    this.io.stderr(out);
  }

  /** Leaves the last state on screen and starts fresh lines below it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.drawn = 0;
  }
}
