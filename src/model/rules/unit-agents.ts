import { processesOf } from '../resolve.js';
import { DEFAULT_FAMILY } from '../../catalog/index.js';
import { isUnitAgent } from '../../catalog/unit-agents.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Services run as systemd units or init scripts (systemd:, lsb:, service:) take no parameters and
 * cannot be promoted: Pacemaker passes instance attributes to OCF agents only, and these classes
 * know start, stop and status, nothing else (see catalog/unit-agents.ts).
 */
export const unitAgents: Rule = {
  name: 'unit-agents',
  codes: ['HA3070', 'HA3071'],
  check(t) {
    const out: Diagnostic[] = [];
    const family = t.family ?? DEFAULT_FAMILY;
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        const agents = s.agent ? [s.agent] : processesOf(s, family).map((p) => p.agent);
        if (!agents.length || !agents.every(isUnitAgent)) continue;
        const agent = agents.join(', ');
        for (const name of Object.keys(s.params)) out.push(diag('HA3070', `${s.pointer}/params/${name}`, { service: s.name, agent, param: name }));
        if (s.mode === 'promotable') out.push(diag('HA3071', `${s.pointer}/mode`, { service: s.name, agent }));
      }
    }
    return out;
  },
};
