/**
 * The HA review's findings (../shared/reviews/ha-review.md), one test each: the compiled output
 * no longer has the defect, and `hactl check` finds it when it is planted back into the compiled
 * output (or the topology). crm_simulate scenarios use the real crm_simulate.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { estimateAvailability } from '../../src/check/availability.js';
import { execaRunner } from '../../src/check/index.js';
import { checkServices, compiledOutput, readIni, type CompiledOutput } from '../../src/check/services.js';
import { rehearse } from '../../src/check/rehearsal.js';
import { primitivesOf, type ClusterConfig } from '../../src/compile/pacemaker/model.js';
import { emitNodeFiles, nodeFilePath } from '../../src/compile/files/index.js';
import { HA_NEEDS } from '../../src/catalog/ha-needs.js';
import { pick } from '../../src/catalog/index.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from '../helpers/cli.js';

function topology(file: string, edit: (s: string) => string = (s) => s): Lowered {
  const r = loadTopology(edit(readFileSync(join(ROOT, file), 'utf8')), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  return r.model;
}

const lowered = (t: Lowered) => t.clusters.map((config) => ({ config }));
const estimateAvailabilityFor = (t: Lowered, out: CompiledOutput) => estimateAvailability(t, checkServices(t, out).broken);
const codes = (t: Lowered, out = compiledOutput(t)) => checkServices(t, out).findings.map((d) => `${d.code} ${d.pointer}`);
const param = (config: ClusterConfig, id: string, name: string) =>
  config.resources
    .flatMap(primitivesOf)
    .find((p) => p.id === id)
    ?.params.find((x) => x.name === name)?.value;

describe('C1: the L3 agent monitor watches the AMQP port', () => {
  for (const [file, id, name] of [
    ['fixtures/pixelpark.yaml', 'p_quantum-l3-agent', 'quantum_server_port'],
    ['fixtures/havana.yaml', 'p_neutron-l3-agent', 'neutron_server_port'],
    ['fixtures/three-controllers.yaml', 'p_neutron-l3-agent', 'neutron_server_port'],
  ] as const) {
    test(`${file}: ${id} ${name}=5672; dropping the param is HA6050`, () => {
      const t = topology(file);
      const out = compiledOutput(t);
      const config = out.configs.find((c) => c.resources.flatMap(primitivesOf).some((p) => p.id === id))!;
      assert.equal(param(config, id, name), '5672');
      assert.ok(!codes(t, out).some((c) => c.startsWith('HA6050')));
      for (const p of config.resources.flatMap(primitivesOf)) if (p.id === id) p.params = p.params.filter((x) => x.name !== name);
      assert.ok(codes(t, out).some((c) => c.startsWith('HA6050')), 'the planted defect is found');
    });
  }
});

describe('C2: every L3 node has one host', () => {
  test('pixelpark: l3_agent.ini host is the same on net1 and net2; removing the line is HA6051', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const host = (n: string) => readIni(out.files.get(`nodes/${n}/etc/quantum/l3_agent.ini`)!).get('DEFAULT')?.get('host');
    assert.ok(host('net1'));
    assert.equal(host('net1'), host('net2'));
    // The DHCP agents keep their own identities (active/active): no host in quantum.conf.
    assert.equal(readIni(out.files.get('nodes/net1/etc/quantum/quantum.conf')!).get('DEFAULT')?.get('host'), undefined);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6051')));
    const path = 'nodes/net2/etc/quantum/l3_agent.ini';
    out.files.set(path, out.files.get(path)!.replace(/^host = .*\n/m, ''));
    assert.deepEqual(
      codes(t, out).filter((c) => c.startsWith('HA6051')),
      ['HA6051 /clusters/network/services/quantum-l3-agent'],
    );
  });
});

describe('C3: DHCP is served by every DHCP agent', () => {
  test('three-controllers: dhcp_agents_per_network = 3 on the servers; removing it is HA6052', () => {
    const t = topology('fixtures/three-controllers.yaml');
    const out = compiledOutput(t);
    for (const n of ['ctl1', 'ctl2', 'ctl3']) assert.equal(readIni(out.files.get(`nodes/${n}/etc/neutron/neutron.conf`)!).get('DEFAULT')?.get('dhcp_agents_per_network'), '3');
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6052')));
    const path = 'nodes/ctl1/etc/neutron/neutron.conf';
    out.files.set(path, out.files.get(path)!.replace(/^dhcp_agents_per_network = .*\n/m, ''));
    assert.ok(codes(t, out).some((c) => c.startsWith('HA6052')));
  });
});

describe('C4: RabbitMQ keeps its Mnesia on the shared RBD volume', () => {
  test('pixelpark: g_rabbitmq mounts /var/lib/rabbitmq from RBD, mnesia_base inside; without storage it is HA6053', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const config = out.configs.find((c) => c.name === 'controllers')!;
    const group = config.resources.find((r) => r.id === 'g_rabbitmq');
    assert.ok(group, 'rabbitmq is a group with its storage');
    assert.deepEqual(
      primitivesOf(group).map((p) => p.id),
      ['p_rbd_rabbitmq', 'p_fs_rabbitmq', 'p_rabbitmq'],
    );
    assert.equal(param(config, 'p_fs_rabbitmq', 'directory'), '/var/lib/rabbitmq');
    assert.equal(param(config, 'p_rabbitmq', 'mnesia_base'), '/var/lib/rabbitmq/mnesia');
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6053')));
    const planted = topology('fixtures/pixelpark.yaml', (s) => s.replace(/rabbitmq: \{ mode: active-passive, vip: api, storage: \{[^\n]*\} \} \}/, 'rabbitmq: { mode: active-passive, vip: api }'));
    assert.deepEqual(
      codes(planted).filter((c) => c.startsWith('HA6053')),
      ['HA6053 /clusters/controllers/services/rabbitmq'],
    );
  });
});

describe('M1: no Pacemaker-managed image in rbdmap', () => {
  test('pixelpark: ctl1/ctl2 rbdmap list no managed image; planting one back is HA6054, and the rehearsal shows the boot moving it (HA6024)', async () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    for (const n of ['ctl1', 'ctl2']) {
      const rbdmap = out.files.get(`nodes/${n}/etc/ceph/rbdmap`) ?? '';
      assert.doesNotMatch(rbdmap, /^mysql\/mysql /m);
      assert.doesNotMatch(rbdmap, /^mysql\/rabbitmq /m);
    }
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6054')));
    const fixed = await rehearse(t, execaRunner(), { output: out, concurrency: 2 });
    assert.ok(!fixed.findings.some((d) => d.code === 'HA6024'));
    assert.ok(!fixed.clusters.some((c) => c.injections.some((x) => x.kind === 'boot-probe')), 'no image is mapped at boot, so no boot-probe scenario');

    for (const n of ['ctl1', 'ctl2']) out.files.set(`nodes/${n}/etc/ceph/rbdmap`, `mysql/mysql id=mysql,keyring=/etc/ceph/ceph.client.mysql.keyring\n`);
    assert.ok(codes(t, out).some((c) => c === 'HA6054 /clusters/controllers/services/mysql/storage/rbd'));
    const planted = await rehearse(t, execaRunner(), { output: out, concurrency: 2 });
    const boot = planted.clusters.flatMap((c) => c.injections).filter((x) => x.kind === 'boot-probe');
    assert.equal(boot.length, 1, 'the passive controller boots with the image mapped');
    // The image is stopped on both nodes and started again: MySQL restarts under every client.
    assert.ok([...boot[0]!.moved, ...boot[0]!.restarted].some((m) => m.resource === 'p_mysql'), JSON.stringify(boot[0]));
    assert.ok(planted.findings.some((d) => d.code === 'HA6024'));
  });
});

describe('M2: apply keeps the distribution units of every managed service from starting at boot', () => {
  test('pixelpark: the manifest lists each unit on the nodes that run it (masked, or disabled where Pacemaker starts through it); dropping them is HA6055', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const on = (n: string) => out.units.filter((u) => u.node === n).map((u) => `${u.unit}:${u.state}`);
    assert.deepEqual(on('ctl1'), [
      'apache2:masked', 'cinder-api:masked', 'cinder-scheduler:masked', 'cinder-volume:masked', 'glance-api:masked', 'glance-registry:masked', 'keystone:masked', 'mysql:masked',
      // nova-conductor runs as lsb:nova-conductor: masked, Pacemaker could not start it.
      'nova-api:masked', 'nova-cert:masked', 'nova-conductor:disabled', 'nova-consoleauth:masked', 'nova-novncproxy:masked', 'nova-scheduler:masked', 'quantum-server:masked', 'rabbitmq-server:masked',
    ]);
    assert.deepEqual(on('ctl2'), on('ctl1'));
    assert.deepEqual(on('net1'), ['quantum-dhcp-agent:masked', 'quantum-l3-agent:masked', 'quantum-metadata-agent:masked', 'quantum-plugin-openvswitch-agent:disabled']);
    // Storage and compute nodes run no Pacemaker-managed service: apply leaves their units alone.
    assert.deepEqual([...new Set(out.units.map((u) => u.node))], ['ctl1', 'ctl2', 'net1', 'net2']);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6055')));
    // Planted back: apply disables nothing (the old manifest), or only disables what must be masked.
    const old = { ...out, units: [] };
    const found = checkServices(t, old).findings.filter((d) => d.code === 'HA6055');
    assert.deepEqual(found.map((d) => d.pointer), ['/clusters/controllers', '/clusters/network']);
    const ctl = found[0]!;
    assert.match(ctl.message, /^on ctl1, ctl2 the packages start apache2 \(mask\) .*nova-conductor nova-consoleauth.*rabbitmq-server \(mask\) at boot/);
    assert.match(ctl.hint ?? '', /systemctl disable apache2 cinder-api .*nova-conductor .*rabbitmq-server$/);
    const weak = { ...out, units: out.units.map((u) => (u.node === 'net2' && u.unit === 'quantum-l3-agent' ? { ...u, state: 'disabled' as const } : u)) };
    assert.deepEqual(checkServices(t, weak).findings.filter((d) => d.code === 'HA6055').map((d) => d.message.split(' the packages')[0]), ['on net2']);
  });

  test('havana and three-controllers: the neutron units of the release', () => {
    for (const [file, node, unit] of [
      ['fixtures/havana.yaml', 'net1', 'neutron-l3-agent'],
      ['fixtures/three-controllers.yaml', 'ctl3', 'neutron-server'],
    ] as const) {
      const out = compiledOutput(topology(file));
      assert.ok(out.units.some((u) => u.node === node && u.unit === unit && u.state === 'masked'), `${file}: ${JSON.stringify(out.units.filter((u) => u.node === node))}`);
      assert.ok(!out.units.some((u) => u.unit.startsWith('quantum')), file);
    }
  });
});

describe('M3: every daemon the resource agents start logs somewhere', () => {
  for (const [file, net] of [['fixtures/pixelpark.yaml', 'quantum'], ['fixtures/havana.yaml', 'neutron'], ['fixtures/three-controllers.yaml', 'neutron']] as const) {
    test(`${file}: log_dir in each file hactl replaces; removing it from nova.conf is HA6058`, () => {
      const t = topology(file);
      const out = compiledOutput(t);
      const logDir = (n: string, f: string) => readIni(out.files.get(`nodes/${n}/${f}`)!).get('DEFAULT')?.get('log_dir');
      assert.equal(logDir('ctl1', 'etc/keystone/keystone.conf'), '/var/log/keystone');
      assert.equal(logDir('ctl1', 'etc/nova/nova.conf'), '/var/log/nova');
      assert.equal(logDir('ctl1', 'etc/glance/glance-registry.conf'), '/var/log/glance');
      assert.equal(logDir('ctl1', 'etc/cinder/cinder.conf'), '/var/log/cinder');
      assert.equal(logDir('ctl1', `etc/${net}/${net}.conf`), `/var/log/${net}`);
      assert.ok(!codes(t, out).some((c) => c.startsWith('HA6058')));
      const nova = 'nodes/ctl1/etc/nova/nova.conf';
      out.files.set(nova, out.files.get(nova)!.replace(/^log_dir = .*\n/m, ''));
      const found = checkServices(t, out).findings.filter((d) => d.code === 'HA6058');
      assert.deepEqual(found.map((d) => [d.pointer, d.message.split(':')[0]]), [['/clusters/controllers/services/nova', 'nova logs nowhere on ctl1']]);
    });
  }
});

describe('M4: Grizzly Keystone keeps tokens and EC2 credentials in SQL', () => {
  test('pixelpark: [token] and [ec2] drivers are sql on both controllers; removing them is HA6059 and keystone counts as broken', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    for (const n of ['ctl1', 'ctl2']) {
      const ini = readIni(out.files.get(`nodes/${n}/etc/keystone/keystone.conf`)!);
      assert.equal(ini.get('token')?.get('driver'), 'keystone.token.backends.sql.Token');
      assert.equal(ini.get('ec2')?.get('driver'), 'keystone.contrib.ec2.backends.sql.Ec2');
    }
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6059')));
    const f = 'nodes/ctl2/etc/keystone/keystone.conf';
    out.files.set(f, out.files.get(f)!.replace(/\n\[ec2\]\ndriver = .*\n/, '\n'));
    const r = checkServices(t, out);
    assert.deepEqual(r.findings.filter((d) => d.code === 'HA6059').map((d) => [d.pointer, d.message.split(':')[0]]), [['/clusters/controllers/services/keystone', 'keystone keeps its EC2 credentials (deleted for good']]);
    assert.ok(r.broken.some((b) => b.service === 'keystone'));
  });

  test('havana: the release defaults are persistent; the file names them, and without the lines nothing is asked', () => {
    const t = topology('fixtures/havana.yaml');
    const out = compiledOutput(t);
    const f = 'nodes/ctl1/etc/keystone/keystone.conf';
    assert.equal(readIni(out.files.get(f)!).get('token')?.get('driver'), 'keystone.token.backends.sql.Token');
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6059')));
    // Havana's code defaults are sql: a file without [token] driver keeps tokens in MySQL.
    out.files.set(f, out.files.get(f)!.replace(/^driver = .*\n/m, ''));
    assert.equal(readIni(out.files.get(f)!).get('token')?.get('driver'), undefined);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6059')));
    // A kvs token backend is in memory whatever the release.
    out.files.set(f, out.files.get(f)!.replace('[token]\n', '[token]\ndriver = keystone.token.backends.kvs.Token\n'));
    assert.deepEqual(codes(t, out).filter((c) => c.startsWith('HA6059')), ['HA6059 /clusters/controllers/services/keystone']);
  });
});

describe('M4: every Keystone node signs PKI tokens with the same key and certificates', () => {
  const SIGNING = ['/etc/keystone/ssl/certs/ca.pem', '/etc/keystone/ssl/certs/signing_cert.pem', '/etc/keystone/ssl/private/signing_key.pem'];
  for (const [file, family] of [
    ['fixtures/pixelpark.yaml', 'grizzly'],
    ['fixtures/havana.yaml', 'havana'],
    ['fixtures/three-controllers.yaml', 'icehouse'],
  ] as const) {
    test(`${file} (${family}): keystone.conf names the files, the manifest installs them from one secret each on every controller; dropping them is HA6140`, () => {
      const t = topology(file);
      const out = compiledOutput(t);
      const keystone = Object.values(t.topology.clusters).flatMap((c) => Object.values(c.services)).find((s) => s.name === 'keystone')!;
      const nodes = [...keystone.nodes].sort();
      for (const n of nodes) {
        const ini = readIni(out.files.get(`nodes/${n}/etc/keystone/keystone.conf`)!);
        const signing = ini.get('signing')!;
        assert.deepEqual([signing.get('ca_certs'), signing.get('certfile'), signing.get('keyfile')], SIGNING);
        if (family === 'grizzly') assert.equal(signing.get('token_format'), 'PKI');
        else assert.equal(ini.get('token')?.get('provider'), 'keystone.token.providers.pki.Provider');
      }
      const held = out.secretFiles.filter((x) => x.path.startsWith('/etc/keystone/ssl/'));
      assert.deepEqual(
        held.map((x) => `${x.node} ${x.path} ${x.secret} ${x.owner}:${x.group} ${x.mode}`),
        nodes.flatMap((n) => [
          `${n} ${SIGNING[0]} keystone-ca-cert keystone:keystone 0640`,
          `${n} ${SIGNING[1]} keystone-signing-cert keystone:keystone 0640`,
          `${n} ${SIGNING[2]} keystone-signing-key keystone:keystone 0640`,
        ]),
        'only the keystone nodes hold them',
      );
      assert.ok(!codes(t, out).some((c) => c.startsWith('HA6140')));
      // Planted back: the second controller makes its own key (the old output installed none).
      const other = nodes[1]!;
      const planted = { ...out, secretFiles: out.secretFiles.filter((x) => !(x.node === other && x.path === SIGNING[2])) };
      const r = checkServices(t, planted);
      const found = r.findings.filter((d) => d.code === 'HA6140');
      assert.deepEqual(found.map((d) => d.pointer), [keystone.pointer]);
      assert.match(found[0]!.message, new RegExp(`signing key .*${other}: ${SIGNING[2]} made on the node`));
      assert.ok(r.broken.some((b) => b.service === 'keystone'), 'keystone counts as not restored by a failover');
      // UUID tokens are not signed: the same output is no finding then.
      const f = `nodes/${other}/etc/keystone/keystone.conf`;
      const uuid = family === 'grizzly' ? ['token_format = PKI', 'token_format = UUID'] : ['provider = keystone.token.providers.pki.Provider', 'provider = keystone.token.providers.uuid.Provider'];
      for (const n of nodes) planted.files.set(`nodes/${n}/etc/keystone/keystone.conf`, out.files.get(`nodes/${n}/etc/keystone/keystone.conf`)!.replace(uuid[0]!, uuid[1]!));
      assert.ok(readIni(planted.files.get(f)!).size > 0);
      assert.ok(!codes(t, planted).some((c) => c.startsWith('HA6140')));
    });
  }

  test('the old output (no [signing], nothing installed) is HA6140 for each file: the code defaults sign with PKI', () => {
    const t = topology('fixtures/havana.yaml');
    const out = compiledOutput(t);
    for (const [k, v] of out.files) if (k.endsWith('/etc/keystone/keystone.conf')) out.files.set(k, v.replace(/\n\[token\][\s\S]*$/, '\n'));
    const r = checkServices(t, { ...out, secretFiles: out.secretFiles.filter((x) => !x.path.startsWith('/etc/keystone/ssl/')) });
    assert.deepEqual(r.findings.filter((d) => d.code === 'HA6140').map((d) => d.message.split(' with a ')[1]!.split(' that ')[0]), ['signing certificate', 'signing key', 'CA certificate']);
  });
});

describe('M11: no network file that can cut a node off', () => {
  // What compile wrote for a bonded node before (templates/bond.hbs): the bond enslaves the port
  // that holds the node's address and carries none itself.
  const OLD_BOND = '# Managed by hactl\nauto bond0\niface bond0 inet manual\n    bond-slaves eth0 eth1 eth2 eth3 eth4 eth5 eth6 eth7\n    bond-mode 802.3ad\n    bond-miimon 100\n';

  test('pixelpark: bonded nodes get no network file and apply has no ifup; the old bond stanza planted back is HA6141 naming every address it drops', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    assert.ok(Object.values(t.topology.nodes).filter((n) => n.bond).length >= 5);
    assert.deepEqual([...out.files.keys()].filter((p) => p.includes('/etc/network/')), []);
    const manifest = [...emitNodeFiles(t)].find((a) => a.path === 'manifest.json')!.content;
    assert.doesNotMatch(manifest, /"ifup"|\/etc\/network\//);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6141')));
    out.files.set(nodeFilePath('stor1', '/etc/network/interfaces.d/bond0'), OLD_BOND);
    const found = checkServices(t, out).findings.filter((d) => d.code === 'HA6141');
    assert.deepEqual(found.map((d) => d.pointer), ['/nodes/stor1']);
    assert.match(found[0]!.message, /198\.51\.100\.31 \(management\), 198\.51\.100\.159 \(replication\), 198\.51\.100\.95 \(storage\)/);
  });

  test('a network file that carries every address of the node (bond and VLANs on it) is no finding', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const complete = OLD_BOND.replace('inet manual', 'inet static\n    address 198.51.100.31/26') +
      '\nauto bond0.20\niface bond0.20 inet static\n    address 198.51.100.95/26\n    vlan-raw-device bond0\n' +
      '\nauto bond0.30\niface bond0.30 inet static\n    address 198.51.100.159/26\n    vlan-raw-device bond0\n';
    out.files.set(nodeFilePath('stor1', '/etc/network/interfaces.d/bond0'), complete);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6141')));
  });
});

describe('M5: the public VIP reaches the APIs', () => {
  test('pixelpark settled: the public VIP (with Horizon), keystone and nova on one node (crm_simulate)', async () => {
    const t = topology('fixtures/pixelpark.yaml');
    const r = await rehearse(t, execaRunner(), { concurrency: 2 });
    const settled = r.clusters.find((c) => c.cluster === 'controllers')!.settled;
    const where = (s: string) => settled.find((x) => x.service === s)!.nodes.join('+');
    assert.equal(where('horizon'), where('keystone'));
    assert.equal(where('nova'), where('keystone'));
    const config = t.clusters.map((config) => ({ config })).find((b) => b.config.name === 'controllers')!.config;
    assert.ok(config.constraints.some((k) => k.kind === 'colocation' && k.rsc === 'p_ip_public' && k.withRsc === 'p_ip_api'));
  });
});

describe('M7: a remote node is not fenced for one failed connection check', () => {
  test('remote-nodes: the connection monitor is on-fail=restart; the rehearsal recovers it without fencing; removing on-fail fences (HA6025)', async () => {
    const t = topology('fixtures/valid/remote-nodes.yaml');
    const r = await rehearse(t, execaRunner(), { concurrency: 2 });
    const losses = r.clusters.flatMap((c) => c.injections).filter((x) => x.kind === 'remote-loss');
    assert.equal(losses.length, 3);
    for (const x of losses) assert.deepEqual(x.fenced, [], `${x.resource} is not fenced`);
    assert.ok(!r.findings.some((d) => d.code === 'HA6025'));
  });
});

describe('M8: ping targets are infrastructure', () => {
  test('pixelpark: no compute node among the ping targets', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const computes = Object.values(t.topology.nodes).filter((n) => n.roles.includes('compute')).flatMap((n) => Object.values(n.addresses));
    for (const { config } of t.clusters.map((config) => ({ config }))) {
      for (const p of config.resources.flatMap(primitivesOf).filter((x) => x.type === 'ping')) {
        const hosts = p.params.find((x) => x.name === 'host_list')!.value.split(' ');
        assert.ok(hosts.length > 0);
        for (const h of hosts) assert.ok(!computes.includes(h), `${p.id} pings compute node ${h}`);
      }
    }
  });
});

describe('M9: node ids do not depend on list position', () => {
  test('three-controllers without ctl1: ctl2 keeps 2 and ctl3 keeps 3 (CIB and corosync.conf)', () => {
    const full = topology('fixtures/three-controllers.yaml');
    const without = topology('fixtures/three-controllers.yaml', (s) => s.replace('nodes: [ctl1, ctl2, ctl3]', 'nodes: [ctl2, ctl3]'));
    const ids = (t: Lowered) => lowered(t).find((b) => b.config.name === 'controllers')!.config.nodes.map((n) => `${n.uname}=${n.id}`);
    assert.deepEqual(ids(full), ['ctl1=1', 'ctl2=2', 'ctl3=3']);
    assert.deepEqual(ids(without), ['ctl2=2', 'ctl3=3']);
    const corosync = emitNodeFiles(without).find((a) => a.path === 'nodes/ctl2/etc/corosync/corosync.conf')!.content;
    assert.match(corosync, /name: ctl2\n\s*nodeid: 2\n/);
    assert.match(corosync, /name: ctl3\n\s*nodeid: 3\n/);
  });

  test('a clash of derived ids is HA3090; an explicit nodeid resolves it', () => {
    const clash = (s: string) => s.replace('nodes: [ctl1, ctl2, ctl3]', 'nodes: [ctl1, ctl2, ctl3]').replace(/\n  ctl3:\n/, '\n  ctl3:\n    nodeid: 2\n');
    const r = loadTopology(clash(readFileSync(join(ROOT, 'fixtures/three-controllers.yaml'), 'utf8')), 'x.yaml');
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === 'HA3090').map((d) => d.pointer),
      ['/clusters/controllers/nodes/2'],
    );
    const ok = topology('fixtures/three-controllers.yaml', (s) => s.replace(/\n  ctl3:\n/, '\n  ctl3:\n    nodeid: 7\n'));
    assert.deepEqual(
      lowered(ok).find((b) => b.config.name === 'controllers')!.config.nodes.map((n) => n.id),
      ['1', '2', '7'],
    );
  });
});

describe('m5/m12: Horizon after its VIP is Optional; remote bans skip probes', () => {
  test('pixelpark horizon order; remote-nodes bans carry resource-discovery=never', () => {
    const pp = lowered(topology('fixtures/pixelpark.yaml')).find((b) => b.config.name === 'controllers')!.config;
    const o = pp.constraints.find((k) => k.kind === 'order' && k.then === 'p_horizon');
    assert.equal(o?.kind === 'order' ? o.orderKind : undefined, 'Optional');
    const rn = lowered(topology('fixtures/valid/remote-nodes.yaml')).find((b) => b.config.name === 'controllers')!.config;
    const bans = rn.constraints.filter((k) => k.kind === 'location' && k.rule?.expressions.some((e) => e.attribute === '#kind'));
    assert.ok(bans.length > 5);
    for (const b of bans) assert.equal(b.kind === 'location' ? b.resourceDiscovery : undefined, 'never');
  });
});

describe('availability counts a failover that does not restore the service', () => {
  test('pixelpark meets its SLA on the L3 and DHCP paths; with the L3 host defect planted back the L3 path does not', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const l3 = (o: typeof out) => estimateAvailabilityFor(t, o).paths.find((p) => p.service === 'quantum-l3-agent')!;
    const dhcp = estimateAvailabilityFor(t, out).paths.find((p) => p.service === 'quantum-dhcp-agent')!;
    assert.equal(l3(out).meetsSla, true);
    assert.equal(dhcp.meetsSla, true);
    for (const n of ['net1', 'net2']) {
      const path = `nodes/${n}/etc/quantum/l3_agent.ini`;
      out.files.set(path, out.files.get(path)!.replace(/^host = .*\n/m, ''));
    }
    const broken = l3(out);
    assert.equal(broken.meetsSla, false);
    assert.ok(broken.failover.some((f) => /does not restore/.test(f.label)));
  });
});

describe('every file an HA need reads is one hactl writes (the check cannot pass on a missing file)', () => {
  test('current profile: cinder-volume keeps one backend_host, read from the drop-in apply installs', () => {
    const t = topology('fixtures/current.yaml');
    const out = compiledOutput(t);
    const file = HA_NEEDS['cinder-volume']!.hostIdentity!.file;
    const nodes = t.topology.clusters.controllers!.services['cinder-volume']!.nodes;
    for (const n of nodes) assert.ok(typeof pick(file, 'current') === 'string' && out.files.has(nodeFilePath(n, pick(file, 'current'))), `${n} has ${pick(file, 'current')}`);
    assert.deepEqual(codes(t).filter((c) => c.startsWith('HA6051')), []);
    // Planted: each node its own backend_host, as when the value is left to the hostname.
    const planted: CompiledOutput = { ...out, files: new Map([...out.files].map(([k, v]) => [k, v.replace(/^backend_host = .*$/m, '')])) };
    assert.deepEqual(codes(t, planted).filter((c) => c.startsWith('HA6051')), ['HA6051 /clusters/controllers/services/cinder-volume']);
  });
});

describe('M12: Grizzly api-paste.ini leaves the Keystone options to [keystone_authtoken]', () => {
  // What Grizzly's packages shipped in [filter:authtoken] (2013): read before the service's
  // [keystone_authtoken], so every token was checked against 127.0.0.1 as a user named %SERVICE_USER%.
  const PACKAGED = '[filter:authtoken]\npaste.filter_factory = keystoneclient.middleware.auth_token:filter_factory\nauth_host = 127.0.0.1\nauth_port = 35357\nauth_protocol = http\nadmin_tenant_name = %SERVICE_TENANT_NAME%\nadmin_user = %SERVICE_USER%\nadmin_password = %SERVICE_PASSWORD%\n';

  test('pixelpark (grizzly): every API paste file is compiled with no HA6142; the packaged filter planted back and a missing file are HA6142', () => {
    const t = topology('fixtures/pixelpark.yaml');
    const out = compiledOutput(t);
    const paste = Object.values(HA_NEEDS).flatMap((n) => (n.pasteAuthtoken ? pick(n.pasteAuthtoken, 'grizzly') : []));
    assert.equal(paste.length, 5);
    for (const f of paste) assert.ok(out.files.has(nodeFilePath('ctl1', f)) && out.files.has(nodeFilePath('ctl2', f)), f);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6142')));

    const nova = nodeFilePath('ctl1', '/etc/nova/api-paste.ini');
    out.files.set(nova, out.files.get(nova)!.replace(/^\[filter:authtoken\][^[]*/m, `${PACKAGED}\n`));
    out.files.delete(nodeFilePath('ctl2', '/etc/glance/glance-registry-paste.ini'));
    const r = checkServices(t, out);
    const found = r.findings.filter((d) => d.code === 'HA6142').map((d) => d.message);
    assert.equal(found.length, 2);
    assert.match(found.find((m) => m.startsWith('nova'))!, /\/etc\/nova\/api-paste\.ini on ctl1 sets auth_host, auth_port, auth_protocol, admin_user, admin_password, admin_tenant_name in \[filter:authtoken\]/);
    assert.match(found.find((m) => m.startsWith('glance'))!, /\/etc\/glance\/glance-registry-paste\.ini on ctl2 is not compiled/);
    assert.ok(r.broken.some((b) => b.service === 'nova') && r.broken.some((b) => b.service === 'glance' && b.never));
  });

  test('havana: no paste file is compiled and none is needed (the middleware reads the service conf)', () => {
    const t = topology('fixtures/havana.yaml');
    const out = compiledOutput(t);
    assert.deepEqual([...out.files.keys()].filter((p) => p.includes('paste')), []);
    assert.ok(!codes(t, out).some((c) => c.startsWith('HA6142')));
  });
});
