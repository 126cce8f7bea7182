/**
 * A quorum device on a real 2-node cluster (test cluster instance 7; fixture
 * test/compile/fixtures/live-qdevice.yaml): n3 runs corosync-qnetd in namespaces of its own with
 * the options of its compiled /etc/default/corosync-qnetd, the certificate steps of the README run
 * between the nodes, n1 and n2 run corosync (the compiled corosync.conf, quorum.device and no
 * two_node), corosync-qdevice and Pacemaker with the compiled configure.crm. A crashed member
 * leaves the other quorate with the arbiter's vote, running the service and its VIP; the arbiter
 * lost too, the survivor has no quorum and stops everything.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 7;
const skip = testbedSkip();
const VIP = '203.0.113.178';
const MEMBERS = ['n1', 'n2'];

/** corosync-quorumtool's key: value lines on a node. */
function quorum(tb: Testbed, node: string): Map<string, string> {
  const r = tb.exec(node, ['corosync-quorumtool', '-s']);
  return new Map(r.stdout.split('\n').map((l) => /^([A-Za-z ]+?):\s+(.*)$/.exec(l.trim())).filter((m): m is RegExpExecArray => !!m).map((m) => [m[1]!, m[2]!]));
}

/** Where a resource is active, from crm_resource on a node. */
function where(tb: Testbed, node: string, rsc: string): string {
  const r = tb.exec(node, ['crm_resource', '--locate', '--resource', rsc]);
  return /is running on: (\S+)/.exec(r.stdout)?.[1] ?? '';
}

describe('quorum device on a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let files: Map<string, string>;

  const sh = (node: string, script: string): string => tb.run(node, ['sh', '-ec', script]);

  before(() => {
    work = mkdtempSync('/tmp/hactl-live-qdevice-');
    const r = loadTopology(readFileSync(join(ROOT, 'test/compile/fixtures/live-qdevice.yaml'), 'utf8'), 'live-qdevice.yaml');
    assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.message).join('; '));
    files = new Map(compile(r.model, ['crmsh', 'files']).map((a) => [a.path, a.content]));
    tb = Testbed.up({ id: ID, nodes: 3, noCluster: true });

    // The arbiter: corosync-qnetd with the compiled options, in n3's namespaces.
    const defaults = files.get('nodes/n3/etc/default/corosync-qnetd')!;
    const options = /^COROSYNC_QNETD_OPTIONS="([^"]*)"$/m.exec(defaults)?.[1];
    assert.equal(options, '-s on -p 5403');
    // Certificates, as the README lists them (/tmp is shared with the nodes).
    // Debian's package made a database with its own CA at install: n3 starts from none (in its
    // /etc overlay; the host's stays as it is) so that the first step runs as on a fresh host.
    sh('n3', `rm -rf /etc/corosync/qnetd/nssdb && corosync-qnetd-certutil -i && cp /etc/corosync/qnetd/nssdb/qnetd-cacert.crt ${work}/`);
    for (const n of MEMBERS) sh(n, `corosync-qdevice-net-certutil -i -c ${work}/qnetd-cacert.crt`);
    sh('n1', `corosync-qdevice-net-certutil -r -n lab && cp /etc/corosync/qdevice/net/nssdb/qdevice-net-node.crq ${work}/`);
    sh('n3', `cd ${work} && corosync-qnetd-certutil -s -c qdevice-net-node.crq -n lab && cp /etc/corosync/qnetd/nssdb/cluster-lab.crt ${work}/`);
    sh('n1', `corosync-qdevice-net-certutil -M -c ${work}/cluster-lab.crt && cp /etc/corosync/qdevice/net/nssdb/qdevice-net-node.p12 ${work}/`);
    sh('n2', `corosync-qdevice-net-certutil -m -c ${work}/qdevice-net-node.p12`);
    sh('n3', `mkdir -p /run/corosync-qnetd && setsid -f corosync-qnetd -f ${options} </dev/null >>${work}/qnetd.out 2>&1`);
    waitUntil('corosync-qnetd listening', () => tb.exec('n3', ['corosync-qnetd-tool', '-s']).code === 0, 30);

    // The members: the compiled corosync.conf, then corosync, corosync-qdevice and Pacemaker.
    for (const n of MEMBERS) {
      const conf = join(work, `corosync-${n}.conf`);
      writeFileSync(conf, files.get(`nodes/${n}/etc/corosync/corosync.conf`)!);
      tb.must(['corosync-conf', n, conf]);
      sh(n, `mkdir -p /run/crm /run/corosync-qdevice /var/log/corosync && setsid -f corosync -f </dev/null >>${work}/corosync-${n}.out 2>&1`);
    }
    for (const n of MEMBERS) {
      waitUntil(`corosync on ${n}`, () => tb.exec(n, ['corosync-cmapctl', '-g', 'totem.cluster_name']).code === 0, 30);
      sh(n, `setsid -f corosync-qdevice -f </dev/null >>${work}/qdevice-${n}.out 2>&1; setsid -f pacemakerd </dev/null >>${work}/pacemakerd-${n}.out 2>&1`);
    }
    waitUntil(() => `both members online with a DC: ${tb.exec('n1', ['crm_mon', '-1']).stdout}`, () => {
      const mon = tb.exec('n1', ['crm_mon', '-1', '--output-as=xml']).stdout;
      return (mon.match(/<node name=[^>]* online="true"/g) ?? []).length === 2 && /<current_dc [^>]*present="true"/.test(mon);
    }, 120);
    const crm = join(work, 'configure.crm');
    writeFileSync(crm, files.get('clusters/lab/configure.crm')!);
    const load = tb.exec('n1', ['crm', 'configure', 'load', 'update', crm]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
  });
  after(() => {
    tb?.down();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('counts the qdevice vote over TLS: 3 expected votes, quorate, the arbiter sees cluster lab', () => {
    waitUntil(() => `qdevice vote: ${tb.exec('n1', ['corosync-quorumtool', '-s']).stdout}${readFileSync(join(work, 'qdevice-n1.out'), 'utf8')}`, () => quorum(tb, 'n1').get('Total votes') === '3', 60);
    const q = quorum(tb, 'n1');
    assert.equal(q.get('Expected votes'), '3');
    assert.equal(q.get('Quorate'), 'Yes');
    assert.match(q.get('Flags') ?? '', /Qdevice/);
    const status = tb.run('n3', ['corosync-qnetd-tool', '-l', '-v']);
    assert.match(status, /Cluster "lab":/);
    assert.match(status, /TLS active:\s+Yes/);
  });

  it('a crashed member: the other keeps quorum with the arbiter and runs the service and its VIP', () => {
    tb.settle('n1');
    const holder = where(tb, 'n1', 'p_web');
    assert.ok(MEMBERS.includes(holder), tb.run('n1', ['crm_mon', '-1']));
    const other = holder === 'n1' ? 'n2' : 'n1';
    tb.crash(holder);
    waitUntil(() => `${other} after ${holder} crashed: ${tb.exec(other, ['corosync-quorumtool', '-s']).stdout}${tb.exec(other, ['crm_mon', '-1']).stdout}`, () => {
      const q = quorum(tb, other);
      return q.get('Quorate') === 'Yes' && q.get('Total votes') === '2' && where(tb, other, 'p_web') === other && where(tb, other, 'p_ip_web') === other;
    }, 120);
    // Located there is not yet answering: Pacemaker records a start as pending (shown as running
    // on its node) before IPaddr2 has added the address, and one ping of 2 s was all it had.
    waitUntil(`the VIP answering ping on ${other}`, () => spawnSync('ping', ['-c', '1', '-W', '1', VIP]).status === 0, 30);
    // The arbiter too: the survivor is left with its own vote of three and stops everything.
    tb.crash('n3');
    waitUntil(() => `${other} without the arbiter: ${tb.exec(other, ['corosync-quorumtool', '-s']).stdout}${tb.exec(other, ['crm_mon', '-1']).stdout}`, () => {
      const q = quorum(tb, other);
      return q.get('Quorate') === 'No' && where(tb, other, 'p_web') === '' && where(tb, other, 'p_ip_web') === '';
    }, 120);
  });
});
