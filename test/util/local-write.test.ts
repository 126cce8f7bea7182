/**
 * Files hactl writes on the operator's machine (keygen, saved files): the shared safe write, on
 * real files and folders.
 */
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { LocalWriteError, writeFileSafely } from '../../src/util/local-write.js';
import { hactl } from '../helpers/cli.js';

const dir = mkdtempSync('/tmp/hactl-local-write-');
after(() => rmSync(dir, { recursive: true, force: true }));

const refusedWith = (code: string) => (e: unknown) => e instanceof LocalWriteError && e.diagnostic.code === code && !!e.diagnostic.hint;

describe('writeFileSafely', () => {
  it('writes a new file with its mode and leaves no temporary file', async () => {
    const f = join(dir, 'plan.txt');
    await writeFileSafely(f, 'one\n', { mode: 0o640 });
    assert.equal(readFileSync(f, 'utf8'), 'one\n');
    assert.equal(statSync(f).mode & 0o777, 0o640);
    assert.deepEqual(readdirSync(dir).filter((n) => n.includes('hactl-tmp')), []);
  });

  it('refuses to overwrite without force (HA4008); replaces with force', async () => {
    const f = join(dir, 'report.html');
    writeFileSync(f, 'mine');
    await assert.rejects(writeFileSafely(f, 'theirs'), refusedWith('HA4008'));
    assert.equal(readFileSync(f, 'utf8'), 'mine');
    await writeFileSafely(f, 'new', { force: true });
    assert.equal(readFileSync(f, 'utf8'), 'new');
  });

  it('never writes through or over a link, a directory or into a missing folder, even with force', async () => {
    const target = join(dir, 'elsewhere');
    writeFileSync(target, 'precious');
    const link = join(dir, 'link');
    symlinkSync(target, link);
    mkdirSync(join(dir, 'adir'));
    for (const force of [false, true]) {
      await assert.rejects(writeFileSafely(link, 'x', { force }), refusedWith('HA4004'));
      await assert.rejects(writeFileSafely(join(dir, 'adir'), 'x', { force }), refusedWith('HA4005'));
      await assert.rejects(writeFileSafely(join(dir, 'missing', 'f'), 'x', { force }), refusedWith('HA4007'));
    }
    assert.equal(readFileSync(target, 'utf8'), 'precious');
    assert.equal(readlinkSync(link), target);
    assert.ok(!existsSync(join(dir, 'missing')));
  });

  it('a path through a file is a catalogued error, not a raw ENOTDIR', async () => {
    writeFileSync(join(dir, 'afile'), '');
    await assert.rejects(writeFileSafely(join(dir, 'afile', 'sub'), 'x'), refusedWith('HA4001'));
  });
});

describe('hactl keygen writes through it', () => {
  it('into a missing folder: exit 2, a catalogued error with a hint to create the folder', () => {
    const r = hactl(['keygen', 'keys/corosync.key'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    // keygen's own code for the shared HA4007: it says what a key needs.
    assert.match(r.stderr, /error HA5603: cannot write the key to keys\/corosync\.key: directory keys does not exist\n  hint: create it first \(mkdir -p keys\)/);
    assert.doesNotMatch(r.stderr, /ENOENT|\n\s+at .*\.[cm]?js:\d+/);
  });

  it('onto a link or a directory: refused, even with --force; the link target is untouched', () => {
    writeFileSync(join(dir, 'real.key'), 'old key');
    symlinkSync('real.key', join(dir, 'link.key'));
    mkdirSync(join(dir, 'keydir'));
    for (const force of [[], ['--force']]) {
      const l = hactl(['keygen', 'link.key', ...force], { cwd: dir });
      assert.equal(l.code, 2, l.stderr);
      assert.match(l.stderr, /HA4004/);
      const d = hactl(['keygen', 'keydir', ...force], { cwd: dir });
      assert.equal(d.code, 2, d.stderr);
      assert.match(d.stderr, /HA4005/);
    }
    assert.ok(lstatSync(join(dir, 'link.key')).isSymbolicLink());
    assert.equal(readFileSync(join(dir, 'real.key'), 'utf8'), 'old key');
  });
});
