/**
 * `hactl keygen`: a new corosync authkey. Corosync reads the key file raw; 256 random bytes is
 * what corosync-keygen writes by default (2048 bits, within corosync 3's 1024-4096 bit range).
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const AUTHKEY_BYTES = 256;

export class KeyExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} exists`);
  }
}

/**
 * Writes a new key to `path` with mode 0600, never exposing it with a wider mode: the file is
 * created 0600 under a temporary name, synced, then linked (no --force: fails if the path exists)
 * or renamed (--force: replaces it atomically) into place.
 */
export async function writeAuthkey(path: string, opts: { force: boolean; bytes?: number }): Promise<void> {
  const key = randomBytes(opts.bytes ?? AUTHKEY_BYTES);
  const tmp = join(dirname(path), `.${basename(path)}.hactl-tmp-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    try {
      await fh.chmod(0o600); // the umask may have narrowed the creation mode; never widened it
      await fh.writeFile(key);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.force) {
      await rename(tmp, path);
    } else {
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyExistsError(path);
        throw e;
      }
      await unlink(tmp);
    }
    await syncDir(dirname(path));
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}
