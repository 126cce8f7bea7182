/**
 * Rule edges that the invalid fixtures do not show: where a rule must stay silent, and the small
 * helpers rules rely on. (Each rule's findings are shown by fixtures/invalid.)
 */
import { isSecretName, MASK, maskValue } from '../../src/diff/index.js';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTopology } from '../../src/load.js';
import { hostRange } from '../../src/model/rules/addresses.js';
import { diskOf } from '../../src/model/rules/ceph-devices.js';
import { looksSecret } from '../../src/model/rules/secret-params.js';
import { parseCidr } from '../../src/util/ip.js';
import { ROOT } from '../helpers/cli.js';

const read = (f: string) => readFileSync(join(ROOT, 'fixtures', f), 'utf8');
const PLAIN = read('valid/plain-pacemaker.yaml');
const PIXELPARK = read('pixelpark.yaml');

function edit(text: string, ...pairs: [string, string][]): string {
  for (const [from, to] of pairs) {
    assert.ok(text.includes(from), `not in the fixture: ${from}`);
    text = text.replace(from, to);
  }
  return text;
}

/** The codes of parse, schema and topology rules (the node-file and model rules have their own tests). */
function codes(text: string): string[] {
  return loadTopology(text, 't.yaml')
    .diagnostics.map((d) => d.code)
    .filter((c) => /^HA([12]\d{3}|3[0-8]\d{2})$/.test(c));
}

test('the edited fixtures start out clean', () => {
  assert.deepEqual(loadTopology(PLAIN, 't.yaml').diagnostics, []);
  assert.deepEqual(loadTopology(PIXELPARK, 't.yaml').diagnostics, []);
});

test('a VIP with a nic needs no node address on its network', () => {
  const noAddr = edit(PLAIN, ['addresses: { cluster: 198.51.100.3, service: 203.0.113.3 }', 'addresses: { cluster: 198.51.100.3 }']);
  assert.deepEqual(codes(noAddr), ['HA3010']);
  assert.deepEqual(codes(edit(noAddr, ['web: { network: service, address: 203.0.113.10 }', 'web: { network: service, address: 203.0.113.10, nic: eth1 }'])), []);
});

test('fence devices other than BMCs may share an address (a power switch with a plug per node)', () => {
  const pdu = edit(
    PLAIN,
    ['    agent: fence_dummy\n', '    agent: fence_apc\n    address: 198.51.100.14\n'],
    ['    fencing: {}\n', '    fencing: { params: { plug: "1" } }\n'],
    ['    fencing: { params: { delay: "5" } }\n', '    fencing: { params: { plug: "2" } }\n'],
  );
  assert.deepEqual(codes(pdu), []);
  // ... but not the address of a node.
  assert.deepEqual(codes(edit(pdu, ['address: 198.51.100.14', 'address: 198.51.100.2'])), ['HA3006']);
});

test('a catalogue name with an agent is a custom service; without openstack every service needs one', () => {
  const custom = edit(PLAIN, ['      app:\n', '      keystone: { agent: "systemd:keystone" }\n      app:\n']);
  assert.deepEqual(codes(custom), []);
  assert.deepEqual(codes(edit(custom, ['keystone: { agent: "systemd:keystone" }', 'keystone: {}'])), ['HA3024']);
});

test('a service may be pinned to remote nodes of its cluster', () => {
  const text = read('valid/remote-nodes.yaml');
  const pinned = edit(text, ['      horizon: { mode: active-passive, vip: public }', '      horizon: { mode: active-passive, vip: public }\n      probe: { agent: "ocf:pacemaker:Dummy", mode: active-active, nodes: [cmp1, cmp2] }']);
  assert.deepEqual(codes(pinned), []);
});

test('with failure_domain host, replicas count hosts; with osd, OSDs', () => {
  const twoHosts = edit(PIXELPARK, ['  stor3:\n    <<: *storage-node\n    roles: [storage, ceph-mon]', '  stor3:\n    <<: *storage-node\n    osds: []\n    roles: [storage, ceph-mon]']);
  const found = loadTopology(twoHosts, 't.yaml').diagnostics;
  assert.deepEqual(found.filter((d) => d.code === 'HA3501').map((d) => d.message), ['replicas is 3 but there are only 2 host(s) with OSDs']);
  assert.deepEqual(codes(edit(twoHosts, ['  replicas: 3\n', '  replicas: 3\n  failure_domain: osd\n'])).filter((c) => c === 'HA3501'), []);
});

test('a start-order cycle through three services is reported once', () => {
  const cyc = edit(
    PLAIN,
    ['      dummy:\n', '      a: { agent: "ocf:pacemaker:Dummy", after: [b] }\n      b: { agent: "ocf:pacemaker:Dummy", after: [c] }\n      c: { agent: "ocf:pacemaker:Dummy", after: [a] }\n      dummy:\n'],
  );
  const found = loadTopology(cyc, 't.yaml').diagnostics;
  assert.deepEqual(found.map((d) => [d.code, d.message]), [['HA3033', 'start order of cluster pair has a cycle: a after b after c after a']]);
});

test('secret files inside the topology directory are fine, even through ..', () => {
  assert.deepEqual(codes(edit(PLAIN, ['secrets/corosync.key', 'secrets/../keys/corosync.key'])), []);
  assert.deepEqual(codes(edit(PLAIN, ['secrets/corosync.key', '../corosync.key'])), ['HA3040']);
});

test('an active-passive service of a 2-node cluster pinned to both nodes is no warning', () => {
  assert.deepEqual(codes(edit(PLAIN, ['        vip: web\n', '        vip: web\n        nodes: [alpha, beta]\n'])), []);
});

test('helpers: host ranges, partitions, secret-looking parameter names', () => {
  assert.deepEqual(hostRange(parseCidr('198.51.100.64/26')), ['198.51.100.65', '198.51.100.126']);
  assert.deepEqual(hostRange(parseCidr('198.51.100.8/31')), ['198.51.100.8', '198.51.100.9']);
  assert.equal(diskOf('/dev/sda5'), '/dev/sda');
  assert.equal(diskOf('/dev/nvme0n1p2'), '/dev/nvme0n1');
  assert.equal(diskOf('/dev/xvdb1'), '/dev/xvdb');
  assert.equal(diskOf('/dev/disk/by-id/wwn-0x5000c500a1b2c3d4'), '/dev/disk/by-id/wwn-0x5000c500a1b2c3d4');
  for (const p of ['password', 'passwd', 'os_password', 'admin_token', 'secret', 'rbd_secret_uuid']) assert.ok(looksSecret(p), p);
  for (const p of ['password_script', 'token_url', 'os_auth_url', 'delay', 'passive', 'tokens']) assert.ok(!looksSecret(p), p);
  // Security M6: the credential-bearing fence parameters the review wrote inline, and the same
  // rule as the diff's masking.
  for (const p of ['hexadecimal_kg', 'community', 'passphrase', 'auth_key', 'pw', 'apikey', 'private_key', 'snmp_priv_passwd', 'access_key', 'shared_key', 'pass_word']) {
    assert.ok(looksSecret(p), p);
    assert.ok(isSecretName(p), `${p} masked in diffs`);
  }
  for (const p of ['password_script', 'snmp_priv_passwd_script', 'key', 'ipport', 'passwd_method']) assert.equal(isSecretName(p), looksSecret(p), p);
  // Values that are credentials by their shape, whatever their parameter is called.
  assert.equal(maskValue('connection', 'mysql://nova:hunter7@198.51.100.9/nova'), MASK);
  assert.equal(maskValue('cert', '-----BEGIN PRIVATE KEY-----\nMIIB'), MASK);
  assert.equal(maskValue('password_script', '/etc/hactl/secrets/ipmi.sh'), '/etc/hactl/secrets/ipmi.sh', 'a path to a credential is shown');
});

test('HA3046 is a rule, not a list of exact paths (security m8)', () => {
  const base = readFileSync(join(ROOT, 'fixtures', 'three-controllers.yaml'), 'utf8');
  assert.match(base, /mount: \/var\/lib\/nova\/instances/);
  const codes = (mount: string) => loadTopology(base.replace('mount: /var/lib/nova/instances', `mount: ${mount}`), 't.yaml').diagnostics.map((d) => d.code);
  for (const m of ['/etc/ssh', '/usr/lib', '/lib/modules', '/proc/sys', '/sys/fs', '/dev/shm', '/boot/efi', '/home', '/var/lib/dpkg', '/var/log/nova', '/srv', '/var/lib']) assert.ok(codes(m).includes('HA3046'), m);
  for (const m of ['/var/lib/nova/instances', '/srv/instances', '/var/lib/instances', '/data/nova']) assert.ok(!codes(m).includes('HA3046'), m);
});

test('defaults.fencing applies to every node of a fencing cluster, also one that writes no fencing key', () => {
  // ctl2 writes no fencing; the BMC address comes from defaults too, for the sake of the test.
  const text = edit(PIXELPARK, ['  ctl2:\n    roles: [controller]\n    addresses: { management: 198.51.100.12, storage: 198.51.100.76, public: 203.0.113.12 }\n    fencing: { address: 198.51.100.204 }\n', '  ctl2:\n    roles: [controller]\n    addresses: { management: 198.51.100.12, storage: 198.51.100.76, public: 203.0.113.12 }\n'], ['  fencing:\n    agent: fence_ipmilan\n', '  fencing:\n    agent: fence_ipmilan\n    address: 198.51.100.204\n']);
  const r = loadTopology(text, 't.yaml');
  assert.deepEqual(r.diagnostics.map((d) => d.code), []);
  const f = r.topology!.nodes['ctl2']!.fencing!;
  assert.deepEqual([f.agent, f.address, f.username, f.password], ['fence_ipmilan', '198.51.100.204', 'hactl', 'ipmi']);
  // A node in no cluster is never fenced, so it inherits nothing.
  assert.equal(r.topology!.nodes['stor1']!.fencing?.agent, 'fence_ipmilan'); // it writes its own
  assert.equal(r.topology!.nodes['cmp1']!.fencing, undefined);
});

test('SSH defaults to the cluster\'s first corosync link when there is no network named management', () => {
  const text = [
    'name: plain',
    'networks: { ring: 198.51.100.0/28, other: 198.51.100.16/28 }',
    'defaults: { fencing: { agent: fence_dummy } }',
    'nodes:',
    '  a: { roles: [controller], addresses: { ring: 198.51.100.2, other: 198.51.100.18 } }',
    '  b: { roles: [controller], addresses: { ring: 198.51.100.3, other: 198.51.100.19 } }',
    'clusters:',
    '  pair: { nodes: [a, b], links: [ring, other], services: { probe: { agent: "ocf:pacemaker:Dummy" } } }',
    '',
  ].join('\n');
  const r = loadTopology(text, 't.yaml');
  assert.deepEqual(r.diagnostics.map((d) => `${d.code} ${d.pointer}`), []);
  assert.equal(r.topology!.nodes['a']!.ssh.network, 'ring');
  // An explicit choice still wins.
  assert.equal(loadTopology(text.replace('name: plain', 'name: plain\nssh: { network: other }'), 't.yaml').topology!.nodes['b']!.ssh.network, 'other');
});

test('node names as hosts call themselves: FQDNs pass where no file needs the short name; RabbitMQ peers of the current family need it (HA3247), and names differing only in case are one node', () => {
  const current = read('current.yaml');
  const fqdn = current.replace(/\b(ctl[123]|stor[123]|cmp[12])\b/g, '$1.example.com');
  const found = loadTopology(fqdn, 'current-fqdn.yaml').diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(found.map((d) => `${d.code} ${d.pointer}`), ['HA3247 /nodes/ctl1.example.com', 'HA3247 /nodes/ctl2.example.com', 'HA3247 /nodes/ctl3.example.com']);
  assert.match(found[0]!.message, /runs RabbitMQ \(its peers are rabbit@<host>\), which names a host by its short name \(ctl1\)/);
  // Plain Pacemaker nodes named by FQDN, with capitals: nothing to say.
  const plain = edit(PLAIN, ['  alpha:', '  Alpha.Example.com:'], ['  beta:', '  18beta_2.example.com:'], ['nodes: [alpha, beta]', 'nodes: [Alpha.Example.com, 18beta_2.example.com]']);
  assert.deepEqual(loadTopology(plain, 't.yaml').diagnostics, []);
  // A reference names a node exactly as it is written: another case names no node (HA3001).
  assert.ok(codes(edit(plain, ['nodes: [Alpha.Example.com, 18beta_2.example.com]', 'nodes: [alpha.example.com, 18beta_2.example.com]'])).includes('HA3001'), 'a reference is exact');
});
