/**
 * An IPv6-only cluster, live (issue #14; test cluster instance HACTL_TESTBED_ID, 7 by default, in
 * IPv6 mode: 2001:db8:7::/64, no IPv4 anywhere). The topology has IPv6 networks only; hactl
 * compiles its corosync.conf (knet, ip_version ipv6), the testbed starts the nodes from it, and
 * `hactl apply` pushes the rest over SSH to the nodes' IPv6 addresses. corosync's knet links
 * connect every member over IPv6, the IPaddr2 VIP comes up with its /64 and answers ping from the
 * bridge and from another node, moves when its holder crashes (fenced by fence_dummy) and when it
 * is put in standby; diff finds no drift and a second apply does nothing. Timings are printed,
 * never asserted.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { runCommand } from '../helpers/spawn.js';
import { waitUntil } from '../helpers/wait.js';
import { down, epochOf, upForApply, type Lab } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = Number(process.env.HACTL_TESTBED_ID ?? '7');
const skip = testbedSkip();
const NET = `2001:db8:${ID}::`;
const VIP = `${NET}50`;
const NODES = ['n1', 'n2', 'n3'];

/** The testbed's IPv6 block as a topology: node i at ::(10+i), fence_dummy per node. */
const TOPOLOGY = `name: live-ipv6
sla: 99.9
networks:
  management: ${NET}/64
defaults:
  fencing:
    agent: fence_dummy
    params: { pcmk_host_check: static-list, pcmk_host_argument: none, status_file: /run/fence_dummy.status }
nodes:
${NODES.map((n, i) => `  ${n}: { roles: [controller], addresses: { management: "${NET}${11 + i}" }, fencing: {} }`).join('\n')}
clusters:
  lab:
    nodes: [${NODES.join(', ')}]
    links: [management]
    vips:
      web: { network: management, address: "${VIP}" }
    services:
      web: { agent: "ocf:pacemaker:Dummy", mode: active-passive, vip: web }
      probe: { agent: "ocf:pacemaker:Dummy", mode: active-active }
    properties:
      dc-deadtime: 5s
`;

describe('an IPv6-only cluster applied by hactl', { skip: skip ?? false }, () => {
  let lab: Lab;
  let tb: Testbed;
  let topoFile: string;
  const timings: Record<string, number> = {};
  const apply = () => hactl(['apply', topoFile, '--all', '--yes', '--ssh-config', tb.sshConfig]);
  const diff = (node: string) => hactl(['diff', topoFile, '--cluster', 'lab', '--node', node, '--ssh-config', tb.sshConfig]);
  const epoch = (node: string) => epochOf(tb.run(node, ['cibadmin', '--query']));
  const pingFromBridge = () => runCommand('ping', ['-6', '-c', '1', '-W', '1', VIP]).code === 0;
  /** The node whose eth0 holds the VIP with its /64, if one does. */
  const holder = (among = NODES) => among.find((n) => tb.exec(n, ['ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0']).stdout.includes(` ${VIP}/64 `));
  const settled = (node: string) => tb.settle(node);

  before(() => {
    const t0 = Date.now();
    lab = upForApply({ id: ID, name: 'live-ipv6', topology: TOPOLOGY, nodes: NODES.length, ipv6: true });
    ({ tb, topo: topoFile } = lab);
    timings['3 IPv6 nodes compiled, up and online from hactl corosync.conf s'] = (Date.now() - t0) / 1000;
  });
  after(() => down(lab));

  it('has IPv6 only: each node one 2001:db8 address, no IPv4, reached from the bridge, SSH to the IPv6 address', () => {
    assert.equal(tb.setting('FAMILY'), '6');
    assert.equal(tb.setting('SUBNET'), `${NET}/64`);
    assert.match(readFileSync(tb.sshConfig, 'utf8'), new RegExp(`^\\s*HostName ${NET}11$`, 'm'));
    NODES.forEach((n, i) => {
      assert.equal(tb.address(n), `${NET}${11 + i}`);
      assert.equal(tb.run(n, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']), '');
      assert.deepEqual(tb.run(n, ['ip', '-6', '-o', 'addr', 'show', 'dev', 'eth0']).match(/inet6 \S+/g), [`inet6 ${NET}${11 + i}/64`]);
      assert.equal(tb.run(n, ['ip', '-4', 'route']), '');
      assert.equal(runCommand('ip', ['-o', 'addr', 'show', 'dev', `hatb${ID}-${n}`]).stdout, '', 'no address on the bridge side of the veth');
      assert.match(runCommand('ip', ['route', 'get', tb.address(n)]).stdout, new RegExp(` dev hatb${ID} `));
      // SSH_CONNECTION: client address and port, server address and port.
      const ssh = runCommand('ssh', ['-F', tb.sshConfig, n, '--', 'hostname; echo $SSH_CONNECTION']);
      assert.equal(ssh.code, 0, ssh.stderr);
      const [name, connection] = ssh.stdout.trim().split('\n');
      assert.equal(name, n);
      const [client, , server, port] = connection!.split(' ');
      assert.deepEqual([client, server, port], [`${NET}1`, `${NET}${11 + i}`, '22']);
    });
    const bridge = runCommand('ip', ['-o', 'addr', 'show', 'dev', `hatb${ID}`]).stdout;
    assert.deepEqual(bridge.match(/inet6? \S+/g), [`inet6 ${NET}1/64`]);
    // The VIP this test pings stays on the bridge too.
    assert.match(runCommand('ip', ['route', 'get', VIP]).stdout, new RegExp(` dev hatb${ID} `));
  });

  it('refuses, before touching anything, a corosync.conf naming an address outside the block or any IPv4 address', () => {
    const conf = readFileSync(join(lab.out, 'nodes', 'n1', 'etc', 'corosync', 'corosync.conf'), 'utf8');
    for (const [bad, why] of [
      [`2001:db8:${ID === 8 ? 1 : ID + 1}::12`, /outside instance \d's block/],
      ['2001:0db8:7::12'.replace(':7:', `:${ID}:`), /outside instance \d's block/],
      ['203.0.113.140', /an IPv4 address in an IPv6 instance/],
    ] as const) {
      const file = join(lab.work, 'bad-corosync.conf');
      writeFileSync(file, conf.replace(`ring0_addr: ${NET}12`, `ring0_addr: ${bad}`));
      const r = tb.script(['up', '3', '--ipv6', '--corosync-conf', file]);
      assert.equal(r.code, 1, bad);
      assert.match(r.stderr, why);
    }
    assert.match(tb.run('n1', ['crm_mon', '-1']), /Online: \[ n1 n2 n3 \]/, 'the running instance is untouched');
  });

  it('forms the cluster over corosync knet on IPv6: every member connected and in the membership', () => {
    const conf = tb.run('n1', ['cat', '/etc/corosync/corosync.conf']);
    assert.match(conf, /^\s*ip_version: ipv6$/m);
    for (const [i, n] of NODES.entries()) {
      assert.match(tb.run(n, ['corosync-cmapctl', '-g', 'totem.ip_version']), /= ipv6$/m);
      const status = tb.run(n, ['corosync-cfgtool', '-s']);
      assert.match(status, new RegExp(`addr\\s*= ${NET}${11 + i}(%\\d+)?$`, 'm'), status);
      const peers = [...status.matchAll(/nodeid:\s+(\d+):\s+(\S+)/g)].map((m) => `${m[1]} ${m[2]}`);
      assert.deepEqual(peers, NODES.map((_, j) => `${j + 1} ${j === i ? 'localhost' : 'connected'}`), status);
      const members = tb.run(n, ['corosync-quorumtool', '-l']);
      assert.deepEqual([...members.matchAll(/^\s+(\d+)\s+1\s+(n\d)/gm)].map((m) => `${m[1]} ${m[2]}`), ['1 n1', '2 n2', '3 n3'], members);
      const q = tb.run(n, ['corosync-quorumtool', '-s']);
      assert.match(q, /^Quorate:\s+Yes$/m, q);
      assert.match(q, /^Total votes:\s+3$/m, q);
    }
    assert.match(tb.run('n1', ['crm_mon', '-1']), /Online: \[ n1 n2 n3 \]/);
  });

  it('apply pushes the configuration over SSH: the IPv6 VIP starts with its /64 and answers; no drift; a second apply does nothing', () => {
    const t0 = Date.now();
    const r = apply();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /lab: pushed \d+\.\d+\.\d+ -> \d+\.\d+\.\d+/);
    for (const n of NODES) assert.match(tb.run(n, ['cat', '/etc/hosts']), new RegExp(`^${NET}11 n1$`, 'm'));
    settled('n1');
    const cib = tb.run('n1', ['cibadmin', '--query', '--xpath', "//primitive[@id='p_ip_web']"]);
    assert.match(cib, new RegExp(`name="ip" value="${VIP}"`));
    assert.match(cib, /name="cidr_netmask" value="64"/);
    timings['VIP answering ping after the first apply s'] = (Date.now() - t0) / 1000 + waitUntil('VIP answering ping -6 from the bridge', pingFromBridge, 60);
    const h = holder();
    assert.ok(h, 'a node holds the VIP on eth0 with its /64');
    const other = NODES.find((n) => n !== h)!;
    const p = tb.exec(other, ['ping', '-6', '-c', '1', '-W', '2', VIP]);
    assert.equal(p.code, 0, p.stdout + p.stderr);
    const mon = tb.run('n1', ['crm_mon', '-1', '--output-as=xml']);
    for (const id of ['p_ip_web', 'p_web', 'st_n1', 'st_n2', 'st_n3']) assert.match(mon, new RegExp(`<resource id="${id}"[^>]*role="Started"`), mon);
    assert.equal((mon.match(/<resource id="p_probe"[^>]*role="Started"/g) ?? []).length, 3);
    assert.match(mon, new RegExp(`<resource id="p_web"[^>]*role="Started"[\\s\\S]*?<node name="${h}"`), 'web runs with its VIP');
    const d = diff('n2');
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.match(d.stdout, /^no drift$/m);
    const before = epoch('n1');
    const again = apply();
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.equal(epoch('n1'), before);
  });

  it('moves the VIP when its holder crashes (fenced first), and when its holder is put in standby', () => {
    const victim = holder()!;
    const survivor = NODES.find((n) => n !== victim)!;
    const t0 = Date.now();
    tb.crash(victim);
    waitUntil('VIP gone with its holder', () => !pingFromBridge(), 10);
    waitUntil(() => `VIP back after ${victim} crashed: ${tb.exec(survivor, ['crm_mon', '-1']).stdout}`, pingFromBridge, 90);
    timings[`crash of the VIP holder to the VIP answering ping again s`] = (Date.now() - t0) / 1000;
    const moved = holder(NODES.filter((n) => n !== victim));
    assert.ok(moved, 'a survivor holds the VIP');
    assert.match(tb.run(survivor, ['stonith_admin', '--history', victim]), /successful/i);
    const d = diff(survivor);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    tb.restart(victim);
    tb.waitOnline(120);
    settled(survivor);
    // The link-down of the crash dropped the VIP from the victim, as a reboot would: one holder.
    assert.deepEqual(NODES.filter((n) => holder([n])), [moved]);

    const t1 = Date.now();
    tb.run(moved, ['crm', 'node', 'standby', moved]);
    waitUntil(() => `VIP off ${moved} in standby: ${tb.exec(survivor, ['crm_mon', '-1']).stdout}`, () => {
      const now = holder();
      return !!now && now !== moved && pingFromBridge();
    }, 90);
    timings['standby of the VIP holder to the VIP answering elsewhere s'] = (Date.now() - t1) / 1000;
    tb.run(moved, ['crm', 'node', 'online', moved]);
    settled('n1');
    // `crm node online` leaves standby=off on the node: the operator's, shown but not drift.
    const after = diff('n1');
    assert.equal(after.code, 0, after.stdout + after.stderr);
    assert.match(after.stdout, /^no drift \(1 unmanaged object\(s\) shown above\)$/m);
    assert.match(after.stdout, new RegExp(`node \\d+  ${moved}\\n\\s+\\+ params standby: "off"`));
  });

  it('reports timings', (t) => {
    t.diagnostic(`timings (corosync token ${process.env.HACTL_TESTBED_TOKEN ?? 'from hactl corosync.conf'}): ${JSON.stringify(timings)}`);
    assert.ok(Object.keys(timings).length >= 3);
  });
});
