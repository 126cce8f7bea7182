/**
 * The failure semantics hactl check reasons with, in one place so that the single-point-of-failure
 * analysis, the rehearsal and the availability estimate agree: corosync quorum, which nodes a
 * service may run on, which services it depends on, and how Ceph loses copies.
 */
import { HA_NEEDS } from '../catalog/ha-needs.js';
import type { Ceph, Cluster, Node, Osd, Service, Topology } from '../model/types.js';
import { compareStrings } from '../util/compare.js';
import { nodeIdOf } from '../model/node-id.js';

/**
 * Votes of the cluster's quorum device: ffsplit gives exactly 1, lms members - 1 (corosync-qdevice's
 * own value when corosync.conf sets none, so that one member holding it is a majority).
 */
export function deviceVotes(cluster: Cluster): number {
  const q = cluster.qdevice;
  if (!q) return 0;
  return q.algorithm === 'lms' ? Math.max(1, cluster.nodes.length - 1) : 1;
}

/**
 * Whether a partition of `size` alive, connected members of a cluster keeps quorum. Corosync
 * votequorum, one vote per member: a majority of members plus the quorum device's votes, of which
 * the partition holds the device's when `device` is true (qnetd is up and gave it its vote).
 * Two-node clusters without a device get `two_node: 1` from compile (quorum 1: each survivor is
 * quorate, fencing decides a split); `no-quorum-policy=ignore` makes Pacemaker run resources
 * without quorum.
 */
export function quorate(cluster: Cluster, size: number, device = true): boolean {
  if (size <= 0) return false;
  if (cluster.properties['no-quorum-policy'] === 'ignore') return true;
  const total = cluster.nodes.length;
  const dv = deviceVotes(cluster);
  if (total === 2 && dv === 0) return true;
  return size + (device ? dv : 0) > (total + dv) / 2;
}

/**
 * How many failures the cluster's quorum survives, whichever they are: members, or (with a quorum
 * device) the qnetd host and members. lms keeps one member of four quorate while qnetd is up, but
 * qnetd and one member down leave three votes of seven: its tolerance is 1.
 */
export function quorumTolerance(cluster: Cluster): number {
  const n = cluster.nodes.length;
  const device = !!cluster.qdevice;
  let t = 0;
  while (t < n && quorate(cluster, n - (t + 1)) && (!device || quorate(cluster, n - t, false))) t++;
  return t;
}

/**
 * The partition corosync-qnetd gives its vote to, among those that reach it: the largest, and of
 * equal ones the tie-breaker's (lowest or highest node id, or the named member's). Undefined
 * without a device, with qnetd down, or when no partition reaches it.
 */
export function deviceHolder(t: Topology, cluster: Cluster, parts: readonly string[][], f: FailureSet): string[] | undefined {
  const q = cluster.qdevice;
  if (!q || !attached(t, f, q.host, q.network)) return undefined;
  const reach = parts.filter((p) => p.some((n) => attached(t, f, n, q.network)));
  if (!reach.length) return undefined;
  const most = Math.max(...reach.map((p) => p.length));
  const tied = reach.filter((p) => p.length === most);
  if (tied.length === 1) return tied[0];
  if (q.tieBreaker !== 'lowest' && q.tieBreaker !== 'highest') return tied.find((p) => p.includes(q.tieBreaker)) ?? tied[0];
  const id = (p: string[]) => Math.min(...p.map((n) => nodeIdOf(t.nodes[n] ?? { name: n })));
  const high = (p: string[]) => Math.max(...p.map((n) => nodeIdOf(t.nodes[n] ?? { name: n })));
  return q.tieBreaker === 'lowest' ? [...tied].sort((a, b) => id(a) - id(b))[0] : [...tied].sort((a, b) => high(b) - high(a))[0];
}

/** The partitions of the cluster that keep quorum under failure set `f` (the device's vote counted). */
export function quoratePartitions(t: Topology, cluster: Cluster, f: FailureSet): string[][] {
  const parts = partitions(t, cluster, f);
  const holder = deviceHolder(t, cluster, parts, f);
  return parts.filter((p) => quorate(cluster, p.length, p === holder));
}

/** The members of the cluster a service may run on (nodes: restricts, unknown names are ignored). */
export function possibleNodes(cluster: Cluster, service: Service): string[] {
  return service.nodes.filter((n) => cluster.nodes.includes(n) || cluster.remoteNodes.includes(n));
}

/**
 * The node of a service's quorum arbiter (Galera's garbd), when the service keeps a quorum of its
 * own and names one: a vote that fails with that node only.
 */
export function arbiterOf(s: Service): string | undefined {
  return s.arbiter !== undefined && s.entry && HA_NEEDS[s.entry.key]?.majority?.arbiter ? s.arbiter : undefined;
}

/**
 * Whether a service with a quorum of its own keeps it: more than half of the votes of its
 * members and its arbiter. `up` are the members that run it; the arbiter votes when `arbiterUp`.
 */
export function majorityKept(members: number, hasArbiter: boolean, up: number, arbiterUp: boolean): boolean {
  const votes = members + (hasArbiter ? 1 : 0);
  return 2 * (up + (hasArbiter && arbiterUp ? 1 : 0)) > votes;
}

/** Failures a group of `members` that needs a majority of them up survives. */
export function majorityTolerance(members: number): number {
  return Math.max(0, Math.floor((members - 1) / 2));
}

/** Node failures a service survives in the worst case: its own spare nodes, bounded by quorum. */
export function serviceTolerance(cluster: Cluster, service: Service): number {
  return Math.max(0, Math.min(possibleNodes(cluster, service).length - 1, quorumTolerance(cluster)));
}

/** The device a journal partition lives on: /dev/sda5 -> /dev/sda, /dev/nvme0n1p2 -> /dev/nvme0n1. */
export function journalDevice(journal: string): string {
  // NVMe, MMC and loop-style names end in a digit, so their partitions carry a 'p' separator.
  const pSep = /^(.*\d)p\d+$/.exec(journal);
  if (pSep && /(nvme\d+n\d+|mmcblk\d+|loop\d+|nbd\d+)$/.test(pSep[1]!)) return pSep[1]!;
  const classic = /^(.*\D)\d+$/.exec(journal);
  if (classic && /\/(sd|vd|xvd|hd)[a-z]+$/.test(classic[1]!)) return classic[1]!;
  const byLink = /^(\/dev\/disk\/by-(?:id|path)\/.+)-part\d+$/.exec(journal);
  if (byLink) return byLink[1]!;
  // A whole device or a file: the journal is its own failure unit.
  return journal;
}

/** Groups of OSDs that fail together because their journals share one device. */
export function journalGroups(node: Node): { device: string; osds: Osd[] }[] {
  const byDevice = new Map<string, Osd[]>();
  for (const o of node.osds) {
    if (!o.journal) continue;
    const dev = journalDevice(o.journal);
    byDevice.set(dev, [...(byDevice.get(dev) ?? []), o]);
  }
  return [...byDevice.entries()].sort(([a], [b]) => compareStrings(a, b)).map(([device, osds]) => ({ device, osds }));
}

/** Hosts with OSDs, sorted: Ceph's failure domains when copies are kept apart by host. */
export function osdHosts(t: Topology): string[] {
  return [...new Set((t.ceph?.osds ?? []).map((o) => o.host))].sort();
}

/** The failure domains copies are spread over: hosts, or every OSD (named host/osd.N). */
export function cephDomains(t: Topology, ceph: Ceph): string[] {
  return ceph.failureDomain === 'host' ? osdHosts(t) : ceph.osds.map((o) => `osd.${o.id}`);
}

/** Copies Ceph can actually place: `replicas`, capped by the number of failure domains. */
export function placedCopies(t: Topology, ceph: Ceph): number {
  return Math.min(ceph.replicas, cephDomains(t, ceph).length);
}

/** Whether a majority of the monitors is up. */
export function monitorsServe(ceph: Ceph, downMonitors: ReadonlySet<string>): boolean {
  const up = ceph.monitors.filter((m) => !downMonitors.has(m)).length;
  return up > ceph.monitors.length / 2;
}

/**
 * Host failures Ceph survives in the worst case. Losing k hosts stops I/O when the k hosts with
 * the most OSDs hold more failure domains than copies - min_replicas, or when k monitors are more
 * than the majority can spare; the worst k hosts can aim at either, so the tolerance is the
 * smaller of the two.
 */
export function cephTolerance(t: Topology, ceph: Ceph): number {
  const copies = placedCopies(t, ceph);
  if (copies < ceph.minReplicas) return 0;
  const spare = copies - ceph.minReplicas;
  const perHost = [...osdCounts(ceph).values()].sort((a, b) => b - a);
  let osdTolerance = 0;
  let domains = 0;
  for (const count of perHost) {
    domains += ceph.failureDomain === 'host' ? 1 : count;
    if (domains > spare) break;
    osdTolerance++;
  }
  const m = ceph.monitors.length;
  const monTolerance = m === 0 ? 0 : m - (Math.floor(m / 2) + 1);
  return Math.min(osdTolerance, monTolerance);
}

/** OSDs per host. */
export function osdCounts(ceph: Ceph): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of ceph.osds) counts.set(o.host, (counts.get(o.host) ?? 0) + 1);
  return counts;
}

export function* combinations<T>(items: readonly T[], k: number, start = 0, acc: T[] = []): Generator<T[]> {
  if (acc.length === k) {
    yield [...acc];
    return;
  }
  for (let i = start; i <= items.length - (k - acc.length); i++) {
    acc.push(items[i]!);
    yield* combinations(items, k, i + 1, acc);
    acc.pop();
  }
}

export interface Dependency {
  /** The service depended on, or undefined for Ceph. */
  service?: Service;
  /** Catalogue key or service name, for messages. */
  name: string;
  kind: 'service' | 'ceph';
}

/**
 * What a service needs at run time: the catalogue's start-after entries (database, message queue,
 * Keystone) wherever in the topology they run, its own `after:` list, and Ceph when it keeps data
 * on RBD or is the client of a pool.
 */
export function dependenciesOf(t: Topology, service: Service): Dependency[] {
  const out: Dependency[] = [];
  const seen = new Set<string>();
  const all = Object.values(t.clusters).flatMap((c) => Object.values(c.services));
  for (const key of service.entry?.after ?? []) {
    const dep = all.find((s) => s.entry?.key === key);
    if (dep && !seen.has(`${dep.cluster}/${dep.name}`)) {
      seen.add(`${dep.cluster}/${dep.name}`);
      out.push({ service: dep, name: dep.name, kind: 'service' });
    }
  }
  for (const name of service.after) {
    const dep = t.clusters[service.cluster]?.services[name];
    if (dep && !seen.has(`${dep.cluster}/${dep.name}`)) {
      seen.add(`${dep.cluster}/${dep.name}`);
      out.push({ service: dep, name: dep.name, kind: 'service' });
    }
  }
  if (t.ceph && usesCeph(t, service)) out.push({ name: 'ceph', kind: 'ceph' });
  return out;
}

export function usesCeph(t: Topology, service: Service): boolean {
  if (!t.ceph) return false;
  if (service.storage) return true;
  const key = service.entry?.key ?? service.name;
  return Object.values(t.ceph.pools).some((p) => p.client === service.name || p.client === key);
}

/** Every service the request path of `service` needs, itself first, transitively. */
export function pathOf(t: Topology, service: Service): { services: Service[]; ceph: boolean } {
  const services: Service[] = [];
  let ceph = false;
  const visit = (s: Service): void => {
    if (services.includes(s)) return;
    services.push(s);
    for (const d of dependenciesOf(t, s)) {
      if (d.kind === 'ceph') ceph = true;
      else visit(d.service!);
    }
  };
  visit(service);
  return { services, ceph };
}

/** A set of failed things: whole nodes, whole networks, or one node's attachment to a network. */
export interface FailureSet {
  nodes: ReadonlySet<string>;
  networks: ReadonlySet<string>;
  /** `node/network` */
  attachments: ReadonlySet<string>;
}

export const NO_FAILURE: FailureSet = { nodes: new Set(), networks: new Set(), attachments: new Set() };

/** Whether a node can send on a network: it has an address there and neither it nor the wire failed. */
export function attached(t: Topology, f: FailureSet, node: string, network: string): boolean {
  return !!t.nodes[node]?.addresses[network] && !f.nodes.has(node) && !f.networks.has(network) && !f.attachments.has(`${node}/${network}`);
}

/**
 * The partitions of a cluster's alive members: members that share a working corosync link are
 * in one partition (knet uses any link that works between two nodes). Sorted, largest first.
 */
export function partitions(t: Topology, cluster: Cluster, f: FailureSet): string[][] {
  const alive = cluster.nodes.filter((n) => !f.nodes.has(n));
  const parent = new Map(alive.map((n) => [n, n]));
  const root = (n: string): string => (parent.get(n) === n ? n : root(parent.get(n)!));
  // Every node attached to a working link reaches every other one on it (one network each).
  for (const l of cluster.links) {
    const on = alive.filter((n) => attached(t, f, n, l));
    for (const n of on.slice(1)) {
      const [a, b] = [root(on[0]!), root(n)];
      if (a !== b) parent.set(b, a);
    }
  }
  const groups = new Map<string, string[]>();
  for (const n of alive) groups.set(root(n), [...(groups.get(root(n)) ?? []), n]);
  return [...groups.values()].map((g) => g.sort()).sort((a, b) => b.length - a.length || compareStrings(a[0]!, b[0]!));
}

/**
 * The cluster property (`maintenance-mode` or `stop-all-resources`, true) by which the topology
 * holds a whole cluster out of Pacemaker's care, if any.
 */
export function clusterHeld(c: Cluster): string | undefined {
  return ['maintenance-mode', 'stop-all-resources'].find((name) => /^(true|yes|y|on|1)$/i.test(String(c.properties[name] ?? '')));
}

/**
 * The services Pacemaker is meant to keep alive: not held out of its care by intent (stopped,
 * unmanaged, in maintenance), nor in a cluster held so as a whole.
 */
export function keptAlive(c: Cluster): Service[] {
  if (clusterHeld(c)) return [];
  return Object.values(c.services).filter((s) => !s.intent);
}
