import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { sbdFences } from '../sbd.js';
import { parseXml } from '../../xml/parse.js';
import type { XmlElement } from '../../xml/tree.js';
import type { Cluster } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Whether the cluster's raw CIB resources hold a fence device (an imported cluster's, kept as XML):
 * which nodes it fences is Pacemaker's to find out (pcmk_host_list, a list action), not hactl's,
 * so the per-node rule below cannot judge that cluster; `hactl check` on its CIB does.
 */
function rawFencing(c: Cluster): boolean {
  const has = (e: XmlElement): boolean => (e.name === 'primitive' && e.attrs.class === 'stonith') || e.children.some(has);
  return c.rawCib.some((f) => {
    if (f.section !== 'resources') return false;
    const r = parseXml(`<resources>${f.xml}</resources>`);
    return r.ok && has(r.root);
  });
}

/**
 * A cluster that fences (the default) has a fence device for every node it may have to fence:
 * its members and its remote nodes (its own device, a port on a shared one, or SBD on members). Without one, recovery from that node's failure blocks, and a
 * 2-node cluster would risk split brain. Turning fencing off needs a written reason.
 */
export const fencing: Rule = {
  name: 'fencing',
  codes: ['HA3017', 'HA3018'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      if (!c.fencing.enabled) {
        if (!c.fencing.reason?.trim()) out.push(diag('HA3018', pointerOf('clusters', c.name, 'fencing', 'enabled'), { cluster: c.name }));
        continue;
      }
      if (rawFencing(c)) continue;
      const members = [...c.nodes.map((n, i) => ({ n, at: pointerOf('clusters', c.name, 'nodes', i) })), ...c.remoteNodes.map((n, i) => ({ n, at: pointerOf('clusters', c.name, 'remote_nodes', i) }))];
      for (const { n, at } of members) {
        const node = t.nodes[n];
        if (!node || node.fencing) continue;
        // A shared device (a PDU outlet) fences it too.
        if (Object.values(c.fenceDevices).some((d) => d.ports[n] !== undefined)) continue;
        if (sbdFences(c, n)) continue;
        // A node with its own fencing section but no agent is the fence-agents rule's finding.
        if (input.nodes[n]?.fencing) continue;
        const suggestion = input.defaults?.fencing
          ? `defaults.fencing names no agent: set defaults.fencing.agent, or add fencing: { agent: fence_…, … } to node ${n}`
          : `add fencing: { agent: fence_…, … } to node ${n}, or set defaults.fencing (every node of a fencing cluster inherits it); to run without fencing write fencing: { enabled: false, reason: … } on the cluster`;
        out.push(diag('HA3017', at, { node: n, cluster: c.name, suggestion }));
      }
    }
    return out;
  },
};
