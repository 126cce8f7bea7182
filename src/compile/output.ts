/**
 * Writes artifacts as a whole tree, atomically, in place of the output directory (see
 * replaceOutputDirectory for what may be replaced). After any failure or refusal the previous
 * output is left as it was.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { replaceOutputDirectory, type OutputOptions } from '../util/local-write.js';
import type { Artifact } from './artifact.js';

export async function writeOutput(outDir: string, artifacts: Iterable<Artifact>, opts: OutputOptions = {}): Promise<number> {
  let written = 0;
  await replaceOutputDirectory(
    outDir,
    (staging) => {
      // Written as they come (compileEach makes each file when asked): the staging directory
      // holds the output, and memory only the file at hand. A failure part way, this check's
      // included, removes the staging directory and leaves the previous output as it was.
      // The staging directory is new and this run's alone: each directory is made once, by one
      // mkdir, parents first.
      const made = new Set<string>([staging]);
      const makeDir = (dir: string): void => {
        if (made.has(dir)) return;
        makeDir(dirname(dir));
        mkdirSync(dir);
        made.add(dir);
      };
      for (const a of artifacts) {
        if (a.path.startsWith('/') || a.path.split('/').includes('..')) throw new Error(`artifact path escapes the output: ${a.path}`);
        const file = join(staging, a.path);
        makeDir(dirname(file));
        writeFileSync(file, a.content, { mode: 0o644 });
        written++;
      }
    },
    opts,
  );
  return written;
}
