/**
 * The availability estimate: for each service, the probability that a request to it fails
 * because the service or something on its path (database, queue, Keystone, Ceph) is down, from
 * per-node and per-link failure rates and repair times. Pure; every number it uses and every term
 * it adds is returned, so that the report can show the arithmetic.
 *
 * Model (also in the README and in every report):
 *  - Units fail independently: a node (q = MTTR / (MTBF + MTTR)), and a node's attachment to one
 *    network (NIC, cable, switch port). Attachments of bonded nodes are left out (a bond fails
 *    only when all of its ports do). Whole networks (switches) are assumed redundant.
 *  - Steady-state unavailability of the path ≈ the sum, over the minimal sets of units whose joint
 *    failure stops it (corosync quorum and partitions, fencing, nodes allowed to run each service
 *    and reaching its VIP and Ceph, Ceph copies and monitor majority), of the product of their q
 *    (rare-event approximation, sets of up to 3 units).
 *  - plus the outage of every failover: each failure of a node running an active/passive
 *    service of the path costs failover_seconds; each failure of a Ceph host pauses I/O for
 *    ceph_failover_seconds;
 *  - plus, per VIP on the path, the unavailability of one attachment to its network when a link
 *    failure on the node holding it goes unnoticed (Pacemaker's IPaddr2 monitor does not watch
 *    link state): it lasts until repaired. A VIP whose network the compiled CIB monitors (a ping
 *    clone whose attribute scores the VIP's resource) moves instead: one failover per such failure.
 */
import { pingAttribute, vipId } from '../compile/pacemaker/ids.js';
import { agentOf, paramOf, primitivesOf } from '../compile/pacemaker/model.js';
import type { Lowered } from '../lower/index.js';
import type { Ceph, Cluster, Service, Topology } from '../model/types.js';
import { sbdFences } from '../model/sbd.js';
import type { BrokenService } from './services.js';
import { HA_NEEDS } from '../catalog/ha-needs.js';
import { wsrepNetwork } from '../model/rules/arbiter.js';
import {
  arbiterOf,
  attached,
  combinations,
  keptAlive,
  majorityKept,
  osdCounts,
  quoratePartitions,
  pathOf,
  placedCopies,
  possibleNodes,
  usesCeph,
  NO_FAILURE,
  type FailureSet,
} from './model.js';
import { compareStrings } from '../util/compare.js';

export const HOURS_PER_YEAR = 8766; // 365.25 days

/** Defaults stated in every report and in the README; the topology's `availability` overrides them. */
export const DEFAULT_RATES = {
  node: { mtbfHours: 8760, mttrHours: 8 },
  link: { mtbfHours: 87600, mttrHours: 4 },
  failoverSeconds: 60,
  cephFailoverSeconds: 30,
} as const;

/** Sets of more units than this are not summed: their products are orders of magnitude smaller. */
export const MAX_CUT_ORDER = 3;
/** Paths with more units than this are enumerated to pairs only (their triples cost too much to list). */
export const MAX_UNITS_FOR_ORDER_3 = 60;
/** Failure sets listed in a report per path; the rest are summed. */
export const KEPT_CUT_SETS = 20;

export interface Rates {
  node: { mtbfHours: number; mttrHours: number };
  link: { mtbfHours: number; mttrHours: number };
  failoverSeconds: number;
  cephFailoverSeconds: number;
  /** Which values came from the topology rather than the defaults. */
  overridden: string[];
}

export interface Unit {
  /** `node:ctl1` or `link:ctl1/management`. */
  id: string;
  kind: 'node' | 'link';
  q: number;
}

export interface Term {
  /** What the term stands for, e.g. "ctl1 + ctl2 down" or "failover: controllers". */
  label: string;
  /** The arithmetic, e.g. "9.12e-4 × 9.12e-4". */
  formula: string;
  value: number;
}

export interface PathEstimate {
  /** The service the path is named after, and its pointer. */
  service: string;
  cluster: string;
  pointer: string;
  /** Services the path needs (the service itself first), and whether it needs Ceph. */
  needs: string[];
  ceph: boolean;
  /** The largest minimal failure sets, largest first ... */
  cutSets: Term[];
  /** ... and how many more there are, with their sum (included in the unavailability). */
  otherCutSets: { count: number; value: number };
  failover: Term[];
  /** One per VIP on the path whose holder's link failure Pacemaker would not notice. */
  undetected: (Term & { cluster: string; vip: string; network: string })[];
  unavailability: number;
  /** In percent. */
  availability: number;
  minutesPerYear: number;
  meetsSla?: boolean;
}

export interface AvailabilityReport {
  rates: Rates;
  assumptions: string[];
  sla?: number;
  paths: PathEstimate[];
}

export function ratesOf(t: Topology): Rates {
  const a = t.availability;
  const overridden: string[] = [];
  const pick = (v: number | undefined, d: number, name: string): number => {
    if (v === undefined) return d;
    overridden.push(name);
    return v;
  };
  return {
    node: {
      mtbfHours: pick(a?.node.mtbfHours, DEFAULT_RATES.node.mtbfHours, 'node.mtbf_hours'),
      mttrHours: pick(a?.node.mttrHours, DEFAULT_RATES.node.mttrHours, 'node.mttr_hours'),
    },
    link: {
      mtbfHours: pick(a?.link.mtbfHours, DEFAULT_RATES.link.mtbfHours, 'link.mtbf_hours'),
      mttrHours: pick(a?.link.mttrHours, DEFAULT_RATES.link.mttrHours, 'link.mttr_hours'),
    },
    failoverSeconds: pick(a?.failoverSeconds, DEFAULT_RATES.failoverSeconds, 'failover_seconds'),
    cephFailoverSeconds: pick(a?.cephFailoverSeconds, DEFAULT_RATES.cephFailoverSeconds, 'ceph_failover_seconds'),
    overridden,
  };
}

export const ASSUMPTIONS = [
  'nodes and network attachments (NIC, cable, switch port) fail independently; unavailability of one is MTTR / (MTBF + MTTR)',
  'attachments of bonded nodes are not counted (a bond fails only when all its ports do); whole networks (switches) are assumed redundant',
  'unavailability ≈ sum over the minimal sets of up to 3 units (2 on paths with more than 60 units) whose joint failure stops the path of the product of their unavailabilities (rare-event approximation)',
  'corosync: one vote per member, majority quorum, two_node for 2 members without a quorum device; a quorum device adds its votes (ffsplit 1, lms members - 1) to the one partition corosync-qnetd sees and chooses (the larger, then the tie-breaker\'s), and none when qnetd is down; a split 2-node cluster without one counts as down unless both possible winners serve the path (a fence race has no known winner)',
  'a node that must be fenced but has no fence device blocks recovery: counted as down',
  'SBD fences every member: the disks do not fail (one disk as the only fencing is HA6080), and watchdog-only SBD fences a member out of quorum by its own reset once stonith-watchdog-timeout has passed',
  'Pacemaker places a service on any allowed node of the quorate partition that reaches its VIP network (and the Ceph public network when it uses Ceph)',
  'a service with a quorum of its own (Galera, quorum queues) serves while more than half of its votes are up: its members in the serving partition, and its arbiter (garbd) while the arbiter\'s node is up and attached to the members\' network',
  'Ceph: I/O stops when more failure domains than (copies - min_replicas) have a failed OSD (many placement groups per pool), or when the monitors lose their majority; re-replication during a repair is ignored',
  'every failure of a node that runs an active/passive service of the path costs failover_seconds; services behind one VIP share its node, other services may each run on a node of their own (Pacemaker spreads them); every failure of a Ceph host pauses I/O for ceph_failover_seconds; active/active services fail over without an outage',
  'fence devices answer when their node has failed; a BMC (IPMI, Redfish) that loses power with its node does not, and a node fenced by nothing else then waits for an operator (HA6015; not counted here); a PDU outlet or SBD at a later fencing level still fences it',
  'Pacemaker does not notice a link failure on the node holding a VIP (IPaddr2 does not watch link state) unless the compiled CIB monitors the VIP\'s network with a ping clone: unless every possible holder is bonded, each unmonitored VIP on the path adds one attachment unavailability; each monitored one adds a failover per link failure of its holder',
  'a service the service-level check finds a failover does not restore (routers left on a dead agent, state left on the failed node, one agent per network) counts as down for the repair time of each failure of a node running it; one whose monitor never succeeds counts as always down',
  'disks, OSD daemons, software bugs, operator error and maintenance are not modelled',
];

const SECONDS_PER_HOUR = 3600;

export function unavailabilityOf(r: { mtbfHours: number; mttrHours: number }): number {
  return r.mttrHours / (r.mtbfHours + r.mttrHours);
}

/**
 * `broken`: services the service-level check found a failover does not restore (or that never
 * run); each failure of a node running one counts as down for the node's repair time.
 */
export function estimateAvailability(model: Lowered, broken: readonly BrokenService[] = []): AvailabilityReport {
  const t = model.topology;
  const rates = ratesOf(t);
  const paths: PathEstimate[] = [];
  const cache = new Map<string, CutSets>();
  const watched = watchedVips(model);
  for (const c of Object.values(t.clusters)) {
    for (const s of keptAlive(c)) paths.push(estimatePath(t, c, s, rates, cache, watched, broken));
  }
  const report: AvailabilityReport = { rates, assumptions: ASSUMPTIONS, paths };
  if (t.sla !== undefined) {
    report.sla = t.sla;
    for (const p of paths) p.meetsSla = p.availability >= t.sla;
  }
  return report;
}

/**
 * VIPs (`cluster/vip`) whose network the compiled Pacemaker model monitors: a ping primitive
 * writes the node attribute of the VIP's network, and a location rule on the top-level resource
 * holding the VIP reads that attribute, so Pacemaker moves the VIP off a node that lost its link. Read from the model the CIB is emitted from, so check judges what compile writes.
 */
export function watchedVips(model: Lowered): Set<string> {
  const t = model.topology;
  const out = new Set<string>();
  for (const config of model.clusters) {
    const c = t.clusters[config.name];
    if (!c) continue;
    const prims = config.resources.flatMap(primitivesOf);
    const written = new Set(prims.filter((p) => agentOf(p) === 'ocf:pacemaker:ping').flatMap((p) => paramOf(p, 'name') ?? []));
    for (const k of config.constraints) {
      // A rule scored by the attribute, or one whose test reads it (the lost-link penalty).
      const attribute = k.kind === 'location' ? (k.rule?.scoreAttribute ?? k.rule?.expressions.find((e) => e.date === undefined && written.has(e.attribute))?.attribute) : undefined;
      if (k.kind !== 'location' || attribute === undefined || !written.has(attribute)) continue;
      const top = config.resources.find((r) => r.id === k.rsc);
      const held = new Set(top ? primitivesOf(top).map((p) => p.id) : []);
      for (const v of Object.values(c.vips)) if (held.has(vipId(v.name)) && pingAttribute(v.network) === attribute) out.add(`${c.name}/${v.name}`);
    }
  }
  return out;
}

function estimatePath(t: Topology, c: Cluster, s: Service, rates: Rates, cache: Map<string, CutSets>, watched: Set<string>, broken: readonly BrokenService[]): PathEstimate {
  const path = pathOf(t, s);
  const qNode = unavailabilityOf(rates.node);
  const qLink = unavailabilityOf(rates.link);
  const clusters = [...new Set(path.services.map((x) => x.cluster))].sort().map((n) => t.clusters[n]!);
  const { cutSets, otherCutSets } = cutSetsOf(t, clusters, path.services, path.ceph, qNode, qLink, cache);

  const failover: Term[] = [];
  const perHour = 1 / rates.node.mtbfHours;
  for (const pc of clusters) {
    // A promotable service with fewer primaries than nodes fails over too: a survivor is promoted.
    const ap = path.services.filter((x) => x.cluster === pc.name && (x.mode === 'active-passive' || (x.promotion !== undefined && x.promotion.promoted < possibleNodes(pc, x).length)));
    if (ap.length === 0) continue;
    // Services behind one VIP are colocated with it (compile's colocation), so they share a node;
    // the others may each sit on a node of their own.
    const placements = new Set(ap.map((x) => (x.vip ? `vip:${x.vip}` : `service:${x.name}`))).size;
    const hosts = Math.min(placements, new Set(ap.flatMap((x) => possibleNodes(pc, x))).size);
    failover.push({
      label: `failover in cluster ${pc.name}: ${hosts} node(s) run active/passive services of the path`,
      formula: `${hosts} × 1/${rates.node.mtbfHours} h × ${rates.failoverSeconds} s`,
      value: (hosts * perHour * rates.failoverSeconds) / SECONDS_PER_HOUR,
    });
  }
  for (const x of path.services) {
    for (const b of broken.filter((y) => y.cluster === x.cluster && y.service === x.name)) {
      if (b.never) {
        failover.push({ label: `${x.cluster}/${x.name} never runs: ${b.why}`, formula: '1', value: 1 });
        continue;
      }
      // A/P: the failure of the one node running it; A/A: of any node, each taking its share.
      const hosts = x.mode === 'active-active' ? x.nodes.length : 1;
      failover.push({
        label: `failover does not restore ${x.cluster}/${x.name} (${b.why}): down until the node is repaired`,
        formula: `${hosts} × 1/${rates.node.mtbfHours} h × ${rates.node.mttrHours} h`,
        value: (hosts * perHour * rates.node.mttrHours),
      });
    }
  }
  if (path.ceph && t.ceph) {
    const hosts = new Set(t.ceph.osds.map((o) => o.host)).size;
    failover.push({
      label: `Ceph I/O pause: ${hosts} host(s) with OSDs`,
      formula: `${hosts} × 1/${rates.node.mtbfHours} h × ${rates.cephFailoverSeconds} s`,
      value: (hosts * perHour * rates.cephFailoverSeconds) / SECONDS_PER_HOUR,
    });
  }

  const undetected: PathEstimate['undetected'] = [];
  for (const v of vipsOf(t, path.services)) {
    const holders = [...new Set(path.services.filter((x) => x.cluster === v.cluster && x.vip === v.vip).flatMap((x) => possibleNodes(t.clusters[x.cluster]!, x)))];
    if (holders.every((n) => t.nodes[n]?.bond)) continue;
    if (watched.has(`${v.cluster}/${v.vip}`)) {
      // Monitored: the holder's link failure moves the VIP (one holder at a time).
      failover.push({
        label: `failover on a link failure under VIP ${v.vip} (network ${v.network}, monitored by ping)`,
        formula: `1/${rates.link.mtbfHours} h × ${rates.failoverSeconds} s`,
        value: rates.failoverSeconds / rates.link.mtbfHours / SECONDS_PER_HOUR,
      });
      continue;
    }
    undetected.push({ label: `unnoticed link failure under VIP ${v.vip} (network ${v.network})`, formula: sci(qLink), value: qLink, ...v });
  }

  const unavailability = Math.min(1, [...cutSets, otherCutSets, ...failover, ...undetected].reduce((sum, term) => sum + term.value, 0));
  return {
    service: s.name,
    cluster: c.name,
    pointer: s.pointer,
    needs: path.services.map((x) => (x.cluster === c.name ? x.name : `${x.cluster}/${x.name}`)),
    ceph: path.ceph,
    cutSets,
    otherCutSets,
    failover,
    undetected,
    unavailability,
    availability: 100 * (1 - unavailability),
    minutesPerYear: unavailability * HOURS_PER_YEAR * 60,
  };
}

interface CutSets {
  cutSets: Term[];
  otherCutSets: { count: number; value: number };
}

/**
 * The minimal failure sets of a path, enumerated by growing size. Paths whose services need the
 * same things (same nodes, VIP networks, Ceph) have the same sets: they are computed once.
 */
function cutSetsOf(t: Topology, clusters: Cluster[], services: Service[], ceph: boolean, qNode: number, qLink: number, cache: Map<string, CutSets>): CutSets {
  const needs = services.map((x) => {
    const c = t.clusters[x.cluster]!;
    const vip = x.vip ? c.vips[x.vip] : undefined;
    const majority = !!(x.entry && HA_NEEDS[x.entry.key]?.majority);
    return JSON.stringify([x.cluster, possibleNodes(c, x), vip ? (vip.nic ? `nic:${vip.nic}` : vip.network) : null, usesCeph(t, x), majority, majority ? arbiterOf(x) ?? null : null]);
  });
  const signature = JSON.stringify([ceph, [...new Set(needs)].sort()]);
  const known = cache.get(signature);
  if (known) return known;
  const units = unitsOf(t, clusters, services, ceph, qNode, qLink);
  const cephContext = ceph && t.ceph ? cephContextOf(t, t.ceph) : undefined;
  const untouched = new Map<string, boolean>();
  const up = (f: FailureSet): boolean => pathUp(t, clusters, services, cephContext, f, untouched);
  const all: Term[] = [];
  const cuts = new Set<string>(); // minimal cut sets found so far, as ids joined in unit order
  const order = units.length > MAX_UNITS_FOR_ORDER_3 ? 2 : MAX_CUT_ORDER;
  for (let k = 1; k <= order; k++) {
    for (const combo of combinations(units, k)) {
      // Minimal only: no smaller subset (combinations keep unit order, so keys are comparable).
      if (k > 1 && properSubsets(combo).some((sub) => cuts.has(keyOf(sub)))) continue;
      if (up(failureOf(combo))) continue;
      cuts.add(keyOf(combo));
      const value = combo.reduce((p, u) => p * u.q, 1);
      all.push({ label: combo.map((u) => describeUnit(u)).join(' + ') + ' down', formula: combo.map((u) => sci(u.q)).join(' × '), value });
    }
  }
  all.sort((a, b) => b.value - a.value || compareStrings(a.label, b.label));
  const rest = all.slice(KEPT_CUT_SETS);
  const result = { cutSets: all.slice(0, KEPT_CUT_SETS), otherCutSets: { count: rest.length, value: rest.reduce((sum, x) => sum + x.value, 0) } };
  cache.set(signature, result);
  return result;
}

function vipsOf(t: Topology, services: Service[]): { cluster: string; vip: string; network: string }[] {
  const out = new Map<string, { cluster: string; vip: string; network: string }>();
  for (const s of services) {
    const v = s.vip ? t.clusters[s.cluster]?.vips[s.vip] : undefined;
    if (v) out.set(`${s.cluster}/${v.name}`, { cluster: s.cluster, vip: v.name, network: v.network });
  }
  return [...out.values()].sort((a, b) => compareStrings(`${a.cluster}/${a.vip}`, `${b.cluster}/${b.vip}`));
}

/** The units whose failure can matter to the path: its clusters' members and Ceph's hosts, and their attachments. */
function unitsOf(t: Topology, clusters: Cluster[], services: Service[], ceph: boolean, qNode: number, qLink: number): Unit[] {
  const networks = new Map<string, Set<string>>(); // node -> networks that matter
  const need = (node: string, net: string | undefined): void => {
    if (!net || !t.nodes[node]?.addresses[net]) return;
    networks.set(node, (networks.get(node) ?? new Set()).add(net));
  };
  for (const c of clusters) {
    for (const n of c.nodes) {
      networks.set(n, networks.get(n) ?? new Set());
      for (const l of c.links) need(n, l);
    }
  }
  for (const s of services) {
    const c = t.clusters[s.cluster]!;
    const vip = s.vip ? c.vips[s.vip] : undefined;
    for (const n of possibleNodes(c, s)) {
      need(n, vip?.network);
      if (usesCeph(t, s)) need(n, t.ceph?.publicNetwork);
    }
    const arbiter = arbiterOf(s);
    if (arbiter) {
      networks.set(arbiter, networks.get(arbiter) ?? new Set());
      need(arbiter, arbiterNetwork(t, c, s));
    }
  }
  if (ceph && t.ceph) {
    for (const n of [...t.ceph.monitors, ...t.ceph.osds.map((o) => o.host)]) {
      networks.set(n, networks.get(n) ?? new Set());
      need(n, t.ceph.publicNetwork);
    }
    for (const o of t.ceph.osds) need(o.host, t.ceph.clusterNetwork);
  }
  const units: Unit[] = [];
  for (const [node, nets] of [...networks.entries()].sort(([a], [b]) => compareStrings(a, b))) {
    units.push({ id: `node:${node}`, kind: 'node', q: qNode });
    if (t.nodes[node]?.bond) continue;
    for (const net of [...nets].sort()) units.push({ id: `link:${node}/${net}`, kind: 'link', q: qLink });
  }
  return units;
}

function keyOf(units: readonly Unit[]): string {
  return units.map((u) => u.id).join('|');
}

/** The non-empty proper subsets of a small set (at most 3 units here), in order. */
function properSubsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < (1 << items.length) - 1; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out;
}

function failureOf(units: Unit[]): FailureSet {
  const nodes = new Set<string>();
  const attachments = new Set<string>();
  for (const u of units) {
    if (u.kind === 'node') nodes.add(u.id.slice('node:'.length));
    else attachments.add(u.id.slice('link:'.length));
  }
  return { nodes, networks: new Set(), attachments };
}

function describeUnit(u: Unit): string {
  return u.kind === 'node' ? u.id.slice('node:'.length) : `link ${u.id.slice('link:'.length)}`;
}

/** Whether every service of the path and Ceph (when needed) serve with these failures. */
export function pathUp(
  t: Topology,
  clusters: Cluster[],
  services: Service[],
  ceph: CephContext | undefined,
  f: FailureSet,
  untouched: Map<string, boolean> = new Map(),
): boolean {
  const failedHosts = new Set([...f.nodes, ...[...f.attachments].map((a) => a.slice(0, a.indexOf('/')))]);
  for (const c of clusters) {
    // A failure set that touches none of the cluster's nodes leaves it as it is with no failure;
    // most sets on a large path are Ceph hosts, so this keeps the enumeration cheap.
    const arbiters = new Set(services.filter((s) => s.cluster === c.name).map(arbiterOf));
    const touched = f.networks.size > 0 || [...failedHosts].some((n) => t.nodes[n]?.cluster === c.name || t.nodes[n]?.remoteOf === c.name || c.qdevice?.host === n || arbiters.has(n));
    if (!touched && !untouched.has(c.name)) untouched.set(c.name, clusterServes(t, c, services, NO_FAILURE));
    if (!(touched ? clusterServes(t, c, services, f) : untouched.get(c.name))) return false;
  }
  if (ceph && !cephUp(t, ceph, f)) return false;
  return true;
}

/** A member some device (its own, a shared one's port) or SBD can fence. */
function fenceable(t: Topology, c: Cluster, n: string): boolean {
  return !!t.nodes[n]?.fencing || Object.values(c.fenceDevices).some((d) => d.ports[n] !== undefined) || sbdFences(c, n);
}

function clusterServes(t: Topology, c: Cluster, services: Service[], f: FailureSet): boolean {
  const mine = services.filter((s) => s.cluster === c.name);
  const winners = quoratePartitions(t, c, f);
  if (winners.length === 0) return false;
  if (winners.length > 1 && !c.fencing.enabled) return false; // split brain
  for (const w of winners) {
    if (c.fencing.enabled && c.nodes.some((n) => !w.includes(n) && !fenceable(t, c, n))) return false;
    if (!mine.every((s) => serves(t, c, s, w, f))) return false;
  }
  return true;
}

/** What cephUp needs, computed once per path rather than once per failure set. */
export interface CephContext {
  ceph: Ceph;
  copies: number;
  counts: Map<string, number>;
  monitors: Set<string>;
}

function cephContextOf(t: Topology, ceph: Ceph): CephContext {
  return { ceph, copies: placedCopies(t, ceph), counts: osdCounts(ceph), monitors: new Set(ceph.monitors) };
}

/**
 * Whether Ceph serves with these failures. With enough placement groups (hundreds per pool), any
 * set of failed domains is shared by some group, so I/O stops as soon as more domains than
 * `copies - min_replicas` have a failed OSD; and the monitors need a majority. Only the hosts named
 * in the failure set can be down, so the cost does not grow with the OSD count.
 */
function cephUp(t: Topology, { ceph, copies, counts, monitors }: CephContext, f: FailureSet): boolean {
  if (copies < ceph.minReplicas) return false;
  const touched = new Set([...f.nodes, ...[...f.attachments].map((a) => a.slice(0, a.indexOf('/')))]);
  const down = (n: string, nets: (string | undefined)[]): boolean => f.nodes.has(n) || nets.some((net) => net !== undefined && !attached(t, f, n, net));
  let monitorsDown = 0;
  let domainsDown = 0;
  for (const n of touched) {
    if (monitors.has(n) && down(n, [ceph.publicNetwork])) monitorsDown++;
    const osds = counts.get(n) ?? 0;
    if (osds && down(n, [ceph.publicNetwork, ceph.clusterNetwork])) domainsDown += ceph.failureDomain === 'host' ? 1 : osds;
  }
  if (ceph.monitors.length - monitorsDown <= ceph.monitors.length / 2) return false;
  return domainsDown <= copies - ceph.minReplicas;
}

function serves(t: Topology, c: Cluster, s: Service, partition: string[], f: FailureSet): boolean {
  const vip = s.vip ? c.vips[s.vip] : undefined;
  // A remote node runs resources while it reaches a member of the partition over the first link.
  const link = c.links[0];
  const inPartition = (n: string): boolean =>
    partition.includes(n) || (c.remoteNodes.includes(n) && !!link && attached(t, f, n, link) && partition.some((m) => attached(t, f, m, link)));
  const nodes = possibleNodes(c, s);
  const up = nodes.filter(
    (n) =>
      inPartition(n) &&
      (!vip || vip.nic !== undefined || attached(t, f, n, vip.network)) &&
      (!usesCeph(t, s) || !t.ceph?.publicNetwork || attached(t, f, n, t.ceph.publicNetwork)),
  );
  // A service with a quorum of its own (Galera, quorum queues) needs more than half its members'
  // votes and its arbiter's, which counts while its node is up and on the members' network.
  if (!(s.entry && HA_NEEDS[s.entry.key]?.majority)) return up.length > 0;
  const arbiter = arbiterOf(s);
  const net = arbiter ? arbiterNetwork(t, c, s) : undefined;
  return majorityKept(nodes.length, !!arbiter, up.length, !!arbiter && !!net && attached(t, f, arbiter, net));
}

/** The network an arbiter meets the members on: that of their wsrep addresses. */
function arbiterNetwork(t: Topology, c: Cluster, s: Service): string | undefined {
  return wsrepNetwork(t.nodes[possibleNodes(c, s)[0] ?? '']);
}

/** Scientific notation with 3 significant digits, for the arithmetic shown to operators. */
export function sci(x: number): string {
  if (x === 0) return '0';
  return x.toExponential(2).replace('e+', 'e');
}
