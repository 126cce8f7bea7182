import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Ceph puts every copy in a different failure domain: with failure_domain host (the default)
 * replicas cannot exceed the hosts with OSDs, with osd not the OSDs. min_replicas lies between 1
 * (schema) and replicas.
 */
export const cephReplicas: Rule = {
  name: 'ceph-replicas',
  codes: ['HA3501', 'HA3502', 'HA3503'],
  check(t, input) {
    const out: Diagnostic[] = [];
    const ceph = t.ceph;
    if (!ceph) return out;
    const domains = ceph.failureDomain === 'osd' ? ceph.osds.length : new Set(ceph.osds.map((o) => o.host)).size;
    const what = ceph.failureDomain === 'osd' ? 'OSD(s)' : 'host(s) with OSDs';
    if (ceph.replicas > domains) out.push(diag('HA3501', '/ceph/replicas', { replicas: ceph.replicas, count: domains, what }));
    const written = input.ceph?.min_replicas;
    if (written === undefined) return out;
    if (written > ceph.replicas) out.push(diag('HA3502', '/ceph/min_replicas', { min: written, replicas: ceph.replicas }));
    else if (written === ceph.replicas && ceph.replicas > 1) out.push(diag('HA3503', '/ceph/min_replicas', { replicas: ceph.replicas, suggested: ceph.replicas - 1 }));
    return out;
  },
};
