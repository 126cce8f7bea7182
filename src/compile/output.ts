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

/**
 * `artifacts` may be iterated more than once: when another compile replaces the output while this
 * one compares with it, the tree is made again (replaceOutputDirectory). An array will do, or an
 * object whose iterator makes the files anew; a one-shot iterator (a generator's) is refused then.
 */
export async function writeOutput(outDir: string, artifacts: Iterable<Artifact>, opts: OutputOptions = {}): Promise<Written> {
  let written = 0;
  let rounds = 0;
  const oneShot = typeof (artifacts as Partial<Iterator<Artifact>>).next === 'function';
  const done = await replaceOutputDirectory(
    outDir,
    (tree) => {
      if (rounds++ > 0 && oneShot) throw new Error('writeOutput: the output must be made again, and its artifacts are a one-shot iterator');
      written = 0;
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
