import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** Node attributes Pacemaker defines itself, and the prefix of those hactl's ping clones write. */
const BUILT_IN = /^#|^ping_/;

/**
 * The building blocks of issue #14 hold together: a service's utilization names capacities every
 * node it may run on gives (Pacemaker counts a missing capacity as 0: the service can never run
 * there); set constraints and tags name services of their cluster, each once; two sequential sets
 * never stand next to each other (crmsh reads them as one set, which for a colocation means
 * something else); rule expressions are whole, and name attributes some node has.
 */
export const blocks: Rule = {
  name: 'blocks',
  codes: ['HA3072', 'HA3073', 'HA3074', 'HA3075', 'HA3076'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const attributes = new Set(c.nodes.flatMap((n) => Object.keys(t.nodes[n]?.attributes ?? {})));
      for (const s of Object.values(c.services)) {
        for (const k of Object.keys(s.utilization ?? {})) {
          const lacking = s.nodes.filter((n) => t.nodes[n]?.utilization?.[k] === undefined);
          if (lacking.length) out.push(diag('HA3072', `${s.pointer}/utilization/${k}`, { service: s.name, capacity: k, nodes: lacking.join(', ') }));
        }
        for (const r of s.rules ?? []) {
          r.expressions.forEach((e, i) => {
            const at = `${r.pointer}/expressions/${i}`;
            const unary = e.operation === 'defined' || e.operation === 'not_defined';
            const whole = e.date
              ? e.attribute === undefined && e.operation === undefined && e.value === undefined && (e.date === 'in_range' ? !!(e.start && e.end) : e.date === 'gt' ? !!e.start && !e.end : !!e.end && !e.start)
              : e.attribute !== undefined && e.operation !== undefined && (unary ? e.value === undefined : e.value !== undefined) && !e.start && !e.end;
            if (!whole) out.push(diag('HA3076', at, { service: s.name }));
            else if (e.attribute && !BUILT_IN.test(e.attribute) && !attributes.has(e.attribute)) out.push(diag('HA3075', `${at}/attribute`, { service: s.name, attribute: e.attribute, cluster: c.name }));
          });
        }
      }
      const members = (list: string[], at: string) => {
        const seen = new Set<string>();
        list.forEach((name, i) => {
          if (!c.services[name]) out.push(diag('HA3074', `${at}/${i}`, { name, cluster: c.name, problem: 'is not a service of the cluster' }));
          else if (seen.has(name)) out.push(diag('HA3074', `${at}/${i}`, { name, cluster: c.name, problem: 'is named twice' }));
          seen.add(name);
        });
      };
      for (const k of [...c.blocks.orderSets, ...c.blocks.colocationSets]) {
        const all: string[] = [];
        k.sets.forEach((set, i) => {
          members(set.services, `${set.pointer}/services`);
          for (const name of set.services) if (all.includes(name)) out.push(diag('HA3074', `${set.pointer}/services`, { name, cluster: c.name, problem: `is in two sets of ${k.name}` }));
          all.push(...set.services);
          if (i > 0 && set.sequential && k.sets[i - 1]!.sequential) out.push(diag('HA3073', set.pointer, { name: k.name, index: i }));
        });
      }
      for (const g of c.blocks.tags) members(g.services, g.pointer);
    }
    return out;
  },
};
