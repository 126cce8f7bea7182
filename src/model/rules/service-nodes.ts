import { diag, type Diagnostic } from '../../diagnostics.js';
import { closest } from '../../util/suggest.js';
import type { Rule } from './rule.js';

/**
 * A service restricted with `nodes:` names nodes of its own cluster (members or remote nodes),
 * and more than one of them: on a single node nothing can fail over.
 */
export const serviceNodes: Rule = {
  name: 'service-nodes',
  codes: ['HA3027', 'HA3028'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const own = [...c.nodes, ...c.remoteNodes];
      for (const s of Object.values(c.services)) {
        if (!s.pinned) continue;
        s.nodes.forEach((n, i) => {
          if (own.includes(n)) return;
          const elsewhere = t.nodes[n]?.cluster ?? t.nodes[n]?.remoteOf;
          const near = closest(n, own);
          const suggestion = near
            ? `did you mean '${near}'?`
            : elsewhere
              ? `${n} is a node of cluster ${elsewhere}; nodes of ${c.name}: ${own.join(', ')}`
              : `nodes of ${c.name}: ${own.join(', ')}`;
          out.push(diag('HA3027', `${s.pointer}/nodes/${i}`, { node: n, service: s.name, cluster: c.name, suggestion }));
        });
        if (s.nodes.length === 1) out.push(diag('HA3028', `${s.pointer}/nodes`, { service: s.name, node: s.nodes[0]! }));
      }
    }
    return out;
  },
};
