import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeOutput } from '../../src/compile/output.js';
import { hactl, hactlIn, ROOT } from '../helpers/cli.js';
import { entries, fingerprint } from '../helpers/tree.js';

describe('compile output is replaced whole or not at all', () => {
  const parent = mkdtempSync('/tmp/hactl-output-');
  const out = join(parent, 'out');
  after(() => rmSync(parent, { recursive: true, force: true }));
  const leftovers = () => readdirSync(parent).filter((n) => n !== 'out');

  it('writes a fresh output directory', async () => {
    const r = await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Object.keys(fingerprint(out)).includes('clusters/controllers/cib.xml'));
    assert.deepEqual(leftovers(), []);
  });

  it('an invalid topology exits 2 and leaves the previous output as it was', async () => {
    const before = fingerprint(out);
    const bad = join(parent, 'bad.yaml');
    writeFileSync(bad, readFileSync('fixtures/pixelpark.yaml', 'utf8').replace('replicas: 3', 'replicas: 7'));
    const r = await hactlIn(['compile', bad, '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HA3501/);
    assert.deepEqual(fingerprint(out), before);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });

  it('a failure while writing leaves the previous output and no staging directory', async () => {
    const before = fingerprint(out);
    // 'x' as a file and as a directory cannot both exist: the second write fails mid-tree.
    await assert.rejects(writeOutput(out, [{ path: 'x', content: '1' }, { path: 'x/y', content: '2' }]));
    await assert.rejects(writeOutput(out, [{ path: '../escape', content: '' }]), /escapes the output/);
    assert.deepEqual(fingerprint(out), before);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });

  it('a second compile replaces the tree: files no longer produced disappear', async () => {
    await writeOutput(out, [{ path: 'only/this', content: 'a\n' }]);
    assert.deepEqual(Object.keys(fingerprint(out)).sort(), ['.hactl-output', 'only/this']);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });
});

/** Inode number and link count of every regular file under dir, by relative path. */
function inodes(dir: string): Record<string, { ino: number; nlink: number }> {
  const out: Record<string, { ino: number; nlink: number }> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else if (st.isFile()) out[relative(dir, p)] = { ino: st.ino, nlink: st.nlink };
    }
  };
  walk(dir);
  return out;
}

describe("a recompile links the previous output's unchanged files instead of writing them", () => {
  const parent = mkdtempSync('/tmp/hactl-output-links-');
  after(() => rmSync(parent, { recursive: true, force: true }));
  let n = 0;
  const fresh = () => join(parent, `o${n++}`);
  const ino = (p: string) => lstatSync(p).ino;
  /** Sets a file's mtime a day back, so that a rewrite shows in it. */
  const age = (p: string) => utimesSync(p, new Date(Date.now() - 86_400_000), new Date(Date.now() - 86_400_000));

  it('an unchanged file keeps its inode and mtime; a changed one is a new file; a file no longer produced is gone', async () => {
    const out = fresh();
    await writeOutput(out, [{ path: 'same', content: 'same\n' }, { path: 'd/e/same', content: 'deep\n' }, { path: 'changes', content: 'one\n' }, { path: 'goes', content: 'x' }]);
    const before = inodes(out);
    for (const f of ['same', 'd/e/same', 'changes']) age(join(out, f));
    const mtime = statSync(join(out, 'same')).mtimeMs;
    await writeOutput(out, [{ path: 'same', content: 'same\n' }, { path: 'd/e/same', content: 'deep\n' }, { path: 'changes', content: 'two\n' }]);
    const now = inodes(out);
    assert.equal(now['same']!.ino, before['same']!.ino);
    assert.equal(now['d/e/same']!.ino, before['d/e/same']!.ino);
    assert.equal(statSync(join(out, 'same')).mtimeMs, mtime);
    assert.notEqual(now['changes']!.ino, before['changes']!.ino);
    assert.ok(statSync(join(out, 'changes')).mtimeMs > mtime);
    assert.equal(readFileSync(join(out, 'changes'), 'utf8'), 'two\n');
    assert.deepEqual(Object.keys(now).sort(), ['.hactl-output', 'changes', 'd/e/same', 'same']);
    // Once the previous tree is gone, each file is the output's alone again.
    assert.deepEqual(Object.values(now).map((f) => f.nlink), [1, 1, 1, 1]);
  });

  it('a previous file the operator edited (other bytes of the same length, or another mode) is written anew', async () => {
    const out = fresh();
    await writeOutput(out, [{ path: 'edited', content: 'aaaa\n' }, { path: 'narrowed', content: 'mode\n' }]);
    writeFileSync(join(out, 'edited'), 'bbbb\n');
    chmodSync(join(out, 'narrowed'), 0o600);
    const before = inodes(out);
    await writeOutput(out, [{ path: 'edited', content: 'aaaa\n' }, { path: 'narrowed', content: 'mode\n' }]);
    assert.notEqual(ino(join(out, 'edited')), before['edited']!.ino);
    assert.equal(readFileSync(join(out, 'edited'), 'utf8'), 'aaaa\n');
    assert.notEqual(ino(join(out, 'narrowed')), before['narrowed']!.ino);
    assert.equal(statSync(join(out, 'narrowed')).mode & 0o777, 0o644);
  });

  it("a previous file with a second link is written anew; the operator's link keeps its file", async () => {
    const out = fresh();
    await writeOutput(out, [{ path: 'kept', content: 'k\n' }]);
    const theirs = join(parent, `theirs-${n}`);
    linkSync(join(out, 'kept'), theirs);
    await writeOutput(out, [{ path: 'kept', content: 'k\n' }]);
    assert.notEqual(ino(join(out, 'kept')), ino(theirs));
    assert.equal(lstatSync(theirs).nlink, 1);
    assert.equal(readFileSync(theirs, 'utf8'), 'k\n');
    assert.equal(lstatSync(join(out, 'kept')).nlink, 1);
  });

  it('a symbolic link in the previous output, to a file or through a directory, is never linked from: the file is written anew', async () => {
    const out = fresh();
    await writeOutput(out, [{ path: 'f', content: 'same\n' }, { path: 'd/g', content: 'same\n' }]);
    // Files elsewhere with the very bytes hactl writes, reached through links the operator put there.
    const elsewhere = join(parent, `elsewhere-${n}`);
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'f'), 'same\n');
    writeFileSync(join(elsewhere, 'g'), 'same\n');
    rmSync(join(out, 'f'));
    symlinkSync(join(elsewhere, 'f'), join(out, 'f'));
    rmSync(join(out, 'd'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'd'));
    await writeOutput(out, [{ path: 'f', content: 'same\n' }, { path: 'd/g', content: 'same\n' }]);
    for (const [mine, theirs] of [['f', 'f'], ['d/g', 'g']] as const) {
      const st = lstatSync(join(out, mine));
      assert.ok(st.isFile() && !st.isSymbolicLink());
      assert.notEqual(st.ino, ino(join(elsewhere, theirs)));
      assert.equal(lstatSync(join(elsewhere, theirs)).nlink, 1);
    }
    assert.ok(lstatSync(join(out, 'd')).isDirectory());
    assert.equal(readFileSync(join(elsewhere, 'f'), 'utf8'), 'same\n');
  });

  it("a directory hactl did not make, replaced with --force, lends no file even with hactl's bytes", async () => {
    const out = fresh();
    mkdirSync(out);
    writeFileSync(join(out, 'a'), 'same\n');
    const foreign = ino(join(out, 'a'));
    await writeOutput(out, [{ path: 'a', content: 'same\n' }], { force: true });
    assert.notEqual(ino(join(out, 'a')), foreign);
  });

  it('a failure part way leaves the previous output as it was: same bytes, same inodes, one link each', async () => {
    const out = fresh();
    await writeOutput(out, [{ path: 'a', content: 'a\n' }, { path: 'b/c', content: 'c\n' }]);
    const before = fingerprint(out);
    const inos = inodes(out);
    // The unchanged files are linked first; then 'b/c' as a file and a directory cannot both exist.
    await assert.rejects(writeOutput(out, [{ path: 'a', content: 'a\n' }, { path: 'b/c', content: 'c\n' }, { path: 'b/c/d', content: '' }]));
    assert.deepEqual(fingerprint(out), before);
    assert.deepEqual(inodes(out), inos);
    assert.deepEqual(readdirSync(parent).filter((e) => e.startsWith(`.${basenameOf(out)}.`)), []);
  });

  it('a real recompile of the reference after a change: the same tree but the changed files, every other file the same inode', async () => {
    const out = fresh();
    assert.equal((await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out])).code, 0);
    const first = inodes(out);
    const dirsBefore = entries(out);
    // Another public VIP changes the controllers' CIB in each form, and nothing else.
    const changed = join(parent, 'vip.yaml');
    const text = readFileSync('fixtures/pixelpark.yaml', 'utf8');
    writeFileSync(changed, text.replace('address: 203.0.113.10 }', 'address: 203.0.113.100 }'));
    assert.notEqual(readFileSync(changed, 'utf8'), text);
    const r = await hactlIn(['compile', changed, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /nothing rewritten/);
    const again = inodes(out);
    const moved = Object.keys(first).filter((f) => first[f]!.ino !== again[f]?.ino);
    assert.deepEqual(moved.sort(), ['.hactl-output', 'clusters/controllers/cib.xml', 'clusters/controllers/configure.crm', 'clusters/controllers/pcs.sh']);
    // Only the directories on the way to a changed file are new; every other one is the previous
    // output's, taken whole.
    const dirsNow = entries(out);
    const newDirs = Object.keys(dirsBefore).filter((d) => lstatSync(join(out, d)).isDirectory() && dirsNow[d]!.split(' ')[0] !== dirsBefore[d]!.split(' ')[0]);
    assert.deepEqual(newDirs.sort(), ['.', 'clusters', 'clusters/controllers']);
    assert.ok(Object.keys(first).length > 70);
    // A renamed output is an output all the same: its files are linked into the next compile too.
    renameSync(out, `${out}-renamed`);
    assert.equal((await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', `${out}-renamed`])).code, 0);
    assert.equal(inodes(`${out}-renamed`)['clusters/network/cib.xml']!.ino, again['clusters/network/cib.xml']!.ino);
  });
});

const basenameOf = (p: string) => p.slice(p.lastIndexOf('/') + 1);

describe('a recompile whose output has not changed leaves the previous output as it is', () => {
  const parent = mkdtempSync('/tmp/hactl-output-same-');
  after(() => rmSync(parent, { recursive: true, force: true }));
  let n = 0;
  const leftovers = () => readdirSync(parent).filter((e) => e.startsWith('.'));
  /** A compiled reference (each its own), with every mtime a day back so that a rewrite shows. */
  async function compiled(): Promise<string> {
    const out = join(parent, `o${n++}`);
    const r = await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /nothing rewritten/);
    const day = new Date(Date.now() - 86_400_000);
    for (const p of Object.keys(entries(out))) utimesSync(join(out, p), day, day);
    return out;
  }
  const again = (out: string, ...more: string[]) => hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out, ...more]);

  it('every file and directory, the output itself and the marker included, keeps its inode, mode and mtime', async () => {
    const out = await compiled();
    const before = entries(out);
    const r = await again(out);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\(\d+ files: cib, crmsh, pcs, files; all as they were, nothing rewritten\)/);
    assert.deepEqual(entries(out), before);
    assert.ok(Object.keys(before).length > 150);
    assert.deepEqual(leftovers(), []);
  });

  // Each difference the operator may make to an output: the next compile replaces the tree, and
  // the result is what a compile into a new directory writes.
  const differences: [string, (out: string) => void][] = [
    ['a file added', (out) => writeFileSync(join(out, 'clusters', 'NOTES'), 'mine\n')],
    ['an empty directory added', (out) => mkdirSync(join(out, 'clusters', 'spare'))],
    ['a file removed', (out) => rmSync(join(out, 'clusters', 'controllers', 'cib.xml'))],
    ['a file edited', (out) => writeFileSync(join(out, 'manifest.json'), readFileSync(join(out, 'manifest.json'), 'utf8').replace('"', "'"))],
    ['a directory chmod-ed', (out) => chmodSync(join(out, 'clusters', 'controllers'), 0o700)],
    ['the output chmod-ed', (out) => chmodSync(out, 0o750)],
    ['the marker removed (an output of before the marker, known by its manifest)', (out) => rmSync(join(out, '.hactl-output'))],
    ['a file replaced by a symbolic link to its copy', (out) => {
      const f = join(out, 'clusters', 'controllers', 'cib.xml');
      copyFileSync(f, `${out}.cib-copy`);
      rmSync(f);
      symlinkSync(`${out}.cib-copy`, f);
    }],
    ['a file with a second link elsewhere', (out) => linkSync(join(out, 'manifest.json'), `${out}.manifest-link`)],
  ];
  for (const [what, change] of differences) {
    it(`${what}: the tree is replaced, as a new compile writes it`, async () => {
      const out = await compiled();
      const reference = fingerprint(out);
      const before = entries(out);
      change(out);
      const r = await again(out);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, /nothing rewritten/);
      assert.deepEqual(fingerprint(out), reference);
      assert.notEqual(entries(out)['.'], before['.']);
      // No difference is under nodes/: that directory is the previous output's, moved whole.
      assert.equal(entries(out)['nodes']!.split(' ')[0], before['nodes']!.split(' ')[0]);
      for (const [p, e] of Object.entries(entries(out))) {
        const st = lstatSync(join(out, p));
        assert.equal(st.mode & 0o777, st.isDirectory() ? 0o755 : 0o644, `${p}: ${e}`);
        assert.ok(!st.isSymbolicLink(), p);
      }
      // And the next compile finds it unchanged again.
      const settled = entries(out);
      assert.match((await again(out)).stdout, /nothing rewritten/);
      assert.deepEqual(entries(out), settled);
      assert.deepEqual(leftovers(), []);
    });
  }

  it('fewer formats than the previous output had: replaced, the other formats gone', async () => {
    const out = await compiled();
    const r = await again(out, '--format', 'cib');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /nothing rewritten/);
    assert.ok(Object.keys(fingerprint(out)).every((f) => f === '.hactl-output' || f === 'manifest.json' || f.endsWith('/cib.xml')));
  });

  it("an output entry named like compile's own probe directory is written as any other", async () => {
    const out = join(parent, `o${n++}`);
    await writeOutput(out, [{ path: '.hactl-probe-0/x', content: 'one\n' }, { path: 'd/same', content: 's\n' }]);
    const r = await writeOutput(out, [{ path: '.hactl-probe-0/x', content: 'two\n' }, { path: 'd/same', content: 's\n' }]);
    assert.deepEqual(r, { files: 2, unchanged: false });
    assert.deepEqual(Object.keys(fingerprint(out)).sort(), ['.hactl-output', '.hactl-probe-0/x', 'd/same']);
    assert.equal(readFileSync(join(out, '.hactl-probe-0', 'x'), 'utf8'), 'two\n');
    assert.deepEqual(leftovers(), []);
  });

  it('another output put in place while compile compared: the tree is made again against it, and this one wins', async () => {
    const out = join(parent, `o${n++}`);
    const theirs = join(parent, `theirs${n}`);
    const mine = [{ path: 'keep/a', content: 'a\n' }, { path: 'change/b', content: 'mine\n' }];
    await writeOutput(out, [{ path: 'keep/a', content: 'a\n' }, { path: 'change/b', content: 'old\n' }]);
    await writeOutput(theirs, [{ path: 'keep/a', content: 'theirs\n' }, { path: 'other', content: 'x\n' }]);
    let rounds = 0;
    const artifacts = {
      *[Symbol.iterator]() {
        yield* mine;
        // Another compile's swap, once: after this one compared, before it planned what to take.
        if (rounds++ === 0) {
          rmSync(out, { recursive: true });
          renameSync(theirs, out);
        }
      },
    };
    const r = await writeOutput(out, artifacts);
    assert.equal(rounds, 2);
    assert.deepEqual(r, { files: 2, unchanged: false });
    assert.deepEqual(fingerprint(out), fingerprint(await (async () => {
      const fresh = join(parent, `fresh${n}`);
      await writeOutput(fresh, mine);
      return fresh;
    })()));
    assert.deepEqual(leftovers(), []);
    // A one-shot iterator cannot be made again: refused, not an output with nothing in it.
    await writeOutput(theirs, [{ path: 'other', content: 'x\n' }]);
    let once = 0;
    function* oneShot() {
      yield* mine;
      if (once++ === 0) {
        rmSync(out, { recursive: true });
        renameSync(theirs, out);
      }
    }
    await assert.rejects(writeOutput(out, oneShot()), /one-shot iterator/);
    assert.deepEqual(Object.keys(fingerprint(out)).sort(), ['.hactl-output', 'other']);
    assert.deepEqual(leftovers(), []);
  });

  it('a file found the same, then written by something else before it is linked into the new tree: compile compares again', async () => {
    const out = join(parent, `o${n++}`);
    // kept shares its directory with a changed file: it is linked into the new tree, not moved with it.
    await writeOutput(out, [{ path: 'a/kept', content: 'k\n' }, { path: 'a/b', content: 'one\n' }]);
    const keptIno = lstatSync(join(out, 'a', 'kept')).ino;
    let rounds = 0;
    const artifacts = {
      *[Symbol.iterator]() {
        yield { path: 'a/kept', content: 'k\n' };
        yield { path: 'a/b', content: 'two\n' };
        // After kept was compared, and before it is linked into the new tree: its mtime moves.
        if (rounds++ === 0) utimesSync(join(out, 'a', 'kept'), new Date(0), new Date(0));
      },
    };
    assert.deepEqual(await writeOutput(out, artifacts), { files: 2, unchanged: false });
    assert.equal(rounds, 2);
    // Compared again, kept was the same file still: linked, with the mtime it has now.
    assert.equal(lstatSync(join(out, 'a', 'kept')).ino, keptIno);
    assert.equal(lstatSync(join(out, 'a', 'kept')).mtimeMs, 0);
    assert.equal(readFileSync(join(out, 'a', 'b'), 'utf8'), 'two\n');
    assert.deepEqual(leftovers(), []);
  });

  it('a writer that keeps changing the output while compile compares: after three rounds each file is linked or written as it comes', async () => {
    const out = join(parent, `o${n++}`);
    await writeOutput(out, [{ path: 'a/kept', content: 'k\n' }, { path: 'a/b', content: 'one\n' }]);
    let rounds = 0;
    const artifacts = {
      *[Symbol.iterator]() {
        yield { path: 'a/kept', content: 'k\n' };
        yield { path: 'a/b', content: 'two\n' };
        rounds++;
        utimesSync(join(out, 'a', 'kept'), new Date(rounds * 1000), new Date(rounds * 1000));
      },
    };
    assert.deepEqual(await writeOutput(out, artifacts), { files: 2, unchanged: false });
    assert.equal(rounds, 4);
    assert.deepEqual(fingerprint(out), fingerprint(await (async () => {
      const fresh = join(parent, `fresh-writer${n}`);
      await writeOutput(fresh, [{ path: 'a/kept', content: 'k\n' }, { path: 'a/b', content: 'two\n' }]);
      return fresh;
    })()));
    assert.deepEqual(leftovers(), []);
  });
});


/** A project directory as an operator has one: the topology, notes, a key, a .git. */
function project(root: string): string {
  const proj = join(root, 'proj');
  mkdirSync(join(proj, 'keys'), { recursive: true });
  mkdirSync(join(proj, '.git'));
  copyFileSync(join(ROOT, 'fixtures', 'lab.yaml'), join(proj, 'lab.yaml'));
  writeFileSync(join(proj, 'NOTES.md'), 'notes\n');
  writeFileSync(join(proj, 'keys', 'corosync.key'), 'key');
  writeFileSync(join(proj, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return proj;
}

describe('compile -o never destroys what hactl did not make (real directories)', () => {
  const root = mkdtempSync('/tmp/hactl-safe-output-');
  after(() => rmSync(root, { recursive: true, force: true }));
  let n = 0;
  /** A fresh project per case, so one case cannot hide another's damage. */
  const fresh = () => {
    const dir = join(root, `c${n++}`);
    mkdirSync(dir);
    return project(dir);
  };

  const refused = (r: ReturnType<typeof hactl>, code: string) => {
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`error ${code}: `));
    assert.match(r.stderr, /\n  hint: /);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at .*\.[cm]?js:\d+/);
  };

  it('a non-empty directory hactl did not make: refused, its files kept; --force replaces it', () => {
    const proj = fresh();
    const before = fingerprint(proj);
    const r = hactl(['compile', 'lab.yaml', '-o', 'keys'], { cwd: proj });
    refused(r, 'HA4002');
    assert.match(r.stderr, /-o keys-new/);
    assert.match(r.stderr, /--force/);
    assert.deepEqual(fingerprint(proj), before);
    const f = hactl(['compile', 'lab.yaml', '-o', 'keys', '--force'], { cwd: proj });
    assert.equal(f.code, 0, f.stderr);
    assert.ok(existsSync(join(proj, 'keys', 'clusters', 'lab', 'cib.xml')));
    assert.ok(!existsSync(join(proj, 'keys', 'corosync.key')));
  });

  for (const [label, out] of [
    ['.', '.'],
    ['./', './'],
    ['sub/..', 'keys/..'],
  ] as const) {
    it(`the current directory (${label}): refused, even with --force`, () => {
      const proj = fresh();
      const before = fingerprint(proj);
      for (const force of [[], ['--force']]) {
        const r = hactl(['compile', 'lab.yaml', '-o', out, ...force], { cwd: proj });
        refused(r, 'HA4003');
        assert.match(r.stderr, /is the current directory/);
      }
      assert.deepEqual(fingerprint(proj), before);
    });
  }

  it('an empty path (an unset $OUT): refused', () => {
    const proj = fresh();
    const before = fingerprint(proj);
    refused(hactl(['compile', 'lab.yaml', '-o', ''], { cwd: proj }), 'HA4006');
    assert.deepEqual(fingerprint(proj), before);
  });

  it('an ancestor of the current directory: refused, even with --force', () => {
    const proj = fresh();
    const inner = join(proj, 'keys');
    const before = fingerprint(proj);
    for (const force of [[], ['--force']]) {
      const r = hactl(['compile', '../lab.yaml', '-o', '..', ...force], { cwd: inner });
      refused(r, 'HA4003');
      assert.match(r.stderr, /a directory that holds the current directory/);
    }
    assert.deepEqual(fingerprint(proj), before);
  });

  it("the topology's own directory and the topology file: refused, even with --force", () => {
    const proj = fresh();
    const before = fingerprint(proj);
    for (const force of [[], ['--force']]) {
      const dir = hactl(['compile', join(proj, 'lab.yaml'), '-o', proj, ...force], { cwd: root });
      refused(dir, 'HA4003');
      assert.match(dir.stderr, /a directory that holds the topology/);
      const file = hactl(['compile', join(proj, 'lab.yaml'), '-o', join(proj, 'lab.yaml'), ...force], { cwd: root });
      refused(file, 'HA4003');
      assert.match(file.stderr, /is the topology;/);
    }
    assert.deepEqual(fingerprint(proj), before);
  });

  it('a regular file: refused, even with --force', () => {
    const proj = fresh();
    const before = fingerprint(proj);
    for (const force of [[], ['--force']]) refused(hactl(['compile', 'lab.yaml', '-o', 'NOTES.md', ...force], { cwd: proj }), 'HA4005');
    assert.deepEqual(fingerprint(proj), before);
  });

  it('a symbolic link (to a foreign or to a hactl directory): refused, even with --force; the link and its target stay', () => {
    const proj = fresh();
    symlinkSync('keys', join(proj, 'out-link'));
    assert.equal(hactl(['compile', 'lab.yaml', '-o', 'made'], { cwd: proj }).code, 0);
    symlinkSync('made', join(proj, 'made-link'));
    const before = fingerprint(proj);
    for (const link of ['out-link', 'made-link']) {
      for (const force of [[], ['--force']]) refused(hactl(['compile', 'lab.yaml', '-o', link, ...force], { cwd: proj }), 'HA4004');
      assert.ok(lstatSync(join(proj, link)).isSymbolicLink());
    }
    assert.deepEqual(fingerprint(proj), before);
  });

  it('a symbolically linked parent is judged at its real place: a link back to the project cannot reach it', () => {
    const proj = fresh();
    const base = dirname(proj);
    symlinkSync(base, join(proj, 'up'));
    const before = fingerprint(proj);
    const r = hactl(['compile', 'lab.yaml', '-o', 'up/proj', '--force'], { cwd: proj });
    refused(r, 'HA4003');
    assert.deepEqual(fingerprint(proj), before);
    // Through the same link to a new name: written at the link's target, the link kept.
    const ok = hactl(['compile', 'lab.yaml', '-o', 'up/elsewhere'], { cwd: proj });
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(existsSync(join(base, 'elsewhere', 'clusters', 'lab', 'cib.xml')));
    assert.ok(lstatSync(join(proj, 'up')).isSymbolicLink());
  });

  it('an empty directory is used; a previous hactl output is replaced whole (also one of before the marker, by its manifest)', () => {
    const proj = fresh();
    mkdirSync(join(proj, 'empty'));
    assert.equal(hactl(['compile', 'lab.yaml', '-o', 'empty'], { cwd: proj }).code, 0);
    writeFileSync(join(proj, 'empty', 'stale'), 'from an older topology');
    const again = hactl(['compile', 'lab.yaml', '-o', 'empty'], { cwd: proj });
    assert.equal(again.code, 0, again.stderr);
    assert.ok(!existsSync(join(proj, 'empty', 'stale')));
    assert.equal(statSync(join(proj, 'empty')).mode & 0o777, 0o755);
    // An output written before the marker existed: recognised by hactl's manifest stamp.
    rmSync(join(proj, 'empty', '.hactl-output'));
    writeFileSync(join(proj, 'empty', 'stale'), 'x');
    assert.equal(hactl(['compile', 'lab.yaml', '-o', 'empty'], { cwd: proj }).code, 0);
    assert.ok(!existsSync(join(proj, 'empty', 'stale')));
    // A marker with other content is not hactl's.
    writeFileSync(join(proj, 'empty', '.hactl-output'), 'forged');
    rmSync(join(proj, 'empty', 'manifest.json'));
    refused(hactl(['compile', 'lab.yaml', '-o', 'empty'], { cwd: proj }), 'HA4002');
  });

  it('a path through a file (EEXIST/ENOTDIR) is a catalogued error, exit 2, not a stack trace', () => {
    const proj = fresh();
    const r = hactl(['compile', 'lab.yaml', '-o', 'NOTES.md/sub'], { cwd: proj });
    refused(r, 'HA4001');
    assert.match(r.stderr, /a part of the path is a file/);
  });

  it("a crashed run's staging debris is cleared only when it carries hactl's marker and its run is gone", () => {
    const proj = fresh();
    const dead = 2 ** 22 + 12345; // above Linux's default pid_max: no such process
    const marked = join(proj, `.out.tmp-${dead}-AbCdEf`);
    const markedOld = `${marked}.old`;
    const foreign = join(proj, `.out.tmp-${dead}-XyZzYx`);
    const alive = join(proj, `.out.tmp-${process.pid}-LiVeLy`);
    for (const d of [marked, markedOld, foreign, alive]) mkdirSync(d);
    const marker = markerText();
    for (const d of [marked, markedOld, alive]) writeFileSync(join(d, '.hactl-output'), marker);
    writeFileSync(join(foreign, 'mine'), 'not hactl');
    const r = hactl(['compile', 'lab.yaml', '-o', 'out'], { cwd: proj });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!existsSync(marked) && !existsSync(markedOld));
    assert.ok(existsSync(join(foreign, 'mine')));
    assert.ok(existsSync(alive));
  });

  it('concurrent compiles to the same directory all succeed; the last one wins, nothing is left over', async () => {
    // Processes, as operators' runs are: each writes synchronously, so runs inside one process
    // could never meet between a look and a rename. Six writers, 25 outputs each, into one path;
    // each output has directories and a file that are the same in every writer's (taken whole, or
    // linked, from whichever output is there) and a directory and a file that are not.
    const proj = fresh();
    const out = join(proj, 'out');
    const writer = [
      `import { writeOutput } from ${JSON.stringify(join(ROOT, 'src', 'compile', 'output.ts'))};`,
      'const [out, id] = process.argv.slice(1);',
      'for (let i = 0; i < 25; i++) {',
      "  const same = [0, 1, 2].flatMap((d) => [0, 1].map((f) => ({ path: `s${d}/etc/x${f}`, content: `${d}.${f}\\n` })));",
      "  await writeOutput(out, [{ path: 'run', content: `${id}.${i}\\n` }, { path: 'const', content: 'c\\n' }, { path: 'd/e/f', content: id }, ...same]);",
      '}',
    ].join('\n');
    const runs = ['a', 'b', 'c', 'd', 'e', 'f'].map(
      (id) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', writer, out, id], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => done({ code, stderr }));
        }),
    );
    for (const r of await Promise.all(runs)) assert.equal(r.code, 0, r.stderr);
    const [id, i] = readFileSync(join(out, 'run'), 'utf8').trim().split('.');
    assert.ok(['a', 'b', 'c', 'd', 'e', 'f'].includes(id!) && i === '24', `the last write of a run is in place, not ${id}.${i}`);
    assert.equal(readFileSync(join(out, 'd', 'e', 'f'), 'utf8'), id, 'the output is one run\'s whole');
    assert.deepEqual(readdirSync(out).sort(), ['.hactl-output', 'const', 'd', 'run', 's0', 's1', 's2']);
    assert.equal(Object.keys(fingerprint(out)).length, 10);
    assert.deepEqual(readdirSync(proj).filter((e) => e.startsWith('.out')), []);
  });
});

/** The marker's exact text, as a previous compile leaves it. */
function markerText(): string {
  const dir = mkdtempSync('/tmp/hactl-marker-');
  try {
    assert.equal(hactl(['compile', 'fixtures/lab.yaml', '-o', join(dir, 'o'), '--format', 'cib']).code, 0);
    return readFileSync(join(dir, 'o', '.hactl-output'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
