/**
 * A local file written whole or not at all, and never over a file the caller did not say may be
 * replaced: the data goes to a temporary file next to the target, which is then linked into
 * place (link fails if the target exists, with no window between a check and the write) or, when
 * replacing is allowed, renamed over it.
 */
import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} exists`);
  }
}

export async function writeFileSafely(path: string, data: string | Uint8Array, opts: { force?: boolean; mode?: number } = {}): Promise<void> {
  const mode = opts.mode ?? 0o644;
  const tmp = join(dirname(path), `.${basename(path)}.hactl-tmp-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.force) await rename(tmp, path);
    else {
      try {
        await link(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FileExistsError(path);
        throw e;
      }
      await unlink(tmp);
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
