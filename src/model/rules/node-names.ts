import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { nodeNameKey } from '../node-name.js';
import type { Rule } from './rule.js';

/** An XML id (NCName, ASCII): what Pacemaker's schema requires of a resource id. */
const XML_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Node names are kept as the hosts call themselves (FQDNs, capitals), but Pacemaker finds a node
 * by its name ignoring case (its peer cache and the scheduler compare with strcasecmp), DNS and
 * ssh do too, and a case-insensitive file system holds one directory for both: two nodes whose
 * names differ only in case would be one node to the cluster (HA3245). A remote node is named
 * after its connection resource, whose id must be an XML id: a name starting with a digit can
 * name a member, not a remote node (HA3246).
 */
export const nodeNames: Rule = {
  name: 'node-names',
  codes: ['HA3245', 'HA3246'],
  check(t) {
    const out: Diagnostic[] = [];
    const folded = new Map<string, string>();
    for (const name of Object.keys(t.nodes)) {
      const key = nodeNameKey(name);
      const first = folded.get(key);
      if (first === undefined) folded.set(key, name);
      else out.push(diag('HA3245', pointerOf('nodes', name), { node: name, other: first }));
    }
    for (const c of Object.values(t.clusters)) {
      c.remoteNodes.forEach((name, i) => {
        if (!XML_ID.test(name)) out.push(diag('HA3246', pointerOf('clusters', c.name, 'remote_nodes', i), { node: name, cluster: c.name }));
      });
    }
    return out;
  },
};
