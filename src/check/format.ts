/**
 * The human form of a check report: a summary table (findings by severity, the rehearsal, the
 * availability of every path against the SLA), then the details: findings grouped by severity
 * (with their code frames), the rehearsal per cluster and scenario, the availability estimate
 * with its arithmetic, the rates and the model's assumptions. The details are brief unless
 * `verbose`: every resource action of every scenario and every path's terms. Prose lines are
 * wrapped to `width`; code frames never are. Colour comes in as a parameter; the JSON form is the
 * report itself.
 */
import type { Diagnostic } from '../diagnostics.js';
import { formatDiagnostic, type Paint } from '../report/diagnostics.js';
import { HOURS_PER_YEAR, sci, type AvailabilityReport, type PathEstimate } from './availability.js';
import type { CheckReport } from './index.js';
import type { Injection, PrimaryComponent, RehearsalReport, RoleChange, Scenario, ServiceState } from './rehearsal.js';
import type { ClusterStory } from './story.js';

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

export interface LayoutOptions {
  /** Every resource action and every path's arithmetic. */
  verbose?: boolean;
  /** Columns to wrap prose to. */
  width?: number;
}

/** Width of text as a terminal shows it: colour codes take no room. */
function visibleLength(s: string): number {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*m/g, '').length;
}

/**
 * Wraps each line longer than `width` at spaces; continuation lines are indented two more than
 * the line's own indent. A word longer than the width stays whole (an id or a path is never cut).
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (visibleLength(line) <= width) return [line];
      const indent = /^ */.exec(line)![0];
      const more = `${indent}  `;
      const words = line.slice(indent.length).split(' ');
      const out: string[] = [];
      let cur = indent;
      let curLen = indent.length;
      let first = true;
      for (const w of words) {
        const len = visibleLength(w);
        if (!first && curLen + 1 + len > width) {
          out.push(cur);
          cur = more + w;
          curLen = more.length + len;
        } else {
          cur += (first ? '' : ' ') + w;
          curLen += (first ? 0 : 1) + len;
        }
        first = false;
      }
      out.push(cur);
      return out;
    })
    .join('\n');
}

export function formatRehearsal(r: RehearsalReport, paint: Paint, opts: LayoutOptions = {}): string {
  const out: string[] = [paint.bold(`failure rehearsal (crm_simulate on the compiled CIB, ${r.runs} runs)`)];
  for (const c of r.clusters) {
    out.push(`  cluster ${c.cluster} (${c.nodes.join(', ')})`);
    if (opts.verbose) out.push(`    settled, every node online: ${c.settled.map(serviceAt).join(', ') || 'no services'}`);
    else {
      const down = c.settled.filter((s) => !s.up).map((s) => s.service);
      out.push(`    settled, every node online: ${down.length ? `${paint.error('stopped')}: ${down.join(', ')}` : `${c.settled.length} service(s) run`}`);
    }
    for (const s of c.scenarios) out.push(...formatScenario(s, paint, !!opts.verbose));
    if (opts.verbose) for (const x of c.injections) out.push(...formatInjection(x, paint));
  }
  return out.join('\n');
}

/** service@nodes, with the promoted nodes of a promotable service: pgsql@db1+db2 (promoted db1). */
function serviceAt(s: ServiceState): string {
  if (!s.up) return `${s.service} STOPPED`;
  return `${s.service}@${s.nodes.join('+')}${s.promoted ? ` (promoted ${s.promoted.join('+')})` : ''}`;
}

function formatScenario(s: Scenario, paint: Paint, verbose: boolean): string[] {
  const head = `    ${s.failed.join(' + ')} fail${s.failed.length > 1 ? '' : 's'}: quorum ${s.quorum ? 'kept' : 'lost'}${s.survivable ? '' : paint.dim(' (beyond what quorum survives: reported, not a finding)')}`;
  const lines = [head];
  for (const f of s.fencing) {
    const state = !f.required ? 'not required' : f.possible ? `required, possible (${f.devices.join(', ')})` : paint.error(`required, NOT possible (${f.devices.join(', ') || 'no device'})`);
    lines.push(`      fence ${f.node}: ${state}`);
  }
  lines.push(...fencingTopologyLines(s));
  const down = s.services.filter((x) => !x.up);
  if (s.roles.length) lines.push(rolesLine(s.roles));
  if (s.primary) lines.push(primaryLine(s.primary, paint));
  if (!verbose) {
    const moved = s.moved.length + s.recovered.length + s.promoted.length;
    lines.push(down.length ? `      ${paint.error('services left stopped')}: ${down.map((x) => x.service).join(', ')}` : `      every service runs${moved ? ` (${moved} resource(s) moved, recovered or promoted)` : ''}`);
    lines.push(...rejoinLines(s, paint));
    return lines;
  }
  if (s.moved.length) lines.push(`      move: ${s.moved.map((m) => `${m.resource} ${m.from}→${m.to}`).join(', ')}`);
  if (s.recovered.length) lines.push(`      recover: ${s.recovered.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.promoted.length) lines.push(`      promote: ${s.promoted.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.demoted.length) lines.push(demoteLine(s));
  if (s.restarted.length) lines.push(`      restart: ${s.restarted.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.started.length) lines.push(`      start: ${s.started.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (s.stopped.length) lines.push(`      stop: ${s.stopped.map((m) => `${m.resource} on ${m.node}${m.blocked ? ' (blocked)' : ''}`).join(', ')}`);
  lines.push(down.length ? `      ${paint.error('services left stopped')}: ${down.map((x) => x.service).join(', ')}` : `      every service runs: ${paint.dim(s.services.map(serviceAt).join(', '))}`);
  lines.push(...rejoinLines(s, paint));
  return lines;
}

/** The failed node back: `ctl1 back: promoted galera ctl2+ctl3 → ctl1+ctl2+ctl3`. */
function rejoinLines(s: Scenario, paint: Paint): string[] {
  const r = s.rejoin;
  if (!r) return [];
  const roles = r.roles.length ? `promoted: ${r.roles.map((x) => `${x.service} ${x.before.join('+') || 'none'} → ${x.after.join('+') || 'none'}`).join(', ')}` : 'no promoted instance changes';
  return [`      ${r.node} back: ${roles}${r.stopped.length ? `; ${paint.error('left stopped')}: ${r.stopped.join(', ')}` : ''}`];
}

const INJECTED: Record<Injection['kind'], (x: Injection) => string> = {
  'start-failure': (x) => `${x.resource} fails to start on ${x.node}`,
  'boot-probe': (x) => `${x.node} boots with ${x.resource}'s image mapped (probe finds it active)`,
  'remote-loss': (x) => `connection check of remote node ${x.resource} fails on ${x.node}`,
};

/**
 * Where the promoted instances of each promotable service were and are: `ovn-dbs ctl1 → ctl2`
 * (a new primary), `galera ctl1+ctl2+ctl3 → ctl2+ctl3` (a member drops out), `→ none` (no
 * instance takes writes any more).
 */
function rolesLine(roles: RoleChange[]): string {
  return `      promoted: ${roles.map((r) => `${r.service} ${r.before.join('+') || 'none'} → ${r.after.join('+') || 'none'}`).join(', ')}`;
}

/** `galera 2 of 3 votes (ctl2, garbd on arbiter): kept`: the quorum of services that keep their own. */
function primaryLine(primary: PrimaryComponent[], paint: Paint): string {
  return `      own quorum: ${primary.map((p) => `${p.service} ${p.votes} of ${p.of} votes (${p.voters.join(', ') || 'none'}): ${p.kept ? 'kept' : paint.error('LOST')}`).join('; ')}`;
}

function demoteLine(s: Scenario): string {
  return `      demote: ${s.demoted.map((m) => `${m.resource} on ${m.node}${m.how === 'stop' ? ' (stopped while promoted)' : ''}`).join(', ')}`;
}

/**
 * A fenced node's levels (`cmp1 1: st_cmp1 then st_fence-compute`) and instance HA's evacuation
 * (`cmp1 by p_nova-evacuate on ctl2`): the order the fencer runs, and who asks nova afterwards.
 */
function fencingTopologyLines(s: Scenario): string[] {
  const lines = (s.levels ?? []).map((x) => `      fence levels: ${x.node} ${x.levels.map((devices, i) => `${i + 1}: ${devices.join(' then ')}`).join(', else ')}`);
  const e = s.evacuation;
  if (e) lines.push(`      evacuate: ${e.nodes.join(', ')} by ${e.by} ${e.on.length ? `on ${e.on.join('+')}` : 'NOT running (the evacuation waits)'}`);
  return lines;
}

function formatInjection(x: Injection, paint: Paint): string[] {
  const lines = [`    ${INJECTED[x.kind](x)} (-i ${x.inject})`];
  if (x.fenced.length) lines.push(`      ${paint.error('fence')}: ${x.fenced.join(', ')}`);
  lines.push(...fencingTopologyLines(x));
  if (x.roles.length) lines.push(rolesLine(x.roles));
  if (x.moved.length) lines.push(`      move: ${x.moved.map((m) => `${m.resource} ${m.from}→${m.to}`).join(', ')}`);
  if (x.recovered.length) lines.push(`      recover: ${x.recovered.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (x.promoted.length) lines.push(`      promote: ${x.promoted.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (x.demoted.length) lines.push(demoteLine(x));
  if (x.restarted.length) lines.push(`      restart: ${x.restarted.map((m) => `${m.resource} on ${m.node}`).join(', ')}`);
  if (x.stopped.length) lines.push(`      stop: ${x.stopped.map((m) => `${m.resource} on ${m.node}${m.blocked ? ' (blocked)' : ''}`).join(', ')}`);
  if (!x.fenced.length && !x.moved.length && !x.recovered.length && !x.restarted.length && !x.stopped.length && !x.promoted.length && !x.demoted.length) lines.push(`      ${paint.dim('nothing moves')}`);
  const down = x.services.filter((s) => !s.up && s.service !== x.waits?.service);
  if (x.waits) lines.push(`      ${x.waits.service} waits stopped (critical=false)${x.waits.failureTimeout ? `, retried on ${x.node} after failure-timeout ${x.waits.failureTimeout}` : ''}; nothing it is colocated with moves`);
  if (down.length) lines.push(`      ${paint.error('services left stopped')}: ${down.map((s) => s.service).join(', ')}`);
  return lines;
}

export function formatAvailability(a: AvailabilityReport, paint: Paint & { ok(s: string): string }, opts: LayoutOptions = {}): string {
  const r = a.rates;
  const mark = (name: string) => (r.overridden.includes(name) ? '' : ' (default)');
  const out = [
    paint.bold('availability estimate'),
    `  rates: node MTBF ${r.node.mtbfHours} h${mark('node.mtbf_hours')}, MTTR ${r.node.mttrHours} h${mark('node.mttr_hours')}`,
    `         link MTBF ${r.link.mtbfHours} h${mark('link.mtbf_hours')}, MTTR ${r.link.mttrHours} h${mark('link.mttr_hours')}`,
    `         failover ${r.failoverSeconds} s${mark('failover_seconds')}; Ceph pause ${r.cephFailoverSeconds} s${mark('ceph_failover_seconds')} (override under availability:)`,
    `  q(node) = MTTR/(MTBF+MTTR) = ${sci(r.node.mttrHours / (r.node.mtbfHours + r.node.mttrHours))}; q(link) = ${sci(r.link.mttrHours / (r.link.mtbfHours + r.link.mttrHours))}`,
  ];
  // Brief: the arithmetic of the lowest path and of every path below the SLA; --verbose: all.
  const lowest = lowestPath(a);
  const shown = a.paths.filter((p) => opts.verbose || p === lowest || p.meetsSla === false);
  for (const p of shown) out.push(...formatPath(p, a.sla, paint));
  if (shown.length < a.paths.length) out.push(paint.dim(`  (the arithmetic of the ${a.paths.length - shown.length} other path(s), which the summary lists: --verbose)`));
  out.push('  assumptions:', ...a.assumptions.map((s) => `    - ${s}`));
  return out.join('\n');
}

function lowestPath(a: AvailabilityReport): PathEstimate | undefined {
  return a.paths.reduce<PathEstimate | undefined>((low, p) => (!low || p.availability < low.availability ? p : low), undefined);
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

/** The summary table: one row per analysis, then the availability of every path against the SLA. */
export function formatSummary(report: CheckReport, paint: Paint & { ok(s: string): string }, width?: number): string {
  const errors = report.findings.filter((d) => d.severity === 'error').length;
  const warnings = report.findings.length - errors;
  const a = report.availability;
  const rows: [string, string][] = [['findings', `${errors ? paint.error(`${errors} error(s)`) : '0 errors'}, ${warnings ? paint.warning(`${warnings} warning(s)`) : '0 warnings'}`]];
  const r = report.rehearsal;
  if (r) {
    const scenarios = r.clusters.flatMap((c) => c.scenarios);
    const survivable = scenarios.filter((s) => s.survivable);
    const broken = survivable.filter((s) => s.services.some((x) => !x.up) || s.fencing.some((f) => f.required && !f.possible));
    const verdict = broken.length ? paint.error(`${broken.length} leave a service stopped or cannot fence`) : paint.ok('every service runs after each');
    rows.push(['rehearsal', `${scenarios.length} scenario(s), ${r.runs} crm_simulate runs; of the ${survivable.length} quorum survives: ${verdict}`]);
  } else rows.push(['rehearsal', paint.dim('skipped (--no-rehearsal)')]);
  const below = a.paths.filter((p) => p.meetsSla === false).length;
  rows.push(['availability', a.sla === undefined ? `${a.paths.length} path(s); no sla set` : `${a.paths.length - below} of ${a.paths.length} path(s) meet sla ${a.sla}%${below ? `; ${paint.error(`${below} below`)}` : ''}`]);
  // A long value wraps under itself, not under its label.
  const cell = (k: string, v: string) => {
    const text = `${' '.repeat(15)}${v}`;
    return `  ${k.padEnd(13)}${(width ? wrapText(text, width) : text).slice(15)}`;
  };
  const out = [paint.bold('summary'), ...rows.map(([k, v]) => cell(k, v))];
  if (a.paths.length) {
    const names = a.paths.map((p) => `${p.cluster}/${p.service}`);
    const w = Math.max(4, ...names.map((n) => n.length));
    out.push('', `  ${'path'.padEnd(w)}  ${'availability'.padStart(12)}  ${'min/year'.padStart(8)}  sla`);
    a.paths.forEach((p, i) => {
      const mark = p.meetsSla === undefined ? '-' : p.meetsSla ? paint.ok('ok') : paint.error('BELOW');
      out.push(`  ${names[i]!.padEnd(w)}  ${`${p.availability.toFixed(5)}%`.padStart(12)}  ${p.minutesPerYear.toFixed(1).padStart(8)}  ${mark}`);
    });
  }
  return out.join('\n');
}

/** Each cluster's quorum and fencing story. */
export function formatStories(stories: readonly ClusterStory[], paint: Paint): string {
  const out: string[] = [paint.bold('quorum and fencing')];
  for (const s of stories) {
    out.push(`  cluster ${s.cluster}`, `    quorum: ${s.quorum}`);
    for (const q of s.ownQuorum ?? []) out.push(`    own quorum: ${q}`);
    if (s.sbd) out.push(`    ${s.sbd}`);
    for (const f of s.fencing) out.push(`    fence ${f}`);
  }
  return out.join('\n');
}

/** Summary, then details: findings (code frames unwrapped), rehearsal and availability (wrapped). */
export function formatCheckReport(report: CheckReport, text: string | undefined, paint: Paint & { ok(s: string): string }, opts: LayoutOptions = {}): string {
  const wrap = (s: string) => (opts.width ? wrapText(s, opts.width) : s);
  const parts: string[] = [formatSummary(report, paint, opts.width)];
  if (report.findings.length) parts.push(formatFindings(report.findings, text, paint).trimEnd());
  if (report.stories.length) parts.push(wrap(formatStories(report.stories, paint)));
  if (report.rehearsal) parts.push(wrap(formatRehearsal(report.rehearsal, paint, opts)));
  parts.push(wrap(formatAvailability(report.availability, paint, opts)));
  return parts.join('\n\n') + '\n';
}
