/**
 * A Transport that runs commands on this machine instead of over ssh: the real scripts, the real
 * tools, only without the network. Offline tests use it with CIB_file (Pacemaker's tools then
 * act on a CIB file) and temp directories.
 */
import { execa } from 'execa';
import type { ExecResult, Transport } from '../../src/remote/ssh.js';

export function localTransport(env: Record<string, string> = {}): Transport & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async exec(_node: string, command: readonly string[], stdin?: string): Promise<ExecResult> {
      calls.push([...command]);
      const r = await execa(command[0]!, command.slice(1), { input: stdin ?? '', reject: false, stripFinalNewline: false, env: { ...process.env, ...env } });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    async close() {},
  };
}
