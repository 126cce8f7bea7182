import { resolve } from 'node:path';
import { FileExistsError, writeFileSafely } from '../util/write-file.js';
import { CliError, EXIT } from './exit.js';
import type { Io } from './io.js';

/** Writes a command's -o FILE: refused when it exists unless --force; whole or not at all. */
export async function writeOutputFile(io: Io, file: string, data: string, force: boolean | undefined): Promise<void> {
  try {
    await writeFileSafely(resolve(io.cwd, file), data, { force: !!force });
  } catch (e) {
    if (e instanceof FileExistsError) throw new CliError(`${file} exists; nothing was written (--force replaces it)`, EXIT.invalid);
    throw new CliError(`${file} could not be written: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, EXIT.invalid);
  }
}
