/**
 * `hactl check` as a library: single points of failure (static), the failure rehearsal with
 * crm_simulate (through an injected runner), and the availability estimate, as one report of pure
 * data. Findings are diagnostics (HA6xxx) with JSON Pointers; the caller positions and prints them.
 */
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics.js';
import type { Lowered } from '../lower/index.js';
import type { Topology } from '../model/types.js';
import { position, type Source } from '../parse/source.js';
import { estimateAvailability, type AvailabilityReport } from './availability.js';
import { rehearse, type RehearsalOptions, type RehearsalReport } from './rehearsal.js';
import type { Runner } from './runner.js';
import { checkServices, compiledOutput } from './services.js';
import { cephClientFindings } from './ceph-clients.js';
import { findSpofs } from './spof.js';
import { clusterStories, type ClusterStory } from './story.js';

export type { AvailabilityReport, PathEstimate, Rates, Term } from './availability.js';
export type { ClusterStory } from './story.js';
export { ASSUMPTIONS, DEFAULT_RATES } from './availability.js';
export type { ClusterRehearsal, Injection, RehearsalOptions, RehearsalProgress, RehearsalReport, RoleChange, Scenario, ServiceState } from './rehearsal.js';
export { rehearsalCib, scenariosOf } from './rehearsal.js';
export { execaRunner, type Runner, type RunResult } from './runner.js';
export { checkCib, cibStaticFindings, cibNodes, rehearseLive, withStandby, UNKNOWN_WITHOUT_TOPOLOGY, type CibCheckReport, type CibScenario, type CibCheckOptions, type LiveRehearsal, type LiveRehearsalOptions } from './cib.js';
export { journalDevice } from './model.js';
export { checkServices, compiledOutput, readIni, type BrokenService, type CompiledOutput, type ServiceCheck } from './services.js';

export interface CheckOptions extends RehearsalOptions {
  /** Runs crm_simulate; without one the rehearsal is skipped. */
  runner?: Runner;
}

export interface CheckReport {
  findings: Diagnostic[];
  /** Each cluster's quorum and fencing, in words. */
  stories: ClusterStory[];
  /** Absent when skipped (no runner). */
  rehearsal?: RehearsalReport;
  availability: AvailabilityReport;
}

export async function check(model: Lowered, opts: CheckOptions = {}): Promise<CheckReport> {
  const t = model.topology;
  const output = compiledOutput(model);
  const services = checkServices(model, output);
  const availability = estimateAvailability(model, services.broken);
  const findings = [...findSpofs(t), ...services.findings, ...cephClientFindings(model, output), ...availabilityFindings(t, availability)];
  const report: CheckReport = { findings, stories: clusterStories(model), availability };
  if (opts.runner) {
    const { runner, ...rest } = opts;
    report.rehearsal = await rehearse(model, runner, { output, ...rest });
    findings.push(...report.rehearsal.findings);
  }
  report.findings = dedupe(findings);
  return report;
}

/** The static part alone (no tools run): what `check` finds before the rehearsal. */
export function checkStatic(model: Lowered): CheckReport {
  const t = model.topology;
  const output = compiledOutput(model);
  const services = checkServices(model, output);
  const availability = estimateAvailability(model, services.broken);
  return { findings: dedupe([...findSpofs(t), ...services.findings, ...cephClientFindings(model, output), ...availabilityFindings(t, availability)]), stories: clusterStories(model), availability };
}

function availabilityFindings(t: Topology, a: AvailabilityReport): Diagnostic[] {
  const out: Diagnostic[] = [];
  const unwatched = new Map<string, Diagnostic>();
  for (const p of a.paths) {
    for (const u of p.undetected) {
      const c = t.clusters[u.cluster]!;
      const v = c.vips[u.vip]!;
      const holders = [...new Set(Object.values(c.services).filter((s) => s.vip === v.name).flatMap((s) => s.nodes))].filter((n) => !t.nodes[n]?.bond).sort();
      unwatched.set(v.pointer, diag('HA6031', v.pointer, { network: v.network, vip: v.name, nodes: holders.join(', ') }));
    }
    if (p.meetsSla === false) {
      const top = [...p.cutSets, ...p.failover, ...p.undetected].sort((x, y) => y.value - x.value)[0];
      const fix = top ? `the largest term is ${top.label} (${top.value.toExponential(2)} of ${p.unavailability.toExponential(2)}): remove it first` : 'see the availability arithmetic';
      out.push(diag('HA6030', p.pointer, { path: `${p.cluster}/${p.service} (needs ${p.needs.join(', ')}${p.ceph ? ', ceph' : ''})`, estimate: p.availability.toFixed(4), sla: a.sla!, fix }));
    }
  }
  return [...out, ...unwatched.values()];
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}|${d.pointer}|${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Places every finding at its file:line:col and sorts them (errors and warnings keep their order by position). */
export function positionFindings(source: Source, findings: Diagnostic[]): Diagnostic[] {
  return sortDiagnostics(findings.map((d) => position(source, { ...d })));
}

