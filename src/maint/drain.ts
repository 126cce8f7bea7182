/**
 * `hactl drain` and `undrain` as a library. A drain first rehearses the live status with the node
 * in standby (rehearseLive, as check --node and status do) and refuses, unless forced, when the
 * drain itself would stop a resource or the rest would not survive one more failure. Then it sets
 * the node's permanent standby attribute (crm_attribute, the node entry hactl never owns, so
 * apply keeps it), and waits until the cluster has settled with nothing left on the node. Undrain
 * deletes the attribute and waits until the cluster has settled. Both report what moved.
 */
import { rehearseLive, type LiveRehearsal } from '../check/index.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Lowered } from '../lower/index.js';
import type { Cluster } from '../model/types.js';
import { runChecked, type Transport } from '../remote/ssh.js';
import { compareStrings } from '../util/compare.js';
import { readLiveCib, runningOn, viewOf, type ClusterView } from './live.js';
import { quorumOf, type StatusOptions } from './status.js';

export interface WaitProgress {
  node: string;
  /** Resources still on the node (drain) or actions still pending (undrain: empty until settled). */
  left: string[];
  settled: boolean;
  elapsedSeconds: number;
}

export interface MaintOptions extends StatusOptions {
  /** How long to wait for the cluster to settle, in seconds. */
  waitSeconds: number;
  onProgress?: (p: WaitProgress) => void;
}

/** A resource that ran on the node before (drain) or runs there after (undrain), and where it runs. */
export interface Movement {
  resource: string;
  before: string[];
  after: string[];
}

export interface MaintReport {
  cluster: string;
  node: string;
  /** The member commands were run on. */
  via: string;
  /** Drain only: the rehearsal with the node in standby and its findings (HA6105-HA6107). */
  rehearsal?: LiveRehearsal;
  findings: Diagnostic[];
  /** The drain was refused (findings, no --force): nothing was changed. */
  refused: boolean;
  /** The cluster settled (with nothing on the node, for a drain) within the wait. */
  done: boolean;
  /** Resources still on the node when the wait ended (drain). */
  left: string[];
  moved: Movement[];
  seconds: number;
}

/** The cluster of the topology `node` is a member of. */
export function clusterOfNode(model: Lowered, node: string): Cluster | undefined {
  return Object.values(model.topology.clusters).find((c) => c.nodes.includes(node));
}

/** Drain findings: what the drain itself stops, and each further failure the rest does not survive. */
export function drainFindings(cluster: Cluster, node: string, r: LiveRehearsal): Diagnostic[] {
  const out: Diagnostic[] = [];
  if (r.stopped.length) out.push(diag('HA6105', cluster.pointer, { node, resources: r.stopped.join(', ') }));
  const offline = cluster.nodes.filter((n) => !r.online.includes(n));
  for (const s of r.scenarios) {
    const failed = s.failed.join(' and ');
    if (!s.quorate) out.push(diag('HA6107', cluster.pointer, { node, failed, up: r.online.length - s.failed.length, total: cluster.nodes.length, offline: offline.join(', ') || 'none' }));
    else if (s.lost.length) out.push(diag('HA6106', cluster.pointer, { node, failed, resources: s.lost.join(', ') }));
  }
  return out;
}

/** The members to talk to: the node itself first (it answers while it drains), then the others. */
function viaOrder(cluster: Cluster, node: string): string[] {
  return [node, ...cluster.nodes.filter((n) => n !== node)];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads the CIB and reports what is left, then asks the cluster to settle (crm_resource --wait,
 * at most 2 s) and reads again, until the cluster has settled with nothing left, or the deadline.
 */
async function waitFor(t: Transport, via: string, cluster: string, node: string, opts: MaintOptions, left: (v: ClusterView) => string[]): Promise<{ view: ClusterView; settled: boolean; left: string[] }> {
  const started = Date.now();
  const deadline = started + opts.waitSeconds * 1000;
  let settled = false;
  for (;;) {
    const view = await viewOf(await runChecked(t, via, ['cibadmin', '--query']), cluster, opts.runner, opts.crmMon);
    const l = left(view);
    // crm_resource --wait returns while a start or stop it began still runs (before Pacemaker
    // 2.1.7): settled means nothing under way in the view read after it, too.
    const busy = settled && view.inFlight.length > 0;
    if (busy) settled = false;
    opts.onProgress?.({ node, left: l, settled, elapsedSeconds: Math.round((Date.now() - started) / 1000) });
    if ((settled && !l.length) || Date.now() >= deadline) return { view, settled, left: l };
    // The wait comes back at once while nothing new is planned: do not spin on cibadmin meanwhile.
    if (busy) await sleep(500);
    const remaining = Math.ceil((deadline - Date.now()) / 1000);
    const r = await t.exec(via, ['crm_resource', '--wait', `--timeout=${Math.max(1, Math.min(2, remaining))}s`]);
    settled = r.exitCode === 0;
    // Any other answer than settled or timed out (no DC yet, say) comes at once: do not spin.
    if (!settled && r.exitCode !== 124) await sleep(1000);
  }
}

function movements(before: ClusterView, after: ClusterView, ids: readonly string[]): Movement[] {
  return [...ids].sort(compareStrings).map((id) => ({ resource: id, before: before.running.get(id) ?? [], after: after.running.get(id) ?? [] }));
}

export async function drain(model: Lowered, node: string, t: Transport, opts: MaintOptions & { force?: boolean }): Promise<MaintReport> {
  const cluster = clusterOfNode(model, node)!;
  const started = Date.now();
  const live = await readLiveCib(t, cluster.name, viaOrder(cluster, node));
  const rehearsal = await rehearseLive(live.cib, { runner: opts.runner, standby: [node], quorate: quorumOf(cluster), ...(opts.crmSimulate ? { crmSimulate: opts.crmSimulate } : {}), ...(opts.concurrency ? { concurrency: opts.concurrency } : {}) });
  const findings = drainFindings(cluster, node, rehearsal);
  const report: MaintReport = { cluster: cluster.name, node, via: live.via, rehearsal, findings, refused: false, done: false, left: [], moved: [], seconds: 0 };
  if (findings.length && !opts.force) return { ...report, refused: true };
  const before = await viewOf(live.text, cluster.name, opts.runner, opts.crmMon);
  await runChecked(t, live.via, ['crm_attribute', '--node', node, '--name', 'standby', '--update', 'on']);
  const end = await waitFor(t, live.via, cluster.name, node, opts, (v) => runningOn(v.running, node));
  return { ...report, done: end.settled && !end.left.length, left: end.left, moved: movements(before, end.view, runningOn(before.running, node)), seconds: Math.round((Date.now() - started) / 1000) };
}

export async function undrain(model: Lowered, node: string, t: Transport, opts: MaintOptions): Promise<MaintReport> {
  const cluster = clusterOfNode(model, node)!;
  const started = Date.now();
  const live = await readLiveCib(t, cluster.name, viaOrder(cluster, node));
  const before = await viewOf(live.text, cluster.name, opts.runner, opts.crmMon);
  // Deleting an attribute that is not there succeeds: undrain of a node in service changes nothing.
  await runChecked(t, live.via, ['crm_attribute', '--node', node, '--name', 'standby', '--delete']);
  const end = await waitFor(t, live.via, cluster.name, node, opts, () => []);
  const returned = runningOn(end.view.running, node).filter((id) => !(before.running.get(id) ?? []).includes(node));
  return { cluster: cluster.name, node, via: live.via, findings: [], refused: false, done: end.settled, left: [], moved: movements(before, end.view, returned), seconds: Math.round((Date.now() - started) / 1000) };
}
