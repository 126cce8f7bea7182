/**
 * Property-based, on real files: the local-write paths (compile's output directory, a single saved
 * file) get random targets: whatever is there, hactl either writes or refuses with a catalogued
 * error, and a refusal changes nothing. 2,000 cases (with property.test.ts, 10,125 per run).
 * The sandbox is on /dev/shm when there is one: the cases sync what they write, and a loaded disk
 * would turn each sync into a wait; the filesystem calls and their answers are the same.
 * The seed is fixed so that CI runs are reproducible; set HACTL_FC_SEED to try another one or to
 * replay a failure that fast-check reported.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { writeOutput } from '../../src/compile/output.js';
import { LocalWriteError, OUTPUT_MARKER, writeFileSafely } from '../../src/util/local-write.js';

const seed = { seed: process.env.HACTL_FC_SEED ? Number(process.env.HACTL_FC_SEED) : 20261204 };

// A sandbox per case, the operator's project in it.
const SANDBOX = mkdtempSync(existsSync('/dev/shm') ? '/dev/shm/hactl-property-' : '/tmp/hactl-property-');
after(() => rmSync(SANDBOX, { recursive: true, force: true }));
let cases = 0;

/** Every entry under dir: files by content, links by target, directories by name. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = lstatSync(p);
      const rel = relative(dir, p);
      if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel] = 'dir';
        walk(p);
      } else out[rel] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/**
 * The operator's place: proj/ (the cwd) with the topology and a key; next to it a foreign folder,
 * an empty one, an earlier output, a file and links. A refusal leaves it as it was (checked), so it
 * is used again until a write changes it.
 */
let current: { root: string; proj: string; before: Record<string, string> } | undefined;
function sandbox(): { root: string; proj: string; before: Record<string, string> } {
  if (current) return current;
  const { root, proj } = freshSandbox();
  current = { root, proj, before: tree(root) };
  return current;
}
function spoilt(): void {
  if (current) rmSync(current.root, { recursive: true, force: true });
  current = undefined;
}
function freshSandbox(): { root: string; proj: string } {
  const root = join(SANDBOX, `c${cases++}`);
  const proj = join(root, 'proj');
  mkdirSync(join(proj, 'keys'), { recursive: true });
  writeFileSync(join(proj, 'lab.yaml'), 'name: lab\n');
  writeFileSync(join(proj, 'keys', 'a.key'), 'key');
  mkdirSync(join(root, 'foreign'));
  writeFileSync(join(root, 'foreign', 'thesis.txt'), 'precious');
  mkdirSync(join(root, 'empty'));
  mkdirSync(join(root, 'made'));
  writeFileSync(join(root, 'made', OUTPUT_MARKER), readFileSync(join(MARKED, OUTPUT_MARKER)));
  writeFileSync(join(root, 'made', 'old'), 'stale');
  writeFileSync(join(root, 'afile'), 'a file');
  symlinkSync(join(root, 'foreign'), join(root, 'link-dir'));
  symlinkSync(join(root, 'afile'), join(root, 'link-file'));
  symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
  symlinkSync(root, join(proj, 'up'));
  return { root, proj };
}

/** A directory hactl wrote once, for the exact marker. */
const MARKED = join(SANDBOX, 'marked');
let marked: Promise<unknown> | undefined;
const ensureMarked = () => (marked ??= writeOutput(MARKED, []));

/** Output targets relative to the project, and whether hactl may replace them (without, with --force). */
const TARGETS: Record<string, [plain: boolean, force: boolean]> = {
  '../new': [true, true],
  '../empty': [true, true],
  '../made': [true, true],
  '../foreign': [false, true],
  '../afile': [false, false],
  '../link-dir': [false, false],
  '../link-file': [false, false],
  '../dangling': [false, false],
  '.': [false, false],
  './': [false, false],
  keys: [false, true],
  'keys/..': [false, false],
  '..': [false, false],
  '../..': [false, false],
  'lab.yaml': [false, false],
  'up/proj': [false, false],
  'up/new-through-link': [true, true],
  '': [false, false],
  '../afile/sub': [false, false],
  '/': [false, false],
};

test('compile output on random targets: written where allowed, else a catalogued refusal that changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(TARGETS)), fc.boolean(), fc.array(fc.constantFrom('a', 'b/c', 'd/e/f'), { maxLength: 3 }), async (target, force, files) => {
      await ensureMarked();
      const { root, proj, before } = sandbox();
      const [plain, forced] = TARGETS[target]!;
      try {
        await writeOutput(target, files.map((f) => ({ path: f, content: f })), { cwd: proj, force, keep: [{ path: proj, name: 'the current directory' }, { path: 'lab.yaml', name: 'the topology' }] });
        assert.ok(force ? forced : plain, `${target} (force ${force}) was replaced`);
        const out = join(proj, target);
        assert.equal(readFileSync(join(out, OUTPUT_MARKER), 'utf8'), readFileSync(join(MARKED, OUTPUT_MARKER), 'utf8'));
        for (const f of files) assert.equal(readFileSync(join(out, f), 'utf8'), f);
      } catch (e) {
        if (e instanceof assert.AssertionError) {
          spoilt();
          throw e;
        }
        assert.ok(e instanceof LocalWriteError, `${target}: ${(e as Error).stack}`);
        assert.match(e.diagnostic.code, /^HA400\d$/);
        assert.ok(e.diagnostic.hint);
        assert.ok(!(force ? forced : plain), `${target} (force ${force}) was refused: ${e.message}`);
        assert.deepEqual(tree(root), before, `${target}: a refusal changed something`);
        return;
      }
      spoilt();
    }),
    { numRuns: 1000, ...seed },
  );
  spoilt();
});

const FILE_TARGETS: Record<string, [plain: boolean, force: boolean]> = {
  'new.json': [true, true],
  'lab.yaml': [false, true],
  keys: [false, false],
  'up/afile': [false, true],
  'up/link-file': [false, false],
  'up/dangling': [false, false],
  'missing/x.json': [false, false],
  'lab.yaml/x': [false, false],
};

test('a saved file on random targets: written where allowed, else a catalogued refusal that changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(FILE_TARGETS)), fc.boolean(), fc.string({ maxLength: 40 }), async (target, force, content) => {
      await ensureMarked();
      const { root, proj, before } = sandbox();
      const [plain, forced] = FILE_TARGETS[target]!;
      try {
        await writeFileSafely(target, content, { cwd: proj, force });
        assert.ok(force ? forced : plain, `${target} (force ${force}) was written`);
        assert.equal(readFileSync(join(proj, target), 'utf8'), content);
        assert.deepEqual(readdirSync(join(proj, target, '..')).filter((n) => n.includes('hactl-tmp')), []);
      } catch (e) {
        if (e instanceof assert.AssertionError) {
          spoilt();
          throw e;
        }
        assert.ok(e instanceof LocalWriteError, `${target}: ${(e as Error).stack}`);
        assert.match(e.diagnostic.code, /^HA400\d$/);
        assert.ok(!(force ? forced : plain), `${target} (force ${force}) was refused: ${e.message}`);
        assert.deepEqual(tree(root), before, `${target}: a refusal changed something`);
        return;
      }
      spoilt();
    }),
    { numRuns: 1000, ...seed },
  );
  spoilt();
});
