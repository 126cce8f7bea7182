import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** The whole disk a partition device lives on (/dev/sda5 -> /dev/sda, /dev/nvme0n1p2 -> /dev/nvme0n1). */
export function diskOf(device: string): string {
  const m = /^(\/dev\/(?:nvme\d+n\d+|mmcblk\d+|loop\d+))p\d+$/.exec(device) ?? /^(\/dev\/(?:[shv]d|xvd)[a-z]+)\d+$/.exec(device);
  return m ? m[1]! : device;
}

/**
 * On each node: no device serves two OSDs, a journal is never the OSD's own data disk, and never a
 * data disk (or a partition of one) of any OSD. Device paths are per node, so nodes are separate.
 */
export const cephDevices: Rule = {
  name: 'ceph-devices',
  codes: ['HA3507', 'HA3508', 'HA3509'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const n of Object.values(t.nodes)) {
      const used = new Set<string>();
      const use = (device: string, pointer: string) => {
        if (used.has(device)) out.push(diag('HA3508', pointer, { device, node: n.name }));
        used.add(device);
      };
      for (const o of n.osds) use(o.data, `${o.pointer}/data`);
      for (const o of n.osds) {
        const j = o.journal;
        if (!j) continue;
        const at = `${o.pointer}/journal`;
        if (j === o.data) {
          out.push(diag('HA3509', at, { journal: j, node: n.name }));
          continue;
        }
        const data = n.osds.find((x) => x.data === j || x.data === diskOf(j));
        if (data) {
          out.push(diag('HA3507', at, { journal: j, node: n.name, data: data.data }));
          continue;
        }
        use(j, at);
      }
    }
    return out;
  },
};
