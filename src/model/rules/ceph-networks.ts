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
      const daemons = [n.roles.includes('ceph-mon') && 'monitor', n.osds.length > 0 && 'OSDs', n.roles.includes('radosgw') && 'gateway'].filter((x): x is string => !!x);
      if (pub && daemons.length && !n.addresses[pub]) out.push(diag('HA3505', at, { what: daemons.join(', '), node: n.name, kind: 'public', network: pub }));
      if (cluster && n.osds.length && !n.addresses[cluster]) out.push(diag('HA3505', at, { what: 'OSDs', node: n.name, kind: 'cluster', network: cluster }));
    }
    return out;
  },
};
