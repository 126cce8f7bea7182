/** `hactl keygen FILE [--force]`: a new 256-byte corosync authkey, mode 0600. */
import { AUTHKEY_BYTES, writeAuthkey } from '../../secrets/index.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export async function keygenCommand(io: Io, file: string, opts: { force?: boolean }): Promise<ExitCode> {
  // Refusals and failures are HactlErrors (exit 2), printed by the CLI's one handler.
  await writeAuthkey(file, { force: !!opts.force, cwd: io.cwd });
  io.stdout(`wrote a new ${AUTHKEY_BYTES}-byte corosync authkey to ${file} (mode 0600)\n`);
  return EXIT.ok;
}
