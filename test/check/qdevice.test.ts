/** Quorum devices in check's reasoning: votes, the partition qnetd chooses, qnetd's own loss. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkStatic } from '../../src/check/index.js';
import { deviceHolder, deviceVotes, partitions, quorate, quoratePartitions, quorumTolerance, type FailureSet } from '../../src/check/model.js';
import { scenariosOf } from '../../src/check/rehearsal.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

const FILE = 'test/compile/fixtures/qdevice.yaml';

function load(edit: (s: string) => string = (s) => s) {
  const r = loadTopology(edit(readFileSync(join(ROOT, FILE), 'utf8')), FILE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.model;
}

function once(from: string, to: string) {
  return (s: string): string => {
    assert.equal(s.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
    return s.replace(from, to);
  };
}

const fail = (nodes: string[] = [], attachments: string[] = [], networks: string[] = []): FailureSet => ({ nodes: new Set(nodes), networks: new Set(networks), attachments: new Set(attachments) });

test('votes: ffsplit adds one, lms members - 1; tolerance counts the qnetd host as a failure', () => {
  const t = load().topology;
  const pg = t.clusters.postgres!;
  const apps = t.clusters.apps!;
  assert.equal(deviceVotes(pg), 1);
  assert.equal(deviceVotes(apps), 3);
  // Two members and a device: 3 votes, 2 needed. A survivor with the arbiter's vote keeps quorum,
  // without it (no two_node) it does not.
  assert.equal(quorate(pg, 1, true), true);
  assert.equal(quorate(pg, 1, false), false);
  assert.equal(quorate(pg, 2, false), true, 'qnetd down alone: both members are a majority');
  // lms, four members: 7 votes, 4 needed: one member with the device, but not three without it.
  assert.equal(quorate(apps, 1, true), true);
  assert.equal(quorate(apps, 3, false), false);
  assert.equal(quorumTolerance(pg), 1);
  assert.equal(quorumTolerance(apps), 1, 'qnetd and one member down leave 3 of 7 votes');
  const plain = load(once('    qdevice: { host: arbiter, algorithm: lms }\n', '')).topology.clusters.apps!;
  assert.equal(deviceVotes(plain), 0);
  assert.equal(quorate(plain, 2), false, 'four members without a device: a half has no majority');
});

test('a split goes to the partition qnetd sees, the larger one, then the tie-breaker', () => {
  const t = load().topology;
  const pg = t.clusters.postgres!;
  // db2 loses both links: db1 reaches qnetd alone, db2 does not.
  const cut = fail([], ['db2/management', 'db2/ipmi']);
  assert.deepEqual(partitions(t, pg, cut), [['db1'], ['db2']]);
  assert.deepEqual(quoratePartitions(t, pg, cut), [['db1']]);
  const cut1 = fail([], ['db1/management', 'db1/ipmi']);
  assert.deepEqual(quoratePartitions(t, pg, cut1), [['db2']]);
  // The ipmi network fails and db1 loses management: db2 alone reaches the arbiter (on management).
  assert.deepEqual(quoratePartitions(t, pg, fail([], ['db1/management'], ['ipmi'])), [['db2']]);
  // qnetd down and the members split: nobody has a majority.
  assert.deepEqual(quoratePartitions(t, pg, fail(['arbiter'], ['db2/management', 'db2/ipmi'])), []);
  // Four members split 2:2, both halves reaching the arbiter: lowest node id wins by default.
  const apps = t.clusters.apps!;
  const halves = [['app1', 'app2'], ['app3', 'app4']];
  assert.deepEqual(deviceHolder(t, apps, halves, fail()), ['app1', 'app2']);
  const high = load(once('{ host: arbiter, algorithm: lms }', '{ host: arbiter, algorithm: lms, tie_breaker: highest }')).topology;
  assert.deepEqual(deviceHolder(high, high.clusters.apps!, halves, fail()), ['app3', 'app4']);
  const named = load(once('{ host: arbiter, algorithm: lms }', '{ host: arbiter, algorithm: lms, tie_breaker: app4 }')).topology;
  assert.deepEqual(deviceHolder(named, named.clusters.apps!, halves, fail()), ['app3', 'app4']);
  assert.equal(deviceHolder(t, apps, halves, fail(['arbiter'])), undefined);
  assert.deepEqual(deviceHolder(t, apps, [['app1'], ['app2', 'app3', 'app4']], fail()), ['app2', 'app3', 'app4']);
});

test('check: no quorum finding with a device; without it the 4-member cluster is warned, one link with a device is HA6003', () => {
  const codes = (m: ReturnType<typeof load>) => checkStatic(m).findings.filter((d) => d.code === 'HA6003' || d.code === 'HA6004').map((d) => [d.code, d.pointer, d.message]);
  assert.deepEqual(codes(load()), []);
  // One link: with two_node, losing it is a fence race (HA6004); with a quorum device on that
  // same network, neither half reaches the arbiter: the cluster stops (HA6003).
  const single = load(once('    links: [management, ipmi]\n    qdevice: { host: arbiter, algorithm: ffsplit, tie_breaker: db1 }', '    links: [management]\n    qdevice: { host: arbiter, algorithm: ffsplit, tie_breaker: db1 }'));
  const found = codes(single);
  assert.deepEqual(found.map(([c, p]) => [c, p]), [['HA6003', '/clusters/postgres/links/0']]);
  assert.match(String(found[0]![2]), /loses quorum when network management \(corosync link 0\) fails/);
});

test('rehearsal scenarios add the qnetd host alone and with each member', () => {
  const t = load().topology;
  assert.deepEqual(scenariosOf(t.clusters.postgres!), [['db1'], ['db2'], ['arbiter'], ['arbiter', 'db1'], ['arbiter', 'db2']]);
});
