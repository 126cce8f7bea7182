import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** A corosync authkey is a file secret, and each cluster has its own. */
export const authkeys: Rule = {
  name: 'authkeys',
  codes: ['HA3038', 'HA3039'],
  check(t) {
    const out: Diagnostic[] = [];
    const users = new Map<string, string>();
    for (const c of Object.values(t.clusters)) {
      if (!c.authkey) continue;
      const at = pointerOf('clusters', c.name, 'authkey');
      const s = t.secrets[c.authkey];
      if (s && !s.file) out.push(diag('HA3038', at, { secret: c.authkey, cluster: c.name }));
      const first = users.get(c.authkey);
      if (first) out.push(diag('HA3039', at, { first, second: c.name, secret: c.authkey }));
      else users.set(c.authkey, c.name);
    }
    return out;
  },
};
