/**
 * Reading a secret file the way a secret deserves: only a regular file (a device such as
 * /dev/zero or a FIFO would exhaust memory or hang apply before any node is contacted), never more
 * than SECRET_FILE_MAX bytes, and through its real path, so that a symbolic link cannot hide where
 * the content comes from (the caller checks that real path against the topology's directory).
 */
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';

/** The largest secret file read (64 KiB): far above any key or password, far below harm. */
export const SECRET_FILE_MAX = 64 * 1024;

/** A secret file that is not acceptable; `message` is for the operator and never holds content. */
export class SecretFileError extends Error {}

export interface SecretFile {
  content: Buffer;
  /** The path with every symbolic link resolved. */
  realPath: string;
}

export async function readSecretFile(path: string, max = SECRET_FILE_MAX): Promise<SecretFile> {
  const realPath = await realpath(path);
  // O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
  const fh = await open(realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  try {
    const st = await fh.stat();
    const what = realPath === path ? 'it' : `its target ${realPath}`;
    if (!st.isFile()) throw new SecretFileError(`${what} is not a regular file`);
    if (st.size > max) throw new SecretFileError(`${what} has ${st.size} bytes, more than the ${max} bytes a secret file may have`);
    // Read at most max + 1 bytes whatever stat said (a file growing meanwhile).
    const buf = Buffer.alloc(max + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n > max) throw new SecretFileError(`${what} has more than the ${max} bytes a secret file may have`);
    }
    return { content: buf.subarray(0, n), realPath };
  } finally {
    await fh.close();
  }
}
