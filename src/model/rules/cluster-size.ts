import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** Corosync's membership limit (knet, corosync 3): larger clouds add pacemaker_remote nodes. */
export const MAX_MEMBERS = 32;

/** A cluster has 2 to 32 corosync members. */
export const clusterSize: Rule = {
  name: 'cluster-size',
  codes: ['HA3015', 'HA3016'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const count = c.nodes.length;
      const at = pointerOf('clusters', c.name, 'nodes');
      if (count < 2) out.push(diag('HA3015', at, { cluster: c.name, count }));
      if (count > MAX_MEMBERS) out.push(diag('HA3016', at, { cluster: c.name, count, max: MAX_MEMBERS }));
    }
    return out;
  },
};
