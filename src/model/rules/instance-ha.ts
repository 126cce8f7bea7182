import { INSTANCE_HA } from '../../catalog/instance-ha.js';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Cluster, Topology } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Where fence_compute logs in: Keystone's VIP in the cluster (its own, or that of the service it
 * is reached through, HAProxy), if the cluster runs nova and Keystone.
 */
export function instanceHaKeystone(c: Cluster): string | undefined {
  const services = Object.values(c.services);
  if (!services.some((s) => s.entry?.key === INSTANCE_HA.nova)) return undefined;
  const keystone = services.find((s) => s.entry?.key === INSTANCE_HA.keystone);
  const via = keystone?.entry?.endpoint?.via;
  const front = via && !keystone?.vip ? services.find((s) => s.entry?.key === via) : keystone;
  return front?.vip ? c.vips[front.vip]?.address : undefined;
}

/** The compute nodes instance HA covers in a cluster: its remote nodes with the compute role. */
export function instanceHaComputes(t: Topology, c: Cluster): string[] {
  if (!t.compute?.instanceHa || instanceHaKeystone(c) === undefined) return [];
  return c.remoteNodes.filter((n) => t.nodes[n]?.roles.includes('compute'));
}

/**
 * Instance HA needs the current family, a cluster running nova with compute nodes as its remote
 * nodes, and a cluster that fences them (fence_compute only tells nova).
 */
export const instanceHa: Rule = {
  name: 'instance-ha',
  codes: ['HA3200', 'HA3201', 'HA3202'],
  check(t) {
    const ha = t.compute?.instanceHa;
    if (!ha) return [];
    if (t.family && t.family !== 'current') return [diag('HA3200', ha.pointer, { release: t.release ?? t.family, family: t.family })];
    const out: Diagnostic[] = [];
    let covered = 0;
    for (const c of Object.values(t.clusters)) {
      const computes = instanceHaComputes(t, c);
      covered += computes.length;
      // A node without a device in a fencing cluster is HA3017's; a cluster that does not fence
      // at all would have fence_compute tell nova of nodes nobody powered off.
      if (computes.length && !c.fencing.enabled) out.push(diag('HA3202', pointerOf('clusters', c.name, 'fencing', 'enabled'), { cluster: c.name, nodes: computes.join(', ') }));
    }
    if (!covered) out.push(diag('HA3201', ha.pointer, {}));
    return out;
  },
};
