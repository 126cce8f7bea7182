/**
 * Facts the node files are made of, derived from the resolved topology: which catalogue services
 * each node runs, where each service is reached (its VIP), which secret a purpose uses. Shared by
 * the files target and the file-needs check of lowering, so what is checked is what is rendered. Every
 * function here tolerates dangling references (the references rule reports those).
 */
import { DEFAULT_FAMILY, type Family } from '../../catalog/index.js';
import type { Cluster, Node, Pool, Service, Topology } from '../../model/types.js';

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
      const vip = s.vip ? c.vips[s.vip] : undefined;
      if (vip) return { address: vip.address, service: s };
      without ??= s;
    }
  }
  return { missing: without ? `service ${without.name} of cluster ${without.cluster} has no VIP` : `no cluster runs ${key}` };
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
 * The secrets node files refer to, by purpose. One name per purpose keeps topologies short (the
 * reference deployment has one password for every OpenStack service account); `metadata` may get
 * a secret of its own and otherwise shares the service password; so may Horizon's session key.
 */
export const SECRET_PURPOSES = {
  adminToken: { names: ['keystone-admin-token'], what: "Keystone's admin_token" },
  service: { names: ['service-password'], what: 'the password of the OpenStack service accounts (Keystone users and MySQL users)' },
  rabbit: { names: ['rabbitmq'], what: 'the RabbitMQ password' },
  metadata: { names: ['metadata-proxy', 'service-password'], what: 'the metadata proxy shared secret' },
  horizon: { names: ['horizon-secret-key', 'service-password'], what: "Horizon's Django SECRET_KEY" },
} as const;
export type SecretPurpose = keyof typeof SECRET_PURPOSES;

/** The secret name a purpose uses: the first of its names the topology defines, else the first. */
export function secretName(t: Topology, purpose: SecretPurpose): string {
  const names: readonly string[] = SECRET_PURPOSES[purpose].names;
  return names.find((n) => t.secrets[n]) ?? names[0]!;
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
