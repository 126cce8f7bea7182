import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { canonicalIp, familyOf, isLinkLocal, parseIp } from '../../util/ip.js';
import type { Rule } from './rule.js';

/**
 * Every address and network is a well-formed IPv4 or IPv6 literal (the schema's patterns only
 * sort the families). IPv6 addresses are written in their canonical form, so that one address is
 * one string everywhere hactl compares them (duplicates, a VIP that is a node's address) and in
 * every file it writes. Link-local addresses (fe80::/10) are refused: they need a zone (an
 * interface) to mean anything, which corosync, IPaddr2 and HAProxy do not take the same way.
 */
export const ipForms: Rule = {
  name: 'ip-forms',
  codes: ['HA3150', 'HA3151', 'HA3152'],
  check(t) {
    const out: Diagnostic[] = [];
    const address = (value: string, at: string, what: string): void => {
      if (parseIp(value) === undefined) {
        out.push(diag('HA3150', at, { value, what }));
        return;
      }
      if (familyOf(value) === 6 && isLinkLocal(value)) out.push(diag('HA3151', at, { value, what }));
      const canonical = canonicalIp(value)!;
      if (canonical !== value) out.push(diag('HA3152', at, { value, what, canonical }));
    };
    for (const n of Object.values(t.networks)) address(n.cidr.split('/')[0]!, pointerOf('networks', n.name), `network ${n.name}`);
    for (const n of Object.values(t.nodes)) {
      for (const [net, a] of Object.entries(n.addresses)) address(a, pointerOf('nodes', n.name, 'addresses', net), `the address of ${n.name} on ${net}`);
      if (n.fencing?.address) address(n.fencing.address, pointerOf('nodes', n.name, 'fencing', 'address'), `the fence device address of ${n.name}`);
    }
    for (const c of Object.values(t.clusters)) {
      for (const v of Object.values(c.vips)) address(v.address, `${v.pointer}/address`, `VIP ${v.name}`);
      for (const d of Object.values(c.fenceDevices)) if (d.address) address(d.address, `${d.pointer}/address`, `fence device ${d.name}`);
    }
    return out;
  },
};
