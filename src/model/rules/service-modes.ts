import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Agents whose resource must never run on two nodes at once: cloning them is data loss or an
 * address conflict, not availability.
 */
const EXCLUSIVE: Record<string, string> = {
  'ocf:heartbeat:IPaddr2': 'an address on two nodes at once is an address conflict; use a cluster VIP (vips:) instead',
  'ocf:heartbeat:IPaddr': 'an address on two nodes at once is an address conflict; use a cluster VIP (vips:) instead',
  'ocf:heartbeat:Filesystem': 'mounting a local filesystem on two nodes at once corrupts it',
  'ocf:heartbeat:LVM-activate': 'exclusive volume group activation runs on one node only',
  'ocf:ceph:rbd': 'a mapped RBD image with a local filesystem is used by one node at a time',
  'ocf:heartbeat:mysql': 'two mysqld on one data directory corrupt it; run it active-passive',
  'ocf:heartbeat:pgsql': 'two servers on one data directory corrupt it; run it active-passive',
};

/**
 * A catalogue service runs only in the modes its entry supports (e.g. the L3 agent cannot be
 * cloned: two L3 agents would both claim every router). A custom service may be cloned unless its
 * agent manages something that exists once (an address, a mounted filesystem, a database).
 */
export const serviceModes: Rule = {
  name: 'service-modes',
  codes: ['HA3026', 'HA3031'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        const written = input.clusters?.[c.name]?.services?.[s.name]?.mode !== undefined;
        const at = written ? `${s.pointer}/mode` : s.pointer;
        if (s.agent) {
          const why = EXCLUSIVE[s.agent];
          if (why && s.mode === 'active-active') out.push(diag('HA3031', at, { agent: s.agent, service: s.name, why }));
          continue;
        }
        if (!s.entry || s.entry.modes.includes(s.mode)) continue;
        out.push(diag('HA3026', at, { service: s.name, mode: s.mode, supported: s.entry.modes.join(', ') }));
      }
    }
    return out;
  },
};
