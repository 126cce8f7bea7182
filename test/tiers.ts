/**
 * The three test tiers, told apart by file name so that no file can be in two or in none:
 *   *.cluster.test.ts  live test clusters (root, network namespaces, corosync, pacemaker, sshd)
 *   *.tools.test.ts    the Debian tools of .ci/install-deps (crm_*, crmsh, pcs, corosync -t, ...)
 *   *.test.ts          unit: this repository and Node only
 * `node --import tsx test/tiers.ts TIER` runs one tier (npm run test:unit|test:tools|test:cluster);
 * with --list it prints the tier's files.
 * The unit tier runs with every tool of .ci/install-deps shadowed on PATH by a stub that fails and
 * names the tier, so a unit file that spawns one fails instead of quietly needing the tool; its
 * files run in one process per core (test/shard.ts), not one process per file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './helpers/spawn.js';

export const TIERS = ['unit', 'tools', 'cluster'] as const;
const SHARD = join(ROOT, 'test', 'shard.ts');
export type Tier = (typeof TIERS)[number];

/** The programs a unit test must not run: what .ci/install-deps installs for the tests. */
export const TOOLS = [
  'cibadmin', 'crm', 'crm_attribute', 'crm_diff', 'crm_mon', 'crm_node', 'crm_resource', 'crm_simulate', 'crm_verify', 'crmadmin', 'pcs',
  'corosync', 'corosync-cfgtool', 'corosync-keygen', 'corosync-quorumtool', 'corosync-qnetd', 'corosync-qnetd-certutil', 'corosync-qdevice', 'corosync-qdevice-net-certutil', 'sbd', 'fence_sbd', 'pacemakerd', 'ceph-conf', 'haproxy', 'rabbitmqctl', 'rabbitmq-server',
  'ssh', 'ssh-keygen', 'sshd', 'ip', 'nsenter', 'ping', 'xmllint', 'xmlstarlet', 'python3', 'patch', 'chromium',
];

/** The tier of a test file, or undefined for a file that is not a test. */
export function tierOf(file: string): Tier | undefined {
  if (!file.endsWith('.test.ts')) return undefined;
  if (file.endsWith('.cluster.test.ts')) return 'cluster';
  if (file.endsWith('.tools.test.ts')) return 'tools';
  return 'unit';
}

/** Every test file under test/, relative to the repository, sorted. */
export function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (tierOf(e.name)) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, 'test'));
  return out.sort();
}

/**
 * The unit files that take the most CPU (measured 2026-12-05 with GNU time, one file per process:
 * 5-11 s each, the median file 2 s). They are dealt out first, so that the shards end together.
 */
export const LONGEST_FIRST = [
  'test/files/injection.test.ts',
  'test/validate/property.test.ts',
  'test/files/injection-odd.test.ts',
  'test/compile/output.test.ts',
  'test/graph/graph.test.ts',
];

/**
 * Unit files dealt into `n` shards, the longest first, each to the shard with the least work so far
 * (a listed file counts five, any other one).
 */
export function shards(files: string[], n: number): string[][] {
  const weight = (f: string) => (LONGEST_FIRST.includes(f) ? 5 : 1);
  const rank = (f: string) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
  const out = Array.from({ length: Math.max(1, n) }, () => ({ files: [] as string[], work: 0 }));
  for (const f of [...files].sort((a, b) => rank(a) - rank(b))) {
    const s = out.reduce((a, b) => (b.work < a.work ? b : a));
    s.files.push(f);
    s.work += weight(f);
  }
  return out.map((s) => s.files).filter((s) => s.length > 0);
}

/** Runs one process per shard at once; each shard's report is printed whole when it ends. */
async function runShards(groups: string[][], env: NodeJS.ProcessEnv): Promise<number> {
  const runs = groups.map(
    (files) =>
      new Promise<{ code: number; output: string }>((done) => {
        const child = spawn(process.execPath, ['--import', 'tsx', SHARD, ...files], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => chunks.push(c));
        child.stderr.on('data', (c: Buffer) => chunks.push(c));
        child.on('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(chunks).toString('utf8') }));
      }),
  );
  let status = 0;
  for (const [i, r] of (await Promise.all(runs)).entries()) {
    process.stdout.write(`# shard ${i + 1} of ${groups.length}: ${groups[i]!.join(' ')}\n${r.output}`);
    if (r.code !== 0) status = r.code;
  }
  return status;
}

async function runTier(tier: Tier): Promise<number> {
  const files = testFiles().filter((f) => tierOf(f) === tier);
  const env: NodeJS.ProcessEnv = { ...process.env, HACTL_TEST_TIER: tier };
  let stubs: string | undefined;
  if (tier === 'unit') {
    stubs = mkdtempSync(join(tmpdir(), 'hactl-unit-path-'));
    for (const t of TOOLS) {
      const stub = join(stubs, t);
      writeFileSync(stub, `#!/bin/sh\necho "${t}: the unit tier runs no external tools; a test that needs ${t} goes in a *.tools.test.ts file" >&2\nexit 127\n`);
      chmodSync(stub, 0o755);
    }
    env.PATH = `${stubs}:${process.env.PATH ?? ''}`;
  }
  try {
    // Unit files share nothing, so they run side by side, a shard per core; tools and clusters
    // one file at a time in a process of its own (crmsh, pcs and the test clusters each want the
    // machine).
    if (tier === 'unit') return await runShards(shards(files, availableParallelism()), env);
    return spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { cwd: ROOT, env, stdio: 'inherit' }).status ?? 1;
  } finally {
    if (stubs) rmSync(stubs, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const tier = process.argv[2] as Tier;
  if (!TIERS.includes(tier)) {
    console.error(`usage: node --import tsx test/tiers.ts ${TIERS.join('|')} [--list]`);
    process.exitCode = 2;
  } else if (process.argv[3] === '--list') {
    for (const f of testFiles()) if (tierOf(f) === tier) console.log(f);
  } else {
    process.exitCode = await runTier(tier);
  }
}
