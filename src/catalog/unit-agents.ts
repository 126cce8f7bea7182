/**
 * Services Pacemaker runs through the init system instead of an OCF agent: `systemd:UNIT`,
 * `lsb:SCRIPT` (an init script in /etc/init.d) and `service:NAME` (systemd where it runs, else
 * the init script). What such a resource can and cannot do follows from how Pacemaker drives it:
 *
 * - No parameters: Pacemaker passes instance attributes to OCF agents only; a unit or an init
 *   script is configured by its own files, and attributes on it would be silently ignored.
 * - No promote/demote: these classes only start, stop and report active or not.
 * - The monitor asks the init system, not the service: for systemd, the unit's ActiveState over
 *   D-Bus (active or reloading is running; failed, inactive, or a oneshot unit without
 *   RemainAfterExit=yes is stopped); for lsb, the script's `status` exit code. Nothing checks
 *   that the daemon answers. Pacemaker drops in Restart=no for every systemd unit it manages
 *   (/run/systemd/system/UNIT.service.d/50-pacemaker.conf), so a crash is Pacemaker's to recover,
 *   and the unit must not be enabled at boot, or it runs beside Pacemaker: compile lists it in
 *   the manifest's boot-time units (disabled) and apply disables it.
 */
import type { Operation } from './types.js';

/** The agent classes that run a unit or an init script. */
export const UNIT_CLASSES = ['systemd', 'lsb', 'service'] as const;

export function isUnitAgent(agent: string): boolean {
  return UNIT_CLASSES.some((c) => agent.startsWith(`${c}:`));
}

/**
 * Pacemaker's meta-data for systemd resources advises 100s for start, stop and monitor: start
 * returns only when systemd's start job ends (a Type=notify daemon's READY=1, after its
 * ExecStartPre and dependencies), and stop waits for TimeoutStopSec (90s by default) before
 * systemd kills the daemon: a shorter stop timeout fails the stop, and a failed stop fences the
 * node. The monitor is a D-Bus property read, so it can run every 30s like the other custom
 * services; its timeout stays at 100s because a busy PID 1 answers late, and a timed-out monitor
 * is a failure that restarts the service.
 */
export const SYSTEMD_OPS: Operation[] = [
  { name: 'start', timeout: '100s' },
  { name: 'stop', timeout: '100s' },
  { name: 'monitor', interval: '30s', timeout: '100s' },
];

/**
 * Init scripts: Pacemaker's generic 15s is short for a script that starts a database or waits for
 * its daemon's pid file, so start and stop get 60s, like the catalogue's init scripts; `status` is
 * a pid check, every 30s within 30s.
 */
export const LSB_OPS: Operation[] = [
  { name: 'start', timeout: '60s' },
  { name: 'stop', timeout: '60s' },
  { name: 'monitor', interval: '30s', timeout: '30s' },
];

/** Operations of a custom service with a unit agent; `service:` may be systemd, so it gets systemd's. */
export function unitOps(agent: string): Operation[] {
  return agent.startsWith('lsb:') ? LSB_OPS : SYSTEMD_OPS;
}

/** Unit types other than services: Pacemaker starts them by their full name, they are not boot services. */
const NOT_A_SERVICE = /\.(socket|mount|automount|swap|target|path|timer|slice|scope|device)$/;

/**
 * The service unit (or init script) to keep disabled at boot, as the manifest names units: without
 * the `.service` suffix (Pacemaker adds it to a bare name, and so does apply's unit script).
 * Undefined for OCF agents and for unit types that are not services.
 */
export function bootUnitOf(agent: string): string | undefined {
  if (!isUnitAgent(agent)) return undefined;
  const unit = agent.slice(agent.indexOf(':') + 1);
  if (NOT_A_SERVICE.test(unit)) return undefined;
  return unit.endsWith('.service') ? unit.slice(0, -'.service'.length) : unit;
}
