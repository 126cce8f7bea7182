import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Ceph daemons bind to their node's address on the Ceph networks: monitors, OSD hosts and
 * gateways on the public network, OSD hosts also on the cluster (replication) network.
 */
export const cephNetworks: Rule = {
  name: 'ceph-networks',
  codes: ['HA3505'],
  check(t) {
    const out: Diagnostic[] = [];
    const ceph = t.ceph;
    if (!ceph) return out;
    const pub = ceph.publicNetwork && t.networks[ceph.publicNetwork] ? ceph.publicNetwork : undefined;
    const cluster = ceph.clusterNetwork && t.networks[ceph.clusterNetwork] ? ceph.clusterNetwork : undefined;
    for (const n of Object.values(t.nodes)) {
      const at = pointerOf('nodes', n.name, 'addresses');
      const need = (what: string, kind: string, network: string | undefined) => {
        if (network && !n.addresses[network]) out.push(diag('HA3505', at, { what, node: n.name, kind, network }));
      };
      if (n.roles.includes('ceph-mon')) need('monitor', 'public', pub);
      if (n.osds.length) {
        need('OSD host', 'public', pub);
        need('OSD host', 'cluster', cluster);
      }
      if (n.roles.includes('radosgw')) need('gateway', 'public', pub);
    }
    return out;
  },
};
