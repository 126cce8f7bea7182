import { nodeIdOf } from '../node-id.js';
import { nodeNameKey } from '../node-name.js';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Corosync nodeids are derived from each node alone (nodeIdOf), so two members of one cluster can
 * derive the same one (ctl1 and net1, or a hash collision): corosync would refuse the nodelist.
 * The later member in list order is reported; an explicit nodeid on either node resolves it.
 */
export const nodeIds: Rule = {
  name: 'node-ids',
  codes: ['HA3090'],
  check(t) {
    const out: Diagnostic[] = [];
    const listed = new Map<string, number>();
    for (const c of Object.values(t.clusters)) for (const n of new Set([...c.nodes, ...c.remoteNodes])) listed.set(n, (listed.get(n) ?? 0) + 1);
    for (const c of Object.values(t.clusters)) {
      const seen = new Map<number, string>();
      c.nodes.forEach((name, i) => {
        // A node listed in two clusters is reported by the membership rule (HA3011) alone.
        if ((listed.get(name) ?? 0) > 1) return;
        const id = nodeIdOf(t.nodes[name] ?? { name });
        const first = seen.get(id);
        if (first === undefined) seen.set(id, name);
        // Names that differ only in case are one node (HA3245 reports them), not a clash of ids.
        else if (nodeNameKey(first) !== nodeNameKey(name)) out.push(diag('HA3090', pointerOf('clusters', c.name, 'nodes', i), { node: name, other: first, cluster: c.name, id }));
      });
    }
    return out;
  },
};
