import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Role } from '../input.js';
import type { Rule } from './rule.js';

const CEPH_ROLES: readonly Role[] = ['storage', 'ceph-mon', 'radosgw'];

/** Node roles agree with what the topology describes: Ceph roles need Ceph, OSDs need storage. */
export const roles: Rule = {
  name: 'roles',
  codes: ['HA3042', 'HA3043', 'HA3044'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const n of Object.values(t.nodes)) {
      n.roles.forEach((role, i) => {
        if (!t.ceph && CEPH_ROLES.includes(role)) out.push(diag('HA3042', pointerOf('nodes', n.name, 'roles', i), { node: n.name, role }));
      });
      const storage = n.roles.includes('storage');
      if (n.osds.length && !storage) out.push(diag('HA3043', pointerOf('nodes', n.name, 'roles'), { node: n.name }));
      if (storage && !n.osds.length && t.ceph) out.push(diag('HA3044', pointerOf('nodes', n.name, 'roles'), { node: n.name }));
    }
    return out;
  },
};
