/**
 * `hactl apply TOPOLOGY (--node NODE... | --all) [--dry-run] [--yes] [--concurrency N] [--ssh-config FILE]`:
 * plan (reads only), print the plan, confirm, act, print a table. The work is the library's
 * (src/apply); this file wires it to the terminal: options, prompts, progress, exit codes.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { resolve as resolvePath } from 'node:path';
import { connectAll, desiredState, executePlan, formatPlan, formatReport, isEmpty, makePlan, PlanError, sshHostsOf, type PlanLine } from '../../apply/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { position } from '../../parse/source.js';
import { RemoteError, SshTransport } from '../../remote/ssh.js';
import { maskSecrets } from '../../secrets/index.js';
import { CliError, EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { printDiagnostics, requireTopology } from '../topology.js';
import { Progress } from './apply-progress.js';

export interface ApplyOptions {
  node?: string[];
  all?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  concurrency?: string;
  sshConfig?: string;
}

function printLines(io: Io, lines: PlanLine[]): void {
  const p = paintFor(io);
  const paint: Record<PlanLine['style'], (s: string) => string> = {
    header: p.bold,
    section: p.bold,
    added: p.added,
    removed: p.removed,
    changed: p.changed,
    detail: (s) => s,
    dim: p.dim,
    ok: p.ok,
    error: p.error,
  };
  io.stdout(lines.map((l) => paint[l.style](l.text)).join('\n') + '\n');
}

function usage(io: Io, d: Diagnostic): never {
  io.stderr(`${d.code}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}\n`);
  throw new CliError('nothing was done', EXIT.invalid);
}

/** Asks on the terminal (the CLI is the one place that may touch process). */
async function confirm(): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('Apply this plan? Type "yes" to continue: ');
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
  }
}

export async function applyCommand(io: Io, file: string, opts: ApplyOptions): Promise<ExitCode> {
  const picked = opts.node ?? [];
  if (!!opts.all === picked.length > 0) usage(io, diag('HA5504', ''));
  const concurrency = opts.concurrency === undefined ? 8 : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) usage(io, diag('HA5505', '', { value: String(opts.concurrency) }));
  const { topology, model, result } = await requireTopology(io, file);
  const known = Object.keys(topology.nodes).sort();
  for (const n of picked) if (!topology.nodes[n]) usage(io, diag('HA5503', '', { node: n, known: known.join(', ') }));
  const nodes = opts.all ? known : [...new Set(picked)].sort();

  const { desired, problems } = await desiredState(model, { env: io.env, cwd: io.cwd, readFile: (p) => readFile(p) });
  if (!desired) {
    const diags = problems.map((p) => ({ ...position(result.source, diag(p.code, p.pointer, p.args)), file }));
    printDiagnostics(io, { ...result, diagnostics: diags }, false);
    throw new CliError(`${problems.length} secret problem(s); nothing was done`, EXIT.invalid);
  }
  const mask = (s: string) => maskSecrets(s, desired.secrets);

  const transportOpts: ConstructorParameters<typeof SshTransport>[0] = { hosts: sshHostsOf(topology), env: io.env };
  if (opts.sshConfig) transportOpts.configFile = resolvePath(io.cwd, opts.sshConfig);
  const transport = new SshTransport(transportOpts);
  const progress = new Progress(io, nodes);
  try {
    // Every connection first: a bad host key or an unreachable node stops apply before any node
    // is read or written.
    const unreachable = await connectAll(transport, nodes, concurrency);
    if (unreachable.length) {
      for (const u of unreachable) io.stderr(`${u.node}: ${mask(u.error instanceof RemoteError ? `${u.error.diagnostic.code}: ${u.error.diagnostic.message}${u.error.diagnostic.hint ? ` (${u.error.diagnostic.hint})` : ''}` : String((u.error as Error).message ?? u.error))}\n`);
      throw new CliError(`cannot reach ${unreachable.map((u) => u.node).join(', ')}; nothing was changed`, EXIT.remote);
    }
    let planned;
    try {
      planned = await makePlan({ topology, desired, nodes, transport, concurrency, events: { node: (n, s) => progress.node(n, s) } });
    } catch (e) {
      progress.end();
      if (e instanceof PlanError && e.usage) throw new CliError(`${e.message}; nothing was changed`, EXIT.invalid);
      if (e instanceof PlanError || e instanceof RemoteError || e instanceof Error) throw new CliError(`planning failed; nothing was changed: ${mask(e instanceof RemoteError ? `${e.diagnostic.code}: ${e.diagnostic.message}` : e.message)}`, EXIT.remote);
      throw e;
    }
    progress.end();
    const { plan, payload } = planned;
    printLines(io, formatPlan(plan));
    if (isEmpty(plan) || opts.dryRun) return EXIT.ok;
    if (!opts.yes) {
      if (!io.stdinIsTTY) usage(io, diag('HA5506', ''));
      if (!(await confirm())) {
        io.stderr('not applied\n');
        return EXIT.ok;
      }
    }
    const live = new Progress(io, nodes);
    const report = await executePlan({
      transport,
      plan,
      payload,
      secrets: desired.secrets,
      concurrency,
      events: { node: (n, s) => live.node(n, mask(s)), cluster: (c, s) => live.cluster(c, mask(s)) },
    });
    live.end();
    printLines(io, formatReport(report));
    return report.ok ? EXIT.ok : EXIT.remote;
  } finally {
    progress.end();
    await transport.close();
  }
}
