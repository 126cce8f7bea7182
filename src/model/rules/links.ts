import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { inSeveralClusters } from './membership.js';
import type { Rule } from './rule.js';

/**
 * Every corosync member has an address on each of its cluster's links; every remote node has one
 * on the first link, over which the cluster reaches pacemaker_remote.
 */
export const links: Rule = {
  name: 'links',
  codes: ['HA3013', 'HA3014'],
  check(t) {
    const out: Diagnostic[] = [];
    const several = inSeveralClusters(t); // HA3011 is their finding
    for (const c of Object.values(t.clusters)) {
      const known = c.links.filter((l) => t.networks[l]); // unknown links: references
      c.nodes.forEach((name, i) => {
        const n = t.nodes[name];
        if (!n || several.has(name)) return;
        for (const l of known) if (!n.addresses[l]) out.push(diag('HA3013', pointerOf('clusters', c.name, 'nodes', i), { node: name, cluster: c.name, network: l }));
      });
      const first = c.links[0]!;
      if (!t.networks[first]) continue;
      c.remoteNodes.forEach((name, i) => {
        const n = t.nodes[name];
        if (n && !several.has(name) && !n.addresses[first]) out.push(diag('HA3014', pointerOf('clusters', c.name, 'remote_nodes', i), { node: name, cluster: c.name, network: first }));
      });
    }
    return out;
  },
};
