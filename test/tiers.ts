/**
 * The three test tiers, told apart by file name so that no file can be in two or in none:
 *   *.cluster.test.ts  live test clusters (root, network namespaces, corosync, pacemaker, sshd)
 *   *.tools.test.ts    the Debian tools of .ci/install-deps (crm_*, crmsh, pcs, corosync -t, ...)
 *   *.test.ts          unit: this repository and Node only
 * `node --import tsx test/tiers.ts TIER` runs one tier (npm run test:unit|test:tools|test:cluster);
 * with --list it prints the tier's files.
 * The unit tier runs with every tool of .ci/install-deps shadowed on PATH by a stub that fails and
 * names the tier, so a unit file that spawns one fails instead of quietly needing the tool.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT } from './helpers/spawn.js';

export const TIERS = ['unit', 'tools', 'cluster'] as const;
export type Tier = (typeof TIERS)[number];

/** The programs a unit test must not run: what .ci/install-deps installs for the tests. */
export const TOOLS = [
  'cibadmin', 'crm', 'crm_attribute', 'crm_diff', 'crm_mon', 'crm_node', 'crm_resource', 'crm_simulate', 'crm_verify', 'crmadmin', 'pcs',
  'corosync', 'corosync-cfgtool', 'corosync-keygen', 'corosync-quorumtool', 'corosync-qnetd', 'corosync-qnetd-certutil', 'corosync-qdevice', 'corosync-qdevice-net-certutil', 'sbd', 'fence_sbd', 'pacemakerd', 'ceph-conf', 'haproxy',
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
 * The unit files that take the most CPU (measured: 4-10 s of CPU each, the median file 2 s). The runner
 * starts files in the order given, so these go first: started last, one of them would run alone
 * on one core while the other core sat idle at the end of the tier.
 */
export const LONGEST_FIRST = [
  'test/validate/property.test.ts',
  'test/files/injection.test.ts',
  'test/files/injection-odd.test.ts',
  'test/validate/property-writes.test.ts',
];

function runTier(tier: Tier): number {
  const rank = (f: string) => (LONGEST_FIRST.includes(f) ? LONGEST_FIRST.indexOf(f) : LONGEST_FIRST.length);
  const files = testFiles()
    .filter((f) => tierOf(f) === tier)
    .sort((a, b) => rank(a) - rank(b));
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
  // Unit files share nothing, so they run side by side, one per core; tools and clusters one at a
  // time (crmsh, pcs and the test clusters each want the machine).
  const concurrency = tier === 'unit' ? availableParallelism() : 1;
  try {
    return spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], { cwd: ROOT, env, stdio: 'inherit' }).status ?? 1;
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
    process.exitCode = runTier(tier);
  }
}
