import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** The whole disk a partition device lives on (/dev/sda5 -> /dev/sda, /dev/nvme0n1p2 -> /dev/nvme0n1). */
export function diskOf(device: string): string {
  const m = /^(\/dev\/(?:nvme\d+n\d+|mmcblk\d+|loop\d+))p\d+$/.exec(device) ?? /^(\/dev\/(?:[shv]d|xvd)[a-z]+)\d+$/.exec(device);
  return m ? m[1]! : device;
}

/** A path that stays under /dev when resolved: no empty, . or .. segments. */
function plainDevice(device: string): boolean {
  return device.slice('/dev/'.length).split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/**
 * Device paths are plain paths under /dev (the schema's pattern alone lets /dev/../etc/passwd
 * through). On each node: no device serves two OSDs, a journal is never the OSD's own data disk, and never a
 * data disk (or a partition of one) of any OSD. Device paths are per node, so nodes are separate.
 */
export const cephDevices: Rule = {
  name: 'ceph-devices',
  codes: ['HA3507', 'HA3508', 'HA3509', 'HA3510'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const n of Object.values(t.nodes)) {
      const used = new Set<string>();
      const use = (device: string, pointer: string) => {
        if (used.has(device)) out.push(diag('HA3508', pointer, { device, node: n.name }));
        used.add(device);
      };
      let plain = true;
      for (const o of n.osds) {
        for (const [field, device] of [['data', o.data], ['journal', o.journal]] as const) {
          if (device === undefined || plainDevice(device)) continue;
          plain = false;
          out.push(diag('HA3510', `${o.pointer}/${field}`, { device, node: n.name }));
        }
      }
      // Comparing devices only makes sense once every path names its device plainly.
      if (!plain) continue;
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
