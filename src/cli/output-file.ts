import { resolve } from 'node:path';
import { FileExistsError, writeFileSafely } from '../util/write-file.js';
import { invalidInput } from '../errors.js';
import type { Io } from './io.js';

/** Writes a command's -o FILE: refused when it exists unless --force; whole or not at all. */
export async function writeOutputFile(io: Io, file: string, data: string, force: boolean | undefined): Promise<void> {
  try {
    await writeFileSafely(resolve(io.cwd, file), data, { force: !!force });
  } catch (e) {
    if (e instanceof FileExistsError) throw invalidInput('HA5706', { file });
    const code = (e as NodeJS.ErrnoException).code;
    // Only what the file system says about the path is the operator's to fix; anything else is a bug.
    if (typeof code === 'string') throw invalidInput('HA5707', { file, detail: code });
    throw e;
  }
}
