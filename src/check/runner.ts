/**
 * How check runs Pacemaker's tools: an injectable runner, so that the library never spawns
 * processes behind its caller's back. The CLI and the tests use the real one (execa).
 */
import { execa } from 'execa';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** Runs `command` with `args` (no shell), with extra environment variables. */
  run(command: string, args: readonly string[], opts?: { env?: Record<string, string>; cwd?: string }): Promise<RunResult>;
}

export function execaRunner(): Runner {
  return {
    async run(command, args, opts = {}) {
      const r = await execa(command, [...args], { env: opts.env, cwd: opts.cwd, reject: false, stdin: 'ignore', timeout: 60_000 });
      if (r.failed && r.exitCode === undefined) throw new Error(`${command} could not be run: ${(r as { code?: string }).code ?? (r.shortMessage ?? 'failed').split('\n')[0]}`);
      return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    },
  };
}
