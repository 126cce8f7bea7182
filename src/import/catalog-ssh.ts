/**
 * What a catalogue proof asks of the nodes (catalog.ts), read over SSH through the same
 * strict-host-key transport as the CIB: the files in one command per node that only reads (a fixed
 * script, the paths as its arguments, each file at most MAX_BYTES, sent base64 so the bytes arrive
 * unchanged), and the boot-time state of units with the script apply reads them with.
 */
import type { BootUnitState } from '../compile/files/boot-units.js';
import { normMode } from '../remote/files.js';
import { runChecked, type Transport } from '../remote/ssh.js';
import { probeUnits, unitSteps, type UnitProbe } from '../remote/units.js';
import { NODE_CONCURRENCY, runBounded, valuesOrThrow } from '../util/pool.js';
import type { NodeFiles } from './catalog.js';
import { MAX_BYTES, PATH } from './catalog-files.js';

/** What a live import has read of the nodes so far; undefined: asked for and not read. */
export interface NodeState {
  files: Map<string, Uint8Array | null | undefined>;
  meta: Map<string, { owner: string; group: string; mode: string }>;
  units: Map<string, UnitProbe | undefined>;
}

/** What proofs asked for that is not yet known, by node. */
export interface Wanted {
  files: Map<string, Set<string>>;
  units: Map<string, Set<string>>;
}

const add = (m: Map<string, Set<string>>, node: string, what: string) => {
  let s = m.get(node);
  if (!s) m.set(node, (s = new Set()));
  s.add(what);
};

/**
 * The nodes as a live import learns them: what `known` holds, and a record of what a proof asked
 * for beyond it (answered "not read"), which the next pass reads. A unit is as apply would leave
 * it when apply's own steps from its state are none (unitSteps).
 */
export function recorder(known: NodeState): { files: NodeFiles; wanted: Wanted } {
  const wanted: Wanted = { files: new Map(), units: new Map() };
  const files: NodeFiles = {
    source: 'the nodes over SSH',
    read(node, path) {
      const key = `${node} ${path}`;
      if (known.files.has(key)) return known.files.get(key);
      add(wanted.files, node, path);
      return undefined;
    },
    meta: (node, path) => known.meta.get(`${node} ${path}`),
    unitAs(node, unit, want: BootUnitState) {
      const key = `${node} ${unit}`;
      if (!known.units.has(key)) {
        add(wanted.units, node, unit);
        return undefined;
      }
      const probe = known.units.get(key);
      return probe && unitSteps(probe, want).steps.length === 0;
    },
  };
  return { files, wanted };
}

/**
 * For each path, one line: `- PATH` (no regular file), `> PATH` (larger than the bound, or
 * unreadable), or `= PATH OWNER GROUP MODE` followed by a line of the file's base64. Nothing is
 * written.
 */
const SCRIPT = `for p do
  if [ ! -f "$p" ]; then echo "- $p"; continue; fi
  n=$(wc -c < "$p" 2>/dev/null) || { echo "> $p"; continue; }
  if [ "$n" -gt ${MAX_BYTES} ]; then echo "> $p"; continue; fi
  m=$(stat -c '%U %G %a' -- "$p") || { echo "> $p"; continue; }
  b=$(base64 -w0 < "$p") || { echo "> $p"; continue; }
  echo "= $p $m"; echo "$b"
done`;

/**
 * Reads what `wanted` names over `transport` into `known`: each node's files in one command (the
 * bytes, or null: no such regular file; a file over the bound or unreadable stays not read), its
 * units' boot-time states with the script apply reads them with. Everything asked for is known
 * afterwards, read or not. The nodes are read side by side (each on its own connection); a node
 * that cannot be read fails the whole read, the first such node in name order.
 */
export async function readOverSsh(transport: Transport, wanted: Wanted, known: NodeState): Promise<void> {
  const nodes = [...new Set([...wanted.files.keys(), ...wanted.units.keys()])].sort();
  valuesOrThrow(await runBounded(nodes, NODE_CONCURRENCY, (node) => readNode(transport, node, wanted, known)));
}

async function readNode(transport: Transport, node: string, wanted: Wanted, known: NodeState): Promise<void> {
  const paths = wanted.files.get(node) ?? new Set<string>();
  const list = [...paths].filter((p) => PATH.test(p)).sort();
  if (list.length) {
    const out = await runChecked(transport, node, ['sh', '-c', SCRIPT, 'hactl-import', ...list]);
    const lines = out.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^([->]) (\S+)$|^= (\S+) (\S+) (\S+) ([0-7]{3,4})$/.exec(lines[i]!);
      const path = m?.[2] ?? m?.[3];
      if (!m || !paths.has(path!)) continue;
      if (m[1] === '-') known.files.set(`${node} ${path}`, null);
      else if (m[3] !== undefined) {
        known.files.set(`${node} ${path}`, Buffer.from(lines[++i] ?? '', 'base64'));
        known.meta.set(`${node} ${path}`, { owner: m[4]!, group: m[5]!, mode: normMode(m[6]!) });
      }
    }
  }
  for (const p of paths) if (!known.files.has(`${node} ${p}`)) known.files.set(`${node} ${p}`, undefined);
  const units = [...(wanted.units.get(node) ?? [])].sort();
  const probes = await probeUnits(transport, node, units);
  for (const u of units) known.units.set(`${node} ${u}`, probes.get(u));
}
