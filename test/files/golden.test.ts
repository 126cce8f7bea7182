import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { OUTPUT_MARKER } from '../../src/util/local-write.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { expectGoldenTree, expectNoStaleGoldens, readTree } from '../helpers/golden.js';
import { FIXTURES, loadModel } from './helpers.js';

const GOLDEN = join(ROOT, 'fixtures', 'golden-nodes');
/** The artifacts of a compile output directory (without compile's record of its output). */
function outputTree(dir: string): Map<string, string> {
  const tree = readTree(dir);
  tree.delete(OUTPUT_MARKER);
  return tree;
}

for (const name of FIXTURES) {
  test(`${name}: the node files match the golden tree fixtures/golden-nodes/${name}`, () => {
    expectGoldenTree(join(GOLDEN, name), emitNodeFiles(loadModel(name)));
  });
}

test('every golden tree under fixtures/golden-nodes belongs to a fixture', () => expectNoStaleGoldens(GOLDEN));

test('compiling twice through the CLI gives byte-identical trees, equal to the golden tree', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hactl-files-'));
  try {
    for (const name of FIXTURES) {
      const trees: Map<string, string>[] = [];
      for (const run of ['a', 'b']) {
        const out = join(tmp, `${name}-${run}`);
        const r = await hactlIn(['compile', `fixtures/${name}.yaml`, '-o', out, '--format', 'files']);
        assert.equal(r.code, 0, r.stderr);
        trees.push(outputTree(out));
      }
      assert.deepEqual(trees[0], trees[1], `${name}: two compiles differ`);
      assert.deepEqual(trees[0], readTree(join(GOLDEN, name)), `${name}: the CLI's tree differs from the golden tree`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('out/ holds no secret value: compiling with every secret set gives the same tree', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'hactl-files-'));
  try {
    const env = {
      HACTL_KEYSTONE_DB: 'ks-db-Pa55-1a2b',
      HACTL_GLANCE_DB: 'gl-db-Pa55-3c4d',
      HACTL_GLANCE_KEYSTONE: 'gl-ks-Pa55-5e6f',
      HACTL_NOVA_DB: 'nv-db-Pa55-7a8b',
      HACTL_NOVA_KEYSTONE: 'nv-ks-Pa55-9c0d',
      HACTL_CINDER_DB: 'cn-db-Pa55-1e2f',
      HACTL_CINDER_KEYSTONE: 'cn-ks-Pa55-3a4b',
      HACTL_NETWORKING_DB: 'nw-db-Pa55-5c6d',
      HACTL_NETWORKING_KEYSTONE: 'nw-ks-Pa55-7e8f',
      HACTL_METADATA_PROXY: 'md-px-Pa55-9a0b',
      HACTL_HORIZON_DB: 'hz-db-Pa55-1c2d',
      HACTL_RABBIT_PASSWORD: 'rabbit-Pa55-9e1d',
      HACTL_KEYSTONE_TOKEN: 'token-4c2a9b',
      HACTL_IPMI_PASSWORD: 'ipmi-77aa01',
    };
    const out = join(tmp, 'out');
    const r = await hactlIn(['compile', 'fixtures/pixelpark.yaml', '-o', out, '--format', 'files'], { env });
    assert.equal(r.code, 0, r.stderr);
    const tree = outputTree(out);
    for (const [path, content] of tree) for (const v of Object.values(env)) assert.ok(!content.includes(v), `${path} contains a secret value`);
    assert.deepEqual(tree, readTree(join(GOLDEN, 'pixelpark')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('hactl schema --name manifest prints the manifest schema', async () => {
  const r = await hactlIn(['schema', '--name', 'manifest']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { $id: string }).$id, 'https://hactl.dev/schemas/manifest.schema.json');
});
