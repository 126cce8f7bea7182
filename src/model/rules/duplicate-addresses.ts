import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * No address is used twice among node addresses, BMC addresses and VIPs. (A VIP that equals a
 * node address is the VIP rule's HA3009; here VIPs are compared with each other only.) Fence
 * devices other than fence_ipmilan may be shared (a power switch with one plug per node), so their
 * addresses are only compared with node addresses and VIPs.
 */
export const duplicateAddresses: Rule = {
  name: 'duplicate-addresses',
  codes: ['HA3006'],
  check(t) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, string>();
    const use = (address: string, who: string, pointer: string) => {
      const first = seen.get(address);
      if (first) out.push(diag('HA3006', pointer, { address, first, second: who }));
      else seen.set(address, who);
    };
    // Nodes in name order, then VIPs in cluster/VIP order: the report lands on the later use.
    for (const n of Object.values(t.nodes)) {
      for (const [net, a] of Object.entries(n.addresses)) use(a, `node ${n.name} (${net})`, pointerOf('nodes', n.name, 'addresses', net));
    }
    const shared = new Map<string, string>();
    for (const n of Object.values(t.nodes)) {
      const f = n.fencing;
      if (!f?.address) continue;
      const who = `the fence device of node ${n.name}`;
      if (f.agent === 'fence_ipmilan') use(f.address, who, `${f.pointer}/address`);
      else {
        const owner = seen.get(f.address);
        if (owner && !shared.has(f.address)) out.push(diag('HA3006', `${f.pointer}/address`, { address: f.address, first: owner, second: who }));
        shared.set(f.address, who);
      }
    }
    const nodeAddresses = new Set(Object.values(t.nodes).flatMap((n) => Object.values(n.addresses)));
    for (const c of Object.values(t.clusters)) {
      for (const v of Object.values(c.vips)) {
        if (nodeAddresses.has(v.address)) continue;
        use(v.address, `VIP ${v.name} of cluster ${c.name}`, `${v.pointer}/address`);
      }
    }
    return out;
  },
};
