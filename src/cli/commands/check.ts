import { availableParallelism } from 'node:os';
import { checkStatic, check, execaRunner, positionFindings, type CheckReport, type RehearsalProgress } from '../../check/index.js';
import { formatCheckReport, formatFindings } from '../../check/format.js';
import type { Lowered } from '../../lower/index.js';
import type { Source } from '../../parse/source.js';
import { diagnosticsToJson } from '../../report/diagnostics.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { liveProgressWanted, StatusLine } from '../progress.js';
import { printDiagnostics, readTopology } from '../topology.js';

export interface CheckFlags {
  json?: boolean;
  verbose?: boolean;
  rehearsal?: boolean;
  strict?: boolean;
}

/** Errors before warnings, each group in its given order (sort is stable). */
function errorsFirst<T extends { severity: 'error' | 'warning' }>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

/**
 * Columns to wrap to: the terminal's width; 100 when stdout is not a terminal (a file, a pipe, CI),
 * so saved output does not depend on the window it was made in. COLUMNS overrides both.
 */
export function outputWidth(io: Io): number {
  return Number(io.env.COLUMNS) || io.columns || 100;
}

/**
 * check with the real crm_simulate (unless --no-rehearsal), its findings placed at file:line:col,
 * errors first, with a live progress line on a terminal. A rehearsal that cannot run is a
 * HactlError (exit 3) from the crm_simulate call itself; any other failure here is a bug and
 * reaches the top as one.
 */
export async function runCheck(io: Io, model: Lowered, source: Source, flags: { rehearsal?: boolean; json?: boolean }): Promise<CheckReport> {
  const status = new StatusLine(io, flags.rehearsal !== false && liveProgressWanted(io, flags.json));
  let report: CheckReport;
  try {
    const tools = {
      runner: execaRunner(),
      concurrency: availableParallelism(),
      ...(io.env.HACTL_CRM_SIMULATE ? { crmSimulate: io.env.HACTL_CRM_SIMULATE } : {}),
      onProgress: (p: RehearsalProgress) => status.update(`rehearsal: ${p.phase === 'settling' ? `settling cluster ${p.cluster}; ` : ''}${p.done}/${p.total} scenarios`),
    };
    report = await check(model, flags.rehearsal === false ? {} : tools);
  } finally {
    status.end();
  }
  report.findings = errorsFirst(positionFindings(source, report.findings));
  return report;
}

/**
 * Exit 0 when nothing is found, 1 when an error-level finding is (or, with --strict, any warning:
 * a finding's or validation's),
 * 2 when the topology is invalid: its diagnostics are shown, and so are the static findings when
 * the model could be built, but nothing is simulated.
 */
export async function checkCommand(io: Io, file: string, flags: CheckFlags): Promise<ExitCode> {
  const result = await readTopology(io, file);
  const p = paintFor(io);
  if (!result.ok || !result.model) {
    const findings = result.model ? errorsFirst(positionFindings(result.source, checkStatic(result.model).findings)) : [];
    if (flags.json) {
      io.stdout(JSON.stringify({ file, ok: false, exitCode: EXIT.invalid, diagnostics: diagnosticsToJson(errorsFirst(result.diagnostics)), findings: diagnosticsToJson(findings) }, null, 2) + '\n');
    } else {
      printDiagnostics(io, result, false);
      if (findings.length) io.stdout(`${p.bold('findings on the topology as written (it is invalid: fix the errors above first)')}\n\n${formatFindings(findings, result.source.text, p)}`);
      io.stderr(`${file}: invalid topology; nothing was simulated\n`);
    }
    return EXIT.invalid;
  }
  // Validation warnings are findings too: --strict fails on them and --json carries them.
  const validateWarnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (!flags.json && validateWarnings.length) printDiagnostics(io, { ...result, diagnostics: validateWarnings }, false);
  const report = await runCheck(io, result.model, result.source, flags);
  const errors = report.findings.filter((d) => d.severity === 'error').length;
  const warnings = report.findings.length - errors + validateWarnings.length;
  const code: ExitCode = errors > 0 || (flags.strict && warnings > 0) ? EXIT.finding : EXIT.ok;
  if (flags.json) {
    io.stdout(JSON.stringify({ file, ok: code === EXIT.ok, exitCode: code, diagnostics: diagnosticsToJson(validateWarnings), findings: diagnosticsToJson(report.findings), stories: report.stories, rehearsal: report.rehearsal ?? null, availability: report.availability }, null, 2) + '\n');
    return code;
  }
  // The verdict first, and again last: a long report scrolls it off a terminal.
  const verdict = `${code === EXIT.ok ? p.ok('ok') : p.error('HA problems found')} ${file}: ${errors} error(s), ${warnings} warning(s)${report.rehearsal ? '' : ', rehearsal skipped'}`;
  io.stdout(`${verdict}\n\n`);
  io.stdout(formatCheckReport(report, result.source.text, p, { verbose: !!flags.verbose, width: outputWidth(io) }));
  io.stdout(`\n${verdict}\n`);
  return code;
}
