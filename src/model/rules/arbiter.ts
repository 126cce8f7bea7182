import { HA_NEEDS } from '../../catalog/ha-needs.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { compareStrings } from '../../util/compare.js';
import type { Node, Service, Topology } from '../types.js';
import type { Rule } from './rule.js';

/** The network a node's Galera traffic uses: the one its wsrep address is on (management, or its first). */
export function wsrepNetwork(n: Node | undefined): string | undefined {
  if (!n) return undefined;
  return n.addresses['management'] !== undefined ? 'management' : Object.keys(n.addresses)[0];
}

/** Every service with an `arbiter:` whose catalogue entry has one, by arbiter node. */
export function arbitrated(t: Topology): { service: Service; node: string }[] {
  return Object.values(t.clusters)
    .flatMap((c) => Object.values(c.services))
    .filter((s) => s.arbiter !== undefined && !!(s.entry && HA_NEEDS[s.entry.key]?.majority?.arbiter))
    .map((s) => ({ service: s, node: s.arbiter! }));
}

/**
 * A quorum arbiter (Galera's garbd) is one more vote among a service's members: on a node that is
 * no member (a member's loss would take two votes), where it reaches the members' group
 * communication, and worth having only when it makes the votes odd. (One Galera per topology, as
 * for every catalogue service (HA3007): a node is never asked to arbitrate two.)
 */
export const arbiter: Rule = {
  name: 'arbiter',
  codes: ['HA3225', 'HA3226', 'HA3227', 'HA3229'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        if (s.arbiter === undefined) continue;
        const at = `${s.pointer}/arbiter`;
        const spec = s.entry ? HA_NEEDS[s.entry.key]?.majority?.arbiter : undefined;
        if (!spec) {
          out.push(diag('HA3225', at, { service: s.name }));
          continue;
        }
        const node = t.nodes[s.arbiter];
        if (!node) continue; // HA3001 (references)
        const members = [...s.nodes].sort(compareStrings);
        if (members.includes(node.name)) {
          out.push(diag('HA3226', at, { node: node.name, service: s.name, members: members.join(', '), name: spec.name }));
          continue;
        }
        const nets = [...new Set(members.map((m) => wsrepNetwork(t.nodes[m])).filter((x): x is string => !!x))].sort(compareStrings);
        const lacking = nets.filter((n) => node.addresses[n] === undefined);
        if (lacking.length) out.push(diag('HA3227', at, { node: node.name, service: s.name, network: lacking.join(', '), name: spec.name }));
        if (members.length % 2 === 1) out.push(diag('HA3229', at, { node: node.name, service: s.name, count: members.length, votes: members.length + 1, half: (members.length + 1) / 2, name: spec.name }));
      }
    }
    return out;
  },
};
