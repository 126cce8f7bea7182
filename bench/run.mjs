#!/usr/bin/env node
/**
 * `npm run bench`: hactl side by side with what an operator would otherwise run, on the same work.
 *
 *   - validate and compile (whole process) of the reference and of S, M, L against `node -e 0`;
 *     the reference's compile also with its output on tmpfs and into a new directory each run,
 *     which tell hactl's own time from the filesystem's (see outputPlaces);
 *   - the same CIBs built by crmsh (`crm configure load update` of hactl's configure.crm) and by
 *     pcs (hactl's pcs.sh against a CIB file) against hactl compile;
 *   - hactl diff of the L CIB against a changed copy, against crm_diff on the same pair;
 *   - peak memory (max RSS) of every hactl command.
 *
 * Every figure is a median of several runs, interleaved with what it is compared to so that a
 * change in machine load hits both sides alike. Prints a Markdown table and writes JSON.
 *
 *   node bench/run.mjs [--runs N] [--sizes S,M,L] [--json FILE] [--budget SEC] [--crm-budget SEC]
 *                      [--pcs-sizes S,L] [--pcs-full S] [--pcs-factor 110] [--pcs-max SEC] [--keep]
 *                      [--parts start,tools,diff]
 *
 * --parts runs some of the work (start: validate and compile against node -e 0; tools: crmsh and
 * pcs; diff: hactl diff against crm_diff), for a narrow look while working on one of them; the
 * JSON and table then hold only those rows.
 *
 * pcs starts python for every command (about half a second each), so it runs once per size, and
 * for the sizes not in --pcs-full it is stopped once it has taken --pcs-factor times as long as
 * hactl compile: enough to show the ≥ 100x target, reported as a lower bound with the share of
 * commands done and an estimate for all of them.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { filesystemOf } from './filesystem.mjs';
import { generate, nodesFor, shape } from './generate.mjs';
import { mutateCib } from './mutate.mjs';
import { round, runOnce, summarise } from './measure.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'hactl.js');
const NODE = process.execPath;

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    sizes: { type: 'string', default: 'S,M,L' },
    json: { type: 'string', default: join(ROOT, 'bench', 'results.json') },
    'pcs-sizes': { type: 'string', default: 'S,L' },
    'pcs-full': { type: 'string', default: 'S' },
    'pcs-factor': { type: 'string', default: '110' },
    'pcs-max': { type: 'string', default: '300' },
    'crm-budget': { type: 'string', default: '40' },
    budget: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    parts: { type: 'string', default: 'start,tools,diff' },
  },
});
const PARTS = new Set(opt.parts.split(',').map((s) => s.trim()));
const RUNS = Math.max(1, Number(opt.runs));
const SIZES = opt.sizes.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
const list = (s) => s.split(',').map((x) => x.trim().toUpperCase()).filter(Boolean);
const PCS_SIZES = list(opt['pcs-sizes']);
const PCS_FULL = list(opt['pcs-full']);
const PCS_FACTOR = Number(opt['pcs-factor']);
const PCS_MAX_MS = Number(opt['pcs-max']) * 1000;
const CRM_BUDGET_MS = Number(opt['crm-budget']) * 1000;
// A figure stops repeating once its runs have taken this long (a median of fewer runs, said so).
const JOB_BUDGET_MS = Number(opt.budget) * 1000;

const began = Date.now();
const work = mkdtempSync(join(tmpdir(), 'hactl-bench-'));
const env = { ...process.env, NO_COLOR: '1', LC_ALL: 'C' };
const log = (s) => process.stderr.write(`bench: ${s}\n`);

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
function version(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout || r.stderr).trim().split('\n')[0] : undefined;
}

// --- what is measured -------------------------------------------------------------------------

/** A sample is one run of each step in turn; its times are their sums, its memory their maximum. */
async function sample(job) {
  let ms = 0;
  let cpuMs = 0;
  let rssKiB;
  for (const step of job.steps) {
    step.setup?.();
    const r = await runOnce(step.cmd, step.args, { env: { ...env, ...step.env }, cwd: step.cwd ?? work, timeoutMs: step.timeoutMs, scratch: work });
    const okCodes = step.expect ?? [0];
    if (r.timedOut) return { ms: ms + r.ms, rssKiB, timedOut: true, step };
    if (!okCodes.includes(r.code)) {
      throw new Error(`${job.name}: ${step.cmd} ${step.args.join(' ')} exited ${r.code ?? r.signal}\n${r.stderr.slice(0, 2000)}`);
    }
    ms += r.ms;
    if (cpuMs !== undefined) cpuMs = r.cpuMs === undefined ? undefined : cpuMs + r.cpuMs;
    if (r.rssKiB !== undefined) rssKiB = Math.max(rssKiB ?? 0, r.rssKiB);
    step.check?.();
  }
  return { ms, cpuMs, rssKiB };
}

/**
 * Measures jobs round-robin: one warm-up each (page cache, not counted), then `runs` rounds.
 * A job with a time budget stops repeating once its samples have used it up.
 */
async function measure(jobs, runs = RUNS) {
  const samples = new Map(jobs.map((j) => [j, []]));
  const spent = new Map(jobs.map((j) => [j, 0]));
  for (const j of jobs) {
    if (j.noWarmup) continue;
    // A run of seconds gains nothing from a warm page cache; keep it as a sample.
    const w = await sample(j);
    if (w.ms > 1000) {
      samples.get(j).push(w);
      spent.set(j, w.ms);
    }
  }
  for (let i = samples.get(jobs[0]).length ? 1 : 0; i < runs; i++) {
    for (const j of jobs) {
      if (samples.get(j).length >= runs) continue;
      if (spent.get(j) >= (j.budgetMs ?? JOB_BUDGET_MS) && samples.get(j).length > 0) continue;
      const s = await sample(j);
      samples.get(j).push(s);
      spent.set(j, spent.get(j) + s.ms);
    }
  }
  return new Map(jobs.map((j) => [j, summarise(samples.get(j))]));
}

const hactl = (name, args, expect = [0]) => ({ name, steps: [{ cmd: NODE, args: [BIN, ...args], expect }] });

// --- the work ---------------------------------------------------------------------------------

const topologies = [{ id: 'ref', label: 'reference', nodes: 10, file: join(work, 'pixelpark.yaml') }];
copyFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), topologies[0].file);
for (const size of SIZES) {
  const nodes = nodesFor(size);
  const file = join(work, `${size}.yaml`);
  writeFileSync(file, generate(nodes, `bench-${size.toLowerCase()}`));
  topologies.push({ id: size, label: size, nodes, file, shape: shape(nodes) });
}
const outDir = (t) => join(work, `out-${t.id}`);

/**
 * Where else the reference's compile writes, beside the target row's output (recompiled in place
 * in the work directory, as an operator recompiles): on tmpfs, where making and freeing files
 * costs no disk bookkeeping, and into a directory never used before, a new one each run, so that
 * the run frees nothing near what it makes (the fresh directories are removed with the work
 * directory, at the end). Both say how much of the target row is the filesystem's state.
 */
const workFs = filesystemOf(work);
// On ext4 every directory is placed in its parent's block group, where the other rows' recompiles
// free inodes that each creation then scans past (see the note below). The parent of the new
// directories carries ext4's top-of-hierarchy flag (chattr +T), so that each new output is placed as
// a top-level directory is: in a block group chosen for its free inodes, away from that churn.
const freshRoot = join(work, 'fresh');
if (PARTS.has('start')) mkdirSync(freshRoot);
const freshSpread = PARTS.has('start') && workFs.kind === 'ext4' && spawnSync('chattr', ['+T', freshRoot], { stdio: 'ignore' }).status === 0;
const SHM = '/dev/shm';
const shmFs = existsSync(SHM) ? filesystemOf(SHM) : undefined;
const shmWork = shmFs?.kind === 'tmpfs' && PARTS.has('start') ? mkdtempSync(join(SHM, 'hactl-bench-')) : undefined;

const rows = [];
const notes = [];
const floorJob = { name: 'node -e 0', steps: [{ cmd: NODE, args: ['-e', '0'] }] };
const stage = (s) => log(`${s} (${round((Date.now() - began) / 1000, 0)} s)`);

// Start-up: validate and compile of each topology against the floor of any Node CLI.
let floor;
// `compile --format cib` is the same work as crmsh's and pcs': topology in, CIB out (the full
// compile also writes every node's files); it is what they are compared with below.
const cibJobs = new Map();
// The ratios the issue sets for start-up (the reference topology): validate and compile.
// compile is held to it twice: recompiling an output that has not changed (which writes nothing),
// and after a change (which makes a new tree of directories and the changed files).
const START_TARGETS = { validate: 1.8, compile: 2.0, 'compile-changed': 2.0 };
if (PARTS.has('start')) stage('validate and compile against node -e 0');
for (const t of PARTS.has('start') ? topologies : []) {
  const v = hactl(`validate ${t.id}`, ['validate', t.file]);
  const c = hactl(`compile ${t.id}`, ['compile', t.file, '-o', outDir(t)]);
  const jobs = [v, c];
  const unbundled = [];
  const places = [];
  if (t.id === 'ref') {
    jobs.unshift(floorJob);
    // What the bundle and its code cache save: the same commands run from dist/'s modules.
    const u = (cmd, args) => ({ name: `${cmd} ref unbundled`, cmd, steps: [{ cmd: NODE, args: [join(ROOT, 'bench', 'unbundled.mjs'), ...args] }] });
    unbundled.push(u('validate', ['validate', t.file]), u('compile', ['compile', t.file, '-o', join(work, 'out-ref-unbundled')]));
    jobs.push(...unbundled);
    // Each run moves the public VIP back or forth: the controllers' CIB, crmsh and pcs forms
    // differ from the previous run's output, every other file is the same.
    const moved = join(work, 'pixelpark-vip.yaml');
    const text = readFileSync(t.file, 'utf8');
    writeFileSync(moved, text.replace('address: 203.0.113.10 }', 'address: 203.0.113.100 }'));
    if (readFileSync(moved, 'utf8') === text) throw new Error('bench: the public VIP of the reference was not found; update bench/run.mjs');
    const changed = hactl('compile ref changed', ['compile', t.file, '-o', join(work, 'out-ref-changed')]);
    let changedRuns = 0;
    changed.steps[0].setup = () => (changed.steps[0].args[2] = changedRuns++ % 2 ? t.file : moved);
    places.push(['compile-changed', 'hactl compile, after a change (3 of 78 files differ from the previous output)', changed]);
    if (shmWork) places.push(['compile-tmpfs', `hactl compile, output on tmpfs (${SHM})`, hactl('compile ref tmpfs', ['compile', t.file, '-o', join(shmWork, 'out-ref')])]);
    else notes.push(`compile of the reference with its output on tmpfs: not measured (${SHM} ${shmFs ? `is no tmpfs (${shmFs.kind})` : 'does not exist'})`);
    const fresh = hactl('compile ref fresh', ['compile', t.file, '-o', '']);
    let freshRuns = 0;
    fresh.steps[0].setup = () => (fresh.steps[0].args[fresh.steps[0].args.length - 1] = join(freshRoot, `out-ref-${freshRuns++}`));
    places.push(['compile-fresh', `hactl compile, into a new directory each run${freshSpread ? ' (chattr +T parent)' : ''}`, fresh]);
    if (workFs.kind === 'ext4' && !freshSpread) notes.push('compile into a new directory each run: chattr +T failed, so the new directories share the block group of the other rows');
    jobs.push(...places.map(([, , job]) => job));
  } else {
    cibJobs.set(t.id, hactl(`compile --format cib ${t.id}`, ['compile', t.file, '-o', join(work, `out-cib-${t.id}`), '--format', 'cib']));
    jobs.push(cibJobs.get(t.id));
  }
  const m = await measure(jobs);
  if (t.id === 'ref') floor = m.get(floorJob);
  const measured = [['validate', 'hactl validate', v], ['compile', 'hactl compile, its output unchanged since the last run', c]];
  if (cibJobs.has(t.id)) measured.push(['compile-cib', 'hactl compile --format cib', cibJobs.get(t.id)]);
  for (const u of unbundled) measured.push([`${u.cmd}-unbundled`, `hactl ${u.cmd}, without bundle and code cache`, u]);
  measured.push(...places);
  for (const [cmd, label, job] of measured) {
    const s = m.get(job);
    const isRef = t.id === 'ref';
    rows.push({
      id: `${cmd}-${t.id}`,
      measurement: label,
      topology: t.label,
      nodes: t.nodes,
      hactl: s,
      other: { tool: 'node -e 0', ...floor },
      ratio: round(s.medianMs / floor.medianMs, 2),
      ...cpuRatio(s, floor),
      ratioText: `${round(s.medianMs / floor.medianMs, 2)}x node -e 0`,
      ...(isRef && START_TARGETS[cmd] ? { target: `≤ ${START_TARGETS[cmd].toFixed(1)}x node -e 0`, met: s.medianMs <= START_TARGETS[cmd] * floor.medianMs } : {}),
    });
  }
}

if (PARTS.has('start') && workFs.kind === 'ext4' && workFs.journal === false) {
  notes.push(
    `the work directory (${work}) is on ext4 without a journal (/sys/fs/ext4/${workFs.device}/journal_task: <none>). ` +
      'In that mode the kernel does not give a new file or directory an inode freed in the last 60 s (the last 6 minutes while ' +
      "that inode's table block is not yet written back), and every creation scans the block group's bitmap past all of them " +
      '(fs/ext4/ialloc.c, find_inode_bit and recently_deleted). Each compile into the same directory frees the previous ' +
      "output's directories, so repeated compiles, this bench's own and any other work in that group, make each other's " +
      'creations slower: compare the row after a change with the rows on tmpfs and into a new directory each run. A ' +
      'recompile after a change makes only its changed files and the directories on the way to them (the other ' +
      "directories are the previous output's, moved whole; unchanged files beside a changed one are linked), and frees " +
      'only the ones it replaced; a recompile of an unchanged output makes and frees nothing; a compile into a new ' +
      'directory makes every directory and file.',
  );
}

// Growth: the cost a node adds, from S to M and from M to L, should stay about the same.
const bySize = (cmd, id) => rows.find((r) => r.id === `${cmd}-${id}`);
for (const cmd of ['validate', 'compile', 'compile-cib']) {
  const pts = ['S', 'M', 'L'].map((id) => bySize(cmd, id)).filter(Boolean);
  if (pts.length < 3) continue;
  const [s, m, l] = pts;
  const perNodeSM = (m.hactl.medianMs - s.hactl.medianMs) / (m.nodes - s.nodes);
  const perNodeML = (l.hactl.medianMs - m.hactl.medianMs) / (l.nodes - m.nodes);
  rows.push({
    id: `growth-${cmd}`,
    measurement: `hactl ${cmd === 'compile-cib' ? 'compile --format cib' : cmd} growth`,
    topology: 'S→M→L',
    nodes: l.nodes,
    perNodeMs: { SM: round(perNodeSM, 3), ML: round(perNodeML, 3) },
    ratio: round(perNodeML / perNodeSM, 2),
    ratioText: `${round(perNodeSM, 2)} → ${round(perNodeML, 2)} ms/node`,
    ...(cmd === 'compile' ? { target: 'linear (ms/node M→L ≤ 1.5x S→M)', met: perNodeML <= 1.5 * perNodeSM } : {}),
  });
}

// The same CIBs built by crmsh and by pcs from hactl's own scripts.
function clustersOf(t) {
  const dir = join(outDir(t), 'clusters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((c) => statSync(join(dir, c)).isDirectory())
    .sort()
    .map((c) => ({ name: c, dir: join(dir, c) }));
}
const emptyCib = join(work, 'empty-cib.xml');
const haveCib = have('cibadmin');
if (haveCib) writeFileSync(emptyCib, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);

/** Counts of the CIB elements that carry meaning, to show that both tools built the same thing. */
const SHAPE_TAGS = ['primitive', 'group', 'clone', 'master', 'rsc_location', 'rsc_colocation', 'rsc_order', 'op'];
function shapeOfCib(xml) {
  const a = xml.indexOf('<configuration');
  const b = xml.lastIndexOf('</configuration>');
  const conf = a >= 0 && b > a ? xml.slice(a, b) : xml;
  return Object.fromEntries(SHAPE_TAGS.map((t) => [t, (conf.match(new RegExp(`<${t}[\\s/>]`, 'g')) ?? []).length]));
}
function sameShape(a, b) {
  const x = shapeOfCib(a);
  const y = shapeOfCib(b);
  const diff = Object.keys(x).filter((k) => x[k] !== y[k]);
  return { same: diff.length === 0, ...(diff.length ? { differs: Object.fromEntries(diff.map((k) => [k, { hactl: x[k], other: y[k] }])) } : {}) };
}

const haveCrm = have('crm') && haveCib;
const havePcs = have('pcs') && haveCib;
for (const t of PARTS.has('tools') ? topologies.filter((x) => x.id !== 'ref') : []) {
  const clusters = clustersOf(t);
  const compileRow = bySize('compile-cib', t.id);
  const withCrm = clusters.filter((c) => existsSync(join(c.dir, 'configure.crm')));
  if (haveCrm && withCrm.length) {
    stage(`crmsh load update, ${t.id}`);
    const built = new Map();
    const job = {
      name: `crmsh ${t.id}`,
      budgetMs: CRM_BUDGET_MS,
      noWarmup: t.id === 'L',
      steps: withCrm.map((c) => {
        const cib = join(work, `crm-${t.id}-${c.name}.xml`);
        built.set(c, cib);
        return {
          cmd: 'crm',
          args: ['-F', 'configure', 'load', 'update', join(c.dir, 'configure.crm')],
          env: { CIB_file: cib },
          setup: () => copyFileSync(emptyCib, cib),
          timeoutMs: CRM_BUDGET_MS * 3,
        };
      }),
    };
    try {
      const s = (await measure([job], t.id === 'L' ? Math.min(RUNS, 3) : Math.min(RUNS, 5))).get(job);
      const shapes = withCrm.map((c) => ({ cluster: c.name, ...sameShape(readFileSync(join(c.dir, 'cib.xml'), 'utf8'), readFileSync(built.get(c), 'utf8')) }));
      rows.push({
        id: `crmsh-${t.id}`,
        measurement: 'build the CIB: hactl compile --format cib vs crmsh',
        topology: t.label,
        nodes: t.nodes,
        hactl: compileRow.hactl,
        other: { tool: 'crm configure load update', ...s },
        sameCib: shapes,
        ratio: round(s.medianMs / compileRow.hactl.medianMs, 1),
        ratioText: `hactl ${round(s.medianMs / compileRow.hactl.medianMs, 1)}x faster`,
        ...(t.id === 'L' ? { target: '≥ 10x faster', met: s.medianMs >= 10 * compileRow.hactl.medianMs } : {}),
      });
    } catch (e) {
      notes.push(`crmsh ${t.id}: ${e.message.split('\n').slice(0, 3).join(' ')}`);
    }
  } else notes.push(`crmsh ${t.id}: not measured (${!haveCrm ? 'crm or cibadmin not installed' : 'hactl compile wrote no configure.crm'})`);

  const withPcs = clusters.filter((c) => existsSync(join(c.dir, 'pcs.sh')));
  if (!PCS_SIZES.includes(t.id)) continue;
  if (havePcs && withPcs.length) {
    const limitMs = PCS_FULL.includes(t.id) ? PCS_MAX_MS : Math.min(PCS_MAX_MS, Math.max(30000, PCS_FACTOR * compileRow.hactl.medianMs));
    stage(`pcs, ${t.id} (once, at most ${round(limitMs / 1000, 0)} s)`);
    // pcs runs once: a few hundred ms of python per command makes a second run unaffordable.
    let total = 0;
    let timedOut = false;
    let rss;
    let done = 0;
    let commands = 0;
    const shapes = [];
    for (const c of withPcs) {
      const script = join(c.dir, 'pcs.sh');
      const cib = join(work, `pcs-${t.id}-${c.name}.xml`);
      copyFileSync(emptyCib, cib);
      const trace = join(work, `pcs-${t.id}-${c.name}.trace`);
      commands += pcsCommands(readFileSync(script, 'utf8'));
      const left = limitMs - total;
      if (left <= 0) {
        timedOut = true;
        break;
      }
      // xtrace to a file counts the pcs commands that finished when a timeout stops the script.
      const r = await runOnce('bash', ['-c', 'exec 9>"$1"; BASH_XTRACEFD=9 PS4="+ " bash -x "$2" "$3"', '_', trace, script, cib], { env, cwd: work, timeoutMs: left, scratch: work });
      total += r.ms;
      if (r.rssKiB !== undefined) rss = Math.max(rss ?? 0, r.rssKiB);
      done += existsSync(trace) ? (readFileSync(trace, 'utf8').match(/^\++ (?:\S*\/)?(?:pcs|cibadmin)\s/gm) ?? []).length : 0;
      if (r.timedOut) {
        timedOut = true;
        break;
      }
      if (r.code !== 0) {
        notes.push(`pcs ${t.id}/${c.name}: pcs.sh exited ${r.code}: ${r.stderr.split('\n').slice(0, 3).join(' ')}`);
        timedOut = undefined;
        break;
      }
      shapes.push({ cluster: c.name, ...sameShape(readFileSync(join(c.dir, 'cib.xml'), 'utf8'), readFileSync(cib, 'utf8')) });
    }
    if (timedOut !== undefined) {
      const perCommand = done ? total / done : undefined;
      const s = { tool: 'bash pcs.sh (pcs -f)', n: 1, medianMs: round(total), ...(rss ? { maxRssMiB: round(rss / 1024, 1) } : {}), commands, commandsRun: done };
      if (timedOut) {
        s.lowerBound = true;
        if (perCommand) s.estimatedMs = round(perCommand * commands, 0);
      } else s.sameCib = shapes;
      const ratio = total / compileRow.hactl.medianMs;
      rows.push({
        id: `pcs-${t.id}`,
        measurement: 'build the CIB: hactl compile --format cib vs pcs',
        topology: t.label,
        nodes: t.nodes,
        hactl: compileRow.hactl,
        other: s,
        ratio: round(ratio, 0),
        ratioText: `hactl ${timedOut ? '≥ ' : ''}${round(ratio, 0)}x faster`,
        ...(t.id === 'L' ? { target: '≥ 100x faster', met: ratio >= 100 } : {}),
      });
    }
  } else notes.push(`pcs ${t.id}: not measured (${!havePcs ? 'pcs or cibadmin not installed' : 'hactl compile wrote no pcs.sh'})`);
}

/**
 * The pcs and cibadmin processes a pcs.sh starts when building into a file: one per command line
 * (`run …`, `run_for_agent …`, `CIB_file=… cibadmin …`; direct `pcs` lines are --push only) and
 * one `pcs … describe` per distinct agent (run_for_agent asks pcs once whether it is installed).
 */
function pcsCommands(script) {
  const lines = script.split('\n');
  const commands = lines.filter((l) => /^\s*(run|run_for_agent)\s/.test(l) || /^\s*CIB_file=\S+\s+cibadmin\s/.test(l)).length;
  const agents = new Set(lines.map((l) => /^\s*run_for_agent\s+(\S+)/.exec(l)?.[1]).filter(Boolean));
  return commands + agents.size;
}

// diff: the largest CIB against a changed copy, hactl diff against crm_diff.
const largest = topologies[topologies.length - 1];
// Without the start-up part nothing has compiled the largest topology yet.
if (PARTS.has('diff') && !existsSync(outDir(largest))) spawnSync(NODE, [BIN, 'compile', largest.file, '-o', outDir(largest), '--format', 'cib'], { env, stdio: 'ignore' });
const diffTarget = clustersOf(largest).find((c) => existsSync(join(c.dir, 'cib.xml')));
const haveDiff = spawnSync(NODE, [BIN, 'diff', '--help'], { stdio: 'ignore' }).status === 0;
if (!PARTS.has('diff')) {
  // not asked for
} else if (diffTarget && haveDiff) {
  stage(`diff, ${largest.id}`);
  const from = join(work, `diff-${largest.id}-from.xml`);
  const live = join(work, `diff-${largest.id}-live.xml`);
  const text = readFileSync(join(diffTarget.dir, 'cib.xml'), 'utf8');
  copyFileSync(join(diffTarget.dir, 'cib.xml'), from);
  const { xml, changes } = mutateCib(text);
  writeFileSync(live, xml);
  const h = hactl(`diff ${largest.id}`, ['diff', '--from', from, '--live', live], [1]);
  const jobs = [h];
  const haveCrmDiff = have('crm_diff');
  const cd = { name: `crm_diff ${largest.id}`, steps: [{ cmd: 'crm_diff', args: ['-o', from, '-n', live], expect: [0, 1] }] };
  if (haveCrmDiff) jobs.push(cd);
  const m = await measure(jobs);
  const hs = m.get(h);
  const row = {
    id: `diff-${largest.id}`,
    measurement: `hactl diff (${diffTarget.name} CIB, ${changes.length} changes)`,
    topology: largest.label,
    nodes: largest.nodes,
    changes,
    cibBytes: text.length,
    hactl: hs,
  };
  if (haveCrmDiff) {
    const cs = m.get(cd);
    Object.assign(row, {
      other: { tool: 'crm_diff', ...cs },
      ratio: round(hs.medianMs / cs.medianMs, 2),
      ...cpuRatio(hs, cs),
      ratioText: `${round(hs.medianMs / cs.medianMs, 2)}x crm_diff`,
      target: '≤ 1x crm_diff',
      met: hs.medianMs <= cs.medianMs,
    });
  }
  rows.push(row);
} else notes.push(`diff: not measured (${!haveDiff ? 'hactl diff not available' : 'hactl compile wrote no cib.xml'})`);

// Memory: compile of L under 120 MiB (issue #11: each storage node's ceph.conf carries only what
// that node needs, and the model is built once).
const compileL = bySize('compile', 'L');
if (compileL?.hactl.maxRssMiB !== undefined) {
  rows.push({
    id: 'rss-compile-L',
    measurement: 'hactl compile peak memory',
    topology: 'L',
    nodes: compileL.nodes,
    hactl: { maxRssMiB: compileL.hactl.maxRssMiB },
    ratioText: `${compileL.hactl.maxRssMiB} MiB`,
    target: '< 120 MiB',
    met: compileL.hactl.maxRssMiB < 120,
  });
}

// --- report -----------------------------------------------------------------------------------

const seconds = round((Date.now() - began) / 1000, 0);
const machine = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: round(totalmem() / 2 ** 30, 1),
  loadavgAtEnd: loadavg().map((x) => round(x, 2)),
  // Node reads these certificates at every start, before any script: tens of milliseconds that
  // `node -e 0` pays too, so every ratio to it is lower with the variable set than without.
  nodeExtraCaCerts: Boolean(process.env.NODE_EXTRA_CA_CERTS),
  // The filesystem the outputs are written to (the work directory), as the kernel describes it.
  workFilesystem: workFs,
  crmsh: version('crm', ['--version']),
  pcs: version('pcs', ['--version']),
  pacemaker: version('crm_diff', ['--version']),
};
const result = { date: new Date().toISOString(), runs: RUNS, seconds, machine, sizes: Object.fromEntries(topologies.map((t) => [t.id, { nodes: t.nodes, ...(t.shape ?? {}) }])), rows, notes };
mkdirSync(dirname(opt.json), { recursive: true });
writeFileSync(opt.json, JSON.stringify(result, null, 2) + '\n');

process.stdout.write(table(rows) + '\n');
for (const n of notes) process.stdout.write(`- ${n}\n`);
process.stdout.write(`\n${issueTargets(rows)}\n`);
process.stdout.write(
  `\n${RUNS} runs per figure (median; crmsh ≤ ${RUNS}, pcs once), ${machine.cpus} × ${machine.cpu}, ${machine.node}, load ${machine.loadavgAtEnd.join(' ')}; ` +
    `NODE_EXTRA_CA_CERTS ${machine.nodeExtraCaCerts ? 'set' : 'unset'}; ${seconds} s in all. JSON: ${relative(process.cwd(), opt.json) || opt.json}\n`,
);
if (opt.keep) log(`kept ${work}${shmWork ? ` and ${shmWork}` : ''}`);
else {
  rmSync(work, { recursive: true, force: true });
  if (shmWork) rmSync(shmWork, { recursive: true, force: true });
}

/** The ratio of median CPU times (user + system), when both sides have them. */
function cpuRatio(a, b) {
  if (!a.medianCpuMs || !b.medianCpuMs) return {};
  return { cpuRatio: round(a.medianCpuMs / b.medianCpuMs, 2) };
}

/** The three ratios issue #11 sets, from this run: each with its target and whether it held. */
function issueTargets(rs) {
  const lines = ['Targets (ratios of this run):'];
  for (const [id, what] of [
    ['compile-ref', 'compile of the reference (output unchanged) vs node -e 0'],
    ['compile-changed-ref', 'compile of the reference after a change vs node -e 0'],
    ['validate-ref', 'validate of the reference vs node -e 0'],
    ['diff-L', 'diff of the L controllers CIB (3 changes) vs crm_diff'],
  ]) {
    const r = rs.find((x) => x.id === id);
    if (!r || r.ratio === undefined || r.target === undefined) {
      lines.push(`- ${what}: not measured in this run`);
      continue;
    }
    const cpu = r.cpuRatio === undefined ? '' : ` (CPU time ${r.cpuRatio}x)`;
    lines.push(`- ${what}: ${r.ratio}x${cpu}, target ${r.target.replace(/ (node -e 0|crm_diff)$/, '')}: ${r.met ? 'held' : 'missed'}`);
  }
  return lines.join('\n');
}

function fmtMs(s) {
  if (!s || s.medianMs === undefined) return '';
  const v = s.medianMs >= 10000 ? `${round(s.medianMs / 1000, 1)} s` : `${round(s.medianMs, 0)} ms`;
  // Fewer runs than asked (a time budget, or a tool run once) is shown, not hidden.
  return (s.lowerBound ? '≥ ' : '') + v + (s.n < RUNS ? ` (n=${s.n})` : '');
}
function table(rs) {
  const head = ['measurement', 'topology', 'hactl', 'hactl max RSS', 'compared with', 'its time', 'ratio', 'target', ''];
  const lines = [head, head.map(() => '---')];
  for (const r of rs) {
    const stopped = r.other?.lowerBound ? ` (stopped after ${r.other.commandsRun}/${r.other.commands} commands${r.other.estimatedMs ? `; all: est. ${round(r.other.estimatedMs / 1000, 0)} s` : ''})` : '';
    // Whether the other tool built a CIB of the same shape as hactl's (element counts).
    const same = r.sameCib ?? r.other?.sameCib;
    const shapeNote = same ? (same.every((x) => x.same) ? ', same CIB' : ', CIB differs (see JSON)') : '';
    const other = r.other ? `${r.other.tool}${stopped}${shapeNote}` : '';
    lines.push([
      r.measurement,
      `${r.topology}${r.topology !== 'S→M→L' ? ` (${r.nodes})` : ''}`,
      r.hactl ? fmtMs(r.hactl) : '',
      r.hactl?.maxRssMiB !== undefined ? `${r.hactl.maxRssMiB} MiB` : '',
      other,
      r.other ? fmtMs(r.other) : '',
      r.ratioText ?? '',
      r.target ?? '',
      r.met === undefined ? '' : r.met ? 'holds' : 'MISSES',
    ]);
  }
  return lines.map((l) => `| ${l.join(' | ')} |`).join('\n');
}
