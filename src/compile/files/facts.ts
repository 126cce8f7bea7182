/**
 * Facts the node files are made of, derived from the resolved topology: which catalogue services
 * each node runs, where each service is reached (its VIP), which secret a purpose uses. Shared by
 * the files target and the file-needs check of lowering, so what is checked is what is rendered. Every
 * function here tolerates dangling references (the references rule reports those).
 */
import { DEFAULT_FAMILY, type Family } from '../../catalog/index.js';
import type { Cluster, Node, Pool, Secret, Service, Topology } from '../../model/types.js';

export function familyOf(t: Topology): Family {
  return t.family ?? DEFAULT_FAMILY;
}

export interface Placement {
  key: string;
  service: Service;
  cluster: Cluster;
}

/** Catalogue services by node: every node of a service's `nodes` runs (and configures) it. */
export function placements(t: Topology): Map<string, Placement[]> {
  const out = new Map<string, Placement[]>();
  for (const c of Object.values(t.clusters)) {
    for (const s of Object.values(c.services)) {
      if (!s.entry) continue;
      for (const n of s.nodes) {
        if (!t.nodes[n]) continue;
        let list = out.get(n);
        if (!list) out.set(n, (list = []));
        list.push({ key: s.entry.key, service: s, cluster: c });
      }
    }
  }
  return out;
}

export interface Endpoint {
  address: string;
  service: Service;
}

/**
 * Where clients reach the service with catalogue key `key`: the address of its VIP, in the first
 * cluster (by name) that runs it. Undefined with a reason when no cluster runs it or it has no VIP.
 */
export function endpoint(t: Topology, key: string): Endpoint | { missing: string } {
  let without: Service | undefined;
  for (const c of Object.values(t.clusters)) {
    for (const s of Object.values(c.services)) {
      if (s.entry?.key !== key) continue;
      const via = s.entry.endpoint?.via;
      const front = via && !s.vip ? Object.values(c.services).find((x) => x.entry?.key === via) : undefined;
      const vip = front?.vip ? c.vips[front.vip] : s.vip ? c.vips[s.vip] : undefined;
      if (vip) return { address: vip.address, service: s };
      without ??= s;
    }
  }
  return { missing: without ? `service ${without.name} of cluster ${without.cluster} has no VIP${without.entry?.endpoint?.via ? ` (nor does a ${without.entry.endpoint.via} in its cluster)` : ''}` : `no cluster runs ${key}` };
}

/** The VIP address a node's own instance of a service binds to (MySQL, RabbitMQ). */
export function ownVip(p: Placement): string | undefined {
  return p.service.vip ? p.cluster.vips[p.service.vip]?.address : undefined;
}

/** The pool a cephx client uses (first by pool name), e.g. cinder -> volumes. */
export function poolOfClient(t: Topology, client: string): Pool | undefined {
  return Object.values(t.ceph?.pools ?? {}).find((p) => p.client === client);
}

/**
 * The secret that serves a catalogue secret purpose: the one that lists it under `purposes`, else
 * the one named like it. Never another purpose's secret: a purpose nobody serves is a hole the
 * file-needs check reports (HA3952), and one secret for several purposes is the topology's
 * explicit choice (warned, HA3081).
 */
export function secretFor(t: Topology, purpose: string): Secret | undefined {
  for (const s of Object.values(t.secrets)) if (s.purposes?.includes(purpose)) return s;
  return Object.hasOwn(t.secrets, purpose) ? t.secrets[purpose] : undefined;
}

/** The secret name a file refers to for a purpose: its secret's, else the conventional name. */
export function secretName(t: Topology, purpose: string): string {
  return secretFor(t, purpose)?.name ?? purpose;
}

/** The ceph network clients and monitors use: ceph.public_network, else management. */
export function cephPublicNetwork(t: Topology): string {
  return t.ceph?.publicNetwork ?? 'management';
}

export function isCephNode(n: Node): boolean {
  return n.roles.some((r) => r === 'storage' || r === 'controller' || r === 'compute' || r === 'ceph-mon' || r === 'radosgw');
}

/** Name of a compute node's instances image: <image>-<node>, one image per node. */
export function instancesImage(image: string, node: string): string {
  return `${image}-${node}`;
}

/** Where an RBD-backed service's filesystem is mounted: the topology's mount, else the catalogue's. */
export function mountOf(s: Service): string | undefined {
  return s.storage?.mount ?? s.entry?.storage?.mount;
}
