/**
 * The human form of a check report: findings grouped by severity (with their code frames), the
 * rehearsal per cluster and scenario, the availability estimate with its arithmetic, the rates and
 * the model's assumptions. Colour comes in as a parameter; the JSON form is the report itself.
 */
import type { Diagnostic } from '../diagnostics.js';
import { formatDiagnostic, type Paint } from '../report/diagnostics.js';
import { HOURS_PER_YEAR, sci, type AvailabilityReport, type PathEstimate } from './availability.js';
import type { CheckReport } from './index.js';
import type { RehearsalReport, Scenario, ServiceState } from './rehearsal.js';

/** Cut sets shown per path; the rest are summed in one line. */
const SHOWN_CUTS = 5;

export function formatFindings(findings: readonly Diagnostic[], text: string | undefined, paint: Paint): string {
  const out: string[] = [];
  for (const severity of ['error', 'warning'] as const) {
    const group = findings.filter((d) => d.severity === severity);
    if (!group.length) continue;
    const title = severity === 'error' ? paint.error(`errors (${group.length})`) : paint.warning(`warnings (${group.length})`);
    out.push(title, '', group.map((d) => formatDiagnostic(d, text, paint)).join('\n\n'), '');
  }
  return out.join('\n');
}

export function formatRehearsal(r: RehearsalReport, paint: Paint): string {
  const out: string[] = [paint.bold(`failure rehearsal (crm_simulate on the compiled CIB, ${r.runs} runs)`)];
  for (const c of r.clusters) {
    out.push(`  cluster ${c.cluster} (${c.nodes.join(', ')})`);
    out.push(`    settled, every node online: ${c.settled.map(serviceAt).join(', ') || 'no services'}`);
    for (const s of c.scenarios) out.push(...formatScenario(s, paint));
  }
  return out.join('\n');
}

/** service@nodes, with the promoted nodes of a promotable service: pgsql@db1+db2 (promoted db1). */
function serviceAt(s: ServiceState): string {
  if (!s.up) return `${s.service} STOPPED`;
  return `${s.service}@${s.nodes.join('+')}${s.promoted ? ` (promoted ${s.promoted.join('+')})` : ''}`;
}

function formatScenario(s: Scenario, paint: Paint): string[] {
  const head = `    ${s.failed.join(' + ')} fail${s.failed.length > 1 ? '' : 's'}: quorum ${s.quorum ? 'kept' : 'lost'}${s.survivable ? '' : paint.dim(' (beyond what quorum survives: reported, not a finding)')}`;
  const lines = [head];
  for (const f of s.fencing) {
    const state = !f.required ? 'not required' : f.possible ? `required, possible (${f.devices.join(', ')})` : paint.error(`required, NOT possible (${f.devices.join(', ') || 'no device'})`);
    lines.push(`      fence ${f.node}: ${state}`);
  }
  if (s.moved.length) lines.push(`      move: ${s.moved.map((m) => `${m.resource} ${m.from}→${m.to}`).join(', ')}`);
  if (s.recovered.length) lines.push(`      recover: ${s.recovered.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.promoted.length) lines.push(`      promote: ${s.promoted.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.started.length) lines.push(`      start: ${s.started.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.stopped.length) lines.push(`      stop: ${s.stopped.map((m) => `${m.resource} on ${m.node}${m.blocked ? ' (blocked)' : ''}`).join(', ')}`);
  const down = s.services.filter((x) => !x.up);
  lines.push(down.length ? `      ${paint.error('services left stopped')}: ${down.map((x) => x.service).join(', ')}` : `      every service runs: ${paint.dim(s.services.map(serviceAt).join(', '))}`);
  return lines;
}

export function formatAvailability(a: AvailabilityReport, paint: Paint & { ok(s: string): string }): string {
  const r = a.rates;
  const mark = (name: string) => (r.overridden.includes(name) ? '' : ' (default)');
  const out = [
    paint.bold('availability estimate'),
    `  rates: node MTBF ${r.node.mtbfHours} h${mark('node.mtbf_hours')}, MTTR ${r.node.mttrHours} h${mark('node.mttr_hours')}; ` +
      `link MTBF ${r.link.mtbfHours} h${mark('link.mtbf_hours')}, MTTR ${r.link.mttrHours} h${mark('link.mttr_hours')}; ` +
      `failover ${r.failoverSeconds} s${mark('failover_seconds')}; Ceph pause ${r.cephFailoverSeconds} s${mark('ceph_failover_seconds')} (override under availability:)`,
    `  q(node) = MTTR/(MTBF+MTTR) = ${sci(r.node.mttrHours / (r.node.mtbfHours + r.node.mttrHours))}; q(link) = ${sci(r.link.mttrHours / (r.link.mtbfHours + r.link.mttrHours))}`,
  ];
  for (const p of a.paths) out.push(...formatPath(p, a.sla, paint));
  out.push('  assumptions:', ...a.assumptions.map((s) => `    - ${s}`));
  return out.join('\n');
}

function formatPath(p: PathEstimate, sla: number | undefined, paint: Paint & { ok(s: string): string }): string[] {
  const verdict = sla === undefined ? '' : p.meetsSla ? paint.ok(` >= sla ${sla}%`) : paint.error(` < sla ${sla}%`);
  const lines = [`  ${paint.bold(`${p.cluster}/${p.service}`)}: ${p.availability.toFixed(5)}% (${p.minutesPerYear.toFixed(1)} min/year)${verdict}`];
  lines.push(`    path: ${p.needs.join(' -> ')}${p.ceph ? ' -> ceph' : ''}`);
  const row = (label: string, formula: string, value: number) => `    ${label}: ${formula} = ${sci(value)}`;
  for (const c of p.cutSets.slice(0, SHOWN_CUTS)) lines.push(row(c.label, c.formula, c.value));
  const rest = p.cutSets.slice(SHOWN_CUTS);
  const more = rest.length + p.otherCutSets.count;
  if (more) lines.push(`    ${more} more failure set(s): ${sci(rest.reduce((s, c) => s + c.value, 0) + p.otherCutSets.value)}`);
  for (const f of [...p.failover, ...p.undetected]) lines.push(row(f.label, f.formula, f.value));
  lines.push(`    U = ${sci(p.unavailability)} -> A = 1 - U = ${p.availability.toFixed(5)}%; U × ${HOURS_PER_YEAR} h × 60 = ${p.minutesPerYear.toFixed(1)} min/year`);
  return lines;
}

export function formatCheckReport(report: CheckReport, text: string | undefined, paint: Paint & { ok(s: string): string }): string {
  const parts: string[] = [];
  if (report.findings.length) parts.push(formatFindings(report.findings, text, paint));
  if (report.rehearsal) parts.push(formatRehearsal(report.rehearsal, paint));
  parts.push(formatAvailability(report.availability, paint));
  return parts.join('\n\n') + '\n';
}
