import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Ceph monitors keep quorum by majority: an odd number of at least 3 survives one failure, and a
 * fourth monitor adds no tolerance over three.
 */
export const cephMonitors: Rule = {
  name: 'ceph-monitors',
  codes: ['HA3504'],
  check(t) {
    const ceph = t.ceph;
    if (!ceph) return [];
    const count = ceph.monitors.length;
    if (count >= 3 && count % 2 === 1) return [];
    const suggestion =
      count < 3
        ? `give the ceph-mon role to ${3 - count} more node(s)${count ? ` (monitors: ${ceph.monitors.join(', ')})` : ''}`
        : `add or remove one monitor (monitors: ${ceph.monitors.join(', ')})`;
    const out: Diagnostic[] = [diag('HA3504', '/ceph', { count, suggestion })];
    return out;
  },
};
