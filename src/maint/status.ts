/**
 * `hactl status` as a library: per cluster of a topology, one live CIB (readLiveCib) read as
 * crm_mon reads it (nodes, where each service's resources run, failed actions), compared with the
 * compiled CIB (drift, counted), and rehearsed as it stands (rehearseLive: one more failure of each
 * online member). Findings are catalogued diagnostics (HA6108-HA6113); a cluster no member of
 * which answers is reported unreachable, the others still are.
 */
import { rehearseLive, type CibScenario, type Runner } from '../check/index.js';
import { clusterHeld, quorate } from '../check/model.js';
import { indexResources } from '../check/rehearsal.js';
import { toCib } from '../compile/cib/emit.js';
import { diag, pointerOf, type Diagnostic } from '../diagnostics.js';
import { diffCibs, hactlOwnership } from '../diff/index.js';
import { HactlError, remoteFailure } from '../errors.js';
import type { Lowered } from '../lower/index.js';
import type { Cluster } from '../model/types.js';
import type { Transport } from '../remote/ssh.js';
import { compareStrings } from '../util/compare.js';
import { readLiveCib, viewOf, type ClusterView, type FailedAction, type NodeState, type Unreached } from './live.js';

export interface ServiceStatus {
  service: string;
  /** Every resource of the service runs somewhere. */
  up: boolean;
  nodes: string[];
  resources: { id: string; nodes: string[]; promoted?: string[] }[];
}

export interface ClusterStatus {
  cluster: string;
  reachable: boolean;
  /** The member the live CIB was read from. */
  via?: string;
  unreached: Unreached[];
  /** Why the cluster could not be read (reachable false). */
  error?: Diagnostic;
  quorum?: boolean;
  nodes?: { name: string; state: NodeState }[];
  services?: ServiceStatus[];
  failedActions?: FailedAction[];
  drift?: { count: number; added: number; removed: number; changed: number };
  survives?: boolean;
  scenarios?: CibScenario[];
  findings: Diagnostic[];
}

export interface StatusOptions {
  runner: Runner;
  crmSimulate?: string;
  crmMon?: string;
  concurrency?: number;
}

/** Whether `up` members keep quorum in `cluster` (the quorum device, if any, taken as up). */
export function quorumOf(cluster: Cluster): (up: string[]) => boolean {
  return (up) => quorate(cluster, up.filter((n) => cluster.nodes.includes(n)).length);
}

function servicesOf(model: Lowered, cluster: Cluster, view: ClusterView): ServiceStatus[] {
  const config = model.clusters.find((c) => c.name === cluster.name)!;
  const idx = indexResources(cluster, config);
  return Object.values(cluster.services)
    .map((s) => {
      const ids = idx.byService.get(s.name) ?? [];
      const resources = ids.map((id) => {
        const r: ServiceStatus['resources'][number] = { id, nodes: view.running.get(id) ?? [] };
        if (idx.promotable.get(s.name)?.includes(id)) r.promoted = view.promoted.get(id) ?? [];
        return r;
      });
      const nodes = [...new Set(resources.flatMap((r) => r.nodes))].sort(compareStrings);
      return { service: s.name, up: ids.length > 0 && resources.every((r) => r.nodes.length > 0 && (r.promoted === undefined || r.promoted.length > 0)), nodes, resources };
    })
    .sort((a, b) => compareStrings(a.service, b.service));
}

/** The findings of a scenario that the cluster does not survive, as status states them. */
export function survivalFindings(cluster: Cluster, scenarios: readonly CibScenario[], online: readonly string[]): Diagnostic[] {
  const offline = cluster.nodes.filter((n) => !online.includes(n));
  return scenarios.flatMap((s) => {
    const failed = s.failed.join(' and ');
    if (!s.quorate) return [diag('HA6109', cluster.pointer, { cluster: cluster.name, failed, up: online.length - s.failed.length, total: cluster.nodes.length, offline: offline.join(', ') || 'none' })];
    return s.lost.length ? [diag('HA6108', cluster.pointer, { cluster: cluster.name, failed, resources: s.lost.join(', ') })] : [];
  });
}

export async function clusterStatus(model: Lowered, clusterName: string, t: Transport, opts: StatusOptions): Promise<ClusterStatus> {
  const cluster = model.topology.clusters[clusterName]!;
  let live;
  try {
    live = await readLiveCib(t, cluster.name, cluster.nodes);
  } catch (e) {
    if (e instanceof HactlError && e.diagnostic.code === 'HA5593') return { cluster: cluster.name, reachable: false, unreached: [], error: e.diagnostic, findings: [] };
    throw e;
  }
  const view = await viewOf(live.text, cluster.name, opts.runner, opts.crmMon);
  const findings: Diagnostic[] = [];
  for (const n of view.nodes) {
    if (n.state === 'offline') findings.push(diag('HA6110', pointerOf('clusters', cluster.name, 'nodes', cluster.nodes.indexOf(n.name)), { node: n.name, cluster: cluster.name }));
  }
  const services = servicesOf(model, cluster, view);
  for (const s of services) {
    // A service the topology holds stopped, unmanaged or in maintenance (or its whole cluster) is not expected to run.
    if (!s.up && !cluster.services[s.service]!.intent && !clusterHeld(cluster)) findings.push(diag('HA6113', cluster.services[s.service]!.pointer, { service: s.service, cluster: cluster.name, resources: s.resources.filter((r) => !r.nodes.length || (r.promoted && !r.promoted.length)).map((r) => r.id).join(', ') }));
  }
  for (const f of view.failures) findings.push(diag('HA6111', cluster.pointer, { node: f.node, operation: f.operation, resource: f.resource, detail: f.detail }));
  const config = model.clusters.find((c) => c.name === cluster.name)!;
  const d = diffCibs(toCib(config), live.cib, hactlOwnership(live.cib));
  if (!d.ok) throw remoteFailure('HA5003', { source: d.side === 'live' ? `the live CIB of ${live.via}` : `the compiled CIB of cluster ${cluster.name}`, detail: d.message });
  const n = d.diff.counts;
  const drift = { count: n.added + n.removed + n.changed, added: n.added, removed: n.removed, changed: n.changed };
  if (drift.count) findings.push(diag('HA6112', cluster.pointer, { cluster: cluster.name, count: drift.count, node: live.via }));
  const rehearsal = await rehearseLive(live.cib, { runner: opts.runner, quorate: quorumOf(cluster), ...(opts.crmSimulate ? { crmSimulate: opts.crmSimulate } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  findings.push(...survivalFindings(cluster, rehearsal.scenarios, rehearsal.online));
  return {
    cluster: cluster.name,
    reachable: true,
    via: live.via,
    unreached: live.unreached,
    quorum: ['1', 'true'].includes(live.cib.attrs['have-quorum'] ?? ''),
    nodes: view.nodes,
    services,
    failedActions: view.failures,
    drift,
    survives: rehearsal.survives,
    scenarios: rehearsal.scenarios,
    findings,
  };
}
