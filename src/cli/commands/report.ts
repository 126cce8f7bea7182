/** `hactl report TOPOLOGY -o FILE [--no-rehearsal] [--force]`: check's report as one self-contained HTML page. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { htmlReport } from '../../report/html.js';
import { diag } from '../../diagnostics.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { LocalWriteError, writeFileSafely } from '../../util/local-write.js';
import { paintFor } from '../paint.js';
import { requireTopology } from '../topology.js';
import { runCheck } from './check.js';

export interface ReportFlags {
  output: string;
  rehearsal?: boolean;
  force?: boolean;
}

/**
 * Exit 0 once the page is written, whatever it says (its verdict is printed; `check` is the gate
 * for CI); 2 for an invalid topology or an output that exists without --force; 3 when the
 * rehearsal cannot run.
 */
export async function reportCommand(io: Io, file: string, flags: ReportFlags): Promise<ExitCode> {
  // Refused before minutes of rehearsal, and again, atomically, when the file is written.
  if (!flags.force && existsSync(resolve(io.cwd, flags.output))) throw new LocalWriteError(diag('HA4008', '', { path: flags.output }), 'exists');
  const { model, result } = await requireTopology(io, file);
  const report = await runCheck(io, model, result.source, flags);
  const html = await htmlReport(model, report, { file });
  await writeFileSafely(flags.output, html, { force: !!flags.force, cwd: io.cwd });
  const errors = report.findings.filter((d) => d.severity === 'error').length;
  const p = paintFor(io);
  const verdict = errors ? p.error(`${errors} HA problem(s)`) : p.ok('no HA problem');
  io.stdout(`wrote ${flags.output}: ${verdict}, ${report.findings.length - errors} warning(s)${report.rehearsal ? '' : ', rehearsal skipped'}\n`);
  return EXIT.ok;
}
