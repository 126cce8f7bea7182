/** `hactl keygen FILE [--force]`: a new 256-byte corosync authkey, mode 0600. */
import { dirname, resolve as resolvePath } from 'node:path';
import { HactlError, invalidInput } from '../../errors.js';
import { AUTHKEY_BYTES, KeyExistsError, writeAuthkey } from '../../secrets/index.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

/** Why a local key file could not be written; all of these are the operator's to fix (exit 2). */
function keyError(e: unknown, file: string): HactlError {
  if (e instanceof KeyExistsError) return invalidInput('HA5601', { file });
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return invalidInput('HA5603', { file, dir: dirname(file) });
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return invalidInput('HA5602', { file, detail: code });
  throw e;
}

export async function keygenCommand(io: Io, file: string, opts: { force?: boolean }): Promise<ExitCode> {
  try {
    await writeAuthkey(resolvePath(io.cwd, file), { force: !!opts.force });
  } catch (e) {
    throw keyError(e, file);
  }
  io.stdout(`wrote a new ${AUTHKEY_BYTES}-byte corosync authkey to ${file} (mode 0600)\n`);
  return EXIT.ok;
}
