/**
 * /etc/default/sbd on every member of a cluster with SBD: the file Debian's sbd package ships and
 * its unit reads (EnvironmentFile of sbd.service; RPM distributions read /etc/sysconfig/sbd).
 * sbd reads it at start only, and starts and stops with corosync (PartOf=corosync.service): a
 * change takes a rolling restart of the cluster stack.
 */
import type { Cluster, Node } from '../../model/types.js';
import { nodeFile, type Once, type PlannedFile } from './plan.js';

export const SBD_CONFIG = '/etc/default/sbd';

export interface SbdContext {
  cluster: string;
  /** SBD_DEVICE's entries (joined with ';' by the template); empty for watchdog-only SBD. */
  devices: string[];
  watchdog: string;
  watchdogTimeout: number;
  startmode: string;
}

export function sbdFile(c: Cluster, n: Node, once: Once): PlannedFile<SbdContext> | undefined {
  const s = c.sbd;
  if (!s || !c.fencing.enabled) return undefined;
  const shareKey = `sbd:${c.name}`;
  return nodeFile({
    node: n.name,
    target: SBD_CONFIG,
    template: 'sbd',
    grammar: 'shell',
    context: once(shareKey, () => ({ cluster: c.name, devices: [...s.devices], watchdog: s.watchdog, watchdogTimeout: s.watchdogTimeout, startmode: s.startmode })),
    services: ['sbd'],
    onChange: { kind: 'corosync-restart' },
    // A change takes a rolling restart of the cluster stack: an sbd file that assigns the same
    // values in another layout (the distribution's, or an imported cluster's) is left as it is.
    install: 'assignments',
    shareKey,
  });
}
