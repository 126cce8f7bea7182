import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { contains, hostRange, parseCidr, parseIp, reservedKind } from '../../util/ip.js';
import type { Topology } from '../types.js';
import type { Rule } from './rule.js';

export { hostRange };

/** The network an address actually lies in, if any: the hint for an address filed under the wrong one. */
export function networkContaining(t: Topology, address: string): string | undefined {
  return Object.values(t.networks).find((n) => contains(parseCidr(n.cidr), address))?.name;
}

/** The network or broadcast address finding for a node address (HA3003) or a VIP (HA3047). */
export function reserved(address: string, network: string, cidr: string, pointer: string, code: 'HA3003' | 'HA3047' = 'HA3003', vip = ''): Diagnostic | undefined {
  const c = parseCidr(cidr);
  const which = reservedKind(c, address);
  if (!which) return undefined;
  const [first, last] = hostRange(c);
  return diag(code, pointer, { address, which, network, cidr, first, last, vip });
}

/** Every node address lies inside the network it is filed under, and is a host address there. */
export const addresses: Rule = {
  name: 'addresses',
  codes: ['HA3002', 'HA3003'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const n of Object.values(t.nodes)) {
      for (const [netName, address] of Object.entries(n.addresses)) {
        const net = t.networks[netName];
        if (!net) continue; // references reports the unknown network
        if (parseIp(address) === undefined) continue; // ip-forms reports it
        const pointer = pointerOf('nodes', n.name, 'addresses', netName);
        if (!contains(parseCidr(net.cidr), address)) {
          const actual = networkContaining(t, address);
          const [first, last] = hostRange(parseCidr(net.cidr));
          const suggestion = actual ? `${address} is in network ${actual}; did you mean to file it under ${actual}?` : `addresses of ${netName} run from ${first} to ${last}`;
          out.push(diag('HA3002', pointer, { address, node: n.name, network: netName, cidr: net.cidr, suggestion }));
          continue;
        }
        const r = reserved(address, netName, net.cidr, pointer);
        if (r) out.push(r);
      }
    }
    return out;
  },
};
