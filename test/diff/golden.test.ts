/**
 * The diff's output, text and JSON, for a saved pair of CIBs with one change of each kind a reviewer
 * meets (properties, a removed clone, a parameter, an op spelled differently, a secret, an added
 * constraint, an operator's constraint and node attribute, cluster noise). The expected output is
 * committed in test/diff/golden/; HACTL_UPDATE_GOLDEN=1 rewrites it (then read the git diff).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hactl, ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'test', 'diff', 'golden');
const update = process.env.HACTL_UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = join(DIR, name);
  if (update) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (HACTL_UPDATE_GOLDEN=1 rewrites it)`);
}

describe('hactl diff output (golden)', () => {
  const args = ['diff', '--from', 'test/diff/golden/from.xml', '--live', 'test/diff/golden/live.xml'];

  it('text', async () => {
    const r = await hactl(args);
    assert.equal(r.code, 1, r.stderr);
    golden('drift.txt', r.stdout);
    assert.doesNotMatch(r.stdout, /old-secret|new-secret/);
  });

  it('JSON', async () => {
    const r = await hactl([...args, '--json']);
    assert.equal(r.code, 1, r.stderr);
    golden('drift.json', r.stdout);
    assert.doesNotMatch(r.stdout, /old-secret|new-secret/);
  });
});
