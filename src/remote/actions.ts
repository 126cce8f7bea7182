/**
 * What runs on a node after its files changed, as fixed scripts with validated arguments.
 *
 * Service reloads and restarts go through one runner, so that a node without systemd (hactl's
 * namespace test cluster; a container) still gets them. In order, the runner uses:
 *   1. /etc/hactl/service-action VERB UNIT, when that executable exists (a site's own mechanism;
 *      the test cluster installs one);
 *   2. `systemctl VERB UNIT`, when systemd is running (/run/systemd/system exists);
 *   3. /etc/init.d/UNIT VERB, when that script exists;
 * and fails with a clear message otherwise. VERB is reload or restart; a corosync rolling
 * restart is `restart corosync` on one node at a time (systemd restarts pacemaker with it, since
 * pacemaker.service requires corosync.service).
 */
import { RemoteCommandError } from './files.js';
import type { Transport } from './ssh.js';

export const SERVICE_HOOK = '/etc/hactl/service-action';

export const SERVICE_SCRIPT = `set -eu
verb=$1; unit=$2
if [ -x ${SERVICE_HOOK} ]; then exec ${SERVICE_HOOK} "$verb" "$unit"; fi
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then exec systemctl "$verb" "$unit"; fi
if [ -x "/etc/init.d/$unit" ]; then exec "/etc/init.d/$unit" "$verb"; fi
echo "hactl: cannot $verb $unit on $(uname -n): no ${SERVICE_HOOK}, no running systemd and no /etc/init.d/$unit" >&2
exit 69
`;

/**
 * Mount a filesystem listed in fstab unless it is mounted already. Under systemd, fstab is read
 * by a generator: daemon-reload first, so the mount unit matches the new line.
 */
export const MOUNT_SCRIPT = `set -eu
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemctl daemon-reload; fi
mountpoint -q -- "$1" || mount -- "$1"
`;

const UNIT = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}$/;
const MOUNTPOINT = /^(\/[A-Za-z0-9_.+-]+)+$/;

function check(re: RegExp, what: string, v: string): string {
  if (!re.test(v)) throw new Error(`refusing ${what} ${JSON.stringify(v)}`);
  return v;
}

export async function serviceAction(t: Transport, node: string, verb: 'reload' | 'restart', unit: string): Promise<void> {
  const r = await t.exec(node, ['sh', '-c', SERVICE_SCRIPT, 'hactl-service', verb, check(UNIT, 'service name', unit)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `${verb} ${unit}`, r);
}

export async function mountAction(t: Transport, node: string, path: string): Promise<void> {
  const r = await t.exec(node, ['sh', '-c', MOUNT_SCRIPT, 'hactl-mount', check(MOUNTPOINT, 'mount point', path)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `mount ${path}`, r);
}

/** Tells every corosync of the node's cluster to re-read corosync.conf. */
export async function corosyncReload(t: Transport, node: string): Promise<void> {
  const r = await t.exec(node, ['corosync-cfgtool', '-R']);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, 'corosync-cfgtool -R', r);
}

/** Restarts a Pacemaker resource through the cluster (crm_resource waits for it to finish). */
export async function restartResource(t: Transport, node: string, resource: string): Promise<void> {
  const r = await t.exec(node, ['crm_resource', '--restart', '--resource', check(UNIT, 'resource id', resource)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `crm_resource --restart --resource ${resource}`, r);
}

/**
 * Restarts the instance of a clone on one node only (crm_resource stops it there with a temporary
 * ban, clears the ban and waits for the start): the other instances keep serving meanwhile.
 */
export async function restartResourceOn(t: Transport, via: string, resource: string, node: string): Promise<void> {
  const r = await t.exec(via, ['crm_resource', '--restart', '--resource', check(UNIT, 'resource id', resource), '--node', check(UNIT, 'node name', node)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(via, `crm_resource --restart --resource ${resource} --node ${node}`, r);
}

/**
 * Resources with an operation under way, as `resource role` pairs, from crm_mon's XML: a pending
 * operation (recorded by record-pending, Pacemaker's default) shows as the operation's -ing form
 * of the role (Starting, Stopping, Promoting, Demoting, Migrating).
 */
export function operationsInFlight(crmMonXml: string): string[] {
  return [...crmMonXml.matchAll(/<resource id="([^"]+)"[^>]*\brole="([A-Z][a-z]*ing)"/g)].map((m) => `${m[1]} ${m[2]}`);
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Whether the cluster has settled within `seconds`, as `via` sees it: nothing left to schedule
 * and no operation under way. crm_resource --wait alone is not that before Pacemaker 2.1.7: it
 * returns once nothing new is planned while a start or stop it already began still runs, and a
 * rolling restart would then take the next instance down while the last one is still starting.
 */
export async function waitSettled(t: Transport, via: string, seconds = 30): Promise<boolean> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const left = Math.ceil((end - Date.now()) / 1000);
    if (left <= 0) return false;
    const r = await t.exec(via, ['crm_resource', '--wait', `--timeout=${left}s`]);
    if (r.exitCode !== 0) return false;
    const mon = await t.exec(via, ['crm_mon', '-1', '--output-as=xml']);
    if (mon.exitCode === 0 && !operationsInFlight(mon.stdout).length) return true;
    await pause(500);
  }
}

/** The nodes a resource (or a clone's instances) runs on, as the cluster reports it now. */
export async function locateResource(t: Transport, via: string, resource: string): Promise<string[]> {
  const r = await t.exec(via, ['crm_resource', '--locate', '--resource', check(UNIT, 'resource id', resource), '--output-as=xml']);
  if (r.exitCode !== 0) throw new RemoteCommandError(via, `crm_resource --locate --resource ${resource}`, r);
  return [...r.stdout.matchAll(/<node\b[^>]*>([^<]+)<\/node>/g)].map((m) => m[1]!).sort();
}

/**
 * Whether the cluster is whole again as `node` sees it after a corosync restart: its partition has
 * quorum, a DC is elected, and every expected member is online in it. A node restarted with a key
 * the others do not share sees itself online and as its own DC, alone and without quorum: that is
 * a split, not a success.
 */
export async function clusterWhole(t: Transport, node: string, members: readonly string[]): Promise<{ ok: boolean; why: string }> {
  const r = await t.exec(node, ['crm_mon', '-1', '--output-as=xml']);
  if (r.exitCode !== 0) return { ok: false, why: `crm_mon failed on ${node} (exit ${r.exitCode})` };
  const dc = /<current_dc\b[^>]*>/.exec(r.stdout)?.[0] ?? '';
  if (!/\bpresent="true"/.test(dc)) return { ok: false, why: `${node} sees no DC` };
  if (!/\bwith_quorum="true"/.test(dc)) return { ok: false, why: `${node}'s partition has no quorum` };
  const online = new Set([...r.stdout.matchAll(/<node name="([^"]+)"[^>]*\bonline="true"/g)].map((m) => m[1]!));
  const missing = members.filter((m) => !online.has(m));
  if (missing.length) return { ok: false, why: `${node} does not see ${missing.join(', ')} online` };
  return { ok: true, why: '' };
}

/**
 * Whether the corosync running on a node started before its authkey was last written: it then
 * runs with an older key than the one on disk (a rotation written but never restarted, e.g. after
 * an apply that stopped part way). The process is corosync's own in this network namespace (its
 * pid file, else pidof), its start from /proc; stdout: stale, current, stopped or unknown.
 * Boot time comes from the clock minus /proc/uptime (hundredths of a second), not /proc/stat's
 * btime: btime is whole seconds, so a key written just before corosync started read as newer
 * than the start, and every first apply on a fresh cluster planned a full restart.
 */
export const KEY_AGE_SCRIPT = `set -u
k=/etc/corosync/authkey
[ -f "$k" ] || { echo unknown; exit 0; }
self=$(readlink /proc/self/ns/net)
pid=
for p in $(cat /run/corosync.pid 2>/dev/null) $(pidof corosync 2>/dev/null); do
  [ "$(cat "/proc/$p/comm" 2>/dev/null)" = corosync ] || continue
  [ "$(readlink "/proc/$p/ns/net" 2>/dev/null)" = "$self" ] || continue
  pid=$p; break
done
[ -n "$pid" ] || { echo stopped; exit 0; }
ticks=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d ' ' -f 20) || { echo unknown; exit 0; }
now=$(date +%s.%N)
up=$(cut -d ' ' -f 1 /proc/uptime)
hz=$(getconf CLK_TCK)
mtime=$(stat -c %.9Y -- "$k") || { echo unknown; exit 0; }
awk -v t="$ticks" -v now="$now" -v up="$up" -v hz="$hz" -v m="$mtime" 'BEGIN { print (m > now - up + t / hz + 0.05) ? "stale" : "current" }'
`;

export async function corosyncKeyAge(t: Transport, node: string): Promise<'stale' | 'current' | 'stopped' | 'unknown'> {
  const r = await t.exec(node, ['sh', '-c', KEY_AGE_SCRIPT, 'hactl-key-age']);
  const v = r.stdout.trim();
  if (r.exitCode !== 0) throw new RemoteCommandError(node, 'checking the age of the corosync authkey', r);
  return v === 'stale' || v === 'current' || v === 'stopped' ? v : 'unknown';
}
