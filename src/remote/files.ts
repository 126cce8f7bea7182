/**
 * Remote file operations for apply: read a node's files' checksums, read one file, write one file
 * atomically. Each is a fixed POSIX sh script run as `sh -c SCRIPT NAME ARG...`: the script text
 * never changes, the arguments are validated paths and identifiers (quoted by the transport's one
 * quoting function), and file content travels on stdin only.
 *
 * The write protocol (one file):
 *   1. lock the target's directory (flock on the directory itself: no lock file left behind), so a
 *      second writer, or the clean-up of a previous run, waits rather than races;
 *   2. remove temp files of writers that died (a live writer would hold the lock);
 *   3. receive the content into `.NAME.hactl-tmp.XXXXXX` in the same directory (same filesystem,
 *      so the final rename is atomic; a dot name, so `dir/*` globs such as ifupdown's `source`
 *      never read it); mktemp creates it 0600, so a secret is never briefly world-readable;
 *   4. check the received bytes against the sha256 hactl sent (on stdin, before the content, like
 *      the checksum the plan saw; never in argv, where other local users can read it): a transfer cut short (hactl or ssh
 *      killed) leaves a short temp file, which is deleted, never renamed;
 *   5. chown, chmod, fsync the temp file;
 *   6. copy the old file to /var/backups/hactl/PATH (written the same way: temp, sync, rename), not
 *      next to the target, where a conf.d-style directory would read it as configuration;
 *   7. rename the temp file over the target, then fsync the directory.
 * Content travels base64-encoded both ways (the transport carries text; an authkey is binary), and
 * the write takes the checksum the plan saw on the node: if the file changed since (an operator's
 * edit between plan and write), the write refuses rather than overwrite it.
 * A process killed anywhere in this sequence leaves the target either old or new, never partial;
 * the only debris is a dot temp file that the next probe or write removes.
 */
import { createHash } from 'node:crypto';
import { diag } from '../diagnostics.js';
import { HactlError } from '../errors.js';
import type { ExecResult, Transport } from './ssh.js';

export const TEMP_MARK = '.hactl-tmp.';
export const BACKUP_DIR = '/var/backups/hactl';

/** Absolute, normalised, no shell or line-breaking characters: a path we are willing to pass. */
const SAFE_PATH = /^(\/[A-Za-z0-9_@%+=:,.-]+)+$/;
export function isSafePath(p: string): boolean {
  return SAFE_PATH.test(p) && !p.split('/').some((s) => s === '.' || s === '..') && !p.includes(TEMP_MARK);
}
const SAFE_NAME = /^[a-z_][a-z0-9_.-]*[$]?$/i;
const SAFE_MODE = /^0?[0-7]{3,4}$/;

function checkPath(p: string): string {
  if (!isSafePath(p)) throw new Error(`refusing unsafe remote path ${JSON.stringify(p)}`);
  return p;
}

const LOCK_AND_CLEAN = `
lock_dir() { exec 9<"$1" && flock -w 120 9 || { echo "hactl: cannot lock $1" >&2; exit 75; }; }
clean_temps() { for t in "$1/.$2${TEMP_MARK}"*; do [ -e "$t" ] && rm -f -- "$t"; done; return 0; }
`;

/** stdout: one line per path, in order: `file SHA256 OWNER GROUP MODE`, `missing` or `other`. */
export const PROBE_SCRIPT = `set -u
${LOCK_AND_CLEAN}
for f in "$@"; do
  d=\${f%/*}; [ -n "$d" ] || d=/; b=\${f##*/}
  if [ -d "$d" ]; then ( lock_dir "$d"; clean_temps "$d" "$b" ) || exit 75; fi
  if [ -L "$f" ] || { [ -e "$f" ] && [ ! -f "$f" ]; }; then echo other; continue; fi
  if [ ! -e "$f" ]; then echo missing; continue; fi
  s=$(sha256sum < "$f") || exit 74
  m=$(stat -c '%U %G %a' -- "$f") || exit 74
  echo "file \${s%% *} $m"
done
`;

export const WRITE_SCRIPT = `set -eu
f=$1; owner=$2; group=$3; mode=$4
IFS=' ' read -r sum was || { echo "hactl: $f: no checksum line on stdin" >&2; exit 65; }
d=\${f%/*}; [ -n "$d" ] || d=/; b=\${f##*/}
${LOCK_AND_CLEAN}
# A file only its owner may read gets the directories it needs made the same way (Pacemaker's CIB
# secrets live in directories only root can enter, as cibsecret makes them).
case $mode in *00) ( umask 077; mkdir -p -- "$d" ) ;; *) mkdir -p -- "$d" ;; esac
lock_dir "$d"
clean_temps "$d" "$b"
if [ -e "$f" ]; then now=$(sha256sum < "$f"); now=\${now%% *}; else now=-; fi
if [ "$now" != "$was" ]; then echo "hactl: $f changed on the node since the plan was made; not overwritten" >&2; exit 66; fi
t=$(mktemp -- "$d/.$b${TEMP_MARK}XXXXXX")
trap 'rm -f -- "$t"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
base64 -d > "$t"
got=$(sha256sum < "$t"); got=\${got%% *}
if [ "$got" != "$sum" ]; then echo "hactl: $f: the content arrived incomplete (checksum mismatch); target left as it was" >&2; exit 65; fi
chown -- "$owner:$group" "$t"
chmod -- "$mode" "$t"
sync -- "$t"
if [ -f "$f" ]; then
  k=${BACKUP_DIR}$f
  mkdir -p -- "\${k%/*}"
  cp -p -- "$f" "$k${TEMP_MARK}bak"
  sync -- "$k${TEMP_MARK}bak"
  mv -f -- "$k${TEMP_MARK}bak" "$k"
fi
mv -f -- "$t" "$f"
trap - EXIT
sync -- "$d"
`;

export const READ_SCRIPT = `set -eu
exec base64 -w 0 -- "$1"
`;

export type RemoteFileState =
  | { kind: 'missing' }
  | { kind: 'other' }
  | { kind: 'file'; sha256: string; owner: string; group: string; mode: string };

/** A remote script that ran and failed (the node was reached): HA5205, exit 3. */
export class RemoteCommandError extends HactlError {
  constructor(
    readonly node: string,
    readonly what: string,
    readonly result: ExecResult,
  ) {
    super(diag('HA5205', '', { node, command: what, code: result.exitCode, detail: result.stderr.trim().split('\n').slice(-3).join(' ') || 'no message' }), 3);
  }
}

/** Exit code of the write script when the target changed since the plan read it. */
export const CHANGED_SINCE_PLAN = 66;

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Normalises an octal mode to four digits ('644' -> '0644'). */
export function normMode(mode: string): string {
  return parseInt(mode, 8).toString(8).padStart(4, '0');
}

/** Checksums, owner, group and mode of many files in one round trip; also removes dead writers' temp files. */
export async function probeFiles(t: Transport, node: string, paths: readonly string[]): Promise<Map<string, RemoteFileState>> {
  const out = new Map<string, RemoteFileState>();
  if (paths.length === 0) return out;
  const r = await t.exec(node, ['sh', '-c', PROBE_SCRIPT, 'hactl-probe', ...paths.map(checkPath)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, 'reading file checksums', r);
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (lines.length !== paths.length) throw new RemoteCommandError(node, `reading file checksums (got ${lines.length} answers for ${paths.length} files)`, r);
  paths.forEach((p, i) => {
    const f = lines[i]!.split(' ');
    if (f[0] === 'file' && f.length === 5 && /^[0-9a-f]{64}$/.test(f[1]!)) {
      out.set(p, { kind: 'file', sha256: f[1]!, owner: f[2]!, group: f[3]!, mode: normMode(f[4]!) });
    } else if (f[0] === 'missing') out.set(p, { kind: 'missing' });
    else if (f[0] === 'other') out.set(p, { kind: 'other' });
    else throw new RemoteCommandError(node, `reading file checksums (unexpected answer ${JSON.stringify(lines[i])})`, r);
  });
  return out;
}

export async function readRemoteFile(t: Transport, node: string, path: string): Promise<Buffer> {
  const r = await t.exec(node, ['sh', '-c', READ_SCRIPT, 'hactl-read', checkPath(path)]);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `reading ${path}`, r);
  return Buffer.from(r.stdout.trim(), 'base64');
}

export interface WriteSpec {
  path: string;
  owner: string;
  group: string;
  mode: string;
  content: Buffer;
  /** sha256 of the file the plan saw on the node, or undefined when there was none. */
  was: string | undefined;
}

export async function writeRemoteFile(t: Transport, node: string, spec: WriteSpec): Promise<void> {
  for (const [what, v] of [
    ['owner', spec.owner],
    ['group', spec.group],
  ] as const) {
    if (!SAFE_NAME.test(v)) throw new Error(`refusing unsafe ${what} ${JSON.stringify(v)} for ${spec.path}`);
  }
  if (!SAFE_MODE.test(spec.mode)) throw new Error(`refusing mode ${JSON.stringify(spec.mode)} for ${spec.path}`);
  const argv = ['sh', '-c', WRITE_SCRIPT, 'hactl-write', checkPath(spec.path), spec.owner, spec.group, normMode(spec.mode)];
  // The checksums travel on stdin with the content: in argv, any local user on the operator's
  // machine or the node could read them (/proc/PID/cmdline), and the sha256 of a whole-secret file
  // is a dictionary oracle for its password.
  if (spec.was !== undefined && !/^[0-9a-f]{64}$/.test(spec.was)) throw new Error(`refusing checksum ${JSON.stringify(spec.was)} for ${spec.path}`);
  const r = await t.exec(node, argv, `${sha256(spec.content)} ${spec.was ?? '-'}\n${spec.content.toString('base64')}`);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `writing ${spec.path}`, r);
}
