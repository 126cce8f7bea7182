import { compileEach, targetNames } from '../../compile/index.js';
import { writeOutput } from '../../compile/output.js';
import { invalidInput } from '../../errors.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { requireTopology } from '../topology.js';

export async function compileCommand(io: Io, file: string, opts: { output: string; format?: string; force?: boolean }): Promise<ExitCode> {
  const formats = opts.format ? opts.format.split(',').map((s) => s.trim()).filter(Boolean) : targetNames();
  const unknown = formats.filter((f) => !targetNames().includes(f));
  if (unknown.length) throw invalidInput('HA5702', { formats: unknown.join(', '), known: targetNames().join(', ') });
  const { model } = await requireTopology(io, file);
  const keep = [{ path: io.cwd, name: 'the current directory' }];
  if (file !== '-') keep.push({ path: file, name: 'the topology' });
  const written = await writeOutput(opts.output, { [Symbol.iterator]: () => compileEach(model, formats) }, { cwd: io.cwd, force: !!opts.force, keep, ...(io.pid !== undefined && io.isRunning ? { pid: io.pid, isRunning: io.isRunning } : {}) });
  const unchanged = written.unchanged ? '; all as they were, nothing rewritten' : '';
  io.stdout(`${paintFor(io).ok('compiled')} ${file} -> ${opts.output} (${written.files} files: ${formats.join(', ')}${unchanged})\n`);
  return EXIT.ok;
}
