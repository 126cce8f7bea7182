/**
 * SBD's timeout arithmetic, shared by the rules that explain it, the CIB properties that carry it
 * and check. Disk-based: a poison pill is obeyed within msgwait (>= 2 x the watchdog timeout
 * written to the disk), so fencing must be allowed longer than msgwait (stonith-timeout).
 * Watchdog-only: the survivors assume a node that lost quorum has reset itself after
 * stonith-watchdog-timeout, which must be at least twice SBD_WATCHDOG_TIMEOUT (the node's sbd
 * feeds its watchdog until it notices, then the watchdog needs its timeout to fire).
 */
import type { Cluster } from './types.js';

/** Pacemaker's stonith-timeout when none is set (pacemaker-fenced metadata). */
export const DEFAULT_STONITH_TIMEOUT = 60;

const UNITS: Record<string, number> = { '': 1, s: 1, sec: 1, ms: 0.001, msec: 0.001, m: 60, min: 60, h: 3600, hr: 3600 };

/** Seconds of a Pacemaker duration ("10", "10s", "2min", "500ms"); undefined when it is none. */
export function durationSeconds(value: string): number | undefined {
  const m = /^\s*(-?\d+)\s*([a-z]*)\s*$/i.exec(value);
  const unit = m ? UNITS[m[2]!.toLowerCase()] : undefined;
  return m && unit !== undefined ? Number(m[1]) * unit : undefined;
}

export function isDiskless(c: Cluster): boolean {
  return !!c.sbd && c.sbd.devices.length === 0;
}

/** stonith-watchdog-timeout hactl writes for watchdog-only SBD: exactly twice the watchdog timeout. */
export function watchdogFencingSeconds(c: Cluster): number {
  return 2 * c.sbd!.watchdogTimeout;
}

/**
 * How long a fencing action of the cluster's SBD takes at most: msgwait on disks, the
 * stonith-watchdog-timeout without them.
 */
export function sbdFenceSeconds(c: Cluster): number {
  return isDiskless(c) ? watchdogFencingSeconds(c) : c.sbd!.msgwait;
}

/**
 * stonith-timeout hactl writes with SBD: Pacemaker's 60 s unless SBD needs longer, then 20% above
 * the time SBD's fencing takes (the margin crmsh's bootstrap also leaves).
 */
export function sbdStonithTimeout(c: Cluster): number {
  return Math.max(DEFAULT_STONITH_TIMEOUT, Math.ceil(sbdFenceSeconds(c) * 1.2));
}

/**
 * Whether SBD fences this node: every member of a cluster with SBD runs sbd. Remote nodes run no
 * sbd here (hactl writes no sbd_remote), so they keep needing a device of their own.
 */
export function sbdFences(c: Cluster, node: string): boolean {
  return !!c.sbd && c.nodes.includes(node);
}
