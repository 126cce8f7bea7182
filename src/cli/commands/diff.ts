/**
 * `hactl diff`: how a live CIB differs from the compiled topology (or from another saved CIB).
 * The CIB is compiled in memory, the live one read over SSH (`cibadmin --query`), from a file or
 * from stdin; the semantic diff and its lines come from src/diff.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { cibFoldDepth, diffCibs, diffToJson, formatDiff, hactlOwnership, pruneFolded, REFERENCE_OWNERSHIP, type DiffLabels, type DiffLine, type Ownership } from '../../diff/index.js';
import type { Lowered } from '../../lower/index.js';
import type { SshHost, SshOptions, Transport } from '../../remote/ssh.js';
import { parseXml, parseXmlFolded, type FoldedXml, type XmlParseError } from '../../xml/parse.js';
import type { XmlElement } from '../../xml/tree.js';
import { HactlError, invalidInput, type ErrorExit } from '../../errors.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';

export interface DiffOptions {
  cluster?: string;
  node?: string;
  live?: string;
  from?: string;
  json?: boolean;
  sshConfig?: string;
  impact?: boolean;
}

function fail(d: Diagnostic, exitCode: ErrorExit = EXIT.invalid): never {
  throw new HactlError(d, exitCode);
}

export async function readSource(io: Io, file: string): Promise<string> {
  try {
    return file === '-' ? await io.readStdin() : await readFile(resolvePath(io.cwd, file), 'utf8');
  } catch (e) {
    return fail({ ...diag('HA5001', '', { source: file, detail: (e as NodeJS.ErrnoException).code ?? String(e) }), file });
  }
}

function notWellFormed(file: string, error: XmlParseError, exitCode: ErrorExit): never {
  const source = file === '-' ? '<stdin>' : file;
  return fail({ ...diag('HA5002', '', { source, detail: error.message }), file: source, start: { line: error.line, col: error.col, offset: 0 } }, exitCode);
}

export function parseCib(text: string, file: string, exitCode: ErrorExit): XmlElement {
  const r = parseXml(text);
  if (!r.ok) notWellFormed(file, r.error, exitCode);
  return r.root;
}

/** parseCib with the top-level objects folded (see pruneFolded): for comparing two CIB texts. */
function parseCibFolded(text: string, file: string): FoldedXml {
  const r = parseXmlFolded(text, cibFoldDepth);
  if (!r.ok) notWellFormed(file, r.error, EXIT.invalid);
  return r.doc;
}

async function compiledCib(model: Lowered, cluster: string): Promise<XmlElement> {
  const { toCib } = await import('../../compile/cib/index.js');
  const config = model.clusters.find((c) => c.name === cluster);
  if (!config) fail(diag('HA5103', '', { cluster }));
  return toCib(config);
}

export async function liveFromNode(io: Io, node: string, hosts: Record<string, SshHost>, sshConfig: string | undefined): Promise<string> {
  const { queryCib, SshTransport } = await import('../../remote/ssh.js');
  const opts: SshOptions = { hosts, env: io.env };
  if (sshConfig) opts.configFile = resolvePath(io.cwd, sshConfig);
  const transport = new SshTransport(opts);
  try {
    return await queryCib(transport, node);
  } finally {
    await transport.close();
  }
}

function printLines(io: Io, lines: DiffLine[]): void {
  const p = paintFor(io);
  const style: Record<DiffLine['style'], (s: string) => string> = {
    header: p.bold,
    section: p.bold,
    added: p.added,
    removed: p.removed,
    changed: p.changed,
    unmanaged: p.dim,
    detail: (s) => s,
    summary: p.bold,
  };
  io.stdout(lines.map((l) => ' '.repeat(l.indent) + style[l.style](l.text)).join('\n') + '\n');
}

interface Gathered {
  /** The two CIBs (with --from, less the top-level objects both write the same: pruneFolded). */
  from: XmlElement;
  live: XmlElement;
  labels: DiffLabels;
  own: Ownership;
  /** Of a topology's cluster: its name and SSH hosts (for --impact). */
  cluster?: string;
  hosts?: Record<string, SshHost>;
}

async function gather(io: Io, topologyFile: string | undefined, opts: DiffOptions): Promise<Gathered> {
  if (opts.from !== undefined) {
    if (opts.impact) fail(diag('HA5109', ''));
    if (topologyFile !== undefined || opts.cluster !== undefined || opts.node !== undefined || opts.live === undefined) fail(diag('HA5106', ''));
    if (opts.from === '-' && opts.live === '-') fail(diag('HA5106', ''));
    const fromDoc = parseCibFolded(await readSource(io, opts.from), opts.from);
    const liveDoc = parseCibFolded(await readSource(io, opts.live!), opts.live!);
    // Two saved CIBs are mostly the same text: what is the same is never built (the diff would
    // leave it out anyway), and nothing else reads these trees (--impact needs a topology).
    const [from, live] = pruneFolded(fromDoc, liveDoc);
    return { from, live, labels: { from: opts.from, live: opts.live! }, own: REFERENCE_OWNERSHIP };
  }
  if (topologyFile === undefined) throw invalidInput('HA5107');
  if ((opts.node === undefined) === (opts.live === undefined)) fail(diag('HA5104', ''));
  if (opts.cluster === undefined) fail(diag('HA5105', ''));
  if (topologyFile === '-' && opts.live === '-') throw invalidInput('HA5108');
  // Loaded here, not at the top: comparing two saved CIBs needs neither the topology loader nor
  // the SSH client, and a large diff should not pay for starting them.
  const { requireTopology } = await import('../topology.js');
  const { topology, model } = await requireTopology(io, topologyFile);
  const cluster = topology.clusters[opts.cluster];
  if (!cluster) fail(diag('HA5101', '', { cluster: opts.cluster, known: Object.keys(topology.clusters).join(', ') || '(none)' }));
  const from = await compiledCib(model, cluster.name);
  const labels: DiffLabels = { from: `compiled ${topologyFile} (cluster ${cluster.name})`, live: '' };
  let live: XmlElement;
  const { sshHostsOf } = await import('../../remote/hosts.js');
  const hosts = sshHostsOf(topology, cluster.nodes);
  if (opts.node !== undefined) {
    if (!cluster.nodes.includes(opts.node)) fail(diag('HA5102', '', { node: opts.node, cluster: cluster.name, known: cluster.nodes.join(', ') }));
    const text = await liveFromNode(io, opts.node, hosts, opts.sshConfig);
    live = parseCib(text, `the CIB of ${opts.node}`, EXIT.remote);
    labels.live = `live CIB of ${opts.node} (cibadmin --query)`;
  } else {
    live = parseCib(await readSource(io, opts.live!), opts.live!, EXIT.invalid);
    labels.live = opts.live === '-' ? 'live CIB (stdin)' : opts.live!;
  }
  return { from, live, labels, own: hactlOwnership(live), cluster: cluster.name, hosts };
}

/**
 * --impact: the change simulated on the live CIB with its status, as apply's plan shows it. A
 * live CIB read from a node is simulated on that node; a saved one here.
 */
async function impactOf(io: Io, g: Gathered, opts: DiffOptions, drift: boolean) {
  const { buildCandidate, simulateImpact } = await import('../../apply/index.js');
  const { serializeXml } = await import('../../xml/serialize.js');
  let transport: Transport;
  if (opts.node !== undefined) {
    const { SshTransport } = await import('../../remote/ssh.js');
    const o: SshOptions = { hosts: g.hosts ?? {}, env: io.env };
    if (opts.sshConfig) o.configFile = resolvePath(io.cwd, opts.sshConfig);
    transport = new SshTransport(o);
  } else transport = (await import('../../remote/local.js')).hereTransport();
  try {
    return await simulateImpact(transport, g.cluster!, opts.node ?? 'this machine', serializeXml(g.live, { declaration: true }), drift ? buildCandidate(g.live, g.from) : undefined);
  } finally {
    await transport.close();
  }
}

export async function diffCommand(io: Io, topologyFile: string | undefined, opts: DiffOptions): Promise<ExitCode> {
  const g = await gather(io, topologyFile, opts);
  const { from, live, labels, own } = g;
  const r = diffCibs(from, live, own);
  if (!r.ok) {
    const source = r.side === 'from' ? labels.from : labels.live;
    const remote = r.side === 'live' && opts.node !== undefined;
    fail(diag('HA5003', '', { source, detail: r.message }), remote ? EXIT.remote : EXIT.invalid);
  }
  const impact = opts.impact ? await impactOf(io, g, opts, r.diff.drift) : undefined;
  if (opts.json) {
    const { impactDisruptions } = await import('../../apply/index.js');
    const doc = impact ? { ...(diffToJson(r.diff, labels) as object), impact, disruptions: impactDisruptions(impact) } : diffToJson(r.diff, labels);
    io.stdout(JSON.stringify(doc, null, 2) + '\n');
  } else {
    printLines(io, formatDiff(r.diff, labels));
    if (impact) {
      const { formatImpact, impactDisruptions } = await import('../../apply/index.js');
      const p = paintFor(io);
      const lines = formatImpact(impact);
      const disruptions = impactDisruptions(impact);
      if (disruptions.length) lines.push({ style: 'section', text: `disruption: ${disruptions.map((d) => d.what).join('; ')} (apply needs --allow-disruption)` });
      const paint = { section: p.bold, added: p.added, changed: p.changed, ok: p.ok, error: p.error } as Record<string, (s: string) => string>;
      io.stdout(lines.map((l) => (paint[l.style] ?? ((s: string) => s))(l.text)).join('\n') + '\n');
    }
  }
  return r.diff.drift ? EXIT.finding : EXIT.ok;
}
