import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** Directories the operating system lives in: an image mounted over one hides what the node runs on. */
const SYSTEM = ['/', '/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var', '/var/lib', '/var/log'];

/**
 * RBD mount points (a service's storage, the compute nodes' instances) are plain absolute paths
 * (the schema's pattern alone lets /var/lib/../../etc through) and not a system directory.
 */
export const mountPoints: Rule = {
  name: 'mount-points',
  codes: ['HA3045', 'HA3046'],
  check(t) {
    const out: Diagnostic[] = [];
    const mounts: { path: string; pointer: string }[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) if (s.storage?.mount) mounts.push({ path: s.storage.mount, pointer: `${s.storage.pointer}/mount` });
    }
    const inst = t.compute?.instances;
    if (inst?.mount) mounts.push({ path: inst.mount, pointer: `${inst.pointer}/mount` });
    for (const { path, pointer } of mounts) {
      const segs = path.split('/').slice(1);
      if (path !== '/' && segs.some((s) => s === '' || s === '.' || s === '..')) {
        out.push(diag('HA3045', pointer, { path }));
        continue;
      }
      if (SYSTEM.includes(path)) out.push(diag('HA3046', pointer, { path }));
    }
    return out;
  },
};
