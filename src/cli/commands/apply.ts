/**
 * `hactl apply TOPOLOGY (--node NODE... | --all) [--dry-run] [--yes] [--allow-disruption] [--json] [--adopt] [--concurrency N] [--ssh-config FILE]`:
 * plan (reads only, the CIB change simulated on the live status), print the plan with its impact,
 * confirm (and consent to any disruption), act, print a table. The work is the library's
 * (src/apply); this file wires it to the terminal: options, prompts, progress, exit codes.
 */
import { readFile, realpath } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { applyJson, checkPlanOrigin, checkPlanTopology, comparePlans, connectAll, desiredState, disruptionsOf, executePlan, formatPlan, formatReport, isEmpty, makePlan, parseSavedPlan, PLAN_SCHEMA_ID, savedPlanOf, sshHostsOf, type PlanLine, type SavedPlan } from '../../apply/index.js';
import { diag } from '../../diagnostics.js';
import { HactlError, invalidInput, remoteFailure } from '../../errors.js';
import { position } from '../../parse/source.js';
import { SshTransport } from '../../remote/ssh.js';
import { terminalSafe } from '../../report/terminal.js';
import { maskSecrets, readSecretFile } from '../../secrets/index.js';
import { writeFileSafely } from '../../util/local-write.js';
import { NODE_CONCURRENCY } from '../../util/pool.js';
import { HACTL_VERSION } from '../../version.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { printDiagnostics, requireTopology } from '../topology.js';
import { Progress } from './apply-progress.js';

export interface ApplyOptions {
  node?: string[];
  all?: boolean;
  dryRun?: boolean;
  yes?: boolean;
  allowDisruption?: boolean;
  json?: boolean;
  concurrency?: string;
  sshConfig?: string;
  adopt?: boolean;
  planOut?: string;
  plan?: string;
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

/** A failure whose diagnostic may quote a node's output, with the secrets masked. */
function masked(e: HactlError, mask: (s: string) => string): HactlError {
  const d = { ...e.diagnostic, message: mask(e.diagnostic.message) };
  if (d.hint !== undefined) d.hint = mask(d.hint);
  return new HactlError(d, e.exitCode);
}

async function confirm(io: Io, question: string): Promise<boolean> {
  const answer = await io.ask(question);
  return answer.trim().toLowerCase() === 'yes';
}

/** The disruption in a few words, for the prompt and the refusal. */
function summary(what: string[]): string {
  return what.length <= 3 ? what.join('; ') : `${what.slice(0, 3).join('; ')} and ${what.length - 3} more`;
}

/** The saved plan of --plan, checked for what can be checked before any node is contacted. */
async function readSaved(io: Io, path: string): Promise<SavedPlan> {
  let text: string;
  try {
    text = await readFile(resolvePath(io.cwd, path), 'utf8');
  } catch (e) {
    throw invalidInput('HA5570', { file: path, detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
  }
  const saved = parseSavedPlan(text, path);
  checkPlanOrigin(saved, HACTL_VERSION);
  return saved;
}

/** --plan-out replaces a plan it wrote before, never another file. */
async function isSavedPlanFile(path: string): Promise<boolean> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return false;
  try {
    return (JSON.parse(text) as { $schema?: unknown }).$schema === PLAN_SCHEMA_ID;
  } catch {
    return false;
  }
}

export async function applyCommand(io: Io, fileArg: string | undefined, opts: ApplyOptions): Promise<ExitCode> {
  const picked = opts.node ?? [];
  let saved: SavedPlan | undefined;
  if (opts.plan === undefined && fileArg === undefined) throw invalidInput('HA5582');
  if (opts.plan !== undefined) {
    const clash = ([['--node', picked.length > 0], ['--all', !!opts.all], ['--adopt', !!opts.adopt], ['--dry-run', !!opts.dryRun], ['--plan-out', opts.planOut !== undefined]] as const).find(([, given]) => given);
    if (clash) throw invalidInput('HA5574', { option: clash[0] });
  } else if (!!opts.all === picked.length > 0) throw invalidInput('HA5504');
  const concurrency = opts.concurrency === undefined ? NODE_CONCURRENCY : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw invalidInput('HA5505', { value: String(opts.concurrency) });
  if (opts.plan !== undefined) saved = await readSaved(io, opts.plan);
  const file = fileArg ?? saved!.topology.file;
  const { topology, model, result } = await requireTopology(io, file);
  const known = Object.keys(topology.nodes).sort();
  for (const n of saved?.nodes ?? picked) if (!topology.nodes[n]) throw invalidInput('HA5503', { node: n, known: known.join(', ') });
  const nodes = saved ? [...saved.nodes] : opts.all ? known : [...new Set(picked)].sort();
  const adopt = saved ? saved.adopt : !!opts.adopt;

  // A dry run shows a plan without the secrets it cannot resolve (compared without their values);
  // a plan that is saved or carried out needs every one.
  const withoutMissingSecrets = !!opts.dryRun && opts.planOut === undefined;
  const { desired, problems, warnings } = await desiredState(model, { env: io.env, cwd: io.cwd, readFile: (p) => readSecretFile(p), realpath: (p) => realpath(p) }, { withoutMissingSecrets });
  if (!desired || warnings.length) {
    const diags = [...problems, ...warnings].map((p) => ({ ...position(result.source, diag(p.code, p.pointer, p.args)), file }));
    printDiagnostics(io, { ...result, diagnostics: diags }, false);
  }
  if (!desired) {
    throw invalidInput('HA5507', { count: problems.length });
  }
  if (saved) checkPlanTopology(saved, desired, file);
  // Everything a node said passes here before it is printed: secrets masked, terminal escapes defused.
  const mask = (s: string) => terminalSafe(maskSecrets(s, desired.secrets));

  const transportOpts: ConstructorParameters<typeof SshTransport>[0] = { hosts: sshHostsOf(topology), env: io.env };
  if (opts.sshConfig) transportOpts.configFile = resolvePath(io.cwd, opts.sshConfig);
  const transport = new SshTransport(transportOpts);
  const progress = new Progress(io, nodes);
  try {
    // Every connection first: a bad host key or an unreachable node stops apply before any node
    // is read or written.
    const unreachable = await connectAll(transport, nodes, concurrency);
    if (unreachable.length) {
      for (const u of unreachable) {
        if (!(u.error instanceof HactlError)) throw u.error;
        const d = u.error.diagnostic;
        io.stderr(`${u.node}: ${mask(`${d.code}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`)}\n`);
      }
      throw remoteFailure('HA5508', { nodes: unreachable.map((u) => u.node).join(', ') });
    }
    let planned;
    try {
      planned = await makePlan({ topology, desired, nodes, transport, concurrency, adoptForeign: adopt, events: { node: (n, s) => progress.node(n, s) } });
    } catch (e) {
      // Planning only reads: whatever stopped it, nothing was changed.
      if (e instanceof HactlError) throw masked(e, mask);
      throw e;
    }
    progress.end();
    const { plan, payload } = planned;
    // --json: one document on stdout at the end (schemas/apply.schema.json), nothing else there.
    const show = (lines: PlanLine[]) => {
      if (!opts.json) printLines(io, lines);
    };
    const json = (status: Parameters<typeof applyJson>[2], report?: Parameters<typeof applyJson>[1]) => {
      if (opts.json) io.stdout(`${JSON.stringify(applyJson(plan, report, status), null, 2)}\n`);
    };
    if (saved || opts.planOut !== undefined) {
      // Planning again, with the keyed digests of every file: what a saved plan records, and what
      // --plan compares it with. Still reads only.
      const topologyFile = saved ? saved.topology.file : file === '-' ? file : resolvePath(io.cwd, file);
      let now: SavedPlan;
      try {
        now = await savedPlanOf({ plan, payload, desired, transport, concurrency, hactlVersion: HACTL_VERSION, topologyFile, adopt });
        if (saved) comparePlans(saved, now);
      } catch (e) {
        json('refused');
        if (e instanceof HactlError) throw masked(e, mask);
        throw e;
      }
      if (opts.planOut !== undefined) {
        show(formatPlan(plan));
        const target = resolvePath(io.cwd, opts.planOut);
        await writeFileSafely(target, `${JSON.stringify(now, null, 2)}\n`, { force: await isSavedPlanFile(target), cwd: io.cwd });
        io.stderr(`plan written to ${opts.planOut} (${now.files.length} file(s), ${now.clusters.length} CIB(s), no secret values); carry it out with: hactl apply --plan ${opts.planOut}\n`);
        json(isEmpty(plan) ? 'nothing-to-do' : 'planned');
        return EXIT.ok;
      }
      io.stderr(`the saved plan ${opts.plan} still holds: the CIB and every file are as it was made against\n`);
    }
    show(formatPlan(plan));
    if (isEmpty(plan) || opts.dryRun) {
      json(isEmpty(plan) ? 'nothing-to-do' : 'planned');
      return EXIT.ok;
    }
    // Objects hactl did not make are changed only when the operator says so.
    const foreign = plan.cib.find((c) => c.foreign.length && !c.adoptForeign);
    if (foreign) {
      json('refused');
      throw remoteFailure('HA5515', { cluster: foreign.cluster, objects: foreign.foreign.join(', ') });
    }
    // --yes confirms a plan; interrupting running services is a separate consent (the gate).
    const disruption = opts.allowDisruption ? [] : disruptionsOf(plan).map((d) => d.what);
    if (!opts.yes || disruption.length) {
      if (!io.stdinIsTTY) {
        json('refused');
        throw disruption.length ? invalidInput('HA5531', { what: summary(disruption) }) : invalidInput('HA5506');
      }
      const question = disruption.length ? `This plan interrupts running services: ${summary(disruption)}. Type "yes" to apply it with this disruption: ` : 'Apply this plan? Type "yes" to continue: ';
      if (!(await confirm(io, mask(question)))) {
        io.stderr('not applied\n');
        json('refused');
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
    show(formatReport(report));
    json(report.ok ? 'applied' : 'failed', report);
    return report.ok ? EXIT.ok : EXIT.remote;
  } finally {
    progress.end();
    await transport.close();
  }
}
