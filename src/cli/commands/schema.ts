import { readFile } from 'node:fs/promises';
import { schemaPath } from '../../paths.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export async function schemaCommand(io: Io, name: string): Promise<ExitCode> {
  io.stdout(await readFile(schemaPath(name), 'utf8'));
  return EXIT.ok;
}
