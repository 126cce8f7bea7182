import { DEFAULT_FAMILY } from '../../catalog/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { resourceIds } from '../resolve.js';
import type { Rule } from './rule.js';

/** The resource ids compile derives (see resourceIds) are unique within each cluster. */
export const resourceIdsRule: Rule = {
  name: 'resource-ids',
  codes: ['HA3034'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const seen = new Map<string, string>();
      for (const d of resourceIds(c, t.family ?? DEFAULT_FAMILY)) {
        const other = seen.get(d.id);
        if (other === undefined) seen.set(d.id, d.what);
        else if (other !== d.what) out.push(diag('HA3034', d.pointer, { id: d.id, what: d.what, other }));
      }
    }
    return out;
  },
};
