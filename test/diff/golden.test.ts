/**
 * The diff's output, text and JSON, for a saved pair of CIBs with one change of each kind a reviewer
 * meets (properties, a removed clone, a parameter, an op spelled differently, a secret, an added
 * constraint, an operator's constraint and node attribute, cluster noise). The expected output is
 * committed in test/diff/golden/; HACTL_UPDATE_GOLDEN=1 rewrites it (then read the git diff).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { expectGolden, expectNoStaleGoldens } from '../helpers/golden.js';

const DIR = join(ROOT, 'test', 'diff', 'golden');
const INPUTS = ['from.xml', 'live.xml'];
const golden = (name: string, actual: string): void => expectGolden(join(DIR, name), actual);

describe('hactl diff output (golden)', () => {
  const args = ['diff', '--from', 'test/diff/golden/from.xml', '--live', 'test/diff/golden/live.xml'];

  it('text', async () => {
    const r = await hactlIn(args);
    assert.equal(r.code, 1, r.stderr);
    golden('drift.txt', r.stdout);
    assert.doesNotMatch(r.stdout, /old-secret|new-secret/);
  });

  it('JSON', async () => {
    const r = await hactlIn([...args, '--json']);
    assert.equal(r.code, 1, r.stderr);
    golden('drift.json', r.stdout);
    assert.doesNotMatch(r.stdout, /old-secret|new-secret/);
  });
});

it('test/diff/golden holds the two inputs and the goldens above, nothing else', () => expectNoStaleGoldens(DIR, (p) => INPUTS.includes(p)));
