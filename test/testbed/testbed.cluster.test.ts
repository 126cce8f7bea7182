/**
 * The test cluster itself (testbed.sh, instance 3): nodes are isolated machines as far as the
 * cluster stack can tell, reachable over SSH only with the right host key, a crashed node is
 * fenced and its VIP moves, a restarted node rejoins, and `down` leaves nothing behind. Timings
 * are reported as diagnostics (never asserted).
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { runCommand } from '../helpers/spawn.js';
import { waitUntil } from '../helpers/wait.js';
import { Testbed, testbedSkip } from './testbed.js';

const skip = testbedSkip();
const ID = 3;
// Instance 3 is 198.51.100.128/26: bridge .129, nodes .139-.141, VIPs from .178.
const VIP = '198.51.100.178';

const ssh = (config: string, node: string, cmd: string[], extra: string[] = []) => runCommand('ssh', ['-F', config, ...extra, node, '--', ...cmd], { timeoutMs: 30_000 });

const pings = () => runCommand('ping', ['-c', '1', '-W', '1', VIP]).code === 0;

describe('the test cluster (test/testbed/testbed.sh)', { skip: skip ?? false }, () => {
  let tb: Testbed;
  const timings: Record<string, number> = {};

  before(() => {
    let t0 = Date.now();
    tb = Testbed.up({ id: ID, nodes: 3 });
    timings['3 nodes up (namespaces, sshd, corosync, pacemakerd started) s'] = (Date.now() - t0) / 1000;
    t0 = Date.now();
    tb.waitOnline();
    timings['3 nodes online in crm_mon s'] = (Date.now() - t0) / 1000;
  });
  after(() => tb?.down());

  it('gives each node its own hostname, CIB, /run and network with no default route', () => {
    const seen = new Set<string>();
    for (const n of tb.nodes) {
      assert.equal(tb.run(n, ['hostname']).trim(), n);
      const mounts = tb.run(n, ['cat', '/proc/self/mounts']);
      assert.match(mounts, /^tmpfs \/run tmpfs/m);
      assert.match(mounts, /^tmpfs \/dev\/shm tmpfs/m);
      assert.match(mounts, /^overlay \/etc overlay/m);
      const routes = tb.run(n, ['ip', 'route']);
      assert.doesNotMatch(routes, /default/);
      assert.match(routes, /^198\.51\.100\.128\/26 dev eth0/m);
      seen.add(tb.run(n, ['ls', '-i', '/var/lib/pacemaker/cib/cib.xml']).split(' ')[0]!);
    }
    assert.equal(seen.size, 3, 'each node has its own cib.xml');
    const route = runCommand('ip', ['route', 'get', tb.address('n1')]).stdout;
    assert.match(route, / dev hatb3 /);
    // The host's own files are never written.
    assert.ok(!readFileSync('/etc/hostname', 'utf8').trim().match(/^n[0-9]$/));
  });

  it('is reachable over SSH with strict host key checking, and refuses a wrong host key', () => {
    assert.equal(ssh(tb.sshConfig, 'n2', ['hostname']).stdout.trim(), 'n2');
    const wrongKnown = `${tb.state}/wrong_known_hosts`;
    const lines = readFileSync(`${tb.state}/known_hosts`, 'utf8').split('\n');
    const n1 = lines.find((l) => l.startsWith('n1,'))!;
    const n2key = lines.find((l) => l.startsWith('n2,'))!.split(' ').slice(1).join(' ');
    writeFileSync(wrongKnown, `${n1.split(' ')[0]} ${n2key}\n`);
    const r = ssh(tb.sshConfig, 'n1', ['true'], ['-o', `UserKnownHostsFile=${wrongKnown}`]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('fences a crashed node, moves its VIP, and takes the node back after a restart', () => {
    tb.run('n1', ['crm', 'configure', 'load', 'update', '-'], `property stonith-enabled=true
primitive st_n1 stonith:fence_dummy params pcmk_host_list=n1 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s
primitive st_n2 stonith:fence_dummy params pcmk_host_list=n2 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s
primitive st_n3 stonith:fence_dummy params pcmk_host_list=n3 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s
primitive p_vip IPaddr2 params ip=${VIP} cidr_netmask=26 nic=eth0 op monitor interval=5s
location l_st_n1 st_n1 -inf: n1
location l_st_n2 st_n2 -inf: n2
location l_st_n3 st_n3 -inf: n3
`);
    timings['VIP answering ping after configuration s'] = waitUntil('VIP up', pings);
    const holder = (among = tb.nodes) => {
      for (const n of among) {
        const r = tb.exec(n, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']);
        if (r.code === 0 && r.stdout.includes(`${VIP}/`)) return n;
      }
      return undefined;
    };
    const victim = holder();
    assert.ok(victim, 'some node holds the VIP');
    const dc = /Current DC: (n[0-9])/.exec(tb.run(victim === 'n1' ? 'n2' : 'n1', ['crm_mon', '-1']))?.[1];
    const t0 = Date.now();
    tb.crash(victim);
    waitUntil('VIP gone', () => !pings(), 10);
    waitUntil('VIP back', pings);
    timings[`crash of the VIP holder (${victim === dc ? 'the DC' : 'not the DC'}) to VIP answering ping again s`] = (Date.now() - t0) / 1000;
    const survivor = tb.nodes.find((n) => n !== victim)!;
    // Among the survivors: the crashed node keeps its IPv4 addresses, the VIP too, on its downed
    // eth0 (as with a pulled cable), so asking every node would name the victim whenever it comes
    // first in n1..n3, wherever Pacemaker happened to place the VIP.
    const newHolder = holder(tb.nodes.filter((n) => n !== victim));
    assert.ok(newHolder, `the VIP moved to a survivor:\n${tb.run(survivor, ['crm_mon', '-1'])}`);
    // Real fencing happened: fence_dummy reported the victim fenced.
    const history = tb.run(survivor, ['stonith_admin', '--history', victim]);
    assert.match(history, /reboot of .* successful|off of .* successful|successful/i, history);
    const t1 = Date.now();
    tb.restart(victim);
    // As after a reboot: only its own address, not the VIP it held when it crashed.
    assert.deepEqual(tb.run(victim, ['ip', '-4', '-o', 'addr', 'show', 'dev', 'eth0']).match(/inet \S+/g), [`inet ${tb.address(victim)}/26`]);
    tb.waitOnline();
    timings['crashed node restarted until online s'] = (Date.now() - t1) / 1000;
  });

  it('settle() waits for an operation under way, not only for nothing new to be planned', () => {
    // Dummy sleeps op_sleep seconds in every operation: the start is in flight long enough for
    // crm_resource --wait of Pacemaker 2.1.5 to return 0 while crm_mon still shows it Starting.
    tb.run('n1', ['crm', 'configure', 'primitive', 'p_slow', 'ocf:pacemaker:Dummy', 'params', 'op_sleep=3']);
    tb.settle('n1');
    const mon = tb.run('n1', ['crm_mon', '--one-shot', '--output-as=xml']);
    assert.match(mon, /<resource id="p_slow"[^>]*role="Started"[^>]*active="true"/, mon);
  });

  it('tears down everything it made, and can be torn down again', (t) => {
    t.diagnostic(`timings (corosync token ${process.env.HACTL_TESTBED_TOKEN ?? 1000} ms): ${JSON.stringify(timings)}`);
    tb.down();
    assert.equal(runCommand('ip', ['link', 'show', 'hatb3']).code, 1);
    assert.doesNotMatch(runCommand('ip', ['netns', 'list']).stdout, /hatb3-/);
    assert.ok(!existsSync(tb.state));
    assert.doesNotMatch(readFileSync('/proc/self/mountinfo', 'utf8'), /hactl-testbed-3/);
    assert.equal(tb.script(['down']).code, 0);
  });
});

describe('the test cluster with a corosync authkey', { skip: skip ?? false }, () => {
  it('encrypts corosync traffic with the given authkey', () => {
    const key = '/tmp/hactl-testbed-test-authkey';
    assert.equal(runCommand('corosync-keygen', ['-k', key]).code, 0);
    const tb = Testbed.up({ id: ID, nodes: 2, authkey: key });
    try {
      tb.waitOnline();
      assert.match(tb.run('n1', ['corosync-cmapctl', '-g', 'totem.crypto_cipher']), /= aes256/);
      assert.match(tb.run('n2', ['stat', '-c', '%a', '/etc/corosync/authkey']), /^400$/m);
      // two_node for a 2-node cluster, as corosync wants it.
      assert.match(tb.run('n1', ['corosync-cmapctl', '-g', 'quorum.two_node']), /= 1/);
    } finally {
      tb.down();
      rmSync(key, { force: true });
    }
  });
});
