/** Every test file is in exactly one tier, and `npm test` runs all three (test/tiers.ts). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/spawn.js';
import { LONGEST_FIRST, shards, tierOf, testFiles, TIERS } from './tiers.js';

const files = testFiles();

test('a test file names its tier with a known word or none (unit)', () => {
  const odd = files.filter((f) => /\.([^./]+)\.test\.ts$/.exec(f) && tierOf(f) === 'unit');
  assert.deepEqual(odd, [], 'only *.tools.test.ts and *.cluster.test.ts name a tier; anything else is unit by mistake');
});

test('a file that brings up a test cluster is a cluster file; one that needs tools is not a unit file', () => {
  for (const f of files) {
    const text = readFileSync(join(ROOT, f), 'utf8');
    if (/testbedSkip\(|testbed\/testbed\.js'/.test(text)) assert.equal(tierOf(f), 'cluster', `${f} uses the test cluster`);
    if (/needTools\(/.test(text)) assert.notEqual(tierOf(f), 'unit', `${f} needs tools`);
  }
});

test('each tier has an npm script, and npm test builds, type-checks src and test/, and runs every tier', () => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  for (const tier of TIERS) {
    assert.equal(scripts[`test:${tier}`], `node --import tsx test/tiers.ts ${tier}`);
    assert.ok(files.some((f) => tierOf(f) === tier), `no ${tier} test`);
  }
  assert.equal(scripts.test, 'npm run build && npm run typecheck && npm run test:unit && npm run test:tools && npm run test:cluster');
  assert.match(scripts.typecheck ?? '', /tsconfig\.json .*tsconfig\.test\.json/);
});

test('the files started first are unit files that exist', () => {
  for (const f of LONGEST_FIRST) {
    assert.ok(files.includes(f), `${f} is not a test file`);
    assert.equal(tierOf(f), 'unit', f);
  }
});

test('the unit shards hold every unit file once, the longest ones spread, and differ by at most one long file', () => {
  const unit = files.filter((f) => tierOf(f) === 'unit');
  for (const n of [1, 2, 3, 8]) {
    const groups = shards(unit, n);
    assert.equal(groups.length, Math.min(n, unit.length));
    assert.deepEqual(groups.flat().sort(), [...unit].sort(), `${n} shards`);
    const work = groups.map((g) => g.reduce((w, f) => w + (LONGEST_FIRST.includes(f) ? 5 : 1), 0));
    assert.ok(Math.max(...work) - Math.min(...work) <= 5, `${n} shards: ${work.join(' ')}`);
  }
  const two = shards(unit, 2);
  assert.ok(two.every((g) => g.some((f) => LONGEST_FIRST.includes(f))), 'both shards get long files');
});
