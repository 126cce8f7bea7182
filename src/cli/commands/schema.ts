import { readFile } from 'node:fs/promises';
import { schemaPath } from '../../paths.js';
import { writeFileSafely } from '../../util/local-write.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';

export async function schemaCommand(io: Io, name: string, opts: { write?: string; force?: boolean } = {}): Promise<ExitCode> {
  const text = await readFile(schemaPath(name), 'utf8');
  if (opts.write === undefined) {
    io.stdout(text);
    return EXIT.ok;
  }
  await writeFileSafely(opts.write, text, { force: !!opts.force, cwd: io.cwd });
  io.stdout(`wrote the ${name} schema to ${opts.write}\n`);
  return EXIT.ok;
}
