import { Chalk } from 'chalk';
import type { Paint } from '../report/diagnostics.js';
import type { Io } from './io.js';

/** Colour only on a terminal and never with NO_COLOR set (https://no-color.org). */
export function useColour(io: Io): boolean {
  return io.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb';
}

export function paintFor(io: Io): Paint & { ok(s: string): string; added(s: string): string; removed(s: string): string; changed(s: string): string } {
  const c = new Chalk({ level: useColour(io) ? 1 : 0 });
  return {
    error: (s) => c.red.bold(s),
    warning: (s) => c.yellow.bold(s),
    dim: (s) => c.dim(s),
    bold: (s) => c.bold(s),
    ok: (s) => c.green(s),
    added: (s) => c.green(s),
    removed: (s) => c.red(s),
    changed: (s) => c.yellow(s),
  };
}
