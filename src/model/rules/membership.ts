import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Topology } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Nodes listed in more than one cluster (as member or remote node). Their other findings (no
 * address on the other cluster's links, not the role of its services) are consequences of that
 * one mistake, so the rules that would report them stay silent about these nodes.
 */
export function inSeveralClusters(t: Topology): Set<string> {
  const seen = new Map<string, string>();
  const several = new Set<string>();
  for (const c of Object.values(t.clusters)) {
    for (const n of new Set([...c.nodes, ...c.remoteNodes])) {
      if (seen.has(n) && seen.get(n) !== c.name) several.add(n);
      else seen.set(n, c.name);
    }
  }
  return several;
}

/** A node is in at most one Pacemaker cluster, either as a corosync member or as a remote node. */
export const membership: Rule = {
  name: 'membership',
  codes: ['HA3011', 'HA3012'],
  check(t) {
    const out: Diagnostic[] = [];
    const where = new Map<string, { cluster: string; remote: boolean }>();
    for (const c of Object.values(t.clusters)) {
      const entries = [...c.nodes.map((n, i) => ({ n, i, remote: false })), ...c.remoteNodes.map((n, i) => ({ n, i, remote: true }))];
      for (const { n, i, remote } of entries) {
        const pointer = pointerOf('clusters', c.name, remote ? 'remote_nodes' : 'nodes', i);
        const prev = where.get(n);
        if (!prev) {
          where.set(n, { cluster: c.name, remote });
          continue;
        }
        if (prev.remote !== remote) {
          const member = remote ? prev.cluster : c.name;
          const remoteOf = remote ? c.name : prev.cluster;
          out.push(diag('HA3012', pointer, { node: n, member, remote: remoteOf }));
        } else out.push(diag('HA3011', pointer, { node: n, first: prev.cluster, second: c.name }));
      }
    }
    return out;
  },
};
