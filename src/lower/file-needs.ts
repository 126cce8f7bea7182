import { pick } from '../catalog/index.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Topology } from '../model/types.js';
import { familyOf, placements } from '../compile/files/facts.js';
import { rbdClient, type Gap } from '../compile/files/gaps.js';
import type { OpenStackFile } from '../compile/files/openstack.js';
import { openstackFilesOf } from '../compile/files/openstack-context.js';

/**
 * What the node files need from the rest of the topology: every endpoint a file points at is a
 * service with a VIP, every pool it names exists for its cephx client, every secret it refers to
 * is defined, every RBD image has a client to map it with. A node would go without a file it
 * needs: an error (HA3951, HA3952), once per file and cause, at the topology path that makes the
 * first node concerned need the file. `gapsOf` is the plan's own (gaps.ts decides both).
 */
export function fileNeeds(t: Topology, gapsOf: (spec: OpenStackFile) => Gap[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const family = familyOf(t);
  const seen = new Set<string>();
  const byNode = placements(t);
  // Nodes whose services read a file first: a hole is reported where the service needing it runs
  // (a compute node's nova.conf reads no database password, the controller's does).
  const nodes = Object.values(t.nodes);
  const order = [...nodes.filter((n) => byNode.has(n.name)), ...nodes.filter((n) => !byNode.has(n.name))];
  for (const n of order) {
    const mine = byNode.get(n.name) ?? [];
    for (const { spec } of openstackFilesOf(family, n, mine)) {
      const gaps = gapsOf(spec);
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
}
