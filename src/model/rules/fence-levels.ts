import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Fencing written as a running cluster holds it (hactl import): a device given to the agent by
 * host list takes each node's own name as its port, and written levels name nodes of the cluster
 * and devices that exist, each name meaning one device only (a node's own device by the node's
 * name, a shared device by its key, SBD's poison pill by `sbd`).
 */
export const fenceLevels: Rule = {
  name: 'fence-levels',
  codes: ['HA3210', 'HA3211', 'HA3212', 'HA3213', 'HA3214'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const d of Object.values(c.fenceDevices)) {
        if (!d.cib?.hostList) continue;
        for (const [n, port] of Object.entries(d.ports)) if (port !== n) out.push(diag('HA3210', `${d.pointer}/ports/${n}`, { device: d.name, node: n, port }));
      }
      const levels = c.fencing.levels ?? {};
      for (const [n, ids] of Object.entries(c.fencing.level_ids ?? {})) {
        if (ids.length !== levels[n]?.length) out.push(diag('HA3214', pointerOf('clusters', c.name, 'fencing', 'level_ids', n), { node: n, ids: ids.length, levels: levels[n]?.length ?? 0 }));
      }
      const members = [...c.nodes, ...c.remoteNodes];
      const sbd = !!c.sbd?.devices.length;
      for (const [target, list] of Object.entries(levels)) {
        const at = pointerOf('clusters', c.name, 'fencing', 'levels', target);
        if (!members.includes(target)) out.push(diag('HA3212', at, { node: target, cluster: c.name, nodes: members.join(', ') }));
        list.forEach((devices, i) =>
          devices.forEach((name, j) => {
            const own = members.includes(name) && !!t.nodes[name]?.fencing;
            const meanings = [own && `node ${name}'s own device`, c.fenceDevices[name] && `fence device ${name}`, name === 'sbd' && sbd && "SBD's poison pill"].filter((m): m is string => !!m);
            if (!meanings.length) out.push(diag('HA3211', `${at}/${i}/${j}`, { name, node: target, devices: deviceNames(c, t, members, sbd) }));
            else if (meanings.length > 1) out.push(diag('HA3213', `${at}/${i}/${j}`, { name, meanings: meanings.join(' and ') }));
          }),
        );
      }
    }
    return out;
  },
};

function deviceNames(c: Parameters<Rule['check']>[0]['clusters'][string], t: Parameters<Rule['check']>[0], members: string[], sbd: boolean): string {
  const names = [...members.filter((n) => t.nodes[n]?.fencing), ...Object.keys(c.fenceDevices), ...(sbd ? ['sbd'] : [])];
  return names.length ? names.join(', ') : 'none: the cluster has no fence device';
}
