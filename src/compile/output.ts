/**
 * Writes artifacts as a whole tree, atomically: everything goes into a temporary sibling
 * directory first, which then replaces the output directory with renames. After any failure the
 * previous output is left as it was.
 */
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Artifact } from './artifact.js';

export async function writeOutput(outDir: string, artifacts: readonly Artifact[]): Promise<void> {
  const target = resolve(outDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  // Siblings of the output, so that the final renames stay on one filesystem.
  const staging = await mkdtemp(join(parent, `.${basename(target)}.tmp-`));
  const previous = `${staging}.old`;
  try {
    for (const a of artifacts) {
      if (a.path.startsWith('/') || a.path.split('/').includes('..')) throw new Error(`artifact path escapes the output: ${a.path}`);
      const file = join(staging, a.path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, a.content, { mode: 0o644 });
    }
    let hadPrevious = true;
    try {
      await rename(target, previous);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      hadPrevious = false;
    }
    try {
      await rename(staging, target);
    } catch (e) {
      if (hadPrevious) await rename(previous, target);
      throw e;
    }
    if (hadPrevious) await rm(previous, { recursive: true, force: true });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
