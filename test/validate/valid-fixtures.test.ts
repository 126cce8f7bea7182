/**
 * Topologies that must validate cleanly: exit 0 and not a single warning. The reference
 * deployment and the two topologies the compile goldens use, plus fixtures/valid/*.yaml.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';

const files = [
  'fixtures/pixelpark.yaml',
  'fixtures/havana.yaml',
  'fixtures/three-controllers.yaml',
  ...readdirSync(join(ROOT, 'fixtures', 'valid'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => `fixtures/valid/${f}`),
];

for (const file of files) {
  test(`${file} validates with no diagnostics`, async () => {
    const r = await hactlIn(['validate', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `ok ${file}\n`);
    const j = await hactlIn(['validate', '--json', file]);
    assert.deepEqual(JSON.parse(j.stdout), { file, ok: true, diagnostics: [] });
  });
}

test('there are valid fixtures for the plain, remote-node and SSH cases', () => {
  for (const f of ['plain-pacemaker', 'remote-nodes', 'ssh-settings']) assert.ok(files.includes(`fixtures/valid/${f}.yaml`), f);
});
