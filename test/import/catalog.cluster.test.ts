/**
 * Catalogue services on a live import (test/testbed instance 5): a cluster applied by hactl from
 * a topology of the current profile (HAProxy carrying the VIP, memcached, Galera; release 2025.1)
 * is imported over SSH with --release. The CIB objects, the nodes' haproxy.cfg, memcached.conf and
 * galera.cnf and the boot-time state of Galera's mariadb unit (as apply reads it: the test nodes'
 * service hook knows no such unit, so apply takes no step), read over SSH, prove the three
 * catalogue services, so the topology names them as such; the first apply of it leaves the CIB
 * epoch and every node file as they were. A memcached.conf changed on
 * one node keeps memcached a custom service, the comment naming the file and the node. (The test
 * nodes have no systemd: the cluster is in maintenance mode, so the units are never started.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { applyAll, down, epochOf, labTopology, upForApply, type Lab } from '../testbed/lab.js';
import { testbedSkip } from '../testbed/testbed.js';

const ID = 5;
const skip = testbedSkip();
/** The node files the first apply after the import must leave alone, the services' and the cluster's. */
const FILES = ['/etc/haproxy/haproxy.cfg', '/etc/memcached.conf', '/etc/mysql/mariadb.conf.d/60-hactl-galera.cnf', '/etc/corosync/corosync.conf', '/etc/hosts'];

const TOPOLOGY = labTopology('lab.yaml', 1, ID, (doc) => {
  doc.setIn(['openstack'], doc.createNode({ release: '2025.1' }));
  // The network import derives from corosync's addresses (the smallest holding them, /24 at
  // most), so that the VIP is typed as one of it and HAProxy's colocation with it as its `vip`.
  doc.setIn(['networks', 'management'], '203.0.113.0/24');
  doc.setIn(['clusters', 'lab', 'services'], doc.createNode({ haproxy: { vip: 'vip' }, memcached: {}, galera: {} }));
});

describe('hactl import of a cluster applied from catalogue services, their files read over SSH', { skip: skip ?? false }, () => {
  let lab: Lab;
  let imported: string;
  const digests = () => lab.tb.nodes.map((n) => `${n}\n${lab.tb.run(n, ['sha256sum', ...FILES])}`).join('');
  const cib = () => lab.tb.run('n1', ['cibadmin', '--query']);
  const importLive = (...extra: string[]) => hactl(['import', '--node', 'n1', '--ssh-config', lab.tb.sshConfig, '--release', '2025.1', ...extra]);

  before(() => {
    lab = upForApply({ id: ID, name: 'import-catalog', topology: TOPOLOGY });
    // The test nodes have no systemd: Pacemaker would find the units failed and fence the node
    // whose stop failed. In maintenance mode (an operator's runtime state, which apply and import
    // keep as the operator's) it starts and stops nothing; the CIB and the files are the same.
    // Its probes of the units wait for a systemd that is not there: the cluster never settles,
    // and nothing here waits for it to.
    lab.tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'maintenance-mode', '--update', 'true']);
    applyAll(lab);
    imported = join(lab.work, 'imported.yaml');
  });
  after(() => down(lab));

  it('imports haproxy, memcached and galera as the catalogue services; the first apply leaves the CIB epoch and the node files unchanged', () => {
    const r = importLive('-o', imported);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const text = readFileSync(imported, 'utf8');
    assert.match(text, /^openstack: \{ release: "2025\.1" \} {2}# from --release: no CIB records it$/m);
    assert.match(text, /\n {6}haproxy: {2}# the catalogue service: its CIB objects \(ids kept\) and node files are what runs\n {8}# from the constraints c_ip_vip_with_haproxy, o_haproxy_before_ip_vip\n {8}vip: vip\n/);
    assert.match(text, /\n {6}memcached: \{\} {2}# the catalogue service/);
    assert.match(text, /\n {6}galera: \{\} {2}# the catalogue service/);
    assert.doesNotMatch(text, /systemd:(haproxy|memcached)|ocf:heartbeat:galera/);
    const before = cib();
    const files = digests();
    const first = hactl(['apply', imported, '--all', '--yes', '--ssh-config', lab.tb.sshConfig]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(epochOf(cib()), epochOf(before), `first apply after the import: CIB epoch unchanged\n${first.stdout}`);
    assert.equal(digests(), files, `first apply after the import: node files unchanged\n${first.stdout}`);
    assert.match(first.stdout, /nothing to do/);
  });

  it('a memcached.conf that differs on one node, a haproxy.cfg of another mode: those stay custom, the comment naming the file and the node', () => {
    lab.tb.run('n2', ['sh', '-c', 'echo "-v" >> /etc/memcached.conf']);
    const r = importLive();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\n {6}memcached:\n {8}# not the catalogue service memcached: \/etc\/memcached\.conf on n2 differs from the one it writes \(the nodes over SSH\)\n {8}agent: "systemd:memcached"\n/);
    assert.match(r.stdout, /\n {6}haproxy: {2}# the catalogue service/);
    // apply would chmod it back: the bytes alone prove nothing.
    lab.tb.run('n3', ['chmod', '0600', '/etc/haproxy/haproxy.cfg']);
    const m = importLive();
    assert.equal(m.code, 0, m.stdout + m.stderr);
    assert.match(m.stdout, /\n {6}haproxy:\n {8}# not the catalogue service haproxy: \/etc\/haproxy\/haproxy\.cfg on n3 is root:root 0600, where apply makes it root:root 0644 \(the nodes over SSH\)\n/);
    assert.match(m.stdout, /\n {6}galera: \{\} {2}# the catalogue service/);
  });
});
