import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hactlIn } from '../helpers/cli.js';
import { entries, fingerprint } from '../helpers/tree.js';

// A directory with the immutable flag cannot be renamed, even by root: the one way to make a move
// of the previous output's directories fail part way, after others were moved.
const parent = mkdtempSync('/tmp/hactl-output-rollback-');
const chattr = (flag: string, path: string) => spawnSync('chattr', [flag, path], { encoding: 'utf8' });
const probe = join(parent, 'probe');
writeFileSync(probe, '');
const immutable = chattr('+i', probe).status === 0;
chattr('-i', probe);
const skip = immutable ? false : `chattr +i does not work here (not root, or ${parent} is on a filesystem without the flag)`;

describe('a recompile that cannot move a directory of the previous output puts everything back', { skip }, () => {
  const out = join(parent, 'out');
  after(() => {
    chattr('-i', join(out, 'nodes'));
    rmSync(parent, { recursive: true, force: true });
  });

  it('moved directories go back, the previous output is as it was (same inodes), HA4001, nothing left over', async () => {
    assert.equal((await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out])).code, 0);
    // Another public VIP changes clusters/controllers only: clusters/network and nodes are taken
    // whole, in that order; nodes cannot be.
    const moved = join(parent, 'vip.yaml');
    writeFileSync(moved, readFileSync('fixtures/pixelpark.yaml', 'utf8').replace('address: 203.0.113.10 }', 'address: 203.0.113.100 }'));
    const before = entries(out);
    const bytes = fingerprint(out);
    assert.equal(chattr('+i', join(out, 'nodes')).status, 0);
    const r = await hactlIn(['compile', moved, '-o', out]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /error HA4001: cannot write .*out: EPERM/);
    // Moving out and back leaves one trace: the mtime of the directories they were moved from.
    const settled = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).map(([p, e]) => [p, e.startsWith('4', e.indexOf(' ') + 1) ? e.replace(/ \S+$/, '') : e]));
    assert.deepEqual(settled(entries(out)), settled(before));
    assert.deepEqual(fingerprint(out), bytes);
    assert.deepEqual(readdirSync(parent).sort(), ['out', 'probe', 'vip.yaml']);
    // Once the flag is gone the same compile goes through.
    chattr('-i', join(out, 'nodes'));
    const again = await hactlIn(['compile', moved, '-o', out]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(entries(out)['nodes'], before['nodes']);
  });
});
