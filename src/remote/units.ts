/**
 * Boot-time units on a node (HA review M2): read whether each listed unit starts at boot, and
 * disable, mask or unmask one. Fixed POSIX sh scripts with validated unit names as arguments, like
 * every other remote action; they act only on the units they are given, never on a pattern.
 *
 * The init system, in the order the service runner (actions.ts) uses:
 *   hook     /etc/hactl/service-action is-enabled|enable|disable|mask|unmask UNIT (a site's own
 *            mechanism; is-enabled prints enabled, disabled, masked or nothing for no such unit);
 *   systemd  when it runs (/run/systemd/system): systemctl is-enabled/disable/mask/unmask
 *            UNIT.service, never --now (a unit is never stopped here: Pacemaker may be running
 *            the service it starts);
 *   upstart  a job /etc/init/UNIT.conf (with initctl): `manual` in /etc/init/UNIT.override;
 *   sysv     /etc/init.d/UNIT: an S link in /etc/rc[2-5].d is enabled; update-rc.d UNIT disable.
 * Upstart and sysvinit cannot mask: there a unit to mask is disabled (the plan says so).
 */
import { RemoteCommandError } from './files.js';
import { SERVICE_HOOK } from './actions.js';
import type { Transport } from './ssh.js';

export type InitSystem = 'hook' | 'systemd' | 'upstart' | 'sysv';
export type UnitState = 'enabled' | 'disabled' | 'masked' | 'absent';
export type UnitStep = 'enable' | 'disable' | 'mask' | 'unmask';

/** The init system of a node and the state of one unit in it. */
export interface UnitProbe {
  init: InitSystem;
  state: UnitState;
}

const INIT = `if [ -x ${SERVICE_HOOK} ]; then init=hook
elif [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then init=systemd
else init=sysv; fi
`;

/** stdout: one `UNIT STATE INIT` line per argument. */
export const UNIT_STATE_SCRIPT = `set -u
${INIT}for u in "$@"; do
  kind=$init
  case $init in
    hook) s=$(${SERVICE_HOOK} is-enabled "$u" 2>/dev/null || true) ;;
    systemd)
      # static (no [Install]) and disabled units do not start at boot by themselves.
      s=$(systemctl is-enabled -- "$u.service" 2>/dev/null || true)
      case $s in masked|masked-runtime) s=masked ;; disabled|static) s=disabled ;; '') ;; *) s=enabled ;; esac ;;
    sysv)
      if [ -f "/etc/init/$u.conf" ] && command -v initctl >/dev/null 2>&1; then
        kind=upstart
        if grep -qsx manual "/etc/init/$u.override"; then s=disabled; else s=enabled; fi
      elif [ -e "/etc/init.d/$u" ]; then
        s=disabled
        for l in /etc/rc2.d/S??"$u" /etc/rc3.d/S??"$u" /etc/rc4.d/S??"$u" /etc/rc5.d/S??"$u"; do [ -e "$l" ] && s=enabled; done
      else s=; fi ;;
  esac
  case $s in enabled|disabled|masked) ;; *) s=absent ;; esac
  printf '%s %s %s\\n' "$u" "$s" "$kind"
done
`;

export const UNIT_CHANGE_SCRIPT = `set -eu
step=$1; u=$2
${INIT}case $init in
  hook) exec ${SERVICE_HOOK} "$step" "$u" ;;
  systemd) exec systemctl "$step" -- "$u.service" ;;
esac
if [ -f "/etc/init/$u.conf" ] && command -v initctl >/dev/null 2>&1; then
  [ "$step" = disable ] || { echo "hactl: upstart cannot $step $u" >&2; exit 64; }
  grep -qsx manual "/etc/init/$u.override" || echo manual >> "/etc/init/$u.override"
  exit 0
fi
case $step in disable|enable) ;; *) echo "hactl: sysvinit cannot $step $u" >&2; exit 64 ;; esac
exec update-rc.d "$u" "$step"
`;

const UNIT = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;

function checkUnit(u: string): string {
  if (!UNIT.test(u)) throw new Error(`refusing unit name ${JSON.stringify(u)}`);
  return u;
}

const STATES = new Set<string>(['enabled', 'disabled', 'masked', 'absent']);
const INITS = new Set<string>(['hook', 'systemd', 'upstart', 'sysv']);

export async function probeUnits(t: Transport, node: string, units: readonly string[]): Promise<Map<string, UnitProbe>> {
  const out = new Map<string, UnitProbe>();
  if (!units.length) return out;
  const r = await t.exec(node, ['sh', '-c', UNIT_STATE_SCRIPT, 'hactl-units', ...units.map(checkUnit)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, 'reading the boot-time state of units', r);
  for (const line of r.stdout.split('\n')) {
    const [unit, state, init] = line.split(' ');
    if (unit && units.includes(unit) && STATES.has(state!) && INITS.has(init!)) out.set(unit, { init: init as InitSystem, state: state as UnitState });
  }
  const missing = units.filter((u) => !out.has(u));
  if (missing.length) throw new RemoteCommandError(node, `reading the boot-time state of ${missing.join(', ')}`, { ...r, exitCode: r.exitCode || 70, stderr: `${r.stderr}\nno state reported for ${missing.join(', ')}` });
  return out;
}

export async function changeUnit(t: Transport, node: string, step: UnitStep, unit: string): Promise<void> {
  const r = await t.exec(node, ['sh', '-c', UNIT_CHANGE_SCRIPT, 'hactl-unit', step, checkUnit(unit)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `${step} ${unit}`, r);
}

/**
 * What takes a unit from its state to the wanted one (empty: nothing to do). A unit that is not
 * installed needs nothing; one to mask is disabled first (a masked unit's enablement comes back
 * when it is unmasked); a masked unit Pacemaker starts through is unmasked, or Pacemaker could not
 * start it. Where the init system cannot mask, disabled is as far as it goes.
 */
export function unitSteps(probe: UnitProbe, want: 'enabled' | 'disabled' | 'masked'): { steps: UnitStep[]; reaches: UnitState } {
  if (want === 'enabled') {
    // A unit to start at boot (sbd): unmasked first, since a masked unit cannot be enabled.
    if (probe.state === 'absent' || probe.state === 'enabled') return { steps: [], reaches: probe.state };
    return { steps: probe.state === 'masked' ? ['unmask', 'enable'] : ['enable'], reaches: 'enabled' };
  }
  const canMask = probe.init === 'hook' || probe.init === 'systemd';
  const target: UnitState = want === 'masked' && canMask ? 'masked' : 'disabled';
  const s = probe.state;
  if (s === 'absent' || s === target) return { steps: [], reaches: s };
  if (target === 'masked') return { steps: s === 'enabled' ? ['disable', 'mask'] : ['mask'], reaches: 'masked' };
  if (s === 'masked') return { steps: ['unmask', 'disable'], reaches: 'disabled' };
  return { steps: ['disable'], reaches: 'disabled' };
}
