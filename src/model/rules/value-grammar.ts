import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';
import { GRAMMARS, grammarProblem, type Grammar } from '../../formats/grammars.js';

/**
 * Every topology value that the files target writes into a node file, checked against the grammar
 * of each file it reaches (grammars.ts). The list below mirrors what src/compile/files/ renders;
 * the renderer checks every value again and treats a miss as a bug, and the injection tests put
 * hostile text into every string field to prove the two agree.
 */
export const valueGrammar: Rule = {
  name: 'value-grammar',
  codes: ['HA3950'],
  check(t) {
    const out: Diagnostic[] = [];
    const seen = new Set<string>();
    const sink = (what: string, value: string | undefined, pointer: string, ...grammars: Grammar[]) => {
      if (value === undefined) return;
      for (const g of grammars) {
        const reason = grammarProblem(g, value);
        if (!reason) continue;
        // One diagnostic per value: the first grammar that refuses it says why.
        if (seen.has(pointer)) return;
        seen.add(pointer);
        out.push(diag('HA3950', pointer, { what, value: JSON.stringify(value), file: GRAMMARS[g].file, reason }));
        return;
      }
    };

    sink('region', t.region, '/openstack/region', 'oslo', 'python-str');
    for (const s of Object.values(t.secrets)) sink('secret name', s.name, s.pointer, 'secret-ref');
    for (const n of Object.values(t.networks)) sink('network', n.cidr, n.pointer, 'ceph');

    for (const n of Object.values(t.nodes)) {
      // Node names are corosync node names, ceph hosts and section names, hosts entries, parts of
      // RBD image names (rbdmap, fstab) and my_ip/host values in OpenStack files.
      sink('node name', n.name, n.pointer, 'corosync', 'ceph-section', 'hosts', 'rbdmap', 'fstab', 'oslo');
      for (const [net, addr] of Object.entries(n.addresses)) {
        sink('address', addr, pointerOf('nodes', n.name, 'addresses', net), 'corosync', 'ceph', 'hosts', 'oslo');
      }
      if (n.bond) {
        sink('bond name', n.bond.name, `${n.pointer}/bond/name`, 'ifupdown');
        sink('bond mode', n.bond.mode, `${n.pointer}/bond/mode`, 'ifupdown');
        n.bond.interfaces.forEach((i, k) => sink('bond interface', i, `${n.pointer}/bond/interfaces/${k}`, 'ifupdown'));
      }
      for (const o of n.osds) {
        sink('OSD data device', o.data, `${o.pointer}/data`, 'ceph');
        sink('OSD journal device', o.journal, `${o.pointer}/journal`, 'ceph');
      }
    }

    for (const c of Object.values(t.clusters)) {
      // The cluster name is corosync's cluster_name and part of cinder's shared host= value.
      sink('cluster name', c.name, c.pointer, 'corosync', 'oslo');
      sink('secret name', c.authkey, `${c.pointer}/authkey`, 'secret-ref');
      for (const v of Object.values(c.vips)) sink('VIP address', v.address, `${v.pointer}/address`, 'oslo', 'python-str', 'shell', 'mycnf');
      for (const s of Object.values(c.services)) {
        if (!s.storage) continue;
        sink('pool', s.storage.pool, `${s.storage.pointer}/pool`, 'rbdmap');
        sink('image', s.storage.image, `${s.storage.pointer}/image`, 'rbdmap');
        sink('mount point', s.storage.mount, `${s.storage.pointer}/mount`, 'mycnf');
      }
    }

    if (t.ceph) {
      sink('fsid', t.ceph.fsid, '/ceph/fsid', 'ceph');
      for (const p of Object.values(t.ceph.pools)) {
        sink('pool name', p.name, p.pointer, 'oslo', 'rbdmap', 'fstab');
        sink('client', p.client, `${p.pointer}/client`, 'ceph-section', 'oslo', 'rbdmap');
      }
    }
    const inst = t.compute?.instances;
    if (inst) {
      sink('pool', inst.pool, `${inst.pointer}/pool`, 'rbdmap', 'fstab');
      sink('image', inst.image, `${inst.pointer}/image`, 'rbdmap', 'fstab');
      sink('mount point', inst.mount, `${inst.pointer}/mount`, 'fstab', 'oslo');
    }
    return out;
  },
};
