/**
 * Carrying out a plan, in phases:
 *   1. nodes, `concurrency` at a time: write each changed file (atomic remote write), then run
 *      that node's reloads and restarts; after the first failure no further node is started;
 *   2. corosync, per cluster: one `corosync-cfgtool -R`, or a rolling restart one node at a time,
 *      each node back online before the next;
 *   3. CIB, per cluster: at most one push, from one node, as a versioned patch on a fresh read;
 *      refused pushes are re-read and re-planned up to `maxCibAttempts` times with backoff and
 *      jitter (status-only updates do not refuse a push: see PUSH_SCRIPT), and a concurrent
 *      change to the objects hactl is changing stops the push with a conflict;
 *   4. restarts of Pacemaker resources whose files changed (through the cluster).
 * A phase runs only when everything before it succeeded.
 */
import { diffCibs, hactlOwnership } from '../diff/index.js';
import { clusterWhole, corosyncReload, locateResource, mountAction, restartResource, restartResourceOn, serviceAction, waitSettled } from '../remote/actions.js';
import { writeRemoteFile, RemoteCommandError, CHANGED_SINCE_PLAN } from '../remote/files.js';
import { changeUnit } from '../remote/units.js';
import { reconcileBroker } from '../remote/broker.js';
import { queryCib, RemoteError, type Transport } from '../remote/ssh.js';
import { maskSecrets, type SecretStore } from '../secrets/index.js';
import type { XmlElement } from '../xml/tree.js';
import { adoptions, buildCandidate, changedBetween, formatVersion, pushPatch, recordDiffers, touchedObjects, versionOf } from './cib.js';
import { brokerPending, fileKey, type BrokerAction, type CibAction, type Payload, type Plan } from './plan.js';
import { inClone, stagedCandidate } from './rolling.js';
import { parseLive } from './planner.js';
import { runBounded } from '../util/pool.js';

export type NodeOutcome = 'changed' | 'unchanged' | 'failed' | 'skipped';
export type CibOutcome = 'pushed' | 'unchanged' | 'conflict' | 'failed' | 'skipped' | 'none';

export interface NodeReport {
  node: string;
  filesChanged: number;
  actions: string[];
  result: NodeOutcome;
  error?: string;
}

export interface ClusterReport {
  cluster: string;
  node: string;
  cib: CibOutcome;
  attempts: number;
  /** Version of the live CIB before and after the push. */
  from?: string;
  to?: string;
  corosync?: string;
  /** The rabbitmqctl steps taken per broker account (`rabbitmq on n1: add_user, set_permissions`). */
  brokers?: string[];
  error?: string;
}

export interface ApplyReport {
  nodes: NodeReport[];
  clusters: ClusterReport[];
  ok: boolean;
}

export interface ApplyEvents {
  node?(node: string, state: string): void;
  cluster?(cluster: string, state: string): void;
}

export interface ApplyHooks {
  /**
   * Called after the live CIB was read and the patch computed, just before it is pushed: tests
   * inject a concurrent change here. Not reachable from the CLI.
   */
  beforePush?(cluster: string, node: string, attempt: number): Promise<void>;
}

export interface ExecuteOptions {
  transport: Transport;
  plan: Plan;
  payload: Payload;
  secrets: SecretStore;
  concurrency: number;
  /** How many times a refused CIB push is re-read and retried, with backoff (default 8). */
  maxCibAttempts?: number;
  /** How long a rolling restart waits for a node to be back online (default 180 s). */
  onlineTimeoutMs?: number;
  events?: ApplyEvents;
  hooks?: ApplyHooks;
  /** Waits between polls (injectable so the library never owns a clock it cannot be given). */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source for retry backoff, in [0, 1) (default Math.random). */
  random?: () => number;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Exponential backoff (250 ms doubling, at most 8 s) with jitter: half fixed, half random. */
export function backoffMs(attempt: number, random: () => number): number {
  const base = Math.min(8000, 250 * 2 ** (attempt - 1));
  return Math.round(base / 2 + (base / 2) * random());
}

function message(e: unknown, secrets: SecretStore): string {
  const text = e instanceof RemoteError ? `${e.diagnostic.code}: ${e.diagnostic.message}` : e instanceof Error ? e.message : String(e);
  return maskSecrets(text, secrets);
}

/** A node's work stopped part way: what was done before the failure still counts in the report. */
class PartialNodeError extends Error {
  constructor(
    readonly cause: unknown,
    readonly done: NodeReport,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function applyNode(o: ExecuteOptions, node: string): Promise<NodeReport> {
  const report: NodeReport = { node, filesChanged: 0, actions: [], result: 'unchanged' };
  try {
    return await applyNodeSteps(o, node, report);
  } catch (e) {
    throw new PartialNodeError(e, report);
  }
}

async function applyNodeSteps(o: ExecuteOptions, node: string, report: NodeReport): Promise<NodeReport> {
  const t = o.transport;
  const files = o.plan.files.filter((f) => f.node === node && f.change !== 'unchanged');
  for (const f of files) {
    o.events?.node?.(node, `writing ${f.path}`);
    const content = o.payload.content.get(fileKey(node, f.path));
    if (!content) throw new Error(`no content planned for ${node}:${f.path}`);
    try {
      await writeRemoteFile(t, node, { path: f.path, owner: f.owner, group: f.group, mode: f.mode, content, was: f.was });
    } catch (e) {
      if (e instanceof RemoteCommandError && e.result.exitCode === CHANGED_SINCE_PLAN) {
        throw new Error(`${node}:${f.path} changed on the node after the plan was made; it was left as it is (run apply again to see the new plan)`);
      }
      throw e;
    }
    report.filesChanged++;
  }
  // Before any restart: a unit init would start beside Pacemaker is off first.
  for (const u of o.plan.units.filter((x) => x.node === node)) {
    for (const step of u.steps) {
      o.events?.node?.(node, `${step} ${u.unit}`);
      await changeUnit(t, node, step, u.unit);
      report.actions.push(`${step} ${u.unit}`);
    }
  }
  for (const a of o.plan.nodeActions.filter((x) => x.node === node)) {
    o.events?.node?.(node, `${a.kind} ${a.target}`);
    if (a.kind === 'mount') await mountAction(t, node, a.target);
    else await serviceAction(t, node, a.kind, a.target);
    report.actions.push(`${a.kind} ${a.target}`);
  }
  if (report.filesChanged || report.actions.length) report.result = 'changed';
  return report;
}

/** Waits until `node` sees the whole cluster again (quorum, a DC, every member online). */
async function waitWhole(o: ExecuteOptions, node: string, members: readonly string[], kind: 'rolling' | 'full'): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  const deadline = (o.onlineTimeoutMs ?? 180_000) / 500;
  let why = 'no answer';
  for (let i = 0; i < deadline; i++) {
    const r = await clusterWhole(o.transport, node, members).catch((e: unknown) => ({ ok: false, why: (e as Error).message }));
    if (r.ok) return;
    why = r.why;
    await sleep(500);
  }
  const after = kind === 'rolling' ? 'the rolling restart stopped there' : 'every member was restarted; the cluster may be split';
  throw new Error(`the cluster did not become whole after corosync was restarted (${why}); ${after}`);
}

async function corosyncPhase(o: ExecuteOptions, report: ClusterReport, cluster: string): Promise<void> {
  const a = o.plan.corosync.find((c) => c.cluster === cluster);
  if (!a) return;
  const members = a.members;
  if (a.kind === 'reload') {
    o.events?.cluster?.(cluster, 'corosync-cfgtool -R');
    await corosyncReload(o.transport, a.nodes[0]!);
    report.corosync = 'reloaded';
    return;
  }
  if (a.kind === 'full-restart') {
    o.events?.cluster?.(cluster, `restarting corosync on ${a.nodes.join(', ')} at once`);
    report.corosync = `full restart of ${a.nodes.join(', ')} failed`;
    await Promise.all(a.nodes.map((node) => serviceAction(o.transport, node, 'restart', 'corosync')));
    await Promise.all(a.nodes.map((node) => waitWhole(o, node, members, 'full')));
    report.corosync = `restarted together on ${a.nodes.join(', ')}`;
    return;
  }
  for (const node of a.nodes) {
    o.events?.cluster?.(cluster, `restarting corosync on ${node}`);
    report.corosync = `rolling restart failed at ${node}`;
    await serviceAction(o.transport, node, 'restart', 'corosync');
    await waitWhole(o, node, members, 'rolling');
  }
  report.corosync = `restarted one by one on ${a.nodes.join(', ')}`;
}

/**
 * A restart through Pacemaker after a file change. A clone is restarted one node at a time, each
 * instance running again before the next is stopped, so the clone never stops everywhere at once.
 */
async function restartPhase(o: ExecuteOptions, cluster: string, via: string, resource: string): Promise<void> {
  const where = await locateResource(o.transport, via, resource);
  // Running nowhere (made by this very push and not started yet, or stopped by an operator): it
  // reads its new files when it starts, and an operator's stop stays (crm_resource --restart
  // refuses such a resource anyway).
  if (!where.length) {
    o.events?.cluster?.(cluster, `${resource} runs nowhere: nothing to restart`);
    return;
  }
  if (!inClone(o.payload.cib.get(cluster)?.compiled, resource)) {
    o.events?.cluster?.(cluster, `restarting ${resource}`);
    await restartResource(o.transport, via, resource);
    return;
  }
  for (const node of where) {
    o.events?.cluster?.(cluster, `restarting ${resource} on ${node}`);
    await restartResourceOn(o.transport, via, resource, node);
    // crm_resource returns once the cluster settled; the instance must also be running again.
    await waitInstance(o, via, resource, node);
  }
}

/**
 * A broker account, last: after the CIB push (which may have created or moved the broker) and the
 * restarts. The script reads the account again and takes only the steps still needed, so a broker
 * that moved since the plan, or an account someone made meanwhile, is handled the same way.
 */
async function brokerPhase(o: ExecuteOptions, report: ClusterReport, b: BrokerAction): Promise<void> {
  if (!brokerPending(o.plan, b) && b.state !== 'down') return;
  const want = o.payload.brokers?.get(`${b.cluster}\u0000${b.resource}`);
  if (!want) throw new Error(`no password for RabbitMQ user ${b.user} of ${b.service} in this run`);
  const sleep = o.sleep ?? defaultSleep;
  const tries = (o.onlineTimeoutMs ?? 180_000) / 500;
  let why = `${b.resource} runs nowhere`;
  for (let i = 0; i < tries; i++) {
    const settled = await waitSettled(o.transport, report.node);
    // An unsettled cluster took crm_resource --wait's 30 s: that counts as 60 tries.
    if (!settled) i += 59;
    const where = settled ? await locateResource(o.transport, report.node, b.resource) : [];
    const node = where.find((n) => o.plan.nodes.includes(n)) ?? where[0];
    if (node) {
      o.events?.cluster?.(b.cluster, `RabbitMQ user ${b.user} on ${node}`);
      const r = await reconcileBroker(o.transport, node, want.request, want.password);
      if (r.state === 'running') {
        (report.brokers ??= []).push(`${b.service} on ${node}: ${r.did.length ? r.did.join(', ') : 'nothing to do'}`);
        return;
      }
      if (r.state === 'no-ctl' || r.state === 'old-cli') throw new Error(`RabbitMQ user ${b.user} on ${node}: ${r.state === 'no-ctl' ? 'no rabbitmqctl on the node' : 'rabbitmqctl before 3.7 takes the password only on its command line'}; make the user by hand`);
      why = `rabbitmqctl on ${node} gets no answer from the broker`;
    }
    await sleep(500);
  }
  throw new Error(`RabbitMQ user ${b.user} was not made: ${why}; run apply again once ${b.resource} runs`);
}

/** The live CIB as hactl last read it, and the objects the operator approved changing. */
interface CibState {
  liveText: string;
  live: XmlElement;
  approved: Set<string>;
}

/**
 * The CIB phase of one cluster. Clones whose restart is rolled out (see rolling.ts) are pushed in
 * stages, one node more each, every stage waited for until its instance runs again; then the
 * compiled CIB itself.
 */
async function cibPhase(o: ExecuteOptions, report: ClusterReport, action: CibAction): Promise<void> {
  const cluster = action.cluster;
  const first = o.payload.cib.get(cluster);
  if (!first) throw new Error(`no CIB read for cluster ${cluster}`);
  // The objects the operator approved changing: those of the plan's diff.
  const state: CibState = { liveText: first.liveText, live: first.live, approved: touchedObjects(diffOrThrow(first.compiled, first.live)) };
  report.from = formatVersion(versionOf(first.live));
  const rolling = (o.plan.impact.find((i) => i.cluster === cluster)?.resources ?? []).filter((r) => r.rolling);
  const done = new Map<string, string[]>(rolling.map((r) => [r.resource, []]));
  const steps = rolling.flatMap((r) => r.nodes.map((node) => ({ resource: r.resource, node })));
  // The last step is the compiled CIB's own push.
  for (const step of steps.slice(0, -1)) {
    done.get(step.resource)!.push(step.node);
    o.events?.cluster?.(cluster, `restarting ${step.resource} on ${step.node} (one node at a time)`);
    if (!(await pushLoop(o, report, action, state, (c) => stagedCandidate(c, state.live, done)))) return;
    await waitInstance(o, action.node, step.resource, step.node);
  }
  const last = steps[steps.length - 1];
  if (last) o.events?.cluster?.(cluster, `restarting ${last.resource} on ${last.node} (one node at a time)`);
  if ((await pushLoop(o, report, action, state)) && last) await waitInstance(o, action.node, last.resource, last.node);
}

/** Waits until the cluster settled and `resource` runs on `node` again. */
async function waitInstance(o: ExecuteOptions, via: string, resource: string, node: string): Promise<void> {
  const sleep = o.sleep ?? defaultSleep;
  const tries = (o.onlineTimeoutMs ?? 180_000) / 500;
  for (let i = 0; i < tries; i++) {
    if ((await waitSettled(o.transport, via)) && (await locateResource(o.transport, via, resource)).includes(node)) return;
    await sleep(500);
  }
  throw new Error(`${resource} did not run again on ${node} after its restart; the instances on the other nodes were left as they were`);
}

/**
 * One push of the CIB (the compiled one, or a stage of it): read, patch, retry on a refusal
 * that touches nothing hactl changes. False when there was nothing to push (someone else brought
 * the cluster to the compiled state meanwhile).
 */
async function pushLoop(o: ExecuteOptions, report: ClusterReport, action: CibAction, state: CibState, stage?: (candidate: XmlElement) => XmlElement): Promise<boolean> {
  const t = o.transport;
  const cluster = action.cluster;
  const node = action.node;
  const compiled = o.payload.cib.get(cluster)!.compiled;
  const max = o.maxCibAttempts ?? 8;
  for (let attempt = 1; attempt <= max; attempt++) {
    report.attempts = attempt;
    const diff = diffOrThrow(compiled, state.live);
    if (!diff.drift && !recordDiffers(state.live, compiled)) {
      // Someone else brought the cluster to the compiled state in the meantime.
      report.cib = report.cib === 'pushed' ? 'pushed' : 'unchanged';
      return false;
    }
    // Never change an object hactl did not make unless the operator said to adopt it (checked on
    // every read: one may have been made by hand since the plan).
    const { foreign } = adoptions(diff, state.live, compiled);
    if (foreign.length && !action.adoptForeign) throw new ForeignError(cluster, foreign);
    const candidate = buildCandidate(state.live, compiled, hactlOwnership(state.live), touchedObjects(diff));
    // The candidate must be exactly what the topology says for everything hactl manages.
    const check = diffOrThrow(compiled, candidate);
    if (check.drift) throw new Error(`internal: the candidate CIB for ${cluster} still differs from the compiled one (${check.changes.filter((c) => c.managed).map((c) => c.id).join(', ')})`);
    await o.hooks?.beforePush?.(cluster, node, attempt);
    o.events?.cluster?.(cluster, `pushing the CIB${stage ? ' (a stage)' : ''} (patch on version ${formatVersion(versionOf(state.live))}, attempt ${attempt})`);
    const out = await pushPatch(t, node, state.liveText, stage ? stage(candidate) : candidate);
    if (out.kind === 'pushed' || out.kind === 'unchanged') {
      report.cib = out.kind === 'unchanged' && report.cib === 'pushed' ? 'pushed' : out.kind;
      state.liveText = await queryCib(t, node);
      state.live = parseLive(state.liveText, node);
      report.to = formatVersion(versionOf(state.live));
      return true;
    }
    if (out.kind === 'invalid') throw new Error(`crm_verify rejected the CIB hactl would push to ${cluster}; nothing was pushed:\n${maskSecrets(out.detail, o.secrets)}`);
    if (out.kind === 'failed') throw new Error(`cibadmin --patch on ${node} failed with exit code ${out.code}: ${maskSecrets(out.detail, o.secrets)}`);
    // Refused: the CIB moved on since the read. Re-read; if someone changed what hactl is
    // changing, stop rather than overwrite it.
    o.events?.cluster?.(cluster, `the CIB changed since it was read (${out.detail.split('\n')[0]}); reading it again`);
    const nextText = await queryCib(t, node);
    const next = parseLive(nextText, node);
    const changed = changedBetween(state.live, next);
    // A concurrently changed object clashes when hactl was going to change it, or would now
    // change it back (it became drift through that change).
    const wouldTouch = touchedObjects(diffOrThrow(compiled, next));
    const clash = [...changed].filter((k) => state.approved.has(k) || wouldTouch.has(k));
    if (clash.length) {
      report.cib = 'conflict';
      throw new ConflictError(cluster, clash.map((k) => k.replace('|', ' ')).sort());
    }
    state.liveText = nextText;
    state.live = next;
    // Back off with jitter before the next attempt: a CIB busy with someone else's changes (or
    // two applies racing) settles sooner when pushers do not retry in lock step.
    await (o.sleep ?? defaultSleep)(backoffMs(attempt, o.random ?? Math.random));
  }
  throw new Error(`the CIB of ${cluster} kept changing: the push was refused ${max} times; nothing was pushed`);
}

function diffOrThrow(compiled: XmlElement, live: XmlElement) {
  const r = diffCibs(compiled, live, hactlOwnership(live));
  if (!r.ok) throw new Error(`cannot compare CIBs: ${r.message}`);
  return r.diff;
}

/** Objects with the topology's ids that hactl did not make and that differ: left alone. */
export class ForeignError extends Error {
  constructor(
    readonly cluster: string,
    readonly objects: string[],
  ) {
    super(
      `cluster ${cluster} has ${objects.join(', ')} with ids the topology uses, not recorded as hactl's and different from the compiled ones; hactl pushed nothing. Rename them in the topology, or take them over with apply --adopt (the plan shows what changes).`,
    );
  }
}

/** Someone changed, between hactl's read and its push, objects hactl was about to change. */
export class ConflictError extends Error {
  constructor(
    readonly cluster: string,
    readonly objects: string[],
  ) {
    super(
      `conflict in cluster ${cluster}: ${objects.join(', ')} changed on the cluster after hactl read the CIB; hactl pushed nothing, so that change stands. Review it (hactl diff), then run apply again.`,
    );
  }
}

export async function executePlan(o: ExecuteOptions): Promise<ApplyReport> {
  const nodes = o.plan.nodes;
  const settled = await runBounded(nodes, o.concurrency, async (node) => {
    o.events?.node?.(node, 'applying');
    const r = await applyNode(o, node);
    o.events?.node?.(node, r.result === 'changed' ? 'done' : 'unchanged');
    return r;
  });
  const nodeReports: NodeReport[] = settled.map((s, i) => {
    const node = nodes[i]!;
    if (s.status === 'ok') return s.value;
    if (s.status === 'failed') {
      const partial = s.error instanceof PartialNodeError ? s.error : undefined;
      const error = message(partial ? partial.cause : s.error, o.secrets);
      o.events?.node?.(node, `failed: ${error}`);
      return { node, filesChanged: partial?.done.filesChanged ?? 0, actions: partial?.done.actions ?? [], result: 'failed', error };
    }
    o.events?.node?.(node, 'skipped');
    return { node, filesChanged: 0, actions: [], result: 'skipped' };
  });
  let ok = nodeReports.every((r) => r.result === 'changed' || r.result === 'unchanged');

  const clusters = [...new Set([...o.plan.cib.map((c) => c.cluster), ...o.plan.corosync.map((c) => c.cluster), ...o.plan.resources.map((r) => r.cluster)])].sort();
  const clusterReports: ClusterReport[] = [];
  for (const cluster of clusters) {
    const action = o.plan.cib.find((c) => c.cluster === cluster);
    const report: ClusterReport = { cluster, node: action?.node ?? o.plan.corosync.find((c) => c.cluster === cluster)?.nodes[0] ?? '', cib: action ? (action.drift ? 'skipped' : 'none') : 'none', attempts: 0 };
    clusterReports.push(report);
    if (!ok) {
      // A corosync change that was written to some nodes but not restarted is the dangerous half
      // of an apply: say so, the next apply restarts what needs it.
      if (o.plan.corosync.some((c) => c.cluster === cluster)) report.corosync = 'not restarted (a node failed): run apply again';
      continue;
    }
    try {
      await corosyncPhase(o, report, cluster);
      if (action?.drift) await cibPhase(o, report, action);
      for (const r of o.plan.resources.filter((x) => x.cluster === cluster)) await restartPhase(o, cluster, report.node, r.resource);
      for (const b of (o.plan.brokers ?? []).filter((x) => x.cluster === cluster)) await brokerPhase(o, report, b);
      o.events?.cluster?.(cluster, 'done');
    } catch (e) {
      ok = false;
      if (report.cib !== 'conflict') report.cib = action?.drift && report.cib === 'skipped' ? 'failed' : report.cib;
      report.error = message(e, o.secrets);
      o.events?.cluster?.(cluster, `failed: ${report.error}`);
    }
  }
  return { nodes: nodeReports, clusters: clusterReports, ok };
}
