import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { formatCidr, networkAddressOf, overlaps, parseCidr } from '../../util/ip.js';
import type { Rule } from './rule.js';

/** Networks are written as network addresses and do not overlap. */
export const networks: Rule = {
  name: 'networks',
  codes: ['HA3004', 'HA3005'],
  check(t) {
    const out: Diagnostic[] = [];
    const list = Object.values(t.networks);
    for (const n of list) {
      const c = parseCidr(n.cidr);
      if (networkAddressOf(c) !== c.base) out.push(diag('HA3004', pointerOf('networks', n.name), { network: n.name, cidr: n.cidr, fixed: formatCidr(c) }));
    }
    // Two networks overlap when the shorter prefix's network contains the other's network address.
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (overlaps(parseCidr(list[i]!.cidr), parseCidr(list[j]!.cidr))) {
          out.push(diag('HA3005', pointerOf('networks', list[j]!.name), { network: list[j]!.name, cidr: list[j]!.cidr, other: list[i]!.name, otherCidr: list[i]!.cidr }));
        }
      }
    }
    return out;
  },
};
