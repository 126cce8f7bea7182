/**
 * One live status line on stderr for long work (check's scenarios, report's rehearsal): redrawn
 * in place with the elapsed time, only when stderr is a terminal that understands it and the
 * caller did not ask for machine output; otherwise nothing at all, so that pipes, CI logs and
 * --json stay clean. The library only reports counts (onProgress); drawing is the CLI's.
 */
import type { Io } from './io.js';

export function liveProgressWanted(io: Io, json: boolean | undefined): boolean {
  return !json && !!io.stderrIsTTY && io.env.TERM !== 'dumb';
}

export class StatusLine {
  private text = '';
  private readonly started = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private shown = false;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
  ) {
    if (enabled) {
      // The elapsed time keeps moving while one long crm_simulate run holds the count still.
      this.timer = setInterval(() => this.draw(), 1000);
      this.timer.unref();
    }
  }

  update(text: string): void {
    if (!this.enabled) return;
    this.text = text;
    this.draw();
  }

  private draw(): void {
    if (!this.text) return;
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    const cols = this.io.columns ?? (Number(this.io.env.COLUMNS) || 80);
    this.io.stderr(`\r\x1b[2K${`${this.text}, ${elapsed} s`.slice(0, cols - 1)}`);
    this.shown = true;
  }

  /** Clears the line: the result is printed on a clean screen. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.io.stderr('\r\x1b[2K');
    this.shown = false;
  }
}
