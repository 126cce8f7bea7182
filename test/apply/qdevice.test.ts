/** The certificate steps of a quorum device in apply's plan. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatPlan } from '../../src/apply/format.js';
import { isEmpty, type Plan } from '../../src/apply/plan.js';
import { qdeviceCertSteps } from '../../src/apply/qdevice.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

const FILE = 'test/compile/fixtures/qdevice.yaml';

function clusters(edit: (s: string) => string = (s) => s) {
  const r = loadTopology(edit(readFileSync(join(ROOT, FILE), 'utf8')), FILE);
  assert.ok(r.ok && r.model);
  return r.model.topology.clusters;
}

test('the steps: CA on the qnetd host and every member, one request signed for the cluster, its bundle on the others', () => {
  const steps = qdeviceCertSteps(clusters().apps!);
  assert.deepEqual(
    steps.map((s) => `${s.node}: ${s.command}${s.carry ? ` -> ${s.carry.path} to ${s.carry.to.join(',')}` : ''}`),
    [
      'arbiter: corosync-qnetd-certutil -i -> /etc/corosync/qnetd/nssdb/qnetd-cacert.crt to app1,app2,app3,app4',
      'app1: corosync-qdevice-net-certutil -i -c qnetd-cacert.crt',
      'app2: corosync-qdevice-net-certutil -i -c qnetd-cacert.crt',
      'app3: corosync-qdevice-net-certutil -i -c qnetd-cacert.crt',
      'app4: corosync-qdevice-net-certutil -i -c qnetd-cacert.crt',
      'app1: corosync-qdevice-net-certutil -r -n apps -> /etc/corosync/qdevice/net/nssdb/qdevice-net-node.crq to arbiter',
      'arbiter: corosync-qnetd-certutil -s -c qdevice-net-node.crq -n apps -> /etc/corosync/qnetd/nssdb/cluster-apps.crt to app1',
      'app1: corosync-qdevice-net-certutil -M -c cluster-apps.crt -> /etc/corosync/qdevice/net/nssdb/qdevice-net-node.p12 to app2,app3,app4',
      'app2: corosync-qdevice-net-certutil -m -c qdevice-net-node.p12',
      'app3: corosync-qdevice-net-certutil -m -c qdevice-net-node.p12',
      'app4: corosync-qdevice-net-certutil -m -c qdevice-net-node.p12',
    ],
  );
  assert.deepEqual(qdeviceCertSteps(clusters((s) => s.replaceAll('{ host: arbiter,', '{ host: arbiter, tls: "off",')).apps!), []);
});

test('a plan with pending certificate steps is not empty and shows them in order', () => {
  const c = clusters().postgres!;
  const plan: Plan = { topology: 'qdevice-test', nodes: ['db1', 'db2'], files: [], nodeActions: [], units: [], corosync: [], cib: [], resources: [], impact: [], qdevice: [{ cluster: 'postgres', host: 'arbiter', steps: qdeviceCertSteps(c) }] };
  assert.equal(isEmpty(plan), false);
  const text = formatPlan(plan).map((l) => l.text);
  const at = text.findIndex((l) => l.startsWith('quorum device of cluster postgres: no certificate signed for it on arbiter yet'));
  assert.ok(at > 0, text.join('\n'));
  assert.deepEqual(text.slice(at + 1, at + 4), [
    "  arbiter: corosync-qnetd-certutil -i  (only where /etc/corosync/qnetd/nssdb is missing (Debian's package creates it))",
    '      then copy arbiter:/etc/corosync/qnetd/nssdb/qnetd-cacert.crt to db1, db2',
    '  db1: corosync-qdevice-net-certutil -i -c qnetd-cacert.crt',
  ]);
  assert.equal(isEmpty({ ...plan, qdevice: [] }), true);
});
