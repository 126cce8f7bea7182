/**
 * apply's progress on stderr: on a terminal, one live line per node and cluster, redrawn in
 * place; otherwise (a pipe, a CI log) one plain line per event.
 */
import type { Io } from '../io.js';

export class Progress {
  private readonly rows = new Map<string, string>();
  private drawn = 0;
  private readonly live: boolean;
  private ended = false;

  constructor(
    private readonly io: Io,
    nodes: readonly string[],
  ) {
    // Live redraw only where cursor movement is understood.
    this.live = io.isTTY && io.env.TERM !== 'dumb';
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
    const cols = Number(this.io.env.COLUMNS) || 100;
    let out = this.drawn ? `\x1b[${this.drawn}A` : '';
    for (const [k, v] of this.rows) out += `\x1b[2K${`${k.padEnd(width)}  ${v}`.slice(0, cols - 1)}\n`;
    this.drawn = this.rows.size;
    this.io.stderr(out);
  }

  /** Leaves the last state on screen and starts fresh lines below it. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.drawn = 0;
  }
}
