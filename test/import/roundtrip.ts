/**
 * The import round trip, in process: CIB C -> import -> validate (no error) -> compile -> the
 * semantic diff of the compiled CIB against C, as apply sees the cluster once `import --adopt`
 * recorded the imported objects: every object compared, one only C has is drift too, and only an
 * operator's runtime state (a stopped or unmanaged resource, which import leaves out of the
 * topology and apply keeps) is set aside. Each outcome says where the trip stopped, by category,
 * so a corpus run can count them.
 */
import { declaredNodeTokens, diffCibs, ownedIdsOf, type Ownership } from '../../src/diff/index.js';
import { toCib } from '../../src/compile/cib/index.js';
import { importCib } from '../../src/import/index.js';
import { loadTopology } from '../../src/load.js';
import { parseXml } from '../../src/xml/parse.js';

export type Trip =
  | { ok: true; text: string }
  | { ok: false; stage: 'parse' | 'import' | 'validate' | 'diff'; category: string; detail: string; text?: string };

export function roundTrip(cibText: string, source: string, corosyncConf?: string, sbdConfig?: string): Trip {
  const parsed = parseXml(cibText);
  if (!parsed.ok) return { ok: false, stage: 'parse', category: 'not well-formed XML', detail: parsed.error.message };
  const r = importCib({ cib: parsed.root, source, ...(corosyncConf !== undefined ? { corosyncConf: { text: corosyncConf, source: 'corosync.conf' } } : {}), ...(sbdConfig !== undefined ? { sbdConfig: { text: sbdConfig, source: 'sbd' } } : {}) });
  if (r.text === undefined) {
    const why = r.refused ? r.refused.why.replace(/"[^"]*"|[0-9]+/g, '…') : (r.diagnostics[0]?.message ?? 'no text');
    return { ok: false, stage: 'import', category: why, detail: r.diagnostics.map((d) => d.message).join('; ') };
  }
  const loaded = loadTopology(r.text, `${source}.yaml`);
  if (!loaded.ok || !loaded.model) {
    const first = loaded.diagnostics.find((d) => d.severity === 'error')!;
    return { ok: false, stage: 'validate', category: first.code, detail: `${first.message} at ${first.pointer}`, text: r.text };
  }
  const compiled = toCib(loaded.model.clusters[0]!);
  const adopted: Ownership = { name: 'adopted', recorded: new Set(ownedIdsOf(compiled)), nodePairs: new Set(declaredNodeTokens(compiled)), intent: new Map(), ownsExtra: () => true };
  const d = diffCibs(compiled, parsed.root, adopted);
  if (!d.ok) return { ok: false, stage: 'diff', category: 'diff refused', detail: d.message, text: r.text };
  if (d.diff.drift) {
    const c = d.diff.changes.find((x) => x.managed)!;
    return { ok: false, stage: 'diff', category: `drift: ${c.kind} ${c.section}`, detail: JSON.stringify(c).slice(0, 300), text: r.text };
  }
  return { ok: true, text: r.text };
}

/** The corosync.conf of a two-node cluster n1/n2 on 198.51.100.0/24 named `name`, as import reads it beside a CIB. */
export function twoNodeCorosync(name: string, opts: { twoNode?: boolean } = {}): string {
  const node = (i: number) => `  node {\n    ring0_addr: 198.51.100.1${i}\n    name: n${i}\n    nodeid: ${i}\n  }\n`;
  const quorum = opts.twoNode ? 'quorum {\n  provider: corosync_votequorum\n  two_node: 1\n}\n' : '';
  return `totem {\n  version: 2\n  cluster_name: ${name}\n}\nnodelist {\n${node(1)}${node(2)}}\n${quorum}`;
}
