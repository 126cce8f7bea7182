/**
 * The CLI for tests. `hactlIn` runs it in this process over a memory Io: no Node start-up per call
 * (one spawn per case made the 84 invalid cases take 35 s). `hactl` runs bin/hactl.js over the
 * built dist/, for what only a real process shows (exit status, stdin, the shim, a bug's stack)
 * and for commands that must run in a process of their own (apply killed half-way).
 */
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { ROOT, runCommand } from './spawn.js';

export { ROOT } from './spawn.js';
export const BIN = `${ROOT}/bin/hactl.js`;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working directory the CLI resolves relative paths against (default: the repository). */
  cwd?: string;
  /** Added to the environment; the in-process CLI sees only PATH, HOME, NO_COLOR=1 and these. */
  env?: Record<string, string>;
  /** What `-` reads. */
  input?: string;
  /** stdout and stdin are a terminal (colour, progress, prompts). */
  tty?: boolean;
  /** What the operator types at a prompt. */
  answer?: string;
}

export interface MemoryIo {
  io: Io;
  stdout(): string;
  stderr(): string;
}

/** An Io that records what the CLI prints. */
export function memoryIo(opts: CliOptions = {}): MemoryIo {
  let stdout = '';
  let stderr = '';
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', ...opts.env };
  const io: Io = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: !!opts.tty,
    stdinIsTTY: !!opts.tty,
    env,
    cwd: opts.cwd ?? ROOT,
    readStdin: async () => opts.input ?? '',
    ask: async (question) => {
      stderr += question;
      return opts.answer ?? '';
    },
  };
  return { io, stdout: () => stdout, stderr: () => stderr };
}

/** Runs `hactl ARGS` in this process. */
export async function hactlIn(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const m = memoryIo(opts);
  const code = await run(args, m.io);
  return { code, stdout: m.stdout(), stderr: m.stderr() };
}

/** Runs `node bin/hactl.js ARGS` as a child process (needs `npm run build`). */
export function hactl(args: string[], opts: Omit<CliOptions, 'tty' | 'answer'> = {}): CliRun {
  return runCommand(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { NO_COLOR: '1', ...opts.env }, input: opts.input ?? '' });
}
