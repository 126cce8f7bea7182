import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Where an RBD image may not be mounted, as a rule rather than a list of exact paths: an image
 * mounted there hides what the node runs on or keeps. Refused are `/` and every top-level
 * directory itself (/home, /srv, /opt: everything under it would vanish); anything in the trees
 * the operating system lives in (/etc/ssh, /usr/lib, /lib/modules, /proc/sys, /sys/fs, /dev/shm,
 * /boot/efi, ...); /var's own directories (/var/lib, /var/log, ...) and anything in the ones that
 * hold system state rather than a service's data (/var/log, /var/cache, package manager and
 * cluster stack state under /var/lib). A service's data directory (/var/lib/mysql, /srv/www,
 * /var/lib/nova/instances) is fine.
 */
const OS_TREES = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/root', '/run', '/sbin', '/sys', '/tmp', '/usr', '/var/log', '/var/cache', '/var/backups', '/var/tmp', '/var/spool'];
const STATE_UNDER_VAR_LIB = ['apt', 'dpkg', 'rpm', 'dnf', 'yum', 'systemd', 'ucf', 'pam', 'sudo', 'pacemaker', 'corosync', 'pcsd', 'heartbeat'];

function isSystemPath(path: string): boolean {
  const segs = path.split('/').slice(1);
  if (path === '/' || segs.length === 1) return true;
  if (OS_TREES.some((t) => path === t || path.startsWith(`${t}/`))) return true;
  if (segs[0] === 'var' && segs.length === 2) return true;
  return segs[0] === 'var' && segs[1] === 'lib' && STATE_UNDER_VAR_LIB.includes(segs[2]!);
}

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
      if (isSystemPath(path)) out.push(diag('HA3046', pointer, { path }));
    }
    return out;
  },
};
