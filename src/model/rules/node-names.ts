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
 * name a member, not a remote node (HA3246). Two node files name a host by its short name, which
 * an FQDN node name is not: RabbitMQ's peers (rabbit@<host>: a broker started with short names,
 * Debian's default, refuses peers with long ones) and the 2013 families' ceph.conf (`host =`, which
 * ceph's init script compares with `hostname -s`). A dotted name on such a node is refused
 * (HA3247) rather than compiled into files that name no host the node answers to.
 */
export const nodeNames: Rule = {
  name: 'node-names',
  codes: ['HA3245', 'HA3246', 'HA3247'],
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
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        if (t.family !== 'current' || !s.entry || s.name !== 'rabbitmq') continue;
        for (const n of s.nodes) if (n.includes('.')) out.push(diag('HA3247', pointerOf('nodes', n), { node: n, what: 'RabbitMQ (its peers are rabbit@<host>)', short: n.split('.')[0]! }));
      }
    }
    if (t.ceph && t.family !== undefined && t.family !== 'current') {
      for (const [name, n] of Object.entries(t.nodes)) {
        if (name.includes('.') && n.roles.some((r) => r === 'ceph-mon' || r === 'storage' || r === 'radosgw')) out.push(diag('HA3247', pointerOf('nodes', name), { node: name, what: "a Ceph daemon (ceph.conf's host =)", short: name.split('.')[0]! }));
      }
    }
    return out;
  },
};
