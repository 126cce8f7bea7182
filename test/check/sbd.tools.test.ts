/**
 * The rehearsal of SBD clusters through the real crm_simulate: watchdog-only SBD needs no fence
 * device (the lost member resets itself, the quorate rest waits stonith-watchdog-timeout), disk-based
 * SBD fences through fence_sbd from a survivor.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execaRunner } from '../../src/check/index.js';
import { rehearsalCib, rehearse } from '../../src/check/rehearsal.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);
const FILE = 'test/compile/fixtures/sbd.yaml';

test('SBD rehearsal: watchdog fencing with quorum, fence_sbd from a survivor, every service recovers', { skip }, async () => {
  const r = loadTopology(readFileSync(join(ROOT, FILE), 'utf8'), FILE);
  assert.ok(r.ok && r.model);
  // The scheduler starts nothing under watchdog-only SBD unless the controller said sbd runs.
  const apps = r.model.clusters.find((c) => c.name === 'apps')!;
  assert.match(JSON.stringify(rehearsalCib(apps)), /"name":"have-watchdog","value":"true"/);
  assert.doesNotMatch(JSON.stringify(rehearsalCib(r.model.clusters.find((c) => c.name === 'files')!)), /have-watchdog/);

  const report = await rehearse(r.model, execaRunner());
  assert.deepEqual(report.findings.map((d) => `${d.code} ${d.pointer}`), []);
  const by = (cluster: string) => new Map(report.clusters.find((c) => c.cluster === cluster)!.scenarios.map((s) => [s.failed.join('+'), s]));

  const app1 = by('apps').get('app1')!;
  assert.deepEqual(app1.fencing, [{ node: 'app1', required: true, possible: true, devices: ['watchdog'] }]);
  assert.ok(app1.services.every((s) => s.up));
  // Two of three lost: no quorum, nothing fences and nothing runs (sbd resets the survivor too).
  const two = by('apps').get('app1+app2')!;
  assert.equal(two.quorum, false);
  assert.ok(two.fencing.every((f) => !f.required));

  const fs1 = by('files').get('fs1')!;
  assert.deepEqual(fs1.fencing, [{ node: 'fs1', required: true, possible: true, devices: ['st_sbd'] }]);
  const db1 = by('postgres').get('db1')!;
  assert.deepEqual(db1.fencing.map((f) => [f.possible, f.devices]), [[true, ['st_db1', 'st_sbd']]]);
});
