/**
 * Writes artifacts as a whole tree, atomically, in place of the output directory (see
 * replaceOutputDirectory for what may be replaced). After any failure or refusal the previous
 * output is left as it was.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { replaceOutputDirectory, type OutputOptions } from '../util/local-write.js';
import type { Artifact } from './artifact.js';

export async function writeOutput(outDir: string, artifacts: readonly Artifact[], opts: OutputOptions = {}): Promise<void> {
  for (const a of artifacts) {
    if (a.path.startsWith('/') || a.path.split('/').includes('..')) throw new Error(`artifact path escapes the output: ${a.path}`);
  }
  await replaceOutputDirectory(
    outDir,
    async (staging) => {
      for (const a of artifacts) {
        const file = join(staging, a.path);
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, a.content, { mode: 0o644 });
      }
    },
    opts,
  );
}
