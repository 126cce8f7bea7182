/**
 * Writes artifacts as a whole tree, atomically, in place of the output directory (see
 * replaceOutputDirectory for what may be replaced). After any failure or refusal the previous
 * output is left as it was.
 */
import { replaceOutputDirectory, type OutputOptions } from '../util/local-write.js';
import type { Artifact } from './artifact.js';

/** What writeOutput did: how many files the output has, and whether it was left as it was. */
export interface Written {
  files: number;
  /** Every file was already there, the same, and nothing else: the previous output was kept. */
  unchanged: boolean;
}

export async function writeOutput(outDir: string, artifacts: Iterable<Artifact>, opts: OutputOptions = {}): Promise<Written> {
  let written = 0;
  const done = await replaceOutputDirectory(
    outDir,
    (tree) => {
      // Written as they come (compileEach makes each file when asked): the staging directory
      // holds the output, and memory only the file at hand. A failure part way, this check's
      // included, removes the staging directory and leaves the previous output as it was.
      for (const a of artifacts) {
        if (a.path.startsWith('/') || a.path.split('/').includes('..')) throw new Error(`artifact path escapes the output: ${a.path}`);
        tree.file(a.path, a.content);
        written++;
      }
    },
    opts,
  );
  return { files: written, unchanged: done === 'unchanged' };
}
