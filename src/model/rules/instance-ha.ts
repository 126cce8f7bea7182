import { INSTANCE_HA } from '../../catalog/instance-ha.js';
import { urlHost } from '../../util/ip.js';
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

/** Keystone's URL at that VIP, as fence_compute and NovaEvacuate take it (auth_url). */
export function instanceHaAuthUrl(c: Cluster): string | undefined {
  const host = instanceHaKeystone(c);
  return host === undefined ? undefined : `http://${urlHost(host)}:${INSTANCE_HA.authUrl.port}${INSTANCE_HA.authUrl.path}`;
}

/** The compute nodes instance HA covers in a cluster: its remote nodes with the compute role. */
export function instanceHaComputes(t: Topology, c: Cluster): string[] {
  if (!t.compute?.instanceHa || instanceHaKeystone(c) === undefined) return [];
  return c.remoteNodes.filter((n) => t.nodes[n]?.roles.includes('compute'));
}

/**
 * Instance HA needs the current family, a cluster running nova with compute nodes as its remote
 * nodes, a cluster that fences them (fence_compute only tells nova), and NovaEvacuate there (the
 * one that asks nova to evacuate what fence_compute recorded). NovaEvacuate elsewhere has nothing
 * to act on or no Keystone to log in at. Instances on local disks are rebuilt from their image.
 */
export const instanceHa: Rule = {
  name: 'instance-ha',
  codes: ['HA3200', 'HA3201', 'HA3202', 'HA3203', 'HA3204', 'HA3205'],
  check(t) {
    const ha = t.compute?.instanceHa;
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const evacuate = Object.values(c.services).find((s) => s.entry?.key === INSTANCE_HA.evacuate);
      if (!evacuate) continue;
      // fence_compute records nothing without instance HA, and the agent's auth_url is Keystone
      // at this cluster's VIP.
      const why = !ha
        ? 'compute.instance_ha is not set, so no fencing records a compute node for evacuation'
        : instanceHaKeystone(c) === undefined
          ? `cluster ${c.name} runs no nova and keystone at a VIP: the agent has no Keystone to log in at`
          : !instanceHaComputes(t, c).length
            ? `cluster ${c.name} has no compute nodes as remote nodes: nothing there is fenced through nova`
            : undefined;
      if (why) out.push(diag('HA3204', evacuate.pointer, { service: evacuate.name, why }));
    }
    if (!ha) return out;
    if (t.family && t.family !== 'current') return [diag('HA3200', ha.pointer, { release: t.release ?? t.family, family: t.family })];
    let covered = 0;
    for (const c of Object.values(t.clusters)) {
      const computes = instanceHaComputes(t, c);
      covered += computes.length;
      if (!computes.length) continue;
      // A node without a device in a fencing cluster is HA3017's; a cluster that does not fence
      // at all would have fence_compute tell nova of nodes nobody powered off.
      if (!c.fencing.enabled) out.push(diag('HA3202', pointerOf('clusters', c.name, 'fencing', 'enabled'), { cluster: c.name, nodes: computes.join(', ') }));
      if (!Object.values(c.services).some((s) => s.entry?.key === INSTANCE_HA.evacuate)) out.push(diag('HA3203', pointerOf('clusters', c.name, 'services'), { cluster: c.name, nodes: computes.join(', ') }));
    }
    if (!covered) out.push(diag('HA3201', ha.pointer, {}));
    // An evacuation rebuilds an instance on another compute node: from the same RBD image with
    // compute.instances, otherwise from its Glance image (its local disk is gone with the node).
    else if (!t.compute?.instances) out.push(diag('HA3205', ha.pointer, {}));
    return out;
  },
};
