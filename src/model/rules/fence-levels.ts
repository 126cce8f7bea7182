import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Fencing written as a running cluster holds it (hactl import): a device given to the agent by
 * host list takes each node's own name as its port, and written levels name nodes of the cluster
 * and devices that exist, each name meaning one device only (a node's own device by the node's
 * name, a shared device by its key, SBD's poison pill by `sbd`); so do the levels of the nodes a
 * pattern or a node attribute selects, whose pattern must be a regular expression.
 */
export const fenceLevels: Rule = {
  name: 'fence-levels',
  codes: ['HA3209', 'HA3210', 'HA3211', 'HA3212', 'HA3213', 'HA3214', 'HA3219'],
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
      const named = (target: string, list: string[][], at: (i: number, j: number) => string) =>
        list.forEach((devices, i) =>
          devices.forEach((name, j) => {
            const own = members.includes(name) && !!t.nodes[name]?.fencing;
            const meanings = [own && `node ${name}'s own device`, c.fenceDevices[name] && `fence device ${name}`, name === 'sbd' && sbd && "SBD's poison pill"].filter((m): m is string => !!m);
            if (!meanings.length) out.push(diag('HA3211', at(i, j), { name, node: target, devices: deviceNames(c, t, members, sbd) }));
            else if (meanings.length > 1) out.push(diag('HA3213', at(i, j), { name, meanings: meanings.join(' and ') }));
          }),
        );
      for (const [target, list] of Object.entries(levels)) {
        const at = pointerOf('clusters', c.name, 'fencing', 'levels', target);
        if (!members.includes(target)) out.push(diag('HA3212', at, { node: target, cluster: c.name, nodes: members.join(', ') }));
        named(target, list, (i, j) => `${at}/${i}/${j}`);
      }
      // Levels of the nodes a pattern or an attribute selects: the same device names; a pattern Pacemaker can compile.
      (c.fencing.target_levels ?? []).forEach((tl, k) => {
        const at = pointerOf('clusters', c.name, 'fencing', 'target_levels', k);
        const label = tl.pattern !== undefined ? `the nodes matching ${tl.pattern}` : `the nodes with ${tl.attribute}=${tl.value}`;
        if ((tl.pattern !== undefined) === (tl.attribute !== undefined || tl.value !== undefined) || (tl.attribute === undefined) !== (tl.value === undefined)) out.push(diag('HA3209', at, {}));
        if (tl.pattern !== undefined && !compiles(tl.pattern)) out.push(diag('HA3219', `${at}/pattern`, { pattern: tl.pattern }));
        if (tl.ids && tl.ids.length !== tl.levels.length) out.push(diag('HA3214', `${at}/ids`, { node: label, ids: tl.ids.length, levels: tl.levels.length }));
        named(label, tl.levels, (i, j) => `${at}/levels/${i}/${j}`);
      });
    }
    return out;
  },
};

/** Whether a target-pattern is a regular expression (Pacemaker compiles it as a POSIX extended one; hactl's schema keeps to the signs both read alike). */
export function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

function deviceNames(c: Parameters<Rule['check']>[0]['clusters'][string], t: Parameters<Rule['check']>[0], members: string[], sbd: boolean): string {
  const names = [...members.filter((n) => t.nodes[n]?.fencing), ...Object.keys(c.fenceDevices), ...(sbd ? ['sbd'] : [])];
  return names.length ? names.join(', ') : 'none: the cluster has no fence device';
}
