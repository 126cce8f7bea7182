import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { durationSeconds, isDiskless, sbdFenceSeconds, watchdogFencingSeconds } from '../sbd.js';
import type { Rule } from './rule.js';

/**
 * SBD's timeout arithmetic and the quorum watchdog-only SBD depends on. A poison pill is obeyed
 * within msgwait only if the watchdog fires before it (msgwait >= 2 x watchdog timeout), and
 * Pacemaker must wait for it (stonith-timeout above msgwait). Without disks, the survivors count
 * a lost node as reset after stonith-watchdog-timeout, which must cover detection plus the
 * watchdog's own timeout; and the node resets only because it lost quorum, so a two-node cluster
 * (two_node keeps both halves quorate) would run both halves.
 */
export const sbd: Rule = {
  name: 'sbd',
  codes: ['HA3140', 'HA3141', 'HA3142', 'HA3143', 'HA3144', 'HA3145', 'HA3146', 'HA3147'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const s = c.sbd;
      if (!s) continue;
      const written = input.clusters?.[c.name]?.sbd ?? {};
      const prop = (name: string) => (Object.hasOwn(c.properties, name) ? { value: c.properties[name]!, at: pointerOf('clusters', c.name, 'properties', name) } : undefined);
      if (!c.fencing.enabled) {
        out.push(diag('HA3145', pointerOf('clusters', c.name, 'fencing', 'enabled'), { cluster: c.name }));
        continue;
      }
      const diskless = isDiskless(c);
      if (diskless) {
        if (written.msgwait !== undefined) out.push(diag('HA3144', `${s.pointer}/msgwait`, { cluster: c.name }));
        if (c.nodes.length < 3 && !c.qdevice) out.push(diag('HA3143', s.pointer, { cluster: c.name, count: c.nodes.length }));
        // corosync-qdevice's sync_timeout (30 s): a shorter watchdog resets a member while qnetd decides.
        if (c.qdevice && s.watchdogTimeout <= 30) out.push(diag('HA3146', written.watchdog_timeout !== undefined ? `${s.pointer}/watchdog_timeout` : s.pointer, { cluster: c.name, timeout: s.watchdogTimeout }));
        const swt = prop('stonith-watchdog-timeout');
        const swtSeconds = swt ? durationSeconds(swt.value) : undefined;
        // A negative value asks Pacemaker to derive it from SBD_WATCHDOG_TIMEOUT (twice it).
        if (swt && swtSeconds !== undefined && swtSeconds >= 0 && swtSeconds < watchdogFencingSeconds(c)) {
          out.push(diag('HA3142', swt.at, { cluster: c.name, value: swt.value, timeout: s.watchdogTimeout, least: watchdogFencingSeconds(c) }));
        }
      } else {
        if (s.msgwait < 2 * s.watchdogTimeout) out.push(diag('HA3140', `${s.pointer}/msgwait`, { cluster: c.name, msgwait: s.msgwait, timeout: s.watchdogTimeout, least: 2 * s.watchdogTimeout }));
        const swt = prop('stonith-watchdog-timeout');
        if (swt && durationSeconds(swt.value) !== 0) out.push(diag('HA3147', swt.at, { cluster: c.name, value: swt.value }));
      }
      const st = prop('stonith-timeout');
      const stSeconds = st ? durationSeconds(st.value) : undefined;
      if (st && stSeconds !== undefined && stSeconds <= sbdFenceSeconds(c)) {
        const what = diskless ? `stonith-watchdog-timeout (${sbdFenceSeconds(c)}s)` : `msgwait (${s.msgwait}s)`;
        out.push(diag('HA3141', st.at, { cluster: c.name, value: st.value, what }));
      }
    }
    return out;
  },
};
