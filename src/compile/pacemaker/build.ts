/**
 * Topology -> ClusterConfig: the decisions of the Pacemaker targets, made once. Pure and linear
 * in the size of the topology. It never throws on a topology that passed validation; given one
 * that did not, it skips dangling references and reports what it cannot represent (id
 * collisions, control characters) as diagnostics, which lowering (src/lower/) surfaces at
 * validate time.
 */
import { HA_NEEDS } from '../../catalog/ha-needs.js';
import { isUnitAgent, unitOps } from '../../catalog/unit-agents.js';
import { DEFAULT_FAMILY, fenceAgentEntry } from '../../catalog/index.js';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { CLUSTER_MAINTAINED_PROPERTIES, HACTL_SET_IDS, OWNERSHIP_SET, RAW_SECTIONS, type SetSection } from '../../vocabulary.js';
import { parseXml } from '../../xml/parse.js';
import { serializeXml } from '../../xml/serialize.js';
import { SET_OPTIONS } from '../../catalog/pacemaker-options.js';
import type { XmlElement } from '../../xml/tree.js';
import { processesOf } from '../../model/resolve.js';
import { CIB_SECRET, type Cluster, type FenceDevice, type Node, type Service, type Topology, type Vip } from '../../model/types.js';
import { secretName } from '../files/facts.js';
import {
  clusterProperties,
  FILESYSTEM_OPS,
  operationDefaults,
  PING_DAMPEN,
  PING_OPS,
  PING_TARGETS,
  pingMultiplier, pingQuorum,
  RBD_OPS,
  REMOTE_OPS,
  TRIGGER_OPS,
  REMOTE_RECONNECT_INTERVAL,
  resourceDefaults,
  SBD_STONITH_ID,
  STONITH_OPS,
  VIP_OPS,
} from './defaults.js';
import {
  cloneId,
  colocationId,
  fencingLevelId,
  filesystemId,
  groupId,
  isXmlId,
  locationId,
  nodeIdOf,
  orderId,
  pingAttribute,
  pingCloneId,
  pingId,
  primitiveId,
  rbdId,
  secretFilePath,
  secretScriptPath,
  stonithId,
  vipId,
} from './ids.js';
import type { ClusterConfig, Colocation, Constraint, FencingLevel, Group, Location, NvPair, Operation, Order, Primitive, Resource } from './model.js';
import { crmshCarries, primitivesOf } from './model.js';
import { INSTANCE_HA } from '../../catalog/instance-ha.js';
import { instanceHaAuthUrl, instanceHaComputes } from '../../model/rules/instance-ha.js';
import { bundleResource, clusterBlocks, nodeBlocks, placementProperty, serviceRules, serviceUtilization } from './blocks.js';
import { compareStrings } from '../../util/compare.js';

export interface BuildResult {
  config: ClusterConfig;
  diagnostics: Diagnostic[];
}

/**
 * Operations of services with an explicit agent, whose meta-data hactl does not know: the most
 * common advice of the agents in the catalogue (start/stop 60s, a 30s monitor).
 */
const CUSTOM_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '60s' },
  { name: 'monitor', interval: '30s', timeout: '30s' },
];

/**
 * Operations of custom promotable services: those of CUSTOM_OPS plus promote and demote, and one
 * monitor per role (Pacemaker tells them apart by interval, so the intervals differ): the
 * promoted instance, the one clients write to, is checked more often.
 */
const PROMOTABLE_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '60s' },
  { name: 'promote', interval: '0s', timeout: '60s' },
  { name: 'demote', interval: '0s', timeout: '60s' },
  { name: 'monitor', interval: '20s', timeout: '30s', role: 'Promoted' },
  { name: 'monitor', interval: '30s', timeout: '30s', role: 'Unpromoted' },
];

/** Roles are spelt Promoted/Unpromoted from this schema on (Pacemaker 2.1.0). */
const ROLES_SCHEMA = 'pacemaker-3.7';
/** Podman bundles are known from this schema on (Pacemaker 2.0.1). */
const PODMAN_SCHEMA = 'pacemaker-3.2';
/** Every Pacemaker 2.x reads this schema; used when the configuration names no role. */
const BASE_SCHEMA = 'pacemaker-3.0';
/** Rules testing a resource's agent or an operation (rsc_defaults, op_defaults) from this schema on (Pacemaker 2.0.5). */
const RULE_TARGET_SCHEMA = 'pacemaker-3.4';

/** The newer of two pacemaker-X.Y schema names. */
function newerSchema(a: string, b: string): string {
  const v = (s: string) => s.replace(/^pacemaker-/, '').split('.').map(Number);
  const [x, y] = [v(a), v(b)];
  return x[0]! !== y[0]! ? (x[0]! > y[0]! ? a : b) : (x[1] ?? 0) >= (y[1] ?? 0) ? a : b;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
// In u mode a surrogate pair is one code point, so this matches only lone surrogates.
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

/** One ClusterConfig per cluster, in cluster-name order. */
export function buildPacemaker(t: Topology): BuildResult[] {
  return Object.values(t.clusters).map((c) => buildClusterConfig(t, c));
}

export function buildClusterConfig(t: Topology, c: Cluster): BuildResult {
  const b = new Builder(t, c);
  return b.build();
}

function byName<T>(a: [string, T], b: [string, T]): number {
  return compareStrings(a[0], b[0]);
}

/**
 * A primitive with its CIB-secret parameters (none: unchanged), sorted, on the nodes that may run
 * it; `stem` (primitiveId's) when a new value needs a restart of the resource through Pacemaker.
 */
function withSecrets(p: Primitive, secrets: Record<string, string>, nodes: readonly string[], stem?: string): Primitive {
  const names = Object.keys(secrets).sort(compareStrings);
  if (!names.length) return p;
  const params = Object.fromEntries(names.map((k) => [k, secrets[k]!]));
  return { ...p, secrets: { params, nodes: [...nodes].sort(compareStrings), ...(stem ? { restart: stem } : {}) } };
}

function sortedPairs(rec: Record<string, string>): NvPair[] {
  return Object.entries(rec)
    .sort(byName)
    .map(([name, value]) => ({ name, value }));
}

/** Splits class:provider:type or class:type. */
function parseAgent(agent: string): { class: string; provider?: string; type: string } {
  const parts = agent.split(':');
  if (parts[0] === 'ocf' && parts.length === 3) return { class: 'ocf', provider: parts[1]!, type: parts[2]! };
  if (parts.length === 2) return { class: parts[0]!, type: parts[1]! };
  throw new Error(`malformed resource agent ${agent}`);
}

function toOps(ops: readonly { name: string; interval?: string; timeout?: string; role?: string }[]): Operation[] {
  return ops.map((o) => {
    const op: Operation = { name: o.name, interval: o.interval ?? '0s' };
    if (o.timeout) op.timeout = o.timeout;
    if (o.role) op.role = o.role;
    return op;
  });
}

class Builder {
  private readonly family;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly resources: Resource[] = [];
  private readonly constraints: Constraint[] = [];
  /** Top-level resource id of each service. */
  private readonly top = new Map<string, string>();
  /** Top-level ids that are clones (an imported clone keeps its own id, not always cl_…). */
  private readonly clones = new Set<string>();
  /** VIP name -> the storage-backed active-passive service whose group holds it. */
  private readonly ownedVips = new Map<string, string>();
  /** Colocations and orders by id, to merge the ones two rules ask for between the same pair. */
  private readonly between = new Map<string, Colocation | Order>();

  constructor(
    private readonly t: Topology,
    private readonly c: Cluster,
  ) {
    this.family = t.family ?? DEFAULT_FAMILY;
  }

  build(): BuildResult {
    const c = this.c;
    this.findOwnedVips();
    for (const v of Object.values(c.vips)) {
      if (this.ownedVips.has(v.name)) continue;
      const p = this.vipPrimitive(v);
      this.resources.push(p);
      this.placement(p.id, p.source, undefined);
    }
    for (const s of Object.values(c.services)) this.service(s);
    for (const s of Object.values(c.services)) this.serviceConstraints(s);
    this.vipsFollowStack();
    this.connectivity();
    const fenced = [...c.nodes, ...c.remoteNodes].filter((n) => this.t.nodes[n]?.fencing).sort();
    for (const n of fenced) this.stonith(this.t.nodes[n]!);
    for (const d of Object.values(c.fenceDevices)) this.sharedStonith(d);
    if (c.sbd?.devices.length && c.fencing.enabled) this.sbdStonith();
    const computes = instanceHaComputes(this.t, c);
    if (computes.length) this.instanceHa(computes);
    const fencingLevels = this.fencingLevels(computes);
    // A remote node named no XML id has no connection resource to build (HA3246 refuses it).
    c.remoteNodes
      .map((n, i) => [n, i] as const)
      .filter(([n]) => isXmlId(n))
      .sort((a, b) => compareStrings(a[0], b[0]))
      .forEach(([n, i]) => this.remote(n, i));

    const blocks = clusterBlocks(c, (s) => this.top.get(s));
    const placement = placementProperty(c, this.t);
    const properties = placement ? [...clusterProperties(c), placement].sort((a, b) => compareStrings(a.name, b.name)) : clusterProperties(c);
    for (const p of properties) {
      if (CONTROL.test(p.value)) this.diagnostics.push(diag('HA4101', pointerOf('clusters', c.name, 'properties', p.name), { name: p.name }));
    }
    const constraints = sortConstraints(this.constraints);
    const rolesNamed = this.resources.flatMap(primitivesOf).some((p) => p.ops.some((o) => o.role)) || constraints.some((k) => (k.kind === 'colocation' && k.withRscRole) || (k.kind === 'order' && k.firstAction));
    const config: ClusterConfig = {
      name: c.name,
      schema: rolesNamed ? ROLES_SCHEMA : this.resources.some((r) => r.kind === 'bundle' && r.runtime === 'podman') ? PODMAN_SCHEMA : BASE_SCHEMA,
      properties,
      rscDefaults: resourceDefaults(c),
      opDefaults: operationDefaults(c),
      nodes: nodeBlocks(this.t, c.nodes.map((n) => ({ id: String(nodeIdOf(this.t.nodes[n] ?? { name: n })), uname: n }))),
      resources: this.resources,
      constraints,
      fencingLevels,
      raw: [],
      ...blocks,
    };
    this.checkIds(config);
    config.raw = this.rawFragments(config);
    // Raw sets of an imported cluster may test a resource's agent or an operation in their rules.
    const targets = (e: XmlElement): boolean => e.name === 'rsc_expression' || e.name === 'op_expression' || e.children.some(targets);
    if (config.raw.some((r) => r.elements.some(targets))) config.schema = newerSchema(config.schema, RULE_TARGET_SCHEMA);
    return { config, diagnostics: this.diagnostics };
  }

  /** A VIP goes into the group of the one storage-backed active-passive service that uses it. */
  private findOwnedVips(): void {
    const users = new Map<string, string[]>();
    for (const s of Object.values(this.c.services)) {
      if (s.vip && this.c.vips[s.vip] && s.storage && s.mode === 'active-passive' && !s.bundle) users.set(s.vip, [...(users.get(s.vip) ?? []), s.name]);
    }
    for (const [vip, names] of users) if (names.length === 1) this.ownedVips.set(vip, names[0]!);
  }

  private vipPrimitive(v: Vip): Primitive {
    const params: Record<string, string> = { ip: v.address };
    if (v.prefix !== undefined) params.cidr_netmask = String(v.prefix);
    if (v.nic) params.nic = v.nic;
    return { kind: 'primitive', id: vipId(v.name), class: 'ocf', provider: 'heartbeat', type: 'IPaddr2', params: sortedPairs(params), meta: sortedPairs(v.cib?.meta ?? {}), ops: v.cib?.operations ? toOps(v.cib.operations) : VIP_OPS, source: v.pointer };
  }

  private fill(value: string, s: Service): string {
    return value.replace(/\{([a-z._]+)\}/g, (whole, key: string) => {
      const vip = s.vip ? this.c.vips[s.vip] : undefined;
      const v: string | undefined =
        key === 'rbd.mount'
          ? (s.storage?.mount ?? s.entry?.storage?.mount)
          : key === 'vip.address'
            ? vip?.address
            : key === 'service'
              ? s.name
              : key === 'cluster'
                ? this.c.name
                : key === 'nodes'
                  ? s.nodes.join(',')
                  : key === 'keystone.auth_url'
                    ? instanceHaAuthUrl(this.c)
                    : key === 'region'
                      ? this.t.region
                      : key === 'instances.local'
                        ? String(!this.t.compute?.instances)
                        : undefined;
      if (v === undefined) throw new Error(`catalogue placeholder ${whole} cannot be filled for service ${s.name}`);
      return v;
    });
  }

  /** Instance attributes from the topology, checked for characters no target can carry. */
  private topologyParams(params: Record<string, string>, at: string): Record<string, string> {
    for (const [name, value] of Object.entries(params)) {
      const why = CONTROL.test(value)
        ? 'a control character (line break, tab, …)'
        : NOT_XML.test(value)
          ? 'a character XML cannot hold (U+FFFE, U+FFFF or a lone surrogate)'
          : value === ''
            ? 'nothing: pcs refuses an empty value'
            : /\\(')|\\$/.test(value)
              ? "a backslash at its end or before a ' (crmsh reads it as an escape and loads nothing)"
              : undefined;
      if (why) this.diagnostics.push(diag('HA4101', `${at}/${name}`, { name, why }));
    }
    return params;
  }

  private processPrimitives(s: Service): Primitive[] {
    const own = this.topologyParams(s.params, `${s.pointer}/params`);
    if (!s.entry) {
      if (!s.agent) return [];
      const a = parseAgent(s.agent);
      const ops = s.cib?.operations ? toOps(s.cib.operations) : isUnitAgent(s.agent) ? toOps(unitOps(s.agent)) : s.mode === 'promotable' ? PROMOTABLE_OPS : CUSTOM_OPS;
      const id = s.cib?.id ?? primitiveId(s.name);
      // A restart after a new secret value goes through primitiveId (apply's planner): an imported
      // id of another form is restarted by the operator (none of import's ids needs it: a secret
      // parameter it types is a fence device's, read by pacemaker-fenced at each use).
      const stem = id === primitiveId(s.name) ? s.name : undefined;
      return [withSecrets({ kind: 'primitive', id, ...a, params: sortedPairs(own), meta: sortedPairs(s.cib?.meta ?? {}), ops, source: s.pointer }, s.secretParams, s.nodes, stem)];
    }
    return processesOf(s, this.family).map((p) => {
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(p.params)) params[k] = this.fill(v, s);
      const secrets: Record<string, string> = {};
      for (const [k, purpose] of Object.entries(p.secretParams)) {
        params[k] = CIB_SECRET;
        secrets[k] = secretName(this.t, purpose);
      }
      // Topology params extend (or override) the catalogue's, on every OCF process of the
      // service: a systemd unit or init script takes none (catalog/unit-agents.ts).
      if (!isUnitAgent(p.agent)) {
        Object.assign(params, own);
        for (const k of Object.keys(own)) delete secrets[k];
        Object.assign(secrets, s.secretParams);
      }
      const prim: Primitive = { kind: 'primitive', id: primitiveId(p.id), ...parseAgent(p.agent), params: sortedPairs(params), meta: sortedPairs(p.meta), ops: toOps(p.operations), source: s.pointer };
      return withSecrets(prim, secrets, s.nodes, p.id);
    });
  }

  private storagePrimitives(s: Service): Primitive[] {
    const r = s.storage;
    if (!r) return [];
    const client = this.t.ceph?.pools[r.pool]?.client;
    const rbdParams: Record<string, string> = {
      name: r.image,
      pool: r.pool,
      // The agent's own default cephconf is broken ("/etc//.conf" in ceph-resource-agents 16.2).
      cephconf: '/etc/ceph/ceph.conf',
    };
    // The pool's client maps the image; its keyring is found by rbd in /etc/ceph by name.
    if (client) rbdParams.user = client;
    const mount = r.mount ?? s.entry?.storage?.mount ?? `/var/lib/${s.name}`;
    const fsParams = {
      // udev's rule for RBD names the mapped device by pool and image.
      device: `/dev/rbd/${r.pool}/${r.image}`,
      directory: mount,
      // The image's own choice, never the OSDs' (review m10: btrfs OSDs made MySQL's image btrfs).
      fstype: r.filesystem ?? 'xfs',
    };
    return [
      { kind: 'primitive', id: rbdId(s.name), class: 'ocf', provider: 'ceph', type: 'rbd', params: sortedPairs(rbdParams), meta: [], ops: RBD_OPS, source: r.pointer },
      { kind: 'primitive', id: filesystemId(s.name), class: 'ocf', provider: 'heartbeat', type: 'Filesystem', params: sortedPairs(fsParams), meta: [], ops: FILESYSTEM_OPS, source: r.pointer },
    ];
  }

  private service(s: Service): void {
    const procs = this.processPrimitives(s);
    if (!procs.length && !s.bundle) return;
    let res: Resource;
    if (s.bundle) {
      // A bundle holds at most one primitive: a custom service's agent (the rules refuse more).
      res = bundleResource(this.t, s, procs[0]);
    } else if (s.mode === 'active-active' || s.mode === 'promotable') {
      const members = [...this.importedMembers(s), ...procs];
      const inner: Primitive | Group = members.length === 1 && !s.cib?.group ? members[0]! : this.group(s, members);
      res = { kind: 'clone', id: s.cib?.cloneId ?? cloneId(s.name), child: inner, meta: s.cib?.cloneMeta ? sortedPairs(s.cib.cloneMeta) : cloneMeta(s), source: s.pointer };
    } else {
      const owned = s.vip && this.ownedVips.get(s.vip) === s.name ? [this.vipPrimitive(this.c.vips[s.vip]!)] : [];
      const members = [...this.storagePrimitives(s), ...owned, ...this.importedMembers(s), ...procs];
      res = members.length === 1 && !s.cib?.group ? members[0]! : this.group(s, members);
      if (this.waitsInPlace(s)) res.meta = [...res.meta, { name: 'critical', value: 'false' }].sort((a, b) => compareStrings(a.name, b.name));
    }
    const intent = intentMeta(s);
    if (intent.length) res.meta = [...res.meta.filter((m) => !intent.some((i) => i.name === m.name)), ...intent].sort((a, b) => compareStrings(a.name, b.name));
    this.resources.push(res);
    this.top.set(s.name, res.id);
    if (res.kind === 'clone') this.clones.add(res.id);
    this.placement(res.id, s.pointer, s.pinned ? s.nodes : undefined);
    serviceUtilization(s, res);
    this.constraints.push(...serviceRules(s, res.id));
  }

  /** The group of a service's members: g_<service>, or the imported group's id and meta. */
  private group(s: Service, members: Primitive[]): Group {
    const g = s.cib?.group;
    return { kind: 'group', id: g?.id ?? groupId(s.name), members, meta: sortedPairs(g?.meta ?? {}), source: s.pointer };
  }

  /** An imported group's members before the service's own primitive, as the cluster runs them. */
  private importedMembers(s: Service): Primitive[] {
    return (s.cib?.group?.members ?? []).map((m, i) => {
      const at = `${s.pointer}/cib/group_members/${i}`;
      return { kind: 'primitive', id: m.id, ...parseAgent(m.agent), params: sortedPairs(this.topologyParams(m.params, `${at}/params`)), meta: sortedPairs(m.meta), ops: toOps(m.operations), source: at };
    });
  }

  /**
   * A stateless active/passive service reached at a VIP, in a cluster where a service keeps its
   * state on an RBD image: were its failure to start allowed to pull the VIP elsewhere, the
   * services colocated with the VIP (the databases among them) would move too, an outage of every
   * service for one API's fault (HA review M8). critical=false keeps its colocation from
   * influencing where the VIP goes: it stays stopped until failure-timeout, then retries in place.
   */
  private waitsInPlace(s: Service): boolean {
    if (s.mode !== 'active-passive' || !s.vip || s.storage || !s.entry || !HA_NEEDS[s.entry.key]?.stateless) return false;
    return Object.values(this.c.services).some((x) => x.mode === 'active-passive' && x.storage);
  }

  /**
   * Keeps a resource on the nodes it may run on: the pinned nodes of a service, and in any case
   * off remote nodes (compute nodes run no control-plane service).
   */
  private placement(rsc: string, source: string, pinned: string[] | undefined): void {
    let l: Location | undefined;
    if (pinned) {
      l = {
        kind: 'location',
        id: locationId(rsc, 'nodes'),
        rsc,
        rule: { score: '-INFINITY', booleanOp: 'and', expressions: pinned.map((n) => ({ attribute: '#uname', operation: 'ne' as const, value: n })) },
        why: 'the service is restricted to these nodes in the topology',
        source,
      };
    } else if (this.c.remoteNodes.length) {
      l = {
        kind: 'location',
        id: locationId(rsc, 'nodes'),
        rsc,
        rule: { score: '-INFINITY', booleanOp: 'and', expressions: [{ attribute: '#kind', operation: 'ne', value: 'cluster' }] },
        // Without it every resource is probed on every compute node at each start-up and
        // refresh (review m12): the agents are not even installed there.
        resourceDiscovery: 'never',
        why: 'remote (compute) nodes run no cluster service (and are not probed for one)',
        source,
      };
    }
    if (l) this.constraints.push(l);
  }

  private serviceConstraints(s: Service): void {
    const me = this.top.get(s.name);
    if (!me) return;
    // A bundle of several replicas is placed like a clone: the VIP goes where one of them runs.
    const clone = this.clones.has(me) || (s.bundle !== undefined && s.bundle.replicas > 1);
    const vip = s.vip ? this.c.vips[s.vip] : undefined;
    const owner = vip ? this.ownedVips.get(vip.name) : undefined;
    if (vip && owner !== s.name) {
      // A VIP inside another service's group is reached through that group: constraints on a
      // group member are fragile (crmsh warns), and the group moves as one anyway.
      const ownerTop = owner ? this.top.get(owner) : undefined;
      const ip = ownerTop ?? vipId(vip.name);
      const via = ownerTop ? ` (it lives in ${ownerTop})` : '';
      if (s.mode === 'promotable') {
        this.colocation(ip, me, `VIP ${vip.name}${via} runs where ${s.name} is promoted: clients reach the instance that takes writes`, s.pointer, 'Promoted');
        this.order(me, ip, 'Mandatory', `VIP ${vip.name}${via} starts once ${s.name} is promoted, and stops before it is demoted: clients never reach an instance that cannot take writes`, s.pointer, 'promote');
      } else if (clone) {
        this.colocation(ip, me, `VIP ${vip.name}${via} runs only where an instance of ${s.name} runs`, s.pointer);
        this.order(me, ip, 'Optional', `VIP ${vip.name}${via} comes up after ${s.name} where both start together; an instance restarting elsewhere does not move it`, s.pointer);
      } else if (ownerTop) {
        this.colocation(me, ip, `${s.name} is reached at VIP ${vip.name}${via}`, s.pointer);
        this.order(ip, me, 'Optional', `${s.name} starts after VIP ${vip.name}${via} when both start together; a restart inside ${ownerTop} leaves it running`, s.pointer);
      } else if (s.entry && HA_NEEDS[s.entry.key]?.listensOnAnyAddress) {
        this.colocation(me, ip, `${s.name} is reached at VIP ${vip.name}`, s.pointer);
        this.order(ip, me, 'Optional', `${s.name} starts after VIP ${vip.name} when both start together; it listens on every address, so a VIP restart leaves it running`, s.pointer);
      } else {
        this.colocation(me, ip, `${s.name} is reached at VIP ${vip.name}`, s.pointer);
        this.order(ip, me, 'Mandatory', `${s.name} binds to the VIP address, so it starts after it and stops before it`, s.pointer);
      }
    }
    if (s.entry?.carriesVips && clone) {
      const named = new Set(Object.values(this.c.services).map((x) => x.vip));
      for (const v of Object.values(this.c.vips)) {
        if (named.has(v.name)) continue;
        this.colocation(vipId(v.name), me, `VIP ${v.name} runs only where an instance of ${s.name} runs: ${s.name} listens on it`, v.pointer);
        this.order(me, vipId(v.name), 'Optional', `VIP ${v.name} comes up after ${s.name} where both start together; an instance restarting elsewhere does not move it`, v.pointer);
      }
    }
    const local = new Set(s.entry?.with ?? []);
    for (const a of s.after) {
      const other = this.c.services[a];
      const first = this.top.get(a);
      if (!other || !first) continue;
      if (other.entry && local.has(other.entry.key)) {
        this.colocation(me, first, `${s.name} uses ${a} on its own node`, s.pointer);
        const bothClones = clone && this.clones.has(first);
        this.order(
          first,
          me,
          bothClones ? 'Mandatory' : 'Optional',
          bothClones ? `each node's ${s.name} starts after and stops before its own ${a} (interleaved clones)` : `${s.name} starts after ${a} when both start together; a restart of ${a} leaves it running`,
          s.pointer,
        );
      } else if (other.mode === 'promotable') {
        this.order(first, me, 'Optional', `${s.name} starts after ${a} is promoted when both start together (it needs an instance that takes writes); it reconnects by itself after a failover, so no forced restart`, s.pointer, 'promote');
      } else {
        this.order(first, me, 'Optional', `${s.name} starts after ${a} when both start together; it reconnects by itself when ${a} restarts, so no forced restart`, s.pointer);
      }
    }
  }

  /**
   * The VIP most catalogue services of the cluster are reached at (at least two, active/passive,
   * all colocated with it) carries the control-plane stack. Every other VIP lives on the stack's
   * node too: the API daemons listen on every address of that node only, so a customer VIP
   * elsewhere reaches none of them (review M5). Its own services follow it there.
   */
  private vipsFollowStack(): void {
    const users = new Map<string, number>();
    for (const s of Object.values(this.c.services)) {
      if (s.entry && s.vip && s.mode === 'active-passive' && this.c.vips[s.vip]) users.set(s.vip, (users.get(s.vip) ?? 0) + 1);
    }
    const ranked = [...users.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [first, second] = ranked;
    if (!first || first[1] < 2 || (second && second[1] === first[1])) return;
    const owner = this.ownedVips.get(first[0]);
    const stack = (owner && this.top.get(owner)) ?? vipId(first[0]);
    for (const v of Object.values(this.c.vips)) {
      if (v.name === first[0]) continue;
      const held = this.ownedVips.get(v.name);
      const rsc = (held && this.top.get(held)) ?? vipId(v.name);
      if (rsc === stack) continue;
      this.colocation(rsc, stack, `the API daemons run with ${stack} and listen on every address of its node: VIP ${v.name} must be on that node to reach them`, v.pointer);
      // The VIP must also be where an instance of each active/active clone behind it runs. Were
      // the stack free to stay on a node whose instance failed to start, the VIP could be with
      // neither and both the clone and the APIs would be unreachable at it: the stack goes only
      // where an instance runs, so such a failure moves it (as any failed API start does).
      for (const s of Object.values(this.c.services)) {
        const me = this.top.get(s.name);
        if (s.vip !== v.name || s.mode !== 'active-active' || !me || !this.clones.has(me)) continue;
        this.colocation(stack, me, `VIP ${v.name} runs with ${stack} and with an instance of ${s.name}: ${stack} runs only where one does, so the VIP always has both`, s.pointer);
      }
    }
  }

  /** Colocations and orders between the same two resources are one constraint with both reasons. */
  private colocation(rsc: string, withRsc: string, why: string, source: string, withRscRole?: 'Promoted'): void {
    const id = colocationId(rsc, withRsc);
    const seen = this.between.get(id);
    if (seen?.kind === 'colocation' && seen.rsc === rsc && seen.withRsc === withRsc && seen.withRscRole === withRscRole) {
      seen.why = `${seen.why}; ${why}`;
      return;
    }
    const k: Colocation = { kind: 'colocation', id, rsc, withRsc, score: 'INFINITY', why, source };
    if (withRscRole) k.withRscRole = withRscRole;
    this.between.set(id, k);
    this.constraints.push(k);
  }

  private order(first: string, then: string, orderKind: 'Mandatory' | 'Optional', why: string, source: string, firstAction?: 'promote'): void {
    const id = orderId(first, then);
    const seen = this.between.get(id);
    if (seen?.kind === 'order' && seen.first === first && seen.then === then && seen.firstAction === firstAction) {
      // Mandatory is the stronger promise: it holds whenever Optional would.
      if (orderKind === 'Mandatory' && seen.orderKind === 'Optional') {
        seen.orderKind = 'Mandatory';
        seen.why = why;
      } else if (orderKind === seen.orderKind) seen.why = `${seen.why}; ${why}`;
      return;
    }
    const k: Order = { kind: 'order', id, first, then, orderKind, why, source };
    if (firstAction) k.firstAction = firstAction;
    this.between.set(id, k);
    this.constraints.push(k);
  }

  /**
   * IPaddr2 does not watch link state: a VIP stays on a node whose NIC, cable or switch port on the
   * VIP's network failed. Per network carrying a VIP, a ping clone counts on every node how many
   * nodes outside the cluster it reaches there, and each VIP prefers the nodes that reach more.
   * Targets are outside the cluster and are no compute node: a member whose link failed is also the target its peers
   * lose, so pinging members would lower every node's score alike and tell them apart by nothing.
   * No targets on a network, no monitoring: there is nothing a node could be compared by.
   */
  private connectivity(): void {
    const c = this.c;
    const inside = new Set([...c.nodes, ...c.remoteNodes]);
    const networks = [...new Set(Object.values(c.vips).map((v) => v.network))].sort();
    for (const net of networks) {
      const targets = Object.values(this.t.nodes)
        // Hypervisors are no reference for a link: a tenant's load or a compute node's reboot
        // would move the control plane (review M8). Infrastructure nodes stay up and idle.
        .filter((n) => !inside.has(n.name) && n.addresses[net] !== undefined && !n.roles.includes('compute'))
        .sort((a, b) => compareStrings(a.name, b.name))
        .slice(0, PING_TARGETS);
      if (!targets.length) continue;
      const attribute = pingAttribute(net);
      const source = pointerOf('networks', net);
      const vips = Object.values(c.vips).filter((x) => x.network === net);
      const rscOf = (v: Vip): string => {
        const owner = this.ownedVips.get(v.name);
        return (owner && this.top.get(owner)) ?? vipId(v.name);
      };
      const stack = Math.max(...vips.map((v) => this.stackSize(rscOf(v))));
      const multiplier = pingMultiplier(stack);
      // Reaching fewer than half the targets (rounded up) is a lost link; one target of three
      // rebooting, or unreachable from one node only, is not (review M8).
      const need = pingQuorum(targets.length);
      const hosts = targets.map((n) => n.addresses[net]!);
      const params: Record<string, string> = { dampen: PING_DAMPEN, host_list: hosts.join(' '), multiplier: String(multiplier), name: attribute };
      const ping: Primitive = { kind: 'primitive', id: pingId(net), class: 'ocf', provider: 'pacemaker', type: 'ping', params: sortedPairs(params), meta: [], ops: PING_OPS, source };
      // interleave: a VIP's rule reads the attribute of its own node only.
      this.resources.push({ kind: 'clone', id: pingCloneId(net), child: ping, meta: [{ name: 'interleave', value: 'true' }], source });
      // The clone runs where the VIPs may (off remote nodes, whose attribute no VIP reads).
      this.placement(pingCloneId(net), source, undefined);
      const who = targets.map((n) => `${n.name} (${n.addresses[net]})`).join(', ');
      for (const v of vips) {
        const rsc = rscOf(v);
        // A bonus where the attribute says the link is up, rather than a score by the count or a
        // ban: one target's difference between nodes (both still up) moves nothing; a node that
        // lost its link scores less than one that did not; when every node lost its targets (the
        // targets are down, not the links) every node scores the same and nothing moves. Never a
        // penalty: a node with a negative score may run nothing, so one on every node would stop
        // the stack. Where the attribute is not defined (ping not started yet, a simulation
        // without status) the rule adds nothing, so monitoring can never stop a VIP. The bonus is
        // the multiplier, which outweighs the stickiness of the stack the VIP carries. No order
        // with the clone: the VIP neither needs ping to run nor should stop when ping is restarted.
        this.constraints.push({
          kind: 'location',
          id: locationId(vipId(v.name), 'connected'),
          rsc,
          rule: { score: String(multiplier), booleanOp: 'and', expressions: [{ attribute, operation: 'defined' }, { attribute, operation: 'gte', value: String(need * multiplier) }] },
          why: `VIP ${v.name}${rsc === vipId(v.name) ? '' : ` (in ${rsc})`} prefers the nodes that reach at least ${need} of ${who} on network ${net}: a node whose link there failed scores lower, and the VIP moves; one target's difference moves nothing`,
          source: v.pointer,
        });
      }
    }
  }

  /**
   * Primitives whose stickiness holds `rsc` where it is: its own and those of every resource
   * colocated with it or it is colocated with, directly or through another (Pacemaker adds a
   * dependent's node scores to the resource it is colocated with, and moving a dependent with an
   * INFINITY colocation moves its primary).
   */
  private stackSize(rsc: string): number {
    const size = new Map(this.resources.map((r) => [r.id, primitivesOf(r).length]));
    const seen = new Set([rsc]);
    const todo = [rsc];
    for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
      for (const k of this.constraints) {
        if (k.kind !== 'colocation') continue;
        for (const [from, to] of [[k.withRsc, k.rsc], [k.rsc, k.withRsc]] as const) {
          if (from === id && !seen.has(to)) {
            seen.add(to);
            todo.push(to);
          }
        }
      }
    }
    return [...seen].reduce((n, id) => n + (size.get(id) ?? 0), 0);
  }

  private stonith(node: Node): void {
    const f = node.fencing!;
    const entry = fenceAgentEntry(f.agent);
    const params: Record<string, string> = { ...this.topologyParams(f.params, `${f.pointer}/params`) };
    if (f.address && entry.address) params[entry.address] = f.address;
    if (f.username && entry.username) params[entry.username] = f.username;
    if (f.password && entry.password) {
      params[entry.password.param] = entry.password.ref === 'script' ? secretScriptPath(f.password) : secretFilePath(f.password);
      Object.assign(params, entry.password.extra ?? {});
    }
    if (entry.lanplus) params[entry.lanplus.param] = f.lanplus ? entry.lanplus.on : entry.lanplus.off;
    if (entry.host) params[entry.host] = node.name;
    // The device fences exactly this node (pcmk_host_check defaults to static-list with it).
    params.pcmk_host_list = node.name;
    const id = this.fenceId(node.name);
    // pacemaker-fenced runs a device on the cluster's members only (never on a remote node), and
    // never this one on the node it fences (the location below): the others hold its secrets.
    const runners = this.c.nodes.filter((n) => n !== node.name);
    this.resources.push(withSecrets({ kind: 'primitive', id, class: 'stonith', type: f.agent, params: sortedPairs(params), meta: sortedPairs(f.cib?.meta ?? {}), ops: f.cib?.operations ? toOps(f.cib.operations) : STONITH_OPS, source: f.pointer }, f.secretParams, runners));
    this.constraints.push({
      kind: 'location',
      id: f.cib?.locationId ?? locationId(id, `avoid_${node.name}`),
      rsc: id,
      node: node.name,
      score: '-INFINITY',
      why: 'a node never runs the device that fences it: a hung node could not fence itself',
      source: f.pointer,
    });
  }

  /**
   * A device fencing several nodes, each at its port (pcmk_host_map). It may run on any node:
   * the node it fences is never the one that fences it, and it serves the others too.
   */
  private sharedStonith(d: FenceDevice): void {
    const entry = fenceAgentEntry(d.agent);
    const params: Record<string, string> = { ...this.topologyParams(d.params, `${d.pointer}/params`) };
    if (d.address && entry.address) params[entry.address] = d.address;
    if (d.username && entry.username) params[entry.username] = d.username;
    if (d.password && entry.password) {
      params[entry.password.param] = entry.password.ref === 'script' ? secretScriptPath(d.password) : secretFilePath(d.password);
      Object.assign(params, entry.password.extra ?? {});
    }
    // A host list gives the agent each node's own name as its port (HA3210 holds ports to that).
    if (d.cib?.hostList) params.pcmk_host_list = d.portOrder.join(' ');
    else
      params.pcmk_host_map = Object.entries(d.ports)
        .map(([node, port]) => `${node}:${port}`)
        .join(';');
    const ops = d.cib?.operations ? toOps(d.cib.operations) : STONITH_OPS;
    this.resources.push(withSecrets({ kind: 'primitive', id: this.deviceId(d.name), class: 'stonith', type: d.agent, params: sortedPairs(params), meta: sortedPairs(d.cib?.meta ?? {}), ops, source: d.pointer }, d.secretParams, this.c.nodes));
  }

  /** The stonith id of a node's own device: st_<node>, or the one an imported device keeps. */
  private fenceId(node: string): string {
    return this.t.nodes[node]?.fencing?.cib?.id ?? stonithId(node);
  }

  /** The stonith id of a shared device: st_<name>, or the one an imported device keeps. */
  private deviceId(name: string): string {
    return this.c.fenceDevices[name]?.cib?.id ?? stonithId(name);
  }

  /**
   * fence_sbd writes the poison pill to every disk it is given. It may run on any member: the
   * victim's slot is on the shared disks, so any survivor reaches it; it finds its targets in the
   * disks' slot list (no static host list).
   */
  private sbdStonith(): void {
    const sbd = this.c.sbd!;
    const params = [{ name: 'devices', value: sbd.devices.join(',') }];
    const ops = sbd.cib?.operations ? toOps(sbd.cib.operations) : STONITH_OPS;
    this.resources.push({ kind: 'primitive', id: this.sbdId(), class: 'stonith', type: 'fence_sbd', params, meta: sortedPairs(sbd.cib?.meta ?? {}), ops, source: `${sbd.pointer}/devices` });
  }

  /** The fence_sbd device's id: st_sbd, or the one an imported device keeps. */
  private sbdId(): string {
    return this.c.sbd?.cib?.id ?? SBD_STONITH_ID;
  }

  /**
   * Levels for every node a shared device or SBD fences besides its own device: its own device
   * first (the quickest, and exact), then every shared device naming it, together in one level (a
   * node fed by two PDUs is off only when both outlets are), then SBD's poison pill, which needs
   * neither the node's BMC nor a PDU but waits msgwait.
   */
  private fencingLevels(computes: string[]): FencingLevel[] {
    const c = this.c;
    const levels: FencingLevel[] = [];
    const sbd = c.sbd?.devices.length ? c.sbd : undefined;
    const byTarget = this.targetLevels(sbd !== undefined);
    if (c.fencing.levels) return [...this.writtenLevels(c.fencing.levels, c.fencing.level_ids ?? {}, sbd !== undefined), ...byTarget];
    for (const n of [...c.nodes, ...c.remoteNodes].sort()) {
      const shared = Object.values(c.fenceDevices).filter((d) => d.ports[n] !== undefined);
      const ha = computes.includes(n);
      const node = this.t.nodes[n];
      // Remote nodes run no sbd: the poison pill reaches cluster members only.
      const pill = sbd && c.nodes.includes(n);
      if (!shared.length && !ha && !(pill && node?.fencing)) continue;
      const tiers: { devices: string[]; source: string }[] = [];
      if (node?.fencing) tiers.push({ devices: [this.fenceId(n)], source: node.fencing.pointer });
      if (shared.length) tiers.push({ devices: shared.map((d) => this.deviceId(d.name)), source: `${shared[0]!.pointer}/ports/${n}` });
      if (pill) tiers.push({ devices: [this.sbdId()], source: `${sbd.pointer}/devices` });
      // Instance HA: every level powers the node off first, then tells nova (fence_compute), so
      // whichever level succeeds, nova learns the node is down only once it is.
      const after = ha ? [stonithId(INSTANCE_HA.device.name)] : [];
      tiers.forEach((t, i) => levels.push({ id: fencingLevelId(n, i + 1), target: n, index: i + 1, devices: [...t.devices, ...after], source: t.source }));
    }
    return [...levels, ...byTarget];
  }

  /** The devices a written level names, by their stonith ids (the levels rule made sure each name is one device). */
  private levelDeviceId(name: string, pill: boolean): string {
    return this.c.fenceDevices[name] ? this.deviceId(name) : name === 'sbd' && pill ? this.sbdId() : this.fenceId(name);
  }

  /** Levels for the nodes a pattern or a node attribute selects (fencing.target_levels), ids as written or fl_targets_<n>_<index>. */
  private targetLevels(pill: boolean): FencingLevel[] {
    return (this.c.fencing.target_levels ?? []).flatMap((t, k) => {
      const by = t.pattern !== undefined ? { pattern: t.pattern } : { attribute: t.attribute!, value: t.value! };
      const label = 'pattern' in by ? `pattern:${by.pattern}` : `attr:${by.attribute}=${by.value}`;
      const source = pointerOf('clusters', this.c.name, 'fencing', 'target_levels', k);
      return t.levels.map((devices, i) => ({ id: t.ids?.[i] ?? fencingLevelId(`targets_${k + 1}`, i + 1), target: label, index: i + 1, devices: devices.map((d) => this.levelDeviceId(d, pill)), source: `${source}/levels/${i}`, by, ...(t.ids?.[i] !== undefined ? { keptId: true } : {}) }));
    });
  }

  /**
   * Levels written out in the topology (an imported cluster's, as it runs them): each device named
   * by its node (that node's own device), its fence_devices key, or sbd. The levels rule
   * (HA3211, HA3212) has made sure every name is one of them.
   */
  private writtenLevels(written: Record<string, string[][]>, ids: Record<string, string[]>, pill: boolean): FencingLevel[] {
    const source = pointerOf('clusters', this.c.name, 'fencing', 'levels');
    const idOf = (name: string): string => this.levelDeviceId(name, pill);
    return Object.keys(written)
      .sort(compareStrings)
      .flatMap((n) => written[n]!.map((devices, i) => ({ id: ids[n]?.[i] ?? fencingLevelId(n, i + 1), target: n, index: i + 1, devices: devices.map(idOf), source: `${source}/${n}/${i}`, ...(ids[n]?.[i] !== undefined ? { keptId: true } : {}) })));
  }

  /**
   * Instance HA's resources: fence_compute for the compute nodes (logging in at Keystone's VIP as
   * nova's service user, its password through a root-only script apply installs; it provides
   * unfencing), and a clone on the compute nodes that requires unfencing.
   */
  private instanceHa(computes: string[]): void {
    const ha = this.t.compute!.instanceHa!;
    const d = INSTANCE_HA.device;
    const params: Record<string, string> = {
      ...d.params,
      auth_url: instanceHaAuthUrl(this.c)!,
      [d.passwordParam]: secretScriptPath(secretName(this.t, d.passwordPurpose)),
      pcmk_host_list: [...computes].sort(compareStrings).join(' '),
    };
    if (this.t.region) params.region_name = this.t.region;
    this.resources.push({
      kind: 'primitive',
      id: stonithId(d.name),
      class: 'stonith',
      type: d.agent,
      params: sortedPairs(params),
      meta: sortedPairs(d.meta),
      ops: STONITH_OPS,
      source: ha.pointer,
    });
    const tr = INSTANCE_HA.trigger;
    const p: Primitive = { kind: 'primitive', id: primitiveId(tr.id), ...tr.agent, params: [], meta: sortedPairs(tr.meta), ops: TRIGGER_OPS, source: ha.pointer };
    const clone = { kind: 'clone' as const, id: cloneId(tr.id), child: p, meta: [{ name: 'interleave', value: 'true' }], source: ha.pointer };
    this.resources.push(clone);
    this.constraints.push({
      kind: 'location',
      id: locationId(clone.id, 'computes'),
      rsc: clone.id,
      rule: { score: '-INFINITY', booleanOp: 'and', expressions: [{ attribute: '#kind', operation: 'ne', value: 'remote' }] },
      why: 'the unfence trigger runs on the compute nodes only: a fenced compute node starts it again only after fence_compute unfenced it (nova has it back)',
      source: ha.pointer,
    });
  }

  private remote(name: string, index: number): void {
    const node = this.t.nodes[name];
    const link = this.c.links[0] ?? 'management';
    const params: Record<string, string> = { reconnect_interval: REMOTE_RECONNECT_INTERVAL };
    // pacemaker_remote is reached over the cluster's first corosync link network.
    const server = node?.addresses[link] ?? node?.addresses.management;
    if (server) params.server = server;
    this.resources.push({
      kind: 'primitive',
      id: name,
      class: 'ocf',
      provider: 'pacemaker',
      type: 'remote',
      params: sortedPairs(params),
      meta: [],
      ops: REMOTE_OPS,
      source: pointerOf('clusters', this.c.name, 'remote_nodes', index),
    });
  }

  /**
   * The topology's raw CIB fragments, checked: well-formed XML (no DOCTYPE, no entity but XML's
   * own: the parser refuses them), only elements the section holds at its top, each with an XML
   * id, and every id in them unique across the fragments and hactl's own objects. What Pacemaker
   * itself would refuse inside an element (an unknown attribute) is crm_verify's to find, which
   * apply runs on every candidate before it pushes.
   */
  private rawFragments(config: ClusterConfig): ClusterConfig['raw'] {
    const taken = new Map<string, string>();
    for (const r of config.resources) {
      taken.set(r.id, r.kind);
      if (r.kind === 'clone') taken.set(r.child.id, r.child.kind);
      if (r.kind === 'bundle') for (const m of [...(r.network?.ports ?? []), ...r.storage]) taken.set(m.id, 'bundle mapping');
      for (const p of primitivesOf(r)) taken.set(p.id, 'primitive');
    }
    for (const k of config.constraints) taken.set(k.id, k.kind);
    for (const l of config.fencingLevels) taken.set(l.id, 'fencing level');
    taken.set(OWNERSHIP_SET, 'record of ownership apply writes');
    // Node entries: a remote node's entry is named after it, like its connection resource, so
    // node names are a space of their own.
    const unames = new Map<string, string>();
    for (const n of config.nodes) {
      unames.set(n.uname, 'node of the topology');
      for (const [set, pairs] of [[`nodes-${n.id}`, n.attributes ?? []], [`nodes-${n.id}-utilization`, n.utilization ?? []]] as const) {
        if (!pairs.length) continue;
        taken.set(set, 'node attribute set hactl writes');
        for (const p of pairs) taken.set(`${set}-${p.name}`, 'node attribute hactl writes');
      }
    }
    const fragments = this.mergeRawProperties(config);
    for (const [section, pairs] of [['crm_config', config.properties], ['rsc_defaults', config.rscDefaults], ['op_defaults', config.opDefaults]] as const) {
      // hactl's own set is written only when it holds a pair: an imported cluster may keep its own set of that id raw.
      if (!pairs.length) continue;
      taken.set(HACTL_SET_IDS[section], `${section} set hactl writes`);
      for (const p of pairs) taken.set(`${HACTL_SET_IDS[section]}-${p.name}`, `${section} pair hactl writes`);
    }
    const out: ClusterConfig['raw'] = [];
    for (const f of fragments) {
      // Parsed inside its section's element, so that a message about the wrapping names it.
      const parsed = parseXml(`<${f.section}>${f.xml}</${f.section}>`);
      if (!parsed.ok) {
        this.diagnostics.push(diag('HA3100', f.pointer, { section: f.section, detail: parsed.error.message }));
        continue;
      }
      const allowed: readonly string[] = RAW_SECTIONS[f.section];
      const elements: XmlElement[] = [];
      for (const e of parsed.root.children) {
        if (!allowed.includes(e.name)) {
          this.diagnostics.push(diag('HA3100', f.pointer, { section: f.section, detail: `<${e.name}> does not belong at the top of <${f.section}>, which holds ${allowed.map((a) => `<${a}>`).join(', ')}` }));
          continue;
        }
        if (f.section === 'nodes' && (e.attrs.type !== 'remote' || e.attrs.uname === undefined)) {
          this.diagnostics.push(diag('HA3100', f.pointer, { section: f.section, detail: `<node id="${e.attrs.id ?? ''}"> is no remote node entry (type="remote" with a uname): a cluster member is a node of the topology` }));
          continue;
        }
        if (e.attrs.id === undefined || !isXmlId(e.attrs.id)) {
          this.diagnostics.push(diag('HA3100', f.pointer, { section: f.section, detail: `<${e.name}> needs an id that is an XML id` }));
          continue;
        }
        elements.push(e);
      }
      if (!parsed.root.children.length) this.diagnostics.push(diag('HA3100', f.pointer, { section: f.section, detail: 'it holds no element' }));
      const walk = (e: XmlElement) => {
        const id = e.attrs.id;
        // resource_ref and obj_ref name another object's id: a reference, not an id of their own;
        // a node entry's id is no XML ID (a remote node's is its connection resource's id).
        if (e.name === 'node') {
          const other = unames.get(e.attrs.uname ?? '') ?? unames.get(id ?? '');
          if (other !== undefined) this.diagnostics.push(diag('HA3101', f.pointer, { id: e.attrs.uname ?? id ?? '', section: f.section, other }));
          else unames.set(e.attrs.uname ?? id ?? '', `<node> of raw_cib ${f.section}`);
        } else if (id !== undefined && e.name !== 'resource_ref' && e.name !== 'obj_ref' && e.name !== 'role') {
          const other = taken.get(id);
          if (other !== undefined) this.diagnostics.push(diag('HA3101', f.pointer, { id, section: f.section, other }));
          else taken.set(id, `<${e.name}> of raw_cib ${f.section}`);
        }
        for (const c of e.children) walk(c);
      };
      for (const e of elements) walk(e);
      if (f.section in HACTL_SET_IDS) for (const e of elements) this.unknownProperties(f.section as SetSection, e, f.pointer);
      for (const e of elements) if (!crmshCarries(f.section, e)) this.diagnostics.push(diag('HA3224', f.pointer, { section: f.section, id: e.attrs.id ?? '' }));
      if (elements.length) out.push({ section: f.section, elements });
    }
    return out;
  }

  /**
   * A raw crm_config, rsc_defaults or op_defaults set with the id of hactl's own set is that set:
   * its pairs join the pairs hactl writes there (config.properties, rscDefaults or opDefaults,
   * mutated), for options the typed keys refuse because Pacemaker 2.1 does not know them (an
   * imported Pacemaker 3 cluster's fencing-enabled, a defaults set's option of a newer release).
   * It holds name/value pairs only, none the topology sets otherwise. The other fragments are
   * returned as they are.
   */
  private mergeRawProperties(config: ClusterConfig): Cluster['rawCib'] {
    const rest: Cluster['rawCib'] = [];
    const written = { crm_config: config.properties, rsc_defaults: config.rscDefaults, op_defaults: config.opDefaults };
    for (const f of this.c.rawCib) {
      const section = f.section in HACTL_SET_IDS ? (f.section as SetSection) : undefined;
      const parsed = section ? parseXml(`<${section}>${f.xml}</${section}>`) : undefined;
      const own = section && parsed?.ok ? parsed.root.children.filter((e) => e.name === RAW_SECTIONS[section][0] && e.attrs.id === HACTL_SET_IDS[section]) : [];
      if (!section || !own.length || !parsed?.ok) {
        rest.push(f);
        continue;
      }
      const id = HACTL_SET_IDS[section];
      const { options, kind, option, key } = SET_OPTIONS[section];
      const pairs = written[section];
      for (const set of own) {
        const extra = Object.keys(set.attrs).filter((a) => a !== 'id');
        const odd = set.children.find((c) => c.name !== 'nvpair' || c.attrs.name === undefined || c.attrs.value === undefined);
        if (extra.length || odd) {
          this.diagnostics.push(diag('HA3220', f.pointer, { section, id, key, what: extra.length ? `the attribute ${extra[0]}` : `<${odd!.name}>${odd!.name === 'nvpair' ? ' without a name or value' : ''}` }));
          continue;
        }
        for (const nv of set.children) {
          const name = nv.attrs.name!;
          if (pairs.some((p) => p.name === name)) this.diagnostics.push(diag('HA3221', f.pointer, { kind, name, section, id, key }));
          else if (name in options) this.diagnostics.push(diag('HA3222', f.pointer, { name, section, id, option, key }));
          else pairs.push({ name, value: nv.attrs.value!, why: `raw_cib ${section}: an option Pacemaker 2.1 does not know, passed as written`, topology: true });
        }
      }
      pairs.sort((a, b) => compareStrings(a.name, b.name));
      const others = parsed.root.children.filter((e) => !own.includes(e));
      if (others.length) rest.push({ ...f, xml: others.map((e) => serializeXml(e)).join('') });
    }
    return rest;
  }

  /** Warns of each pair in a raw attribute set that names no option Pacemaker 2.1 knows: the cluster ignores it. */
  private unknownProperties(section: SetSection, set: XmlElement, pointer: string): void {
    const { options, kind } = SET_OPTIONS[section];
    for (const nv of set.children) {
      const name = nv.attrs.name;
      if (nv.name !== 'nvpair' || name === undefined || name in options || (section === 'crm_config' && CLUSTER_MAINTAINED_PROPERTIES.has(name))) continue;
      this.diagnostics.push(diag('HA3223', pointer, { kind, name, section, set: set.attrs.id ?? '' }));
    }
  }

  /** Every id is a valid XML id and unique in the CIB. */
  private checkIds(config: ClusterConfig): void {
    const seen = new Map<string, string>();
    const what = new Map<string, string>();
    const note = (id: string, kind: string, source: string) => {
      if (!isXmlId(id)) throw new Error(`derived id ${id} is not an XML id`);
      const first = seen.get(id);
      if (first === undefined) {
        seen.set(id, source);
        what.set(id, `${kind} from ${source}`);
      } else {
        this.diagnostics.push(diag('HA3901', source, { id, what: kind, other: what.get(id)! }));
      }
    };
    // Node unames share the id space only with remote connections (Pacemaker names a remote
    // node after its resource), which cannot be members too: the membership rule reports that.
    for (const r of config.resources) {
      if (r.kind === 'clone') note(r.id, 'clone', r.source);
      if (r.kind === 'bundle') {
        note(r.id, 'bundle', r.source);
        for (const m of [...(r.network?.ports ?? []), ...r.storage]) note(m.id, 'bundle mapping', r.source);
      }
      const inner = r.kind === 'clone' ? r.child : r;
      if (inner.kind === 'group') note(inner.id, 'group', inner.source);
      for (const p of primitivesOf(r)) note(p.id, `primitive ${p.class}${p.provider ? ':' + p.provider : ''}:${p.type}`, p.source);
    }
    for (const k of config.constraints) note(k.id, k.kind, k.source);
    for (const l of config.fencingLevels) note(l.id, 'fencing level', l.source);
    for (const k of config.sets) note(k.id, k.kind === 'order-set' ? 'order set' : 'colocation set', k.source);
    for (const a of config.alerts) note(a.id, 'alert', a.source);
    for (const g of config.tags) note(g.id, 'tag', g.source);
  }
}

/** Meta attributes of the clone of an active-active or promotable service. */
/**
 * The service's intent as the meta attributes an operator's `crm resource stop`, `unmanage` and
 * `maintenance` would write, on its outermost resource (what those commands act on), so that apply
 * can tell the two apart (diff/runtime.ts).
 */
function intentMeta(s: Service): NvPair[] {
  const i = s.intent;
  if (!i) return [];
  return [
    ...(i.unmanaged ? [{ name: 'is-managed', value: 'false', topology: true }] : []),
    ...(i.maintenance ? [{ name: 'maintenance', value: 'true', topology: true }] : []),
    ...(i.stopped ? [{ name: 'target-role', value: 'Stopped', topology: true }] : []),
  ];
}

function cloneMeta(s: Service): NvPair[] {
  const meta: NvPair[] = [];
  if (s.instances !== undefined) meta.push({ name: 'clone-max', value: String(s.instances) });
  // interleave: an instance depends only on the instances of other clones on its own node.
  meta.push({ name: 'interleave', value: 'true' });
  if (s.notify) meta.push({ name: 'notify', value: 'true' });
  if (s.promotion) {
    meta.push({ name: 'promotable', value: 'true' }, { name: 'promoted-max', value: String(s.promotion.promoted) });
    if (s.promotion.perNode !== undefined) meta.push({ name: 'promoted-node-max', value: String(s.promotion.perNode) });
  }
  return meta;
}

function sortConstraints(list: Constraint[]): Constraint[] {
  const rank = { location: 0, colocation: 1, order: 2 } as const;
  return [...list].sort((a, b) => rank[a.kind] - rank[b.kind] || compareStrings(a.id, b.id));
}
