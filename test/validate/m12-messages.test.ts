/**
 * The rest of security review m12 (misleading messages), each as the operator meets it: a cluster
 * named like an Object.prototype key is an unknown cluster, not "cluster undefined ... target
 * missing"; an absurd failure rate gives an availability between 0 and 100%, never -1.67e+300%.
 * (Lone CR line ends and nesting too deep for the parser: test/parse/source.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { estimateAvailability } from '../../src/check/availability.js';
import { loadTopology } from '../../src/load.js';
import { hactl, ROOT } from '../helpers/cli.js';

test('diff --cluster __proto__ names the cluster and the clusters there are (HA5101)', () => {
  for (const name of ['__proto__', 'constructor']) {
    const r = hactl(['diff', 'fixtures/lab.yaml', '--cluster', name, '--live', '/dev/null']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`HA5101: cluster "${name}" is not in the topology`));
    assert.match(r.stderr, /clusters of this topology: lab/);
    assert.doesNotMatch(r.stderr, /undefined|compile target is missing/);
  }
});

test('a failure rate of once every 1e-300 hours gives an availability of 0%, not a negative one', () => {
  const text = readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8').replace(/^sla: 99\.9$/m, 'sla: 99.9\navailability:\n  node: { mtbf_hours: 1e-300, mttr_hours: 4 }');
  const r = loadTopology(text, 'lab.yaml');
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.message).join('\n'));
  const report = estimateAvailability(r.model);
  assert.ok(report.paths.length > 0);
  for (const p of report.paths) assert.ok(p.availability >= 0 && p.availability <= 100, `${p.availability}`);
});
