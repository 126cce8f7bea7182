/**
 * `hactl check --cib FILE` and `hactl check --node NODE [--ssh-config FILE]`: check a running
 * cluster's CIB without its topology (src/check/cib.ts). Exit codes as for check: 0 nothing found,
 * 1 an error-level finding (or, with --strict, any), 2 bad usage or input, 3 the node or
 * crm_simulate failed.
 */
import { availableParallelism } from 'node:os';
import { checkCib, cibStaticFindings, cibNodes, UNKNOWN_WITHOUT_TOPOLOGY, execaRunner, type CibCheckReport } from '../../check/index.js';
import { formatFindings, wrapText } from '../../check/format.js';
import { diag } from '../../diagnostics.js';
import { HactlError } from '../../errors.js';
import { diagnosticsToJson } from '../../report/diagnostics.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { outputWidth } from './check.js';
import { liveFromNode, parseCib, readSource } from './diff.js';

export interface CheckCibFlags {
  cib?: string;
  node?: string;
  sshConfig?: string;
  json?: boolean;
  rehearsal?: boolean;
  strict?: boolean;
}

function scenarioLine(s: CibCheckReport['scenarios'][number]): string {
  const who = `${s.failed.join(' and ')} ${s.failed.length > 1 ? 'fail' : 'fails'}`;
  if (!s.quorate) return `${who}: the rest has no quorum, so the cluster stops its resources (by design)`;
  return s.lost.length ? `${who}: LOST ${s.lost.join(', ')}` : `${who}: every running resource runs again elsewhere`;
}

export async function checkCibCommand(io: Io, file: string | undefined, flags: CheckCibFlags): Promise<ExitCode> {
  if (file !== undefined || (flags.cib === undefined) === (flags.node === undefined)) throw new HactlError(diag('HA5706', ''), EXIT.invalid);
  let source: string;
  let label: string;
  if (flags.cib !== undefined) {
    label = flags.cib === '-' ? '<stdin>' : flags.cib;
    source = await readSource(io, flags.cib);
  } else {
    label = `live CIB of ${flags.node}`;
    source = await liveFromNode(io, flags.node!, { [flags.node!]: {} }, flags.sshConfig);
  }
  const cib = parseCib(source, label, flags.cib !== undefined ? EXIT.invalid : EXIT.remote);
  const report: CibCheckReport =
    flags.rehearsal === false
      ? { nodes: cibNodes(cib), findings: cibStaticFindings(cib), running: [], scenarios: [], unknown: [...UNKNOWN_WITHOUT_TOPOLOGY] }
      : await checkCib(cib, { runner: execaRunner(), concurrency: availableParallelism(), ...(io.env.HACTL_CRM_SIMULATE ? { crmSimulate: io.env.HACTL_CRM_SIMULATE } : {}) });
  const findings = [...report.findings].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const errors = findings.filter((d) => d.severity === 'error').length;
  const warnings = findings.length - errors;
  const code: ExitCode = errors > 0 || (flags.strict && warnings > 0) ? EXIT.finding : EXIT.ok;
  if (flags.json) {
    io.stdout(JSON.stringify({ cib: label, ok: code === EXIT.ok, exitCode: code, findings: diagnosticsToJson(findings), nodes: report.nodes, running: report.running, scenarios: flags.rehearsal === false ? null : report.scenarios, unknown: report.unknown }, null, 2) + '\n');
    return code;
  }
  const p = paintFor(io);
  const width = outputWidth(io);
  const verdict = `${code === EXIT.ok ? p.ok('ok') : p.error('HA problems found')} ${label}: ${errors} error(s), ${warnings} warning(s)${flags.rehearsal === false ? ', rehearsal skipped' : ''} (without a topology: see what this cannot know below)`;
  const out: string[] = [verdict, ''];
  if (findings.length) out.push(formatFindings(findings, undefined, p));
  if (flags.rehearsal !== false) {
    out.push(p.bold(`rehearsal (crm_simulate, every node online first: ${report.running.length} resource(s) running on ${report.nodes.join(', ')})`));
    for (const s of report.scenarios) out.push(`  ${scenarioLine(s)}`);
    out.push('');
  }
  out.push(p.bold('what a CIB alone cannot tell (hactl check TOPOLOGY can)'));
  for (const u of report.unknown) out.push(wrapText(`  - ${u}`, width));
  out.push('', verdict);
  io.stdout(out.join('\n') + '\n');
  return code;
}
