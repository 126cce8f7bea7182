/**
 * A Transport that runs commands on this machine: `hactl diff --live FILE --impact` simulates a
 * saved CIB here with the same script apply runs on a node.
 */
import { execa } from 'execa';
import type { ExecResult, Transport } from './ssh.js';

export function hereTransport(): Transport {
  return {
    async exec(_node: string, command: readonly string[], stdin?: string): Promise<ExecResult> {
      const r = await execa(command[0]!, command.slice(1), { input: stdin ?? '', reject: false, stripFinalNewline: false });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    async close() {},
  };
}
