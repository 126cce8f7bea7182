/**
 * The benchmark topologies (bench/generate.mjs) are what `npm run bench` measures, so they must be
 * valid hactl input of the size they claim: every node accounted for, storage nodes with 12 OSDs
 * after merge keys are applied, compute nodes remote nodes of the controller cluster.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generate, nodesFor, shape, SIZES } from '../../bench/generate.mjs';
import { loadTopology } from '../../src/load.js';

for (const size of Object.keys(SIZES)) {
  test(`bench topology ${size} validates with no diagnostic and has the nodes it claims`, () => {
    const n = nodesFor(size);
    const text = generate(n);
    const r = loadTopology(text, `${size}.yaml`);
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code} ${d.pointer}: ${d.message}`),
      [],
    );
    assert.ok(r.ok && r.topology);
    const t = r.topology;
    const s = shape(n);
    const nodes = Object.values(t.nodes);
    assert.equal(nodes.length, n);
    const withRole = (role: string) => nodes.filter((x) => (x.roles as readonly string[]).includes(role));
    assert.equal(withRole('controller').length, s.controllers);
    assert.equal(withRole('network').length, s.network);
    assert.equal(withRole('storage').length, s.storage);
    for (const x of withRole('storage')) assert.equal(x.osds.length, s.osdsPerNode, `${x.name} OSDs`);
    assert.equal(withRole('compute').length, s.compute);
    assert.deepEqual(
      [...t.clusters.controllers!.remoteNodes].sort(),
      withRole('compute')
        .map((x) => x.name)
        .sort(),
    );
  });
}

test('bench topologies are deterministic', () => {
  assert.equal(generate(100), generate(100));
});
