import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { printDiagnostics, readTopology } from '../topology.js';

export async function validateCommand(io: Io, file: string, opts: { json?: boolean }): Promise<ExitCode> {
  const result = await readTopology(io, file);
  printDiagnostics(io, result, !!opts.json);
  if (!opts.json) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.length - errors;
    const p = paintFor(io);
    if (result.ok) io.stdout(`${p.ok('ok')} ${file}${warnings ? ` (${warnings} warning(s))` : ''}\n`);
    else io.stderr(`${file}: ${errors} error(s), ${warnings} warning(s)\n`);
  }
  return result.ok ? EXIT.ok : EXIT.invalid;
}
