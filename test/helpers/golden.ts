/**
 * Golden files: committed expected output. HACTL_UPDATE_GOLDEN=1 (exactly "1") rewrites them; read
 * the diff before committing. Every golden a test compares is claimed in this process, so that
 * `expectNoStaleGoldens` can find the ones nothing produces any more (a renamed cluster, a removed
 * case): they fail the test, and an update removes them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ROOT } from './spawn.js';

export const UPDATE = process.env.HACTL_UPDATE_GOLDEN === '1';

const claimed = new Set<string>();
const shown = (file: string): string => relative(ROOT, file);

/** Files under dir (relative paths with '/', sorted) and their text. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split(sep).join('/'), readFileSync(p, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** `actual` equals the golden file (written first when updating). */
export function expectGolden(file: string, actual: string): void {
  claimed.add(resolve(file));
  if (UPDATE) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
  }
  assert.ok(existsSync(file), `${shown(file)} is missing: HACTL_UPDATE_GOLDEN=1 writes it (then read the diff)`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${shown(file)} differs from its golden file (HACTL_UPDATE_GOLDEN=1 rewrites it; read the diff)`);
}

/** The golden directory holds exactly these files with this content (replaced as a whole when updating). */
export function expectGoldenTree(dir: string, files: Iterable<{ path: string; content: string }>): void {
  const want = new Map([...files].map((f) => [f.path, f.content]));
  if (UPDATE) {
    rmSync(dir, { recursive: true, force: true });
    for (const [path, content] of want) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  }
  for (const path of want.keys()) claimed.add(resolve(dir, path));
  const have = readTree(dir);
  assert.deepEqual([...have.keys()], [...want.keys()].sort(), `${shown(dir)}: other files than the golden tree (HACTL_UPDATE_GOLDEN=1 rewrites it; read the diff)`);
  for (const [path, content] of want) assert.equal(content, have.get(path), `${shown(join(dir, path))} differs from its golden file (HACTL_UPDATE_GOLDEN=1 rewrites it; read the diff)`);
}

/**
 * Every file under dir was claimed by a golden comparison of this run, or is an input (`input`,
 * given the path relative to dir). Run it after the tests that claim. A golden whose producing
 * test failed before comparing shows up here too: fix that test first.
 */
export function expectNoStaleGoldens(dir: string, input: (path: string) => boolean = () => false): void {
  const stale = [...readTree(dir).keys()].filter((p) => !input(p) && !claimed.has(resolve(dir, p)));
  if (UPDATE) {
    for (const p of stale) {
      rmSync(join(dir, p));
      // Leave no empty directory behind.
      for (let d = dirname(join(dir, p)); resolve(d) !== resolve(dir) && readdirSync(d).length === 0; d = dirname(d)) rmdirSync(d);
    }
    return;
  }
  assert.deepEqual(stale, [], `${shown(dir)}: golden files that no test produces (HACTL_UPDATE_GOLDEN=1 removes them)`);
}
