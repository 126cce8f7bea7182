/**
 * How check runs Pacemaker's tools: an injectable runner, so that the library never spawns
 * processes behind its caller's back. The CLI and the tests use the real one (execa). A tool that
 * cannot be started is a HactlError (HA6041); anything else a runner throws is a bug.
 */
import { execa } from 'execa';
import { remoteFailure } from '../errors.js';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** Runs `command` with `args` (no shell), with extra environment variables. */
  run(command: string, args: readonly string[], opts?: { env?: Record<string, string>; cwd?: string }): Promise<RunResult>;
}

/**
 * A bound on one tool run, so that a hung tool cannot hang check. crm_simulate settles a CIB with
 * many pacemaker_remote nodes slowly (it probes every resource on every node: about 40 s of CPU
 * for 70 remote nodes), so the bound is generous.
 */
export const RUN_TIMEOUT_MS = 15 * 60_000;

export function execaRunner(): Runner {
  return {
    async run(command, args, opts = {}) {
      const r = await execa(command, [...args], { ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}), reject: false, stdin: 'ignore', timeout: RUN_TIMEOUT_MS });
      if (r.failed && r.exitCode === undefined) throw remoteFailure('HA6041', { command, detail: (r as { code?: string }).code ?? (r.shortMessage ?? 'failed').split('\n')[0]! });
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
  };
}
