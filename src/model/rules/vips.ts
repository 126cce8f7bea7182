import { diag, type Diagnostic } from '../../diagnostics.js';
import { contains, parseCidr, parseIp } from '../../util/ip.js';
import { hostRange, networkContaining, reserved } from './addresses.js';
import type { Rule } from './rule.js';

/**
 * A VIP lies inside its network as a host address, is no node's address, and every node that may
 * hold it can bring it up (IPaddr2 picks the interface that has an address on the VIP's network,
 * unless the VIP names its nic).
 */
export const vips: Rule = {
  name: 'vips',
  codes: ['HA3008', 'HA3047', 'HA3009', 'HA3010'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const v of Object.values(c.vips)) {
        const net = t.networks[v.network];
        if (!net || parseIp(v.address) === undefined) continue; // references and ip-forms report it
        const at = `${v.pointer}/address`;
        const cidr = parseCidr(net.cidr);
        if (!contains(cidr, v.address)) {
          const actual = networkContaining(t, v.address);
          const [first, last] = hostRange(cidr);
          // Most often the address is the typo, so its fix comes first, with the valid range.
          const range = `give the VIP an address of ${v.network} (${first} to ${last}, not a node's)`;
          const suggestion = actual ? `${range}; or, if it belongs to network ${actual} (${v.address} is there), write network: ${actual}` : range;
          out.push(diag('HA3008', at, { vip: v.name, address: v.address, network: v.network, cidr: net.cidr, suggestion }));
          continue;
        }
        const r = reserved(v.address, v.network, net.cidr, at, 'HA3047', v.name);
        if (r) out.push(r);
        for (const n of Object.values(t.nodes)) {
          const owned = Object.entries(n.addresses).find(([, a]) => a === v.address);
          if (owned) out.push(diag('HA3009', at, { vip: v.name, address: v.address, node: n.name, network: owned[0] }));
        }
        if (v.nic) continue;
        for (const name of c.nodes) {
          const n = t.nodes[name];
          if (n && !n.addresses[v.network]) out.push(diag('HA3010', `${v.pointer}/network`, { node: name, cluster: c.name, network: v.network, vip: v.name }));
        }
      }
    }
    return out;
  },
};
