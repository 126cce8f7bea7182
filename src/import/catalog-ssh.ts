/**
 * The nodes' files a catalogue proof asks for (catalog.ts), read over SSH: one command per node
 * that only reads (a fixed script, the paths as its arguments, each file at most MAX_BYTES, sent
 * base64 so the bytes arrive unchanged), through the same strict-host-key transport as the CIB.
 */
import { runChecked, type Transport } from '../remote/ssh.js';
import { MAX_BYTES, PATH } from './catalog-files.js';

/**
 * For each path, one line: `- PATH` (no regular file), `> PATH` (larger than the bound, or
 * unreadable), or `= PATH` followed by a line of the file's base64. Nothing is written.
 */
const SCRIPT = `for p do
  if [ ! -f "$p" ]; then echo "- $p"; continue; fi
  n=$(wc -c < "$p" 2>/dev/null) || { echo "> $p"; continue; }
  if [ "$n" -gt ${MAX_BYTES} ]; then echo "> $p"; continue; fi
  b=$(base64 -w0 < "$p") || { echo "> $p"; continue; }
  echo "= $p"; echo "$b"
done`;

/**
 * Reads the wanted files of each node over `transport`, one command per node, into `known`
 * (`node path` -> the bytes, or null: no such regular file). A file over the bound, or one the
 * node could not read, stays out: not read.
 */
export async function readOverSsh(transport: Transport, wanted: Map<string, Set<string>>, known: Map<string, Uint8Array | null | undefined>): Promise<void> {
  for (const [node, paths] of [...wanted].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const list = [...paths].filter((p) => PATH.test(p)).sort();
    if (!list.length) continue;
    const out = await runChecked(transport, node, ['sh', '-c', SCRIPT, 'hactl-import', ...list]);
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^([-=>]) (\S+)$/.exec(lines[i]!);
      if (!m || !paths.has(m[2]!)) continue;
      if (m[1] === '-') known.set(`${node} ${m[2]}`, null);
      else if (m[1] === '=') known.set(`${node} ${m[2]}`, Buffer.from(lines[++i] ?? '', 'base64'));
    }
  }
}
