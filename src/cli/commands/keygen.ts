/** `hactl keygen FILE [--force]`: a new 256-byte corosync authkey, mode 0600. */
import { resolve as resolvePath } from 'node:path';
import { diag } from '../../diagnostics.js';
import { AUTHKEY_BYTES, KeyExistsError, writeAuthkey } from '../../secrets/index.js';
import { CliError, EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export async function keygenCommand(io: Io, file: string, opts: { force?: boolean }): Promise<ExitCode> {
  try {
    await writeAuthkey(resolvePath(io.cwd, file), { force: !!opts.force });
  } catch (e) {
    const d = e instanceof KeyExistsError ? diag('HA5601', '', { file }) : diag('HA5602', '', { file, detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    io.stderr(`${d.code}: ${d.message}${d.hint ? `\n  hint: ${d.hint}` : ''}\n`);
    throw new CliError('no key was written', e instanceof KeyExistsError ? EXIT.invalid : EXIT.remote);
  }
  io.stdout(`wrote a new ${AUTHKEY_BYTES}-byte corosync authkey to ${file} (mode 0600)\n`);
  return EXIT.ok;
}
