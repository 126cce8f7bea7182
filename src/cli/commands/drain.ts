/**
 * `hactl drain TOPOLOGY --node N [--wait S] [--force]` and `hactl undrain TOPOLOGY --node N
 * [--wait S]` (src/maint/drain.ts). Exit 0 done, 1 drain refused (the findings say what would not
 * survive), 2 bad usage, 3 a node did not answer or the cluster did not settle within --wait.
 */
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { execaRunner, positionFindings } from '../../check/index.js';
import { formatFindings } from '../../check/format.js';
import { diag } from '../../diagnostics.js';
import { HactlError } from '../../errors.js';
import { clusterOfNode, drain, undrain, type MaintReport, type Movement, type WaitProgress } from '../../maint/drain.js';
import { sshHostsOf } from '../../remote/hosts.js';
import { SshTransport, type SshOptions } from '../../remote/ssh.js';
import { EXIT, type ExitCode } from '../exit.js';
import { printError } from '../failure.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { liveProgressWanted, StatusLine } from '../progress.js';
import { requireTopology } from '../topology.js';

export interface DrainFlags {
  node: string;
  wait?: string;
  force?: boolean;
  sshConfig?: string;
}

const DEFAULT_WAIT = 300;

function waitSeconds(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WAIT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 86400) throw new HactlError(diag('HA5594', '', { value }), EXIT.invalid);
  return n;
}

function list(nodes: readonly string[]): string {
  return nodes.length ? nodes.join(', ') : 'nowhere';
}

/** One line per resource: where it ran and where it runs now. */
function movementLine(m: Movement, node: string, drained: boolean): string {
  if (drained) {
    const to = m.after.filter((n) => !m.before.includes(n));
    if (to.length) return `  ${m.resource}: ${node} -> ${to.join(', ')}`;
    const rest = m.after.filter((n) => n !== node);
    return rest.length ? `  ${m.resource}: stopped on ${node} (still runs on ${rest.join(', ')})` : `  ${m.resource}: stopped on ${node}, runs nowhere now`;
  }
  const from = m.before.filter((n) => !m.after.includes(n));
  return from.length ? `  ${m.resource}: ${from.join(', ')} -> ${node}` : `  ${m.resource}: started on ${node} (also on ${list(m.before)})`;
}

/**
 * Progress on stderr while waiting: a live line on a terminal, otherwise one line whenever what is
 * left changes (a pipe or a CI log gets a short history, not a line a second).
 */
function progressOf(io: Io, verb: string): { on: (p: WaitProgress) => void; end: () => void } {
  const live = new StatusLine(io, liveProgressWanted(io, false));
  let last = '';
  return {
    on: (p) => {
      const text = p.left.length ? `${verb} ${p.node}: still there: ${p.left.join(', ')}` : p.settled ? `${verb} ${p.node}: settled` : `${verb} ${p.node}: cluster settling`;
      if (liveProgressWanted(io, false)) live.update(text);
      else if (text !== last) io.stderr(`${text} (${p.elapsedSeconds} s)\n`);
      last = text;
    },
    end: () => live.end(),
  };
}

async function run(io: Io, file: string, flags: DrainFlags, verb: 'drain' | 'undrain'): Promise<{ report: MaintReport; wait: number; text: string }> {
  const wait = waitSeconds(flags.wait);
  const { topology, model, result } = await requireTopology(io, file);
  const cluster = clusterOfNode(model, flags.node);
  if (!cluster) {
    const known = Object.values(topology.clusters).flatMap((c) => c.nodes);
    throw new HactlError(diag('HA5590', '', { node: flags.node, known: known.join(', ') || '(none)' }), EXIT.invalid);
  }
  const o: SshOptions = { hosts: sshHostsOf(topology, cluster.nodes), env: io.env };
  if (flags.sshConfig) o.configFile = resolvePath(io.cwd, flags.sshConfig);
  const transport = new SshTransport(o);
  const progress = progressOf(io, verb === 'drain' ? 'draining' : 'undraining');
  try {
    const opts = {
      runner: execaRunner(),
      concurrency: availableParallelism(),
      waitSeconds: wait,
      onProgress: progress.on,
      ...(io.env.HACTL_CRM_SIMULATE ? { crmSimulate: io.env.HACTL_CRM_SIMULATE } : {}),
    };
    const report = verb === 'drain' ? await drain(model, flags.node, transport, { ...opts, force: !!flags.force }) : await undrain(model, flags.node, transport, opts);
    // Findings placed at the topology's lines, as check's are.
    return { report: { ...report, findings: positionFindings(result.source, report.findings) }, wait, text: result.source.text };
  } finally {
    progress.end();
    await transport.close();
  }
}

export async function drainCommand(io: Io, file: string, flags: DrainFlags): Promise<ExitCode> {
  const { report, wait, text } = await run(io, file, flags, 'drain');
  const p = paintFor(io);
  const out: string[] = [];
  const r = report.rehearsal!;
  out.push(p.bold(`rehearsal of cluster ${report.cluster} with ${report.node} in standby (live status read from ${report.via}; online: ${r.online.join(', ') || 'none'})`));
  for (const s of r.scenarios) {
    const who = `${s.failed.join(' and ')} fails`;
    out.push(`  ${who}: ${!s.quorate ? 'NO QUORUM, the cluster stops every resource' : s.lost.length ? `LOST ${s.lost.join(', ')}` : 'every running resource runs again elsewhere'}`);
  }
  out.push('');
  if (report.findings.length) out.push(formatFindings(report.findings, text, p));
  if (report.refused) {
    io.stdout(out.join('\n') + '\n');
    printError(io, diag('HA5591', '', { node: report.node, cluster: report.cluster }));
    return EXIT.finding;
  }
  if (report.findings.length) out.push(p.error(`--force: draining ${report.node} although the rest would not survive one more failure`), '');
  out.push(p.bold(`moved off ${report.node}:`));
  out.push(...(report.moved.length ? report.moved.map((m) => movementLine(m, report.node, true)) : ['  nothing ran there']));
  io.stdout(out.join('\n') + '\n');
  if (!report.done) {
    const left = report.left.length ? report.left.join(', ') : 'pending actions';
    throw new HactlError(diag('HA5592', '', { node: report.node, resources: left, seconds: wait }), EXIT.remote);
  }
  io.stdout(`${p.ok('ok')} ${report.node} is in standby and runs nothing (${report.seconds} s)\n`);
  return EXIT.ok;
}

export async function undrainCommand(io: Io, file: string, flags: Omit<DrainFlags, 'force'>): Promise<ExitCode> {
  const { report, wait } = await run(io, file, flags, 'undrain');
  const p = paintFor(io);
  const out = [p.bold(`returned to ${report.node}:`), ...(report.moved.length ? report.moved.map((m) => movementLine(m, report.node, false)) : ['  nothing (resources stay where they run: stickiness)'])];
  io.stdout(out.join('\n') + '\n');
  if (!report.done) throw new HactlError(diag('HA5595', '', { cluster: report.cluster, node: report.node, seconds: wait }), EXIT.remote);
  io.stdout(`${p.ok('ok')} ${report.node} is out of standby (${report.seconds} s)\n`);
  return EXIT.ok;
}
