/**
 * Comparing a node's file that holds secrets with what hactl would write, without the node's
 * secret values leaving the node and without sending hactl's values to it.
 *
 * hactl sends the node the file's template lines that hold secret references, cut at each
 * reference into literal pieces (no value in them), the keys of those lines, and a fresh random
 * nonce. On the node, each line of the file that matches a template line (its pieces in order)
 * is answered with that line's number and, for each span where a reference sits, sha256(nonce ||
 * span); a line whose key is one of those keys (an older shape of a secret line) is answered with
 * its key only; any other line holds nothing hactl knows to be secret and is sent as it is (then
 * masked here like every node text). hactl cuts its own content's lines the same way and compares
 * the span digests: equal spans mean the same value, whatever its encoding. The nonce is new at
 * every run, so the digests are worth nothing afterwards, and they never reach the output.
 */
import { randomBytes, createHash } from 'node:crypto';
import { RemoteCommandError } from '../remote/files.js';
import type { Transport } from '../remote/ssh.js';

const REF = /<secret:[a-z0-9-]+>/;
/** Separates a template line's pieces on the wire; no template line holds it (control characters are refused). */
const SEP = '\u0001';

/** The literal pieces of a template line around its secret references. */
export function piecesOf(templateLine: string): string[] {
  return templateLine.split(REF);
}

/**
 * The spans where the references sit, when `line` has the template line's pieces in order (the
 * first a prefix, the last a suffix, each between found at its first place); undefined otherwise.
 * The node's awk program does exactly this.
 */
export function spansOf(line: string, pieces: readonly string[]): string[] | undefined {
  const first = pieces[0]!;
  if (!line.startsWith(first)) return undefined;
  let pos = first.length;
  const spans: string[] = [];
  for (let j = 1; j < pieces.length; j++) {
    const rest = line.slice(pos);
    const p = pieces[j]!;
    if (j === pieces.length - 1) {
      if (p.length > rest.length || !rest.endsWith(p)) return undefined;
      spans.push(rest.slice(0, rest.length - p.length));
      pos = line.length;
    } else {
      const k = p === '' ? 0 : rest.indexOf(p);
      if (k < 0) return undefined;
      spans.push(rest.slice(0, k));
      pos += k + p.length;
    }
  }
  return spans;
}

const AWK = `FNR == NR {
  if (FNR == 1) { np = $0 + 0; next }
  if (FNR <= np + 1) { pat[FNR - 1] = $0; next }
  if (FNR == np + 2) next
  key[$0] = 1; next
}
{
  line = $0; hit = 0
  for (i = 1; i <= np && !hit; i++) {
    n = split(pat[i], pc, "\\001")
    if (substr(line, 1, length(pc[1])) != pc[1]) continue
    pos = length(pc[1]) + 1; ok = 1; ns = 0
    for (j = 2; j <= n; j++) {
      rest = substr(line, pos)
      if (j == n) {
        L = length(pc[j]); R = length(rest)
        if (L > R || substr(rest, R - L + 1) != pc[j]) { ok = 0; break }
        span[++ns] = substr(rest, 1, R - L); pos = length(line) + 1
      } else {
        k = (pc[j] == "") ? 1 : index(rest, pc[j])
        if (k == 0) { ok = 0; break }
        span[++ns] = substr(rest, 1, k - 1); pos += k - 1 + length(pc[j])
      }
    }
    if (!ok) continue
    hit = 1; out = "= " i
    for (s = 1; s <= ns; s++) { sf = dir "/s." (++cnt); printf "%s", span[s] > sf; close(sf); out = out " " cnt }
    print out
  }
  if (hit) next
  if (match(line, /^[ \\t]*[A-Za-z0-9_.-]+[ \\t]*[=:]/)) {
    k = substr(line, 1, RLENGTH); sub(/^[ \\t]*/, "", k); sub(/[ \\t]*[=:]$/, "", k)
    if (k in key) { print "~ " k; next }
  }
  print "- " line
}`;

/**
 * `sh -c SECRET_COMPARE_SCRIPT NAME PATH`, stdin: the nonce line, then the spec (pattern count,
 * patterns, key count, keys). Exit 3 when PATH is not a regular file.
 */
export const SECRET_COMPARE_SCRIPT = `set -u
set -f
umask 077
d=$(mktemp -d "\${TMPDIR:-/tmp}/hactl-cmp.XXXXXX") || exit 12
trap 'rm -rf -- "$d"' EXIT
IFS= read -r nonce || exit 12
cat > "$d/spec"
[ -f "$1" ] && [ ! -L "$1" ] || exit 3
awk -v dir="$d" '${AWK.replace(/'/g, "'\\''")}' "$d/spec" "$1" > "$d/out" || exit 13
while IFS= read -r l; do
  case $l in
    "= "*) set -- $l; printf '= %s' "$2"; shift 2
      for s in "$@"; do h=$({ printf '%s' "$nonce"; cat -- "$d/s.$s"; } | sha256sum); printf ' %s' "\${h%% *}"; done; echo ;;
    *) printf '%s\\n' "$l" ;;
  esac
done < "$d/out"
`;

export type NodeLine = { kind: 'template'; index: number; spans: string[] } | { kind: 'key'; key: string } | { kind: 'line'; text: string };

export interface SecretComparison {
  /** The node's file with every line that holds a secret hactl knows replaced: template lines by their template line, others by their key. */
  lines: NodeLine[];
  /** Whether each reference span equals hactl's (only where `content` was given). */
  valuesDiffer: boolean;
}

/** The key of a `key = value` / `key: value` line, as the node's awk reads it. */
export function lineKey(line: string): string | undefined {
  return /^[ \t]*([A-Za-z0-9_.-]+)[ \t]*[=:]/.exec(line)?.[1];
}

/**
 * Reads the node's file at `path` as described above. `display` is the file with references as
 * labels; `content`, when the secret values are known, the file hactl would write (its lines
 * correspond one to one with `display`'s: a value never holds a line break).
 */
export async function compareOnNode(t: Transport, node: string, path: string, display: string, content: Buffer | undefined): Promise<SecretComparison> {
  const displayLines = display.split('\n');
  const templ = displayLines.map((l, i) => ({ l, i })).filter((x) => REF.test(x.l));
  const keys = [...new Set(templ.map((x) => lineKey(x.l)).filter((k): k is string => k !== undefined))];
  const nonce = randomBytes(32).toString('hex');
  const spec = [String(templ.length), ...templ.map((x) => piecesOf(x.l).join(SEP)), String(keys.length), ...keys].join('\n') + '\n';
  const r = await t.exec(node, ['sh', '-c', SECRET_COMPARE_SCRIPT, 'hactl-compare', path], `${nonce}\n${spec}`);
  if (r.exitCode !== 0) throw new RemoteCommandError(node, `comparing ${path} without its secret values`, r);
  const contentLines = content?.toString('utf8').split('\n');
  let valuesDiffer = false;
  const lines: NodeLine[] = (r.stdout === '' ? [] : r.stdout.replace(/\n$/, '').split('\n')).map((l): NodeLine => {
      if (l.startsWith('= ')) {
        const [, n, ...digests] = l.split(' ');
        const t = templ[Number(n) - 1];
        if (!t) throw new RemoteCommandError(node, `comparing ${path} (unexpected answer)`, r);
        if (contentLines) {
          const mine = spansOf(contentLines[t.i] ?? '', piecesOf(t.l));
          const want = mine?.map((s) => createHash('sha256').update(nonce).update(s).digest('hex'));
          if (!want || want.length !== digests.length || want.some((d, i) => d !== digests[i])) valuesDiffer = true;
        }
        return { kind: 'template', index: t.i, spans: digests };
      }
      if (l.startsWith('~ ')) return { kind: 'key', key: l.slice(2) };
      return { kind: 'line', text: l.startsWith('- ') ? l.slice(2) : l };
    });
  return { lines, valuesDiffer };
}

/** The node's file as text safe to show: template lines as in `display`, secret keys' lines as their key. */
export function maskedText(cmp: SecretComparison, display: string): string {
  const displayLines = display.split('\n');
  // awk reads lines: a final newline is assumed, as every file hactl writes has one.
  return cmp.lines.map((l) => `${l.kind === 'template' ? displayLines[l.index]! : l.kind === 'key' ? `${l.key} =` : l.text}\n`).join('');
}
