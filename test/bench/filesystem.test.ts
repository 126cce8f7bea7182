/**
 * The bench names the filesystem its outputs go to (bench/filesystem.mjs, from statfs and /sys);
 * checked here against another witness, the kernel's mount table.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { filesystemOf } from '../../bench/filesystem.mjs';

/** The mount-table entry (source, type) of the mount that holds path: the longest matching mount point. */
function mountOf(path: string): { source: string; type: string } {
  const real = realpathSync(path);
  let best = { point: '', source: '', type: '' };
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [source, point, type] = line.split(' ');
    if (!source || !point || !type) continue;
    const inside = point === '/' || real === point || real.startsWith(`${point}/`);
    if (inside && point.length >= best.point.length) best = { point, source, type };
  }
  return best;
}

test('the filesystem of the temporary directory, /dev/shm and /proc is what the mount table says', () => {
  for (const dir of [tmpdir(), '/dev/shm', '/proc'].filter((d) => existsSync(d))) {
    const fs = filesystemOf(dir);
    const m = mountOf(dir);
    const expected = m.type === 'tmpfs' ? 'tmpfs' : m.type === 'ext4' ? 'ext4' : 'other';
    assert.equal(fs.kind, expected, `${dir}: ${JSON.stringify(fs)} against ${JSON.stringify(m)}`);
    if (fs.kind === 'ext4' && m.source.startsWith('/dev/')) {
      assert.equal(fs.device, realpathSync(m.source).slice('/dev/'.length), dir);
      // journal_task names the journal's thread (a number) or says <none>; both are an answer.
      assert.equal(typeof fs.journal, 'boolean', dir);
    }
  }
  assert.equal(filesystemOf('/proc').kind, 'other');
});
