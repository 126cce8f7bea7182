import { pick } from '../../catalog/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { familyOf, placements } from '../../compile/files/facts.js';
import { openstackGaps, rbdClient, type Gap } from '../../compile/files/gaps.js';
import { openstackFilesOf } from '../../compile/files/plan.js';
import type { Rule } from './rule.js';

/**
 * What the node files need from the rest of the topology: every endpoint a file points at is a
 * service with a VIP, every pool it names exists for its cephx client, every secret it refers to
 * is defined, every RBD image has a client to map it with. A file with such a gap is not compiled
 * (gaps.ts decides both); this rule says so, once per file and gap, at the first node concerned.
 */
export const nodeFileNeeds: Rule = {
  name: 'node-file-needs',
  codes: ['HA3951', 'HA3952'],
  check(t) {
    const out: Diagnostic[] = [];
    const family = familyOf(t);
    const seen = new Set<string>();
    const byNode = placements(t);
    const gapCache = new Map<string, Gap[]>();
    for (const n of Object.values(t.nodes)) {
      const mine = byNode.get(n.name) ?? [];
      for (const { spec } of openstackFilesOf(family, n, mine)) {
        let gaps = gapCache.get(spec.id);
        if (!gaps) gapCache.set(spec.id, (gaps = openstackGaps(t, family, spec)));
        // At the service that makes the node read the file, or at the node (compute files).
        const at = mine.find((p) => spec.readers.some((r) => r.key === p.key))?.service.pointer ?? n.pointer;
        const file = pick(spec.target, family);
        for (const g of gaps) {
          const key = `${spec.id}|${g.key}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(
            g.code === 'HA3951'
              ? diag('HA3951', at, { file, node: n.name, what: g.what, reason: g.reason }, g.suggestion)
              : diag('HA3952', at, { file, node: n.name, name: g.name, purpose: g.purpose }),
          );
        }
      }
    }
    // rbdmap maps each image as its pool's cephx client.
    const images: { pool: string; pointer: string; node: string }[] = [];
    const inst = t.compute?.instances;
    const firstCompute = Object.values(t.nodes).find((n) => n.roles.includes('compute'));
    if (inst && firstCompute) images.push({ pool: inst.pool, pointer: `${inst.pointer}/pool`, node: firstCompute.name });
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) if (s.storage && s.nodes[0]) images.push({ pool: s.storage.pool, pointer: `${s.storage.pointer}/pool`, node: s.nodes[0] });
    }
    for (const img of images) {
      const c = rbdClient(t, img.pool);
      // An undefined pool is the references rule's to report.
      if ('client' in c || !t.ceph?.pools[img.pool]) continue;
      out.push(diag('HA3951', img.pointer, { file: '/etc/ceph/rbdmap', node: img.node, what: `the cephx client of pool ${img.pool}`, reason: c.reason }, `set ceph.pools.${img.pool}.client`));
    }
    return out;
  },
};
