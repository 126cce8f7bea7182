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
  'ocf:heartbeat:mysql': 'two mysqld on one data directory corrupt it; run it active-passive, or promotable with replication',
  'ocf:heartbeat:pgsql': 'two servers on one data directory corrupt it; run it active-passive, or promotable with replication',
};
/** Database agents that replicate when promotable: only their plain clone is refused. */
const PROMOTABLE = new Set(['ocf:heartbeat:mysql', 'ocf:heartbeat:pgsql']);

/** Clone settings and the modes they mean something in. */
const CLONE_FIELDS: { field: 'instances' | 'notify' | 'promoted' | 'promoted_per_node'; modes: string[] }[] = [
  { field: 'instances', modes: ['active-active', 'promotable'] },
  { field: 'notify', modes: ['active-active', 'promotable'] },
  { field: 'promoted', modes: ['promotable'] },
  { field: 'promoted_per_node', modes: ['promotable'] },
];

/**
 * A catalogue service runs only in the modes its entry supports (e.g. the L3 agent cannot be
 * cloned: two L3 agents would both claim every router). A custom service may be cloned unless its
 * agent manages something that exists once (an address, a mounted filesystem, a database).
 * Clone settings belong to clones, and a promotable clone cannot promote more instances than it
 * runs.
 */
export const serviceModes: Rule = {
  name: 'service-modes',
  codes: ['HA3026', 'HA3031', 'HA3060', 'HA3061'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        // A bundle's clone settings are its own (rule bundles).
        if (s.bundle) continue;
        const written = input.clusters?.[c.name]?.services?.[s.name];
        const at = written?.mode !== undefined ? `${s.pointer}/mode` : s.pointer;
        for (const { field, modes } of CLONE_FIELDS) {
          if (written?.[field] !== undefined && !modes.includes(s.mode)) out.push(diag('HA3060', `${s.pointer}/${field}`, { field, modes: modes.join(' and '), service: s.name, mode: s.mode }));
        }
        if (s.promotion) {
          const count = Math.min(s.instances ?? s.nodes.length, s.nodes.length * (s.promotion.perNode ?? 1));
          if (s.promotion.promoted > count) out.push(diag('HA3061', `${s.pointer}/promoted`, { service: s.name, promoted: s.promotion.promoted, count }));
        }
        if (s.agent) {
          const why = EXCLUSIVE[s.agent];
          if (why && (s.mode === 'active-active' || (s.mode === 'promotable' && !PROMOTABLE.has(s.agent)))) out.push(diag('HA3031', at, { agent: s.agent, service: s.name, mode: s.mode, why }));
          continue;
        }
        if (!s.entry || s.entry.modes.includes(s.mode)) continue;
        out.push(diag('HA3026', at, { service: s.name, mode: s.mode, supported: s.entry.modes.join(', ') }));
      }
    }
    return out;
  },
};
