import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * The start order of a cluster's services (catalogue order plus `after:`) has no cycle: Pacemaker
 * would never start the services on it. Each cycle is reported once, at its alphabetically first
 * service.
 */
export const serviceOrder: Rule = {
  name: 'service-order',
  codes: ['HA3033'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const reported = new Set<string>();
      const state = new Map<string, 'open' | 'done'>();
      const stack: string[] = [];
      const visit = (name: string): void => {
        state.set(name, 'open');
        stack.push(name);
        for (const next of c.services[name]?.after ?? []) {
          if (!c.services[next]) continue; // references reports it
          if (state.get(next) === 'open') {
            const cycle = stack.slice(stack.indexOf(next));
            const key = [...cycle].sort().join(',');
            if (reported.has(key)) continue;
            reported.add(key);
            const start = [...cycle].sort()[0]!;
            const i = cycle.indexOf(start);
            const ordered = [...cycle.slice(i), ...cycle.slice(0, i), start];
            const s = c.services[start]!;
            const written = input.clusters?.[c.name]?.services?.[start]?.after;
            out.push(diag('HA3033', written ? `${s.pointer}/after` : s.pointer, { cluster: c.name, cycle: ordered.join(' after ') }));
          } else if (!state.has(next)) visit(next);
        }
        stack.pop();
        state.set(name, 'done');
      };
      for (const name of Object.keys(c.services)) if (!state.has(name)) visit(name);
    }
    return out;
  },
};
