/**
 * Running other programs from tests, and deciding whether a test that needs one can run here.
 * A test that needs a tool or root skips with the reason when it cannot run, except under CI
 * (CI set, as .ci/run does): there a reason is an error, so a skipped run is never mistaken for a
 * passing one. The tier runner (scripts/test.mjs) sets HACTL_TEST_TIER; the unit tier has no tools.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  cwd?: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  input?: string;
  /** Killed after this long (exit -1). */
  timeoutMs?: number;
}

/** Runs a program to its end; a program that cannot start is exit -1 with the reason on stderr. */
export function runCommand(cmd: string, args: string[], opts: CommandOptions = {}): CommandResult {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

/** Whether a command is on PATH. */
export function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

/** Why a test cannot run here (undefined when it can); under CI the reason is thrown instead. */
export function mustRunUnderCi(reason: string | undefined): string | undefined {
  if (reason && process.env.CI) throw new Error(`CI must run this test, but: ${reason}`);
  return reason;
}

/**
 * The skip reason of a test that needs these tools, and root when `root` says why (false when it
 * can run), for `{ skip }`. A unit-tier file that asks is in the wrong tier: name it *.tools.test.ts.
 */
export function needTools(tools: string[], opts: { root?: string } = {}): string | false {
  if (process.env.HACTL_TEST_TIER === 'unit') throw new Error(`the unit tier runs no external tools, but this file needs ${tools.join(', ')}: name it *.tools.test.ts`);
  const missing = tools.filter((t) => !onPath(t));
  const reasons = [
    ...(opts.root && process.getuid?.() !== 0 ? [`needs root (${opts.root})`] : []),
    ...(missing.length ? [`needs ${missing.join(', ')} (bash .ci/install-deps)`] : []),
  ];
  return mustRunUnderCi(reasons.join('; ') || undefined) ?? false;
}
