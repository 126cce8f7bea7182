import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** Parameters hactl writes for a shared device from its ports: a hand-written one would fight them. */
const DERIVED = ['pcmk_host_map', 'pcmk_host_list', 'pcmk_host_check'];

/**
 * A shared fence device fences nodes of its own cluster only (another cluster's fencer never asks
 * it for them), and its host map comes from its ports alone.
 */
export const fenceDevices: Rule = {
  name: 'fence-devices',
  codes: ['HA3062', 'HA3063'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const members = [...c.nodes, ...c.remoteNodes];
      for (const d of Object.values(c.fenceDevices)) {
        for (const n of Object.keys(d.ports)) {
          if (members.includes(n)) continue;
          const suggestion = t.nodes[n]?.cluster ? `${n} is a member of cluster ${t.nodes[n].cluster}: give that cluster its own device entry for the PDU` : `nodes of ${c.name}: ${members.join(', ')}`;
          out.push(diag('HA3062', pointerOf('clusters', c.name, 'fence_devices', d.name, 'ports', n), { device: d.name, cluster: c.name, node: n, suggestion }));
        }
        for (const p of DERIVED) if (d.params[p] !== undefined) out.push(diag('HA3063', `${d.pointer}/params/${p}`, { param: p, device: d.name }));
      }
    }
    return out;
  },
};
