/**
 * `hactl diff`: how a live CIB differs from the compiled topology (or from another saved CIB).
 * The CIB is compiled in memory, the live one read over SSH (`cibadmin --query`), from a file or
 * from stdin; the semantic diff and its lines come from src/diff.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { diffCibs, diffToJson, formatDiff, hactlOwnership, REFERENCE_OWNERSHIP, type DiffLabels, type DiffLine, type Ownership } from '../../diff/index.js';
import type { Lowered } from '../../lower/index.js';
import type { SshHost, SshOptions } from '../../remote/ssh.js';
import { parseXml } from '../../xml/parse.js';
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

export function parseCib(text: string, file: string, exitCode: ErrorExit): XmlElement {
  const source = file === '-' ? '<stdin>' : file;
  const r = parseXml(text);
  if (!r.ok) {
    return fail({ ...diag('HA5002', '', { source, detail: r.error.message }), file: source, start: { line: r.error.line, col: r.error.col, offset: 0 } }, exitCode);
  }
  return r.root;
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

async function gather(io: Io, topologyFile: string | undefined, opts: DiffOptions): Promise<{ from: XmlElement; live: XmlElement; labels: DiffLabels; own: Ownership }> {
  if (opts.from !== undefined) {
    if (topologyFile !== undefined || opts.cluster !== undefined || opts.node !== undefined || opts.live === undefined) fail(diag('HA5106', ''));
    if (opts.from === '-' && opts.live === '-') fail(diag('HA5106', ''));
    const from = parseCib(await readSource(io, opts.from), opts.from, EXIT.invalid);
    const live = parseCib(await readSource(io, opts.live!), opts.live!, EXIT.invalid);
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
  if (opts.node !== undefined) {
    if (!cluster.nodes.includes(opts.node)) fail(diag('HA5102', '', { node: opts.node, cluster: cluster.name, known: cluster.nodes.join(', ') }));
    const { sshHostsOf } = await import('../../remote/hosts.js');
    const text = await liveFromNode(io, opts.node, sshHostsOf(topology, cluster.nodes), opts.sshConfig);
    live = parseCib(text, `the CIB of ${opts.node}`, EXIT.remote);
    labels.live = `live CIB of ${opts.node} (cibadmin --query)`;
  } else {
    live = parseCib(await readSource(io, opts.live!), opts.live!, EXIT.invalid);
    labels.live = opts.live === '-' ? 'live CIB (stdin)' : opts.live!;
  }
  return { from, live, labels, own: hactlOwnership(live) };
}

export async function diffCommand(io: Io, topologyFile: string | undefined, opts: DiffOptions): Promise<ExitCode> {
  const { from, live, labels, own } = await gather(io, topologyFile, opts);
  const r = diffCibs(from, live, own);
  if (!r.ok) {
    const source = r.side === 'from' ? labels.from : labels.live;
    const remote = r.side === 'live' && opts.node !== undefined;
    fail(diag('HA5003', '', { source, detail: r.message }), remote ? EXIT.remote : EXIT.invalid);
  }
  if (opts.json) io.stdout(JSON.stringify(diffToJson(r.diff, labels), null, 2) + '\n');
  else printLines(io, formatDiff(r.diff, labels));
  return r.diff.drift ? EXIT.finding : EXIT.ok;
}
