import type { Diagnostic } from '../diagnostics.js';
import { terminalSafe } from '../report/terminal.js';
import type { Io } from './io.js';
import { paintFor } from './paint.js';

/**
 * How a command's failure (a HactlError's diagnostic) reaches the operator: code, message and hint,
 * with terminal escapes defused (a message may quote a node's stderr).
 */
export function printError(io: Io, d: Diagnostic): void {
  const p = paintFor(io);
  const where = d.file ? `${d.file}${d.start ? `:${d.start.line}:${d.start.col}` : ''}: ` : 'hactl: ';
  io.stderr(`${where}${p.error('error')} ${d.code}: ${terminalSafe(d.message)}\n${d.hint ? `  hint: ${terminalSafe(d.hint)}\n` : ''}`);
}
