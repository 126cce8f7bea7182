/**
 * A RabbitMQ account on the broker that runs (HA review C4): read whether the user exists, logs in
 * with the secret's password and holds the permissions, and make it so. One fixed POSIX sh script
 * with validated arguments, like every other remote action.
 *
 * The password never reaches an argument vector (where `ps` would show it): it arrives on the
 * script's stdin, the shell keeps it in a variable, and `printf` (a shell builtin, no process)
 * hands it to rabbitmqctl's stdin. rabbitmqctl 3.7 and later read the password from stdin when the
 * command line leaves it out (add_user, change_password, authenticate_user: one line, blanks at its
 * ends trimmed); an older rabbitmqctl takes it only as an argument, and the script then reports
 * `old-cli` and changes nothing.
 *
 * stdout, one word per line: `state STATE` (running, down, no-ctl, old-cli), then in check mode
 * `user present|absent`, `password ok|differs|unchecked`, `permissions ok|differs`, `vhost
 * present|absent`; in apply mode `did STEP` for each step taken.
 */
import { RemoteCommandError } from './files.js';
import type { Transport } from './ssh.js';

export const BROKER_SCRIPT = `set -u
mode=$1; user=$2; vhost=$3; conf=$4; write=$5; read=$6; node=$7
pw=
if [ "$mode" != check-nopw ]; then IFS= read -r pw || [ -n "$pw" ] || { echo 'hactl: no password on stdin' >&2; exit 2; }; fi
command -v rabbitmqctl >/dev/null 2>&1 || { echo 'state no-ctl'; exit 0; }
ctl() { if [ -n "$node" ]; then rabbitmqctl -n "$node" "$@"; else rabbitmqctl "$@"; fi; }
users=$(ctl -s list_users 2>/dev/null) || { echo 'state down'; exit 0; }
echo 'state running'
present=absent
printf '%s\\n' "$users" | awk -F '\\t' -v u="$user" '$1 == u { f = 1 } END { exit !f }' && present=present
if ctl -s list_vhosts 2>/dev/null | grep -Fqx -- "$vhost"; then vh=present; else vh=absent; fi
perms=differs
if [ $present = present ] && ctl -s list_user_permissions -- "$user" 2>/dev/null | grep -Fqx -- "$(printf '%s\\t%s\\t%s\\t%s' "$vhost" "$conf" "$write" "$read")"; then perms=ok; fi
pass=unchecked
if [ $present = present ] && [ "$mode" != check-nopw ]; then
  printf '%s\\n' "$pw" | ctl -q authenticate_user -- "$user" >/dev/null 2>&1
  case $? in
    0) pass=ok ;;
    64) echo 'state old-cli'; exit 0 ;;
    *) pass=differs ;;
  esac
fi
if [ "$mode" != apply ]; then
  printf 'user %s\\npassword %s\\npermissions %s\\nvhost %s\\n' "$present" "$pass" "$perms" "$vh"
  exit 0
fi
set -e
if [ $present = absent ]; then
  printf '%s\\n' "$pw" | ctl -q add_user -- "$user" >/dev/null
  echo 'did add_user'
elif [ $pass = differs ]; then
  printf '%s\\n' "$pw" | ctl -q change_password -- "$user" >/dev/null
  echo 'did change_password'
fi
if [ $vh = absent ]; then ctl -q add_vhost -- "$vhost" >/dev/null; echo 'did add_vhost'; fi
if [ $perms = differs ]; then ctl -q set_permissions -p "$vhost" -- "$user" "$conf" "$write" "$read" >/dev/null; echo 'did set_permissions'; fi
`;

export interface BrokerRequest {
  user: string;
  vhost: string;
  permissions: { configure: string; write: string; read: string };
  /** The Erlang node name rabbitmqctl talks to (`-n`); empty: its default. */
  nodename: string;
}

export type BrokerState = 'running' | 'down' | 'no-ctl' | 'old-cli';

export interface BrokerProbe {
  state: BrokerState;
  user?: 'present' | 'absent';
  password?: 'ok' | 'differs' | 'unchecked';
  permissions?: 'ok' | 'differs';
  vhost?: 'present' | 'absent';
}

const USER = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const VHOST = /^\/?[A-Za-z0-9_.-]{0,63}$/;
const PATTERN = /^[A-Za-z0-9_.*^$|()-]{0,64}$/;
const NODENAME = /^([A-Za-z0-9_-]{1,64}@[A-Za-z0-9.-]{1,253})?$/;

function check(re: RegExp, what: string, v: string): string {
  if (!re.test(v)) throw new Error(`refusing ${what} ${JSON.stringify(v)}`);
  return v;
}

function args(mode: string, r: BrokerRequest): string[] {
  return [
    'sh',
    '-c',
    BROKER_SCRIPT,
    'hactl-broker',
    mode,
    check(USER, 'RabbitMQ user', r.user),
    check(VHOST, 'RabbitMQ vhost', r.vhost),
    check(PATTERN, 'permission pattern', r.permissions.configure),
    check(PATTERN, 'permission pattern', r.permissions.write),
    check(PATTERN, 'permission pattern', r.permissions.read),
    check(NODENAME, 'Erlang node name', r.nodename),
  ];
}

/** What the broker on `node` holds of the account (a password of undefined: not compared). */
export async function probeBroker(t: Transport, node: string, r: BrokerRequest, password: string | undefined): Promise<BrokerProbe> {
  const res = await t.exec(node, args(password === undefined ? 'check-nopw' : 'check', r), password === undefined ? '' : `${password}\n`);
  if (res.exitCode !== 0) throw new RemoteCommandError(node, `reading RabbitMQ user ${r.user}`, res);
  const out: BrokerProbe = { state: 'down' };
  for (const line of res.stdout.split('\n')) {
    const [k, v] = line.split(' ');
    if (k === 'state' && (v === 'running' || v === 'down' || v === 'no-ctl' || v === 'old-cli')) out.state = v;
    else if (k === 'user' && (v === 'present' || v === 'absent')) out.user = v;
    else if (k === 'password' && (v === 'ok' || v === 'differs' || v === 'unchecked')) out.password = v;
    else if (k === 'permissions' && (v === 'ok' || v === 'differs')) out.permissions = v;
    else if (k === 'vhost' && (v === 'present' || v === 'absent')) out.vhost = v;
  }
  return out;
}

/** Makes the account as wanted on the broker on `node`; the steps taken (none when it already was). */
export async function reconcileBroker(t: Transport, node: string, r: BrokerRequest, password: string): Promise<{ state: BrokerState; did: string[] }> {
  const res = await t.exec(node, args('apply', r), `${password}\n`);
  const state = (/^state (\S+)$/m.exec(res.stdout)?.[1] ?? 'down') as BrokerState;
  if (res.exitCode !== 0) throw new RemoteCommandError(node, `making RabbitMQ user ${r.user}`, res);
  return { state, did: [...res.stdout.matchAll(/^did (\S+)$/gm)].map((m) => m[1]!) };
}

/** The steps a probe asks for, in the order the script takes them. */
export function brokerSteps(p: BrokerProbe): string[] {
  if (p.state !== 'running') return [];
  const steps: string[] = [];
  if (p.user === 'absent') steps.push('add_user');
  else if (p.password === 'differs') steps.push('change_password');
  if (p.vhost === 'absent') steps.push('add_vhost');
  if (p.permissions === 'differs') steps.push('set_permissions');
  return steps;
}
