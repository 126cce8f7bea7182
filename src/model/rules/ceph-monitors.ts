import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
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
    if (count < 3) {
      const suggestion = `give the ceph-mon role to ${3 - count} more node(s)${count ? ` (monitors: ${ceph.monitors.join(', ')})` : ''}`;
      return [diag('HA3504', '/ceph', { count, suggestion })];
    }
    // Monitors are chosen by node roles, so the place to fix is a monitor's roles: the likeliest
    // extra one is a monitor that is no storage node (ceph-mon added to a controller), else the last.
    const extra = ceph.monitors.find((m) => !t.nodes[m]?.roles.includes('storage')) ?? ceph.monitors[count - 1]!;
    const suggestion = `remove ceph-mon from the roles of one monitor (here ${extra}), or give it to one more node (monitors: ${ceph.monitors.join(', ')})`;
    const out: Diagnostic[] = [diag('HA3504', pointerOf('nodes', extra, 'roles'), { count, suggestion })];
    return out;
  },
};
