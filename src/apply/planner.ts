/**
 * Making the plan: read each selected node's files (checksums first, content only where it
 * differs), read each cluster's live CIB from one node, and compare with what the topology
 * compiles to. Reads only: nothing on a node changes here (the probe removes nothing but the temp
 * files of writers that died). A plan that cannot be made is a HactlError: exit 2 when the
 * request itself is wrong, 3 when a node's state stands in the way.
 */
import type { ChangeAction } from '../compile/artifact.js';
import { primitiveId } from '../compile/pacemaker/ids.js';
import { invalidInput, remoteFailure } from '../errors.js';
import { diffCibs, formatDiff, hactlOwnership, isSecretName, MASK } from '../diff/index.js';
import { sameAssignments } from '../formats/assignments.js';
import { probeFiles, readRemoteFile, sha256, normMode, type RemoteFileState } from '../remote/files.js';
import { queryCib, type Transport } from '../remote/ssh.js';
import { corosyncKeyAge, locateResource } from '../remote/actions.js';
import { brokerSteps, probeBroker } from '../remote/broker.js';
import type { XmlElement } from '../xml/tree.js';
import { probeUnits, unitSteps } from '../remote/units.js';
import type { Topology } from '../model/types.js';
import { isText, maskLabel, maskSecrets, type SecretStore } from '../secrets/index.js';
import { parseXml } from '../xml/parse.js';
import { blockOf, spliceBlock } from './block.js';
import { adoptions, buildCandidate, recordDiffers, versionOf } from './cib.js';
import { simulateImpact } from './impact.js';
import { canRoll } from './rolling.js';
import { classifyCorosyncChange, worse, type CorosyncKind } from './corosync.js';
import type { Desired, DesiredFile } from './desired.js';
import { unifiedDiff } from './linediff.js';
import { compareOnNode, maskedText } from './secret-compare.js';
import { qdeviceCertSteps, signedCertOf } from './qdevice.js';
import { readSbdDisks, sbdCreateCommand } from './sbd.js';
import { fileKey, type BrokerAction, type CibAction, type CorosyncAction, type FileAction, type NodeAction, type Payload, type Plan, type ResourceAction, type UnitAction } from './plan.js';
import { runBounded } from '../util/pool.js';
import { compareStrings } from '../util/compare.js';

export const COROSYNC_CONF = '/etc/corosync/corosync.conf';
export const AUTHKEY = '/etc/corosync/authkey';

export interface PlanEvents {
  node?(node: string, state: string): void;
}

interface NodeFiles {
  actions: FileAction[];
  content: Map<string, Buffer>;
  /** Old and new text of corosync.conf when it changes (for classification). */
  corosync?: { old: string | undefined; new: string };
  /** corosync on this node runs with an older key than the one on its disk. */
  staleKey?: boolean;
  units: UnitAction[];
}

/** The key of a `key = value` / `key: value` line (INI, YAML-ish, corosync), or undefined. */
function keyOf(line: string): string | undefined {
  return /^\s*([A-Za-z0-9_.-]+)\s*[=:]/.exec(line)?.[1];
}

/**
 * The node's current text of a file that holds secrets, safe to print. Its values may be older
 * than the ones resolved now (a rotated password) and may sit in it encoded (a percent-encoded
 * password in a database URL), so masking known values is not enough. In order:
 *   1. every form (raw, url, oslo) of every resolved value is masked;
 *   2. a line that matches a template line with a secret reference becomes that template line;
 *   3. a line whose key is the key of a template line with a secret reference is not shown at all,
 *      whatever else changed on it (the old value, encoded or not, sits somewhere in it);
 *   4. a line whose key names a secret has its value masked (the diff's own rule), and a password
 *      inside a URL (`scheme://user:PASSWORD@`) is masked in any line.
 */
function maskOld(old: string, template: string, secrets: SecretStore): string {
  const withRefs = template.split('\n').filter((l) => l.includes('<secret:'));
  // A template line with references, as a pattern: its literal parts must match, each reference
  // matches anything. An old line that matches is, once masked, that template line itself.
  const patterns = withRefs.map((l) => ({
    line: l,
    re: new RegExp(`^${l.split(/<secret:[a-z0-9-]+>/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')}$`),
  }));
  const secretKeys = new Map<string, string[]>();
  for (const l of withRefs) {
    const k = keyOf(l);
    if (k !== undefined) secretKeys.set(k, [...l.matchAll(/<secret:([a-z0-9-]+)>/g)].map((m) => m[1]!));
  }
  return maskSecrets(old, secrets)
    .split('\n')
    .map((line) => {
      const hit = patterns.find((p) => p.re.test(line));
      if (hit) return hit.line;
      const key = keyOf(line);
      const names = key === undefined ? undefined : secretKeys.get(key);
      if (names) return `${line.slice(0, line.search(/[=:]/) + 1)} (holds ${[...new Set(names)].map(maskLabel).join(', ')}; old line not shown)`;
      const kv = /^(\s*([A-Za-z0-9_.-]+)\s*[=:]\s*)(.+)$/.exec(line);
      if (kv && isSecretName(kv[2]!)) return `${kv[1]}${MASK}`;
      return line.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*(@)/gi, `$1${MASK}$2`);
    })
    .join('\n');
}

function describeBinary(secret: boolean, old: Buffer | undefined, next: Buffer): string[] {
  if (secret) return [old ? '(secret content changed; not shown)' : '(secret content; not shown)'];
  return [`(binary content: ${old ? `${old.length} -> ` : ''}${next.length} bytes)`];
}

async function planNodeFiles(t: Transport, node: string, files: DesiredFile[], secrets: SecretStore): Promise<NodeFiles> {
  const states = await probeFiles(t, node, files.map((f) => f.path));
  const out: NodeFiles = { actions: [], content: new Map(), units: [] };
  for (const f of files) {
    const st: RemoteFileState = states.get(f.path)!;
    if (st.kind === 'other') throw remoteFailure('HA5510', { node, path: f.path });
    const exists = st.kind === 'file';
    // A file holding secrets hactl writes from a template is compared on the node, value by value
    // (secret-compare.ts): neither the node's secret values nor hactl's travel.
    const onNode = f.secrets.length > 0 && f.display !== undefined && f.install === 'file';
    const unverified = f.unavailable?.length ? f.unavailable : undefined;
    let old: Buffer | undefined;
    let next = f.content;
    if (f.install === 'block') {
      old = exists ? await readRemoteFile(t, node, f.path) : undefined;
      if (old && !isText(old)) throw remoteFailure('HA5511', { node, path: f.path });
      next = Buffer.from(spliceBlock(old?.toString('utf8'), f.content.toString('utf8')), 'utf8');
    }
    const nextSum = sha256(next);
    const differs: string[] = [];
    // Without the secret values, the content is known only where it holds none: compared below.
    if (!exists || (!unverified && st.sha256 !== nextSum)) differs.push('content');
    if (f.install === 'assignments' && exists && differs.includes('content')) {
      old = await readRemoteFile(t, node, f.path);
      if (isText(old) && sameAssignments(old.toString('utf8'), next.toString('utf8'))) differs.splice(differs.indexOf('content'), 1);
    }
    if (exists) {
      if (st.owner !== f.owner) differs.push('owner');
      if (st.group !== f.group) differs.push('group');
      if (st.mode !== normMode(f.mode)) differs.push('mode');
    }
    const action: FileAction = {
      node,
      path: f.path,
      change: 'unchanged',
      differs,
      owner: f.owner,
      group: f.group,
      mode: normMode(f.mode),
      install: f.install,
      diff: [],
      onChange: f.onChange,
      sha256: nextSum,
    };
    if (unverified) action.unverified = unverified;
    if (exists) action.was = st.sha256;
    if (onNode && exists && (differs.includes('content') || unverified)) {
      const cmp = await compareOnNode(t, node, f.path, f.display!, unverified ? undefined : next);
      const d = unifiedDiff(maskOld(maskedText(cmp, f.display!), f.display!, secrets), f.display!);
      if (d.length) {
        if (!differs.includes('content')) differs.unshift('content');
        action.diff = d;
      } else if (!unverified) {
        action.secretOnly = true;
        action.diff = ['(only secret values changed; not shown)'];
      }
    } else if (differs.includes('content')) {
      if (exists && old === undefined && !unverified && f.display !== undefined) old = await readRemoteFile(t, node, f.path);
      const wholeSecret = f.display === undefined;
      if (unverified && wholeSecret) action.diff = ['(secret content; its value is not available to this run)'];
      else if (wholeSecret) {
        action.diff = describeBinary(true, exists ? Buffer.alloc(0) : undefined, next);
        if (exists) action.secretOnly = true;
      } else if (!isText(next) || (old !== undefined && !isText(old))) action.diff = describeBinary(false, old, next);
      else {
        const oldText = f.install === 'block' ? (blockOf(old?.toString('utf8')) ?? '') : (old?.toString('utf8') ?? '');
        const newText = f.install === 'block' ? f.content.toString('utf8') : next.toString('utf8');
        // The new side of a file with secrets is its display form: references as labels, which
        // also covers encoded values (a percent-encoded password in a URL).
        action.diff = f.secrets.length ? unifiedDiff(maskOld(oldText, f.display!, secrets), f.display!) : unifiedDiff(oldText, newText);
      }
      if (f.path === COROSYNC_CONF) out.corosync = { old: old?.toString('utf8'), new: next.toString('utf8') };
    }
    action.change = !exists ? 'create' : differs.length ? 'update' : 'unchanged';
    if (exists) {
      if (st.owner !== f.owner || st.group !== f.group) action.diff.push(`owner ${st.owner}:${st.group} -> ${f.owner}:${f.group}`);
      if (st.mode !== normMode(f.mode)) action.diff.push(`mode ${st.mode} -> ${normMode(f.mode)}`);
    }
    out.actions.push(action);
    if (action.change !== 'unchanged' && !unverified) out.content.set(fileKey(node, f.path), next);
  }
  return out;
}

function flatten(a: ChangeAction): ChangeAction[] {
  return a.kind === 'all' ? a.actions.flatMap(flatten) : [a];
}

export interface PlanRequest {
  topology: Topology;
  desired: Desired;
  /** Selected nodes, sorted. */
  nodes: string[];
  transport: Transport;
  concurrency: number;
  events?: PlanEvents;
  /** Take over objects with the topology's ids that hactl did not record as its own (apply --adopt). */
  adoptForeign?: boolean;
}

/** Reads the live CIB of `cluster` from `node` and compares it with the compiled one. */
export async function planCib(t: Transport, cluster: string, node: string, compiled: Desired['cibs'] extends Map<string, infer X> ? X : never, topologyFile: string, adoptForeign = false): Promise<{ action: CibAction; liveText: string; live: ReturnType<typeof parseLive> }> {
  const liveText = await queryCib(t, node);
  const live = parseLive(liveText, node);
  const r = diffCibs(compiled, live, hactlOwnership(live));
  if (!r.ok) throw remoteFailure('HA5512', { node, detail: r.message });
  const lines = formatDiff(r.diff, { from: `compiled ${topologyFile}, cluster ${cluster}`, live: `live CIB of ${node}` });
  const { adopt, foreign } = adoptions(r.diff, live, compiled);
  const drift = r.diff.drift || recordDiffers(live, compiled);
  return { action: { cluster, node, base: versionOf(live), drift, lines, counts: r.diff.counts, adopt, foreign, adoptForeign }, liveText, live };
}

export function parseLive(text: string, node: string) {
  const p = parseXml(text);
  if (!p.ok) throw remoteFailure('HA5513', { node, detail: p.error.message });
  return p.root;
}

export async function makePlan(req: PlanRequest): Promise<{ plan: Plan; payload: Payload }> {
  const { topology, desired, nodes, transport: t } = req;
  const payload: Payload = { content: new Map(), cib: new Map() };
  const perNode = await runBounded(nodes, req.concurrency, async (node) => {
    req.events?.node?.(node, 'planning');
    const files = desired.files.filter((f) => f.node === node);
    const r = await planNodeFiles(t, node, files, desired.secrets);
    // The key on disk may be newer than the one corosync runs with (a rotation that was written
    // but never restarted): a plan from file differences alone would miss that member.
    if (files.some((f) => f.path === AUTHKEY)) r.staleKey = (await corosyncKeyAge(t, node)) === 'stale';
    const units = (desired.units ?? []).filter((u) => u.node === node);
    const probes = await probeUnits(t, node, units.map((u) => u.unit));
    for (const u of units) {
      const p = probes.get(u.unit)!;
      const { steps, reaches } = unitSteps(p, u.state);
      r.units.push({ node, unit: u.unit, init: p.init, was: p.state, want: u.state, reaches, steps, services: u.services });
    }
    req.events?.node?.(node, 'planned');
    return r;
  });
  const failed = perNode.find((r) => r.status === 'failed');
  if (failed && failed.status === 'failed') throw failed.error;

  const plan: Plan = { topology: topology.name, nodes, files: [], nodeActions: [], units: [], corosync: [], cib: [], resources: [], impact: [] };
  const corosyncByCluster = new Map<string, { kind: CorosyncKind; nodes: Set<string>; reasons: string[] }>();
  const nodeActions = new Map<string, NodeAction>();
  const resources = new Map<string, ResourceAction>();
  perNode.forEach((r, i) => {
    if (r.status !== 'ok') return;
    const node = nodes[i]!;
    plan.files.push(...r.value.actions);
    plan.units.push(...r.value.units);
    for (const [k, v] of r.value.content) payload.content.set(k, v);
    const cluster = topology.nodes[node]?.cluster;
    if (r.value.staleKey && cluster) {
      const c = corosyncByCluster.get(cluster) ?? { kind: 'full-restart' as CorosyncKind, nodes: new Set<string>(), reasons: [] };
      corosyncByCluster.set(cluster, c);
      c.kind = 'full-restart';
      c.nodes.add(node);
      c.reasons.push(`${node}: corosync runs with an older key than ${AUTHKEY} (written after corosync started): every member must restart at once`);
    }
    for (const f of r.value.actions) {
      if (!f.differs.includes('content')) continue;
      for (const a of flatten(f.onChange)) {
        if (a.kind === 'none') continue;
        if (a.kind === 'corosync-reload' || a.kind === 'corosync-restart') {
          if (!cluster) continue;
          const c = corosyncByCluster.get(cluster) ?? { kind: 'reload' as CorosyncKind, nodes: new Set<string>(), reasons: [] };
          corosyncByCluster.set(cluster, c);
          c.nodes.add(node);
          if (a.kind === 'corosync-restart') {
            // A new authkey cannot be rolled out member by member: a member restarted with it
            // no longer understands the others.
            const full = f.path === AUTHKEY;
            c.kind = worse(c.kind, full ? 'full-restart' : 'rolling-restart');
            c.reasons.push(`${node}: ${f.path} changed (${full ? 'every member must change at once: full restart' : 'read at start only: rolling restart'})`);
          } else {
            const cls = f.path === COROSYNC_CONF && r.value.corosync ? classifyCorosyncChange(r.value.corosync.old, r.value.corosync.new) : { kind: 'rolling-restart' as const, reasons: [`${f.path} changed`] };
            c.kind = worse(c.kind, cls.kind);
            for (const why of cls.reasons) c.reasons.push(`${node}: ${why}`);
          }
          continue;
        }
        if ((a.kind === 'reload' || a.kind === 'restart') && a.cluster) {
          const resource = primitiveId(a.service);
          const key = `${a.cluster}\u0000${resource}`;
          const ra = resources.get(key) ?? { cluster: a.cluster, resource, because: [] };
          ra.because.push(`${node}:${f.path}`);
          resources.set(key, ra);
          continue;
        }
        if (a.kind === 'all') continue; // flatten() leaves none
        const kind = a.kind;
        const target = kind === 'mount' ? a.path : a.service;
        // One action per service and node; a restart covers a reload.
        const key = `${node}\u0000${kind === 'reload' || kind === 'restart' ? 'service' : kind}\u0000${target}`;
        const existing = nodeActions.get(key);
        if (existing) {
          if (kind === 'restart') existing.kind = 'restart';
          existing.because.push(f.path);
        } else nodeActions.set(key, { node, kind, target, because: [f.path] });
      }
    }
  });
  plan.nodeActions = [...nodeActions.values()].sort((a, b) => compareStrings(a.node, b.node));
  plan.resources = [...resources.values()];
  for (const [cluster, c] of [...corosyncByCluster].sort((a, b) => compareStrings(a[0], b[0]))) {
    // corosync-cfgtool -R reloads every member, and a changed key or crypto setting must reach
    // every member together: a corosync change is applied to the whole cluster or not at all.
    const members = topology.clusters[cluster]?.nodes ?? [];
    const missing = members.filter((m) => !nodes.includes(m));
    if (missing.length) {
      throw invalidInput('HA5514', { cluster, missing: missing.join(', ') });
    }
    // A full restart is of every member, whichever files changed where: a member left running
    // keeps the old key or crypto settings and would be split from the others.
    const restart = c.kind === 'full-restart' ? members : [...c.nodes];
    const action: CorosyncAction = { cluster, kind: c.kind, nodes: [...restart].sort(), members: [...members].sort(), reasons: c.reasons };
    plan.corosync.push(action);
  }

  // Quorum devices with TLS whose cluster has no certificate signed on the qnetd host yet.
  for (const c of Object.values(topology.clusters)) {
    const q = c.qdevice;
    const steps = qdeviceCertSteps(c);
    if (!q || !steps.length || ![q.host, ...c.nodes].some((n) => nodes.includes(n))) continue;
    req.events?.node?.(q.host, `looking for the certificate of ${c.name}`);
    const signed = await t.exec(q.host, ['test', '-e', signedCertOf(c)]);
    if (signed.exitCode !== 0) (plan.qdevice ??= []).push({ cluster: c.name, host: q.host, steps });
  }

  // SBD disks read on the first selected member: those without the header the cluster's timeouts
  // ask for are listed with the `sbd create` command, which apply leaves to the operator.
  for (const c of Object.values(topology.clusters)) {
    const member = c.sbd?.devices.length && c.fencing.enabled ? c.nodes.find((n) => nodes.includes(n)) : undefined;
    if (!member) continue;
    req.events?.node?.(member, `reading the SBD disks of ${c.name}`);
    const disks = await readSbdDisks(t, member, c);
    const pending = disks.filter((d) => d.state !== 'ready');
    if (pending.length) (plan.sbd ??= []).push({ cluster: c.name, node: member, disks: pending, command: sbdCreateCommand(c, pending.map((d) => d.path)) });
  }

  // One CIB per cluster, read from its first selected member.
  const clusters = [...new Set(nodes.map((n) => topology.nodes[n]?.cluster).filter((c): c is string => !!c))].sort();
  for (const cluster of clusters) {
    const compiled = desired.cibs.get(cluster);
    if (!compiled) continue;
    const node = nodes.find((n) => topology.nodes[n]?.cluster === cluster)!;
    req.events?.node?.(node, `reading the CIB of ${cluster}`);
    const { action, liveText, live } = await planCib(t, cluster, node, compiled, topology.file, req.adoptForeign ?? false);
    plan.cib.push(action);
    payload.cib.set(cluster, { liveText, live, compiled });
    req.events?.node?.(node, `simulating the change of ${cluster}`);
    const impact = await simulateImpact(t, cluster, node, liveText, action.drift ? buildCandidate(live, compiled) : undefined);
    for (const r of impact.resources) if (r.action === 'restart' && r.nodes.length > 1 && canRoll(live, compiled, r.resource)) r.rolling = true;
    plan.impact.push(impact);
    for (const b of (desired.brokers ?? []).filter((x) => x.cluster === cluster)) {
      req.events?.node?.(node, `reading RabbitMQ user ${b.request.user} of ${b.service}`);
      (plan.brokers ??= []).push(await planBroker(t, node, nodes, live, b));
      if (b.password !== undefined) (payload.brokers ??= new Map()).set(`${cluster}\u0000${b.resource}`, { request: b.request, password: b.password });
    }
  }
  return { plan, payload };
}

function hasPrimitive(el: XmlElement, id: string): boolean {
  return (el.name === 'primitive' && el.attrs.id === id) || el.children.some((c) => hasPrimitive(c, id));
}

/**
 * What the broker that runs holds of the account. One broker is enough: the A/P broker's Mnesia
 * moves with it on the shared image, and a RabbitMQ cluster shares its users among its members.
 */
async function planBroker(t: Transport, via: string, selected: readonly string[], live: XmlElement, b: NonNullable<Desired['brokers']>[number]): Promise<BrokerAction> {
  const base = { cluster: b.cluster, service: b.service, resource: b.resource, user: b.request.user, vhost: b.request.vhost, ...(b.password === undefined ? { unverified: true } : {}) };
  // Not in the live CIB yet: this apply's push creates it, and the account is read after it starts.
  const where = hasPrimitive(live, b.resource) ? await locateResource(t, via, b.resource) : [];
  const node = where.find((n) => selected.includes(n)) ?? where[0];
  if (!node) return { ...base, state: 'stopped', steps: [] };
  const probe = await probeBroker(t, node, b.request, b.password);
  return { ...base, node, state: probe.state, steps: brokerSteps(probe) };
}
