/**
 * `hactl keygen`: a new corosync authkey. Corosync reads the key file raw; 256 random bytes is
 * what corosync-keygen writes by default (2048 bits, within corosync 3's 1024-4096 bit range).
 */
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { diag } from '../diagnostics.js';
import { LocalWriteError, writeFileSafely } from '../util/local-write.js';

export const AUTHKEY_BYTES = 256;

/**
 * Writes a new key to `path` with mode 0600, never exposing it with a wider mode, never replacing
 * an existing file without `force`, never through a link and never leaving a part of a key (see
 * writeFileSafely). A refusal or failure is a LocalWriteError (exit 2); the ones a key operator
 * meets most have keygen's own codes, which say what a key means for the cluster.
 */
export async function writeAuthkey(path: string, opts: { force: boolean; bytes?: number; cwd?: string }): Promise<void> {
  try {
    await writeFileSafely(path, randomBytes(opts.bytes ?? AUTHKEY_BYTES), { force: opts.force, mode: 0o600, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
  } catch (e) {
    if (!(e instanceof LocalWriteError)) throw e;
    if (e.kind === 'exists') throw new LocalWriteError(diag('HA5601', '', { file: path }), 'exists');
    if (e.diagnostic.code === 'HA4007') throw new LocalWriteError(diag('HA5603', '', { file: path, dir: dirname(path) }), 'refused');
    throw e;
  }
}
