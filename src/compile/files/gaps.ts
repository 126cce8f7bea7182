/**
 * What an OpenStack file needs from the topology and the topology lacks. The plan leaves a file
 * with a gap out and lowering reports the gap as an error (src/lower/file-needs.ts): one function
 * decides both, so what is reported is exactly what would be missing.
 */
import { entryByKey, pick, secretPurposes, type Family } from '../../catalog/index.js';
import type { Topology } from '../../model/types.js';
import { endpoint, poolOfClient, secretFor } from './facts.js';
import type { OpenStackFile } from './openstack.js';

export type Gap =
  | { code: 'HA3951'; key: string; what: string; reason: string; suggestion: string }
  | { code: 'HA3952'; key: string; name: string; purpose: string };

export function openstackGaps(t: Topology, family: Family, spec: OpenStackFile): Gap[] {
  const gaps: Gap[] = [];
  for (const key of pick(spec.needs, family)) {
    const e = endpoint(t, key);
    if ('missing' in e) gaps.push({ code: 'HA3951', key: `endpoint:${key}`, what: entryByKey(key)?.endpoint?.what ?? `service ${key} with a VIP`, reason: e.missing, suggestion: `run ${key} in a cluster, with vip: set` });
  }
  for (const client of spec.pools ?? []) {
    if (poolOfClient(t, client)) continue;
    const reason = t.ceph ? `no pool has client: ${client}` : 'there is no ceph section';
    gaps.push({ code: 'HA3951', key: `pool:${client}`, what: `a Ceph pool for client ${client}`, reason, suggestion: `add a pool with client: ${client} under ceph.pools` });
  }
  for (const purpose of pick(spec.secrets, family)) {
    if (secretFor(t, purpose)) continue;
    const what = secretPurposes().find((p) => p.id === purpose)?.what ?? purpose;
    gaps.push({ code: 'HA3952', key: `secret:${purpose}`, name: purpose, purpose: what });
  }
  return gaps;
}

/** The cephx client that maps an image of `pool` (rbdmap's id=), or a gap. */
export function rbdClient(t: Topology, pool: string): { client: string } | { reason: string } {
  const p = t.ceph?.pools[pool];
  if (!t.ceph) return { reason: 'there is no ceph section' };
  if (!p) return { reason: `pool ${pool} is not defined` };
  if (!p.client) return { reason: `pool ${pool} has no client` };
  return { client: p.client };
}
