import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** A catalogue service is kept alive by one cluster only. Custom services may repeat. */
export const serviceOwners: Rule = {
  name: 'service-owners',
  codes: ['HA3007'],
  check(t) {
    const out: Diagnostic[] = [];
    const owner = new Map<string, string>();
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        if (!s.entry) continue;
        const first = owner.get(s.entry.key);
        if (first) out.push(diag('HA3007', s.pointer, { service: s.name, first, second: c.name }));
        else owner.set(s.entry.key, c.name);
      }
    }
    return out;
  },
};
