/**
 * The rehearsal of a two-node cluster with a quorum device, through the real crm_simulate: one
 * member fails and the survivor, holding the arbiter's vote, promotes its instance and takes the
 * VIP; the qnetd host fails alone and nothing moves; qnetd and a member fail together and the
 * survivor has no quorum and stops everything (beyond what the design survives: no finding).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { execaRunner } from '../../src/check/index.js';
import { rehearse } from '../../src/check/rehearsal.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);
const FILE = 'test/compile/fixtures/qdevice.yaml';

test('qdevice rehearsal: the survivor keeps quorum with the arbiter, not without it', { skip }, async () => {
  const r = loadTopology(readFileSync(join(ROOT, FILE), 'utf8'), FILE);
  assert.ok(r.ok && r.model);
  const report = await rehearse(r.model, execaRunner());
  const pg = report.clusters.find((c) => c.cluster === 'postgres')!;
  const by = new Map(pg.scenarios.map((s) => [s.failed.join('+'), s]));
  assert.deepEqual([...by.keys()], ['db1', 'db2', 'arbiter', 'arbiter+db1', 'arbiter+db2']);
  const settledPrimary = pg.settled.find((s) => s.service === 'pgsql')!.promoted![0]!;
  const other = settledPrimary === 'db1' ? 'db2' : 'db1';

  const lost = by.get(settledPrimary)!;
  assert.equal(lost.quorum, true);
  assert.equal(lost.survivable, true);
  assert.deepEqual(lost.fenced, [settledPrimary]);
  assert.deepEqual(lost.services.find((s) => s.service === 'pgsql')!.promoted, [other], 'the survivor is promoted');
  assert.ok(lost.services.every((s) => s.up));

  const arbiter = by.get('arbiter')!;
  assert.equal(arbiter.quorum, true);
  assert.deepEqual([arbiter.fenced, arbiter.moved, arbiter.stopped], [[], [], []], 'qnetd alone changes nothing in the cluster');

  const both = by.get(`arbiter+${other}`)!;
  assert.equal(both.quorum, false);
  assert.equal(both.survivable, false);
  assert.ok(both.services.every((s) => !s.up), 'without quorum the survivor stops everything');
  assert.deepEqual(report.findings.filter((d) => d.pointer.startsWith('/clusters/postgres')).map((d) => d.code), []);
});
