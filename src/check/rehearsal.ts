/**
 * Failure rehearsal with Pacemaker's own scheduler: for every cluster, the compiled CIB is settled
 * with every node online (crm_simulate -S -O), then every single node failure, and every pair of
 * failures for clusters of 3 or more members, is simulated on the settled CIB
 * (crm_simulate --node-fail). crm_simulate's XML output (--output-as=xml) is parsed, not its text:
 * `<actions>` lists what the scheduler decided (fence, move, stop, start, recover) and
 * `<revised_cluster_status>` what runs afterwards, with a stable schema (the pacemaker-result API)
 * and no column layout to guess. Pure apart from the temporary directory and the injected runner.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCib } from '../compile/cib/emit.js';
import { paramOf, primitivesOf, type ClusterConfig, type Primitive } from '../compile/pacemaker/model.js';
import { diag, pointerOf, type Diagnostic } from '../diagnostics.js';
import type { Lowered } from '../lower/index.js';
import type { Cluster, Topology } from '../model/types.js';
import { isDiskless, sbdFences } from '../model/sbd.js';
import { parseXml } from '../xml/parse.js';
import { serializeXml } from '../xml/serialize.js';
import { child, el, type XmlElement } from '../xml/tree.js';
import { arbiterOf, combinations, keptAlive, majorityKept, possibleNodes, quorate, quorumTolerance } from './model.js';
import { HA_NEEDS } from '../catalog/ha-needs.js';
import { HactlError, remoteFailure } from '../errors.js';
import { runBounded, valuesOrThrow } from '../util/pool.js';
import type { Runner, RunResult } from './runner.js';
import { compiledOutput, type CompiledOutput } from './services.js';
import { nodeFilePath } from '../compile/files/index.js';
import { compareStrings } from '../util/compare.js';
import { stonithId, vipId } from '../compile/pacemaker/ids.js';
import { INSTANCE_HA } from '../catalog/instance-ha.js';

export interface Action {
  /** A resource's action (rsc_action), a node's (node_action: fencing), or another (pseudo) one. */
  kind: 'resource' | 'node' | 'other';
  /** start, stop, move, recover, restart, promote, demote, migrate, … as crm_simulate names them. */
  action: string;
  resource: string;
  node?: string;
  from?: string;
  to?: string;
  reason?: string;
  /** The instance's role before the action and the one it takes (a promotable clone's instances). */
  role?: string;
  nextRole?: string;
  blocked: boolean;
}

export interface FenceCheck {
  node: string;
  /** The scheduler scheduled fencing of the node. */
  required: boolean;
  /** A stonith device that targets the node runs on a surviving node afterwards. */
  possible: boolean;
  devices: string[];
}

export interface RoleChange {
  service: string;
  before: string[];
  after: string[];
}

export interface ServiceState {
  service: string;
  up: boolean;
  /** Nodes running the service's resources afterwards. */
  nodes: string[];
  /** Its resources that run nowhere afterwards (a promotable clone with no promoted instance counts). */
  stopped: string[];
  /** Of a promotable service: the nodes its promoted instances run on. */
  promoted?: string[];
}

export interface Scenario {
  failed: string[];
  quorum: boolean;
  /** Whether the cluster's quorum is meant to survive this many failures (findings only then). */
  survivable: boolean;
  fencing: FenceCheck[];
  moved: { resource: string; from: string; to: string }[];
  stopped: { resource: string; node: string; reason?: string; blocked: boolean }[];
  started: { resource: string; node: string }[];
  recovered: { resource: string; node: string }[];
  /** Instances of promotable clones promoted on a survivor (a new primary). */
  promoted: { resource: string; node: string }[];
  /**
   * Promoted instances that lose the role: demoted in place (`demote`), or stopped while
   * promoted (`stop`: on a failed node, or moving away).
   */
  demoted: { resource: string; node: string; how: 'demote' | 'stop' }[];
  /**
   * Per promotable service whose promoted instances change, where they were (settled) and where
   * they are afterwards: the primary that moves (ovn-dbs), the member that drops out (galera).
   */
  roles: RoleChange[];
  /** Restarted in place (stopped and started again where it runs, e.g. after a multiple-active probe). */
  restarted: { resource: string; node: string }[];
  /** Every node the scheduler fences in this scenario. */
  fenced: string[];
  /**
   * The fencing levels of each fenced node that has any (the fencer tries them in order; a level
   * succeeds when each of its devices does): crm_simulate fences without running them.
   */
  levels?: { node: string; levels: string[][] }[];
  /**
   * Instance HA: fenced compute nodes whose levels end with fence_compute (nova was told and the
   * node recorded for evacuation), and where NovaEvacuate, which asks nova to evacuate them, runs
   * afterwards (none: the evacuation waits).
   */
  evacuation?: { nodes: string[]; by: string; on: string[] };
  /**
   * A single failed member coming back (its node online again, its agents' scores set): the
   * promoted instances that change (Galera's member rejoins promoted, after its IST/SST in
   * promote) and the services not running afterwards. Only for clusters with promotable services.
   */
  rejoin?: { node: string; roles: RoleChange[]; stopped: string[] };
  /**
   * Services with a quorum of their own (Galera's primary component) that lost a vote: the votes
   * left (members running it, its arbiter if up) of all. Pacemaker does not see that quorum, so
   * crm_simulate keeps such a service promoted on a minority: without a majority it is counted
   * down here (`up` false in `services`).
   */
  primary?: PrimaryComponent[];
  services: ServiceState[];
}

export interface PrimaryComponent {
  service: string;
  /** Who still votes: the members running it, and `garbd on NODE` for an arbiter that is up. */
  voters: string[];
  votes: number;
  of: number;
  kept: boolean;
}

/**
 * A failure below the node level, injected into the settled cluster's operation history with
 * `crm_simulate -i`: a resource failing to start on the node it runs on, a passive node booting
 * with a Pacemaker-managed RBD image already mapped (rbdmap lists it, so the probe finds it
 * active), a remote node's connection monitor failing.
 */
export interface Injection extends Scenario {
  kind: 'start-failure' | 'boot-probe' | 'remote-loss';
  /** The crm_simulate -i argument. */
  inject: string;
  resource: string;
  node: string;
  /**
   * A start failure of a resource marked critical=false (or inside such a group): it was meant
   * to stay stopped rather than move others; failure-timeout then lets Pacemaker retry it there.
   */
  waits?: { service: string; failureTimeout?: string };
  /**
   * Of a remote-loss: the remote node runs cluster resources (instance HA's unfence trigger), so
   * Pacemaker must fence it to recover them: the fencing is the design, not a finding.
   */
  runsResources?: true;
}

export interface ClusterRehearsal {
  cluster: string;
  nodes: string[];
  /** Where everything runs once settled with every node online. */
  settled: ServiceState[];
  scenarios: Scenario[];
  injections: Injection[];
}

export interface RehearsalReport {
  clusters: ClusterRehearsal[];
  findings: Diagnostic[];
  /** crm_simulate runs made. */
  runs: number;
}

/**
 * Primitives inside promotable clones. Their agent sets a promotion score on every node where an
 * instance can be promoted (master-<primitive>, after its first monitor); the scheduler promotes
 * only where one is set.
 */
export function promotablePrimitives(config: ClusterConfig): string[] {
  return config.resources
    .filter((r) => (r.kind === 'clone' && r.meta.some((m) => m.name === 'promotable' && m.value === 'true')) || (r.kind === 'bundle' && r.promotedMax !== undefined))
    .flatMap(primitivesOf)
    .map((p) => p.id);
}

/**
 * The guest nodes of promotable bundles (<bundle>-<i>, one per replica) with the promotion score
 * their agent would have set there: in a bundle the agent runs inside the container, and the
 * score belongs to the replica's guest node, not to its host.
 */
function guestPromotionStates(config: ClusterConfig): XmlElement[] {
  return config.resources.flatMap((r) => {
    if (r.kind !== 'bundle' || r.promotedMax === undefined || !r.primitive) return [];
    const p = r.primitive.id;
    return Array.from({ length: r.replicas ?? 1 }, (_, i) => {
      const id = `${r.id}-${i}`;
      return el('node_state', { id, uname: id }, [el('transient_attributes', { id }, [el('instance_attributes', { id: `status-${id}` }, [el('nvpair', { id: `status-${id}-master-${p}`, name: `master-${p}`, value: '5' })])])]);
    });
  });
}

/**
 * The node attributes a node's agents would have set before anything was promoted: the same
 * promotion score for every promotable primitive on every node (an agent that finds its data
 * equally fresh everywhere), so the scheduler chooses the primary itself. crm_simulate runs no
 * agent, so without them it would start every instance and promote none.
 */
export function promotionScores(config: ClusterConfig, node: { id: string }): XmlElement[] {
  const inBundles = new Set(config.resources.flatMap((r) => (r.kind === 'bundle' ? primitivesOf(r) : [])).map((p) => p.id));
  const ids = promotablePrimitives(config).filter((id) => !inBundles.has(id));
  const set = `status-${node.id}`;
  const pairs = ids.map((p) => el('nvpair', { id: `${set}-master-${p}`, name: `master-${p}`, value: '5' }));
  // With a device that provides unfencing (instance HA's fence_compute) every resource requires
  // its node to be unfenced. A running cluster records that in #node-unfenced; crm_simulate
  // unfences but does not record it, so every scenario would unfence every node again and
  // restart everything "due to required stonith".
  if (providesUnfencing(config)) pairs.push(el('nvpair', { id: `${set}-node-unfenced`, name: '#node-unfenced', value: '1' }));
  if (!pairs.length) return [];
  return [el('transient_attributes', { id: node.id }, [el('instance_attributes', { id: set }, pairs)])];
}

/** A remote node's record of its unfencing (see promotionScores). */
function unfenced(id: string): XmlElement {
  const set = `status-${id}`;
  return el('transient_attributes', { id }, [el('instance_attributes', { id: set }, [el('nvpair', { id: `${set}-node-unfenced`, name: '#node-unfenced', value: '1' })])]);
}

function providesUnfencing(config: ClusterConfig): boolean {
  return config.resources.flatMap(primitivesOf).some((p) => p.class === 'stonith' && p.meta.some((m) => m.name === 'provides' && m.value === 'unfencing'));
}

/** A member as it joins: online, with an empty history and the scores its agents would set. */
function memberState(config: ClusterConfig, n: { id: string; uname: string }): XmlElement {
  return el('node_state', { id: n.id, uname: n.uname, in_ccm: 'true', crmd: 'online', join: 'member', expected: 'member' }, [...promotionScores(config, n), el('lrm', { id: n.id })]);
}

/**
 * The CIB after a failure with `node` back: its node_state replaced by one of a member that has
 * just joined (crm_simulate left it offline and empty after fencing it).
 */
function withNodeBack(cib: XmlElement, config: ClusterConfig, node: string): XmlElement {
  const n = config.nodes.find((x) => x.uname === node)!;
  const map = (e: XmlElement): XmlElement => (e.name === 'node_state' && e.attrs.uname === node ? memberState(config, n) : e.name === 'node_state' ? e : { ...e, children: e.children.map(map) });
  return map(cib);
}

/**
 * The CIB crm_simulate can work on offline: the compiled CIB plus have-quorum and a node_state
 * per member (in the membership, controller online, joined, expected, with an empty history and
 * the promotion scores promotable agents would have set), and one per remote node as a live
 * cluster records it (remote_node, reachable). Without the latter the scheduler takes every
 * remote node for unclean once anything happens to it, and fences it whatever its connection's
 * on-fail says.
 */
export function rehearsalCib(config: ClusterConfig): XmlElement {
  const cib = toCib(config);
  const remotes = config.resources.flatMap(primitivesOf).filter((p) => p.class === 'ocf' && p.provider === 'pacemaker' && p.type === 'remote');
  const status = el('status', {}, [
    ...config.nodes.map((n) => memberState(config, n)),
    ...remotes.map((r) => el('node_state', { id: r.id, uname: r.id, remote_node: 'true', in_ccm: 'true', crmd: 'online' }, providesUnfencing(config) ? [unfenced(r.id)] : [])),
    ...guestPromotionStates(config),
  ]);
  // have-watchdog is the controller's word that sbd runs (watchdog-only SBD); without it the
  // scheduler refuses to start anything for want of a fence device.
  const watchdog = config.properties.some((p) => p.name === 'stonith-watchdog-timeout' && p.value !== '0' && p.value !== '0s');
  const children = cib.children.map((c) => (c.name === 'configuration' && watchdog ? withHaveWatchdog(c) : c));
  return { ...cib, attrs: { ...cib.attrs, 'have-quorum': '1' }, children: [...children.filter((c) => c.name !== 'status'), status] };
}

function withHaveWatchdog(configuration: XmlElement): XmlElement {
  return {
    ...configuration,
    children: configuration.children.map((section) =>
      section.name !== 'crm_config'
        ? section
        : {
            ...section,
            children: section.children.map((set, i) =>
              i === 0 && set.name === 'cluster_property_set' ? { ...set, children: [...set.children, el('nvpair', { id: `${set.attrs.id}-have-watchdog`, name: 'have-watchdog', value: 'true' })] } : set,
            ),
          },
    ),
  };
}

/** Single failures always; pairs for clusters of 3 or more members. */
export function scenariosOf(cluster: Cluster): string[][] {
  const out: string[][] = cluster.nodes.map((n) => [n]);
  if (cluster.nodes.length >= 3) out.push(...combinations(cluster.nodes, 2));
  // The quorum device's host (never a member) alone, and with each member: what its vote is worth.
  const host = cluster.qdevice?.host;
  if (host) out.push([host], ...cluster.nodes.map((n) => [host, n]));
  // Likewise a service's arbiter (garbd) outside the cluster, unless it is that host.
  const arbiters = [...new Set(keptAlive(cluster).map(arbiterOf))].filter((a): a is string => !!a && a !== host && !cluster.nodes.includes(a)).sort(compareStrings);
  for (const a of arbiters) out.push([a], ...cluster.nodes.map((n) => [a, n]));
  return out;
}

export interface RehearsalOptions {
  /** The compiled output (node files) the boot-probe scenarios read rbdmap from; compiled when absent. */
  output?: CompiledOutput;
  /** The crm_simulate binary (default: crm_simulate on PATH). */
  crmSimulate?: string;
  /** crm_simulate runs at once (default 1); the CLI uses the machine's parallelism. */
  concurrency?: number;
  /** Told when a cluster starts settling and after every scenario: for a progress display. */
  onProgress?: (p: RehearsalProgress) => void;
}

export interface RehearsalProgress {
  /** The cluster being worked on. */
  cluster: string;
  phase: 'settling' | 'scenarios';
  /** Scenarios simulated so far and in all, over every cluster. */
  done: number;
  total: number;
}

export async function rehearse(model: Lowered, runner: Runner, opts: RehearsalOptions = {}): Promise<RehearsalReport> {
  const crmSimulate = opts.crmSimulate ?? 'crm_simulate';
  const dir = await mkdtemp(join(tmpdir(), 'hactl-check-'));
  const report: RehearsalReport = { clusters: [], findings: [], runs: 0 };
  const t = model.topology;
  const total = model.clusters.reduce((n, config) => n + scenariosOf(t.clusters[config.name]!).length, 0);
  let done = 0;
  const output = opts.output ?? compiledOutput(model);
  try {
    for (const config of model.clusters) {
      const cluster = t.clusters[config.name]!;
      opts.onProgress?.({ cluster: cluster.name, phase: 'settling', done, total });
      const base = join(dir, config.name);
      const env = { CIB_shadow_dir: dir };
      await writeFile(`${base}.cib.xml`, serializeXml(rehearsalCib(config), { declaration: true }));
      const simulate = async (args: string[]): Promise<XmlElement> => {
        report.runs++;
        let r: RunResult;
        try {
          r = await runner.run(crmSimulate, [...args, '--output-as=xml'], { env });
        } catch (e) {
          if (e instanceof HactlError) throw remoteFailure('HA6040', { detail: e.diagnostic.message });
          throw e;
        }
        const parsed = parseXml(r.stdout);
        // A transition with a blocked action (a resource no node has room for under
        // placement-strategy) ends "terminated" with exit 1, yet the revised status is complete:
        // what stays stopped is the finding, not a failed rehearsal.
        const blocked = r.exitCode === 1 && parsed.ok && parsed.root.children.some((c) => c.name === 'revised_cluster_status');
        if ((r.exitCode !== 0 && !blocked) || !parsed.ok) {
          throw remoteFailure('HA6040', { detail: `${crmSimulate} ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' ')}` });
        }
        return parsed.root;
      };
      const settledOut = await simulate(['-x', `${base}.cib.xml`, '-S', '-O', `${base}.settled.xml`]);
      const resources = indexResources(cluster, config);
      const settledStatus = section(settledOut, 'revised_cluster_status');
      const settledRunning = running(settledStatus);
      const settled = serviceStates(cluster, resources, settledRunning, promotedOn(settledStatus));
      const cr: ClusterRehearsal = { cluster: cluster.name, nodes: [...cluster.nodes], settled, scenarios: [], injections: [] };
      for (const s of settled) {
        if (!s.up) report.findings.push(diag('HA6022', cluster.services[s.service]!.pointer, { service: s.service, cluster: cluster.name, resources: s.stopped.join(', ') }));
      }
      // Scenarios only read the settled CIB: they run side by side, and are reported in order.
      const scenarios = valuesOrThrow(await runBounded(scenariosOf(cluster), opts.concurrency ?? 1, async (failed) => {
        // The qnetd host is no member: its loss takes the device's vote, not a node of the CIB.
        const members = failed.filter((n) => cluster.nodes.includes(n));
        const quorum = quorate(cluster, cluster.nodes.length - members.length, !failed.includes(cluster.qdevice?.host ?? ''));
        // A lone member's failure is also rehearsed the other way: the node comes back.
        const back = members.length === 1 && failed.length === 1 && quorum && promotablePrimitives(config).length ? `${base}.fail-${members[0]}.xml` : undefined;
        const out = await simulate(['-x', `${base}.settled.xml`, ...members.flatMap((n) => ['--node-fail', n]), '-q', quorum ? '1' : '0', '-S', ...(back ? ['-O', back] : [])]);
        opts.onProgress?.({ cluster: cluster.name, phase: 'scenarios', done: ++done, total });
        const scenario: Scenario = { ...readScenario(cluster, config, resources, members, quorum, out, settled), failed, survivable: failed.length <= quorumTolerance(cluster) };
        const primary = primaryComponents(cluster, failed, scenario.services);
        if (primary.length) scenario.primary = primary;
        if (back) {
          const node = members[0]!;
          const failedCib = parseXml(await readFile(back, 'utf8'));
          if (!failedCib.ok) throw remoteFailure('HA6040', { detail: `${crmSimulate} wrote ${back}, which is no XML` });
          await writeFile(`${base}.back-${node}.xml`, serializeXml(withNodeBack(failedCib.root, config, node), { declaration: true }));
          const rejoined = section(await simulate(['-x', `${base}.back-${node}.xml`, '-S']), 'revised_cluster_status');
          const now = serviceStates(cluster, resources, running(rejoined), promotedOn(rejoined));
          scenario.rejoin = { node, roles: roleChanges(scenario.services, now), stopped: now.filter((x) => !x.up).map((x) => x.service) };
        }
        return scenario;
      }));
      for (const scenario of scenarios) {
        cr.scenarios.push(scenario);
        report.findings.push(...scenarioFindings(cluster, scenario));
      }
      const planned = injectionsOf(cluster, config, settledRunning, output);
      const settledCib = planned.some((x) => x.kind === 'start-failure') ? parseXml(await readFile(`${base}.settled.xml`, 'utf8')) : undefined;
      const injected = valuesOrThrow(await runBounded(planned.map((x, i) => ({ x, i })), opts.concurrency ?? 1, async ({ x, i }) => {
        let file = `${base}.settled.xml`;
        if (x.kind === 'start-failure' && settledCib?.ok) {
          // The controller records a failed start as fail-count INFINITY (start-failure-is-fatal);
          // crm_simulate -i only adds one to it, which would show a restart in place.
          file = `${base}.inject-${i}.xml`;
          await writeFile(file, serializeXml(withFailCount(settledCib.root, x.node, `${x.resource}#start_0`), { declaration: true }));
        }
        const out = await simulate(['-x', file, '-i', x.inject, '-S']);
        const scenario: Injection = { ...readScenario(cluster, config, resources, [], true, out, settled), ...x };
        const waits = x.kind === 'start-failure' ? waitsInPlace(config, resources, x.resource) : undefined;
        if (waits) scenario.waits = waits;
        return scenario;
      }));
      for (const x of injected) {
        cr.injections.push(x);
        report.findings.push(...injectionFindings(t, cluster, resources, x));
      }
      report.clusters.push(cr);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}

export interface ResourceIndex {
  /** Primitive ids of each service (its processes, storage and VIP). */
  byService: Map<string, string[]>;
  /** Primitive ids of each promotable service's clone. */
  promotable: Map<string, string[]>;
  /** Stonith primitive id -> nodes it fences. */
  stonith: Map<string, string[]>;
}

export function indexResources(cluster: Cluster, config: ClusterConfig): ResourceIndex {
  const prims: Primitive[] = config.resources.flatMap(primitivesOf);
  const byService = new Map<string, string[]>();
  for (const s of Object.values(cluster.services)) {
    const vipPointer = s.vip ? cluster.vips[s.vip]?.pointer : undefined;
    const ids = prims.filter((p) => p.source === s.pointer || p.source.startsWith(`${s.pointer}/`) || (vipPointer !== undefined && p.source === vipPointer)).map((p) => p.id);
    // A bundle runs where its containers do (running() lists it so), with or without a primitive.
    const bundle = config.resources.find((r) => r.kind === 'bundle' && r.source === s.pointer);
    if (bundle) ids.push(bundle.id);
    byService.set(s.name, [...new Set(ids)].sort());
  }
  const promotable = new Map<string, string[]>();
  const promotableIds = new Set(promotablePrimitives(config));
  for (const s of Object.values(cluster.services)) {
    if (s.mode !== 'promotable') continue;
    promotable.set(s.name, (byService.get(s.name) ?? []).filter((id) => promotableIds.has(id)));
  }
  const stonith = new Map<string, string[]>();
  for (const p of prims) {
    if (p.class !== 'stonith') continue;
    const list = paramOf(p, 'pcmk_host_list');
    // A shared device maps node:port pairs; the nodes it fences are the keys.
    const map = paramOf(p, 'pcmk_host_map');
    const mapped = map?.split(';').map((pair) => pair.split(':')[0]!.trim()).filter(Boolean);
    // Without a static list or map the fencer asks the device: fence_sbd lists the slots on its disks (every member); hactl names the nodes of every other device.
    stonith.set(p.id, list ? list.split(/[\s,;]+/).filter(Boolean) : (mapped ?? [...cluster.nodes]));
  }
  return { byService, promotable, stonith };
}

/** A child of crm_simulate's output; one it left out (an empty section) reads as empty. */
function section(e: XmlElement, name: string): XmlElement {
  return child(e, name) ?? el(name);
}

/**
 * Primitive id -> online nodes it is active on, from a cluster_status or revised_cluster_status
 * element. A resource still listed on a failed node that was not fenced (no quorum, fencing
 * blocked) is not serving anyone: only online nodes count.
 */
export function running(status: XmlElement): Map<string, string[]> {
  const online = onlineNodes(status);
  const out = new Map<string, string[]>();
  const add = (id: string, nodes: string[]) => out.set(id, [...new Set([...(out.get(id) ?? []), ...nodes])].sort());
  const walk = (e: XmlElement, bundle?: string): void => {
    for (const c of e.children) {
      if (c.name === 'resource') {
        const nodes = c.attrs.active === 'true' && c.attrs.failed !== 'true' ? online.where(c) : [];
        add(c.attrs.id!, nodes);
        if (bundle) add(bundle, nodes);
      } else walk(c, c.name === 'bundle' ? c.attrs.id : bundle);
    }
  };
  walk(section(status, 'resources'));
  return out;
}

/**
 * The online nodes of a status, and where a resource element's instances are: a bundle replica's
 * guest node (<bundle>-<i>, named by id_as_resource after its container) stands for the member
 * its container runs on, so that services in bundles are placed on members like any other.
 */
function onlineNodes(status: XmlElement): { where: (r: XmlElement) => string[] } {
  const nodes = section(status, 'nodes').children.filter((n) => n.name === 'node' && n.attrs.online === 'true');
  const members = new Set(nodes.filter((n) => !n.attrs.id_as_resource).map((n) => n.attrs.name!));
  const containerOf = new Map(nodes.filter((n) => n.attrs.id_as_resource).map((n) => [n.attrs.name!, n.attrs.id_as_resource!]));
  const hosts = new Map<string, string[]>();
  const find = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name !== 'resource') find(c);
      else if (c.attrs.active === 'true' && c.attrs.failed !== 'true') hosts.set(c.attrs.id!, c.children.filter((n) => n.name === 'node' && members.has(n.attrs.name!)).map((n) => n.attrs.name!));
    }
  };
  if (containerOf.size) find(section(status, 'resources'));
  return {
    where: (r) =>
      r.children.filter((n) => n.name === 'node').flatMap((n) => {
        const name = n.attrs.name!;
        if (members.has(name)) return [name];
        const container = containerOf.get(name);
        return container ? (hosts.get(container) ?? []) : [];
      }),
  };
}

/** Primitive id -> online nodes where an instance of it is promoted. */
export function promotedOn(status: XmlElement): Map<string, string[]> {
  const online = onlineNodes(status);
  const out = new Map<string, string[]>();
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.name !== 'resource') walk(c);
      else if (c.attrs.role === 'Promoted' && c.attrs.active === 'true' && c.attrs.failed !== 'true') {
        const nodes = online.where(c);
        out.set(c.attrs.id!, [...new Set([...(out.get(c.attrs.id!) ?? []), ...nodes])].sort());
      }
    }
  };
  walk(section(status, 'resources'));
  return out;
}

/** A promotable service is up only with a promoted instance: the unpromoted ones take no writes. */
function serviceStates(cluster: Cluster, idx: ResourceIndex, run: Map<string, string[]>, promoted: Map<string, string[]>): ServiceState[] {
  return keptAlive(cluster).map((s) => {
    const ids = idx.byService.get(s.name) ?? [];
    const stopped = ids.filter((id) => !(run.get(id) ?? []).length);
    const nodes = [...new Set(ids.flatMap((id) => run.get(id) ?? []))].sort();
    const clone = idx.promotable.get(s.name);
    if (!clone) return { service: s.name, up: ids.length > 0 && stopped.length === 0, nodes, stopped };
    const unpromoted = clone.filter((id) => !(promoted.get(id) ?? []).length && !stopped.includes(id));
    const where = [...new Set(clone.flatMap((id) => promoted.get(id) ?? []))].sort();
    return { service: s.name, up: ids.length > 0 && stopped.length === 0 && unpromoted.length === 0, nodes, stopped: [...stopped, ...unpromoted].sort(), promoted: where };
  });
}

/** Promotable services whose promoted nodes differ from the settled cluster's. */
function roleChanges(settled: ServiceState[], now: ServiceState[]): RoleChange[] {
  const out: RoleChange[] = [];
  for (const s of now) {
    const before = settled.find((x) => x.service === s.service)?.promoted;
    if (!s.promoted || !before || before.join(' ') === s.promoted.join(' ')) continue;
    out.push({ service: s.service, before, after: s.promoted });
  }
  return out;
}

/** The scheduler's actions in crm_simulate's XML output (its `<actions>`; none when absent). */
export function simulatedActions(out: XmlElement): Action[] {
  return section(out, 'actions').children.map((a) => {
    const kind = a.name === 'rsc_action' ? 'resource' : a.name === 'node_action' ? 'node' : 'other';
    const x: Action = { kind, action: kind === 'node' ? a.attrs.task ?? '' : a.attrs.action ?? '', resource: a.attrs.resource ?? '', blocked: a.attrs.blocked === 'true' };
    if (a.attrs.node) x.node = a.attrs.node;
    if (a.attrs.source) x.from = a.attrs.source;
    if (a.attrs.dest) x.to = a.attrs.dest;
    if (a.attrs.reason) x.reason = a.attrs.reason;
    if (a.attrs.role) x.role = a.attrs.role;
    if (a.attrs['next-role']) x.nextRole = a.attrs['next-role'];
    return x;
  });
}

function readScenario(cluster: Cluster, config: ClusterConfig, idx: ResourceIndex, failed: string[], quorum: boolean, out: XmlElement, settled: ServiceState[]): Scenario {
  const actions = simulatedActions(out);
  const revised = section(out, 'revised_cluster_status');
  const after = running(revised);
  const survivors = cluster.nodes.filter((n) => !failed.includes(n));
  const stonithEnabled = config.properties.find((p) => p.name === 'stonith-enabled')?.value !== 'false';
  const fencing: FenceCheck[] = failed.map((node) => {
    const devices = [...idx.stonith.entries()].filter(([, targets]) => targets.includes(node)).map(([id]) => id);
    const required = actions.some((a) => a.action.startsWith('Fence') && a.node === node);
    // Watchdog-only SBD needs no device: the lost node resets itself once it is out of quorum,
    // which only a quorate rest of the cluster can count on (it waits stonith-watchdog-timeout).
    const byWatchdog = isDiskless(cluster) && sbdFences(cluster, node) && quorum;
    const possible = stonithEnabled && (byWatchdog || devices.some((d) => (after.get(d) ?? []).some((n) => survivors.includes(n))));
    // Pacemaker's fencer calls watchdog fencing "watchdog" in its history.
    return { node, required, possible, devices: isDiskless(cluster) && sbdFences(cluster, node) ? [...devices, 'watchdog'] : devices };
  });
  const pick = (name: string) => actions.filter((a) => a.action === name && a.resource);
  const services = serviceStates(cluster, idx, after, promotedOn(revised));
  const fenced = [...new Set(actions.filter((a) => a.action.startsWith('Fence') && a.node).map((a) => a.node!))].sort();
  return {
    fenced,
    ...fencingTopologyOf(cluster, config, fenced, after),
    failed,
    quorum,
    survivable: failed.length <= quorumTolerance(cluster),
    fencing,
    moved: pick('move').map((a) => ({ resource: a.resource, from: a.from ?? '', to: a.to ?? '' })),
    stopped: pick('stop').map((a) => ({ resource: a.resource, node: a.node ?? '', blocked: a.blocked, ...(a.reason ? { reason: a.reason } : {}) })),
    started: pick('start').map((a) => ({ resource: a.resource, node: a.node ?? '' })),
    recovered: pick('recover').map((a) => ({ resource: a.resource, node: a.node ?? a.to ?? '' })),
    // crm_simulate names the node of a role change `source`.
    promoted: pick('promote').map((a) => ({ resource: a.resource, node: a.node ?? a.from ?? '' })),
    demoted: [
      ...pick('demote').map((a) => ({ resource: a.resource, node: a.node ?? a.from ?? '', how: 'demote' as const })),
      ...actions.filter((a) => (a.action === 'stop' || a.action === 'move') && a.role === 'Promoted' && a.resource).map((a) => ({ resource: a.resource, node: a.node ?? a.from ?? '', how: 'stop' as const })),
    ],
    roles: roleChanges(settled, services),
    restarted: pick('restart').map((a) => ({ resource: a.resource, node: a.node ?? a.to ?? '' })),
    services,
  };
}

/** The levels of the fenced nodes, and instance HA's evacuation of those fence_compute records. */
function fencingTopologyOf(cluster: Cluster, config: ClusterConfig, fenced: string[], after: Map<string, string[]>): Pick<Scenario, 'levels' | 'evacuation'> {
  const levels = fenced
    .map((node) => ({ node, levels: config.fencingLevels.filter((l) => l.target === node).sort((a, b) => a.index - b.index).map((l) => l.devices) }))
    .filter((x) => x.levels.length);
  const out: Pick<Scenario, 'levels' | 'evacuation'> = levels.length ? { levels } : {};
  const recorder = stonithId(INSTANCE_HA.device.name);
  const nodes = levels.filter((x) => x.levels.every((devices) => devices.includes(recorder))).map((x) => x.node);
  const evacuator = Object.values(cluster.services).find((s) => s.entry?.key === INSTANCE_HA.evacuate);
  const by = evacuator && config.resources.flatMap(primitivesOf).find((p) => p.source === evacuator.pointer)?.id;
  if (nodes.length && by) out.evacuation = { nodes, by, on: after.get(by) ?? [] };
  return out;
}

/**
 * The quorum of each service that keeps one (Galera's primary component) after `failed`: the
 * members that still run it and its arbiter, if its node is up. A service that lost a vote is
 * listed; one left without a majority is marked down in `services`.
 */
function primaryComponents(cluster: Cluster, failed: string[], services: ServiceState[]): PrimaryComponent[] {
  const out: PrimaryComponent[] = [];
  for (const st of services) {
    const s = cluster.services[st.service]!;
    const spec = s.entry ? HA_NEEDS[s.entry.key]?.majority : undefined;
    if (!spec) continue;
    const members = possibleNodes(cluster, s);
    const arbiter = arbiterOf(s);
    const running = members.filter((n) => st.nodes.includes(n) && !failed.includes(n));
    const arbiterUp = !!arbiter && !failed.includes(arbiter);
    const of = members.length + (arbiter ? 1 : 0);
    const votes = running.length + (arbiterUp ? 1 : 0);
    if (votes === of) continue;
    const kept = majorityKept(members.length, !!arbiter, running.length, arbiterUp);
    if (!kept) st.up = false;
    out.push({ service: s.name, voters: [...running, ...(arbiterUp ? [`${spec.arbiter!.name} on ${arbiter}`] : [])], votes, of, kept });
  }
  return out;
}

function scenarioFindings(cluster: Cluster, s: Scenario): Diagnostic[] {
  if (!s.survivable) return []; // beyond what quorum is designed to survive: reported, not a finding
  const out: Diagnostic[] = [];
  const scenario = s.failed.join(' and ');
  const lost = new Set((s.primary ?? []).filter((p) => !p.kept).map((p) => p.service));
  for (const p of s.primary ?? []) {
    if (p.kept) continue;
    const svc = cluster.services[p.service]!;
    const st = s.services.find((x) => x.service === p.service);
    const what = HA_NEEDS[svc.entry!.key]!.majority!.what;
    out.push(diag('HA6150', svc.pointer, { scenario, cluster: cluster.name, service: p.service, votes: p.votes, of: p.of, voters: p.voters.join(', ') || 'none', what, nodes: st?.nodes.filter((n) => !s.failed.includes(n)).join(', ') || 'no node' }));
  }
  for (const f of s.fencing) {
    if (f.required && !f.possible) {
      const i = cluster.nodes.indexOf(f.node);
      out.push(diag('HA6021', pointerOf('clusters', cluster.name, 'nodes', i), { scenario, cluster: cluster.name, node: f.node }));
    }
  }
  for (const st of s.services) {
    if (st.up || lost.has(st.service)) continue;
    const svc = cluster.services[st.service]!;
    const left = possibleNodes(cluster, svc).filter((n) => !s.failed.includes(n));
    const fix = left.length
      ? `it may still run on ${left.join(', ')}: look at its constraints in the compiled CIB (crm_simulate -s shows the scores)`
      : `let ${st.service} run on more nodes than ${possibleNodes(cluster, svc).join(', ')}`;
    out.push(diag('HA6020', svc.pointer, { scenario, cluster: cluster.name, service: st.service, resources: st.stopped.join(', '), fix }));
  }
  return out;
}

/** Operation keys crm_simulate -i takes: RESOURCE_OP_INTERVALMS@NODE=RC. */
function opKey(resource: string, op: string, interval: string, node: string, rc: number): string {
  return `${resource}_${op}_${intervalMs(interval)}@${node}=${rc}`;
}

function intervalMs(interval: string): number {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(interval);
  if (!m) return 0;
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60000 : m[2] === 'h' ? n * 3600000 : n * 1000;
}

type Planned = Pick<Injection, 'kind' | 'inject' | 'resource' | 'node' | 'runsResources'>;

/**
 * Every primitive (stonith and ping aside) fails to start once on each node it runs on when
 * settled; every Pacemaker-managed RBD image is found mapped on each member not running it whose
 * compiled rbdmap lists it (the boot of that node); every remote node loses its connection once.
 */
function injectionsOf(cluster: Cluster, config: ClusterConfig, settled: Map<string, string[]>, output: CompiledOutput): Planned[] {
  const out: Planned[] = [];
  const prims = config.resources.flatMap(primitivesOf);
  const bundles = config.resources.filter((r) => r.kind === 'bundle');
  const inBundles = new Set(bundles.flatMap(primitivesOf).map((p) => p.id));
  for (const p of prims) {
    if (p.class === 'stonith' || (p.provider === 'pacemaker' && (p.type === 'ping' || p.type === 'remote')) || inBundles.has(p.id)) continue;
    for (const node of settled.get(p.id) ?? []) out.push({ kind: 'start-failure', inject: opKey(p.id, 'start', '0', node, 1), resource: p.id, node });
  }
  // A bundle's replica fails where its container does not start (<bundle>-<runtime>-<i> on its host).
  for (const b of bundles) {
    const container = new RegExp(`^${b.id}-${b.runtime}-\\d+$`);
    for (const [id, nodes] of [...settled].filter(([id]) => container.test(id)).sort(([a], [b]) => compareStrings(a, b))) {
      for (const node of nodes) out.push({ kind: 'start-failure', inject: opKey(id, 'start', '0', node, 1), resource: id, node });
    }
  }
  for (const p of prims.filter((x) => x.class === 'ocf' && x.provider === 'ceph' && x.type === 'rbd')) {
    const image = `${paramOf(p, 'pool')}/${paramOf(p, 'name')}`;
    for (const node of cluster.nodes) {
      if ((settled.get(p.id) ?? []).includes(node)) continue;
      const rbdmap = output.files.get(nodeFilePath(node, '/etc/ceph/rbdmap')) ?? '';
      if (!rbdmap.split('\n').some((l) => l.trim().split(/\s+/)[0] === image)) continue;
      out.push({ kind: 'boot-probe', inject: opKey(p.id, 'monitor', '0', node, 0), resource: p.id, node });
    }
  }
  for (const p of prims.filter((x) => x.class === 'ocf' && x.provider === 'pacemaker' && x.type === 'remote')) {
    const monitor = p.ops.find((o) => o.name === 'monitor');
    const runs = [...settled.values()].some((nodes) => nodes.includes(p.id));
    for (const node of monitor ? (settled.get(p.id) ?? []) : []) out.push({ kind: 'remote-loss', inject: opKey(p.id, 'monitor', monitor!.interval, node, 1), resource: p.id, node, ...(runs ? { runsResources: true as const } : {}) });
  }
  return out;
}

/**
 * The service a non-critical resource belongs to, when `resource` is (or sits in a group or
 * clone) marked critical=false: Pacemaker then keeps it stopped where its colocation allows
 * nothing else instead of moving what it is colocated with, and retries after failure-timeout.
 */
function waitsInPlace(config: ClusterConfig, resources: ResourceIndex, resource: string): Injection['waits'] {
  const top = config.resources.find((r) => primitivesOf(r).some((p) => p.id === resource));
  if (!top) return undefined;
  const metas = [top.meta, ...primitivesOf(top).filter((p) => p.id === resource).map((p) => p.meta)];
  if (top.kind === 'clone' && top.child.kind === 'group') metas.push(top.child.meta);
  if (!metas.some((m) => m.some((nv) => nv.name === 'critical' && nv.value === 'false'))) return undefined;
  const service = [...resources.byService].find(([, ids]) => ids.includes(resource))?.[0];
  if (!service) return undefined;
  const failureTimeout = [...top.meta, ...config.rscDefaults].find((nv) => nv.name === 'failure-timeout')?.value;
  return failureTimeout === undefined ? { service } : { service, failureTimeout };
}

/**
 * The services holding state on shared storage (an RBD image and its filesystem) that the
 * injected failure of `resource` moved or restarted, `resource` being a process of a stateless
 * active/passive service: one service's fault became an outage of the state every other service uses (HA
 * review M8).
 */
function stateDragged(cluster: Cluster, resources: ResourceIndex, x: Injection): { service: string; resources: string[] }[] {
  const owners = [...resources.byService].filter(([, ids]) => ids.includes(x.resource)).map(([s]) => s);
  // A VIP's failure, or that of a service holding state itself (the one VIP serves both), must
  // move what is reached at it. So must a failed instance of an active/active clone a VIP of the
  // stack needs (the stack goes where an instance runs: the VIP needs both); only an
  // active/passive service could have waited where it is.
  const fixed = (o: string) => cluster.services[o]?.storage || cluster.services[o]?.mode !== 'active-passive';
  if (Object.values(cluster.vips).some((v) => vipId(v.name) === x.resource) || owners.some(fixed)) return [];
  const touched = new Set([...x.moved, ...x.recovered, ...x.restarted].map((m) => m.resource));
  const out: { service: string; resources: string[] }[] = [];
  for (const s of Object.values(cluster.services)) {
    if (!s.storage || owners.includes(s.name)) continue;
    const hit = (resources.byService.get(s.name) ?? []).filter((id) => touched.has(id) && !Object.values(cluster.vips).some((v) => vipId(v.name) === id));
    if (hit.length) out.push({ service: s.name, resources: hit });
  }
  return out;
}

function injectionFindings(t: Topology, cluster: Cluster, resources: ResourceIndex, x: Injection): Diagnostic[] {
  const out: Diagnostic[] = [];
  const moved = [...x.moved.map((m) => `${m.resource} ${m.from}→${m.to}`), ...[...x.recovered, ...x.restarted].map((m) => `${m.resource} restarted on ${m.node}`)];
  if (x.kind === 'start-failure') {
    for (const st of x.services) {
      if (st.up || st.service === x.waits?.service) continue;
      const svc = cluster.services[st.service]!;
      out.push(diag('HA6023', svc.pointer, { resource: x.resource, node: x.node, service: st.service, resources: st.stopped.join(', ') }));
    }
    for (const d of stateDragged(cluster, resources, x)) {
      const svc = [...resources.byService].find(([, ids]) => ids.includes(x.resource))?.[0];
      out.push(diag('HA6062', (svc && cluster.services[svc]?.pointer) || cluster.pointer, { resource: x.resource, node: x.node, state: d.service, moved: d.resources.join(', ') }));
    }
  } else if (x.kind === 'boot-probe' && (x.moved.length || x.recovered.length || x.restarted.length || x.stopped.length)) {
    const owner = Object.values(cluster.services).find((s) => s.storage && x.resource === `p_rbd_${s.name}`);
    out.push(diag('HA6024', owner?.storage?.pointer ?? cluster.pointer, { node: x.node, resource: x.resource, moved: moved.join(', ') || x.stopped.map((s) => `${s.resource} stopped`).join(', ') }));
  } else if (x.kind === 'remote-loss' && x.fenced.includes(x.resource) && !x.runsResources) {
    const i = cluster.remoteNodes.indexOf(x.resource);
    out.push(diag('HA6025', i >= 0 ? pointerOf('clusters', cluster.name, 'remote_nodes', i) : (t.nodes[x.resource]?.pointer ?? cluster.pointer), { node: x.resource }));
  }
  return out;
}

/** The CIB with a transient fail-count attribute `fail-count-<key>` = INFINITY on `node`. */
function withFailCount(cib: XmlElement, node: string, key: string): XmlElement {
  const map = (e: XmlElement): XmlElement => {
    if (e.name === 'node_state' && e.attrs.uname === node) {
      const id = e.attrs.id ?? node;
      const nv = el('nvpair', { id: `status-${id}-fail-count-${key.replace('#', '.')}`, name: `fail-count-${key}`, value: 'INFINITY' });
      const ta = e.children.find((c) => c.name === 'transient_attributes');
      const ia = ta?.children.find((c) => c.name === 'instance_attributes');
      const newIa = ia ? { ...ia, children: [...ia.children.filter((c) => c.attrs.name !== nv.attrs.name), nv] } : el('instance_attributes', { id: `status-${id}` }, [nv]);
      const newTa = ta ? { ...ta, children: [...ta.children.filter((c) => c !== ia), newIa] } : el('transient_attributes', { id }, [newIa]);
      return { ...e, children: [...e.children.filter((c) => c !== ta), newTa] };
    }
    return { ...e, children: e.children.map(map) };
  };
  return map(cib);
}
