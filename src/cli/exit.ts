/** One exit-code table for every command (README "Exit codes"). */
import type { Diagnostic } from '../diagnostics.js';
import type { Io } from './io.js';
import { paintFor } from './paint.js';

export const EXIT = {
  ok: 0,
  /** diff found drift; check found an HA problem. */
  finding: 1,
  /** invalid topology or bad usage: nothing written, nothing pushed. */
  invalid: 2,
  /** a remote or cluster operation failed. */
  remote: 3,
  /** an internal error (a bug). */
  internal: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** How a command's failure reaches the operator: code, message and hint, on stderr. */
export function printError(io: Io, d: Diagnostic, mask: (s: string) => string = (s) => s): void {
  const p = paintFor(io);
  const where = d.file ? `${d.file}${d.start ? `:${d.start.line}:${d.start.col}` : ''}: ` : 'hactl: ';
  io.stderr(`${where}${p.error('error')} ${d.code}: ${mask(d.message)}\n${d.hint ? `  hint: ${mask(d.hint)}\n` : ''}`);
}
