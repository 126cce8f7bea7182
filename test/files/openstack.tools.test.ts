/**
 * The OpenStack, MySQL and RabbitMQ files read back by real parsers: python3's configparser
 * (strict: duplicate sections or options fail; no interpolation) for every INI file, Python's own
 * parser for Horizon's settings, sh for rabbitmq-env.conf; the options hold what the topology
 * says, under the names of the topology's release family.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { SECRET_REF } from '../../src/compile/files/templates.js';
import { compileFixture, FIXTURES, loadFixture, parseIni, type Compiled, type Ini } from './helpers.js';
import { needTools, runCommand } from '../helpers/spawn.js';

const skip = needTools(['python3']);

const tmp = mkdtempSync(join(tmpdir(), 'hactl-files-ini-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const NOT_INI = [/corosync\.conf$/, /\/rbdmap$/, /\/fstab$/, /\/hosts$/, /interfaces\.d\//, /\.py$/, /rabbitmq-env\.conf$/];

function materialise(name: string, c: Compiled): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [rel, content] of c.files) {
    const p = join(tmp, name, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    paths.set(rel, p);
  }
  return paths;
}

/** The host part of mysql://user:password@HOST/db?… (the password is a secret reference). */
function dbHost(url: string | undefined): string | undefined {
  return url ? /^mysql:\/\/[a-z]+:\{\{secret:[^}]+\}\}@([0-9.]+)\/[a-z]+\?charset=utf8$/.exec(url)?.[1] : undefined;
}

function vipOf(name: string, service: string): string {
  const t = loadFixture(name);
  for (const c of Object.values(t.clusters)) {
    const s = c.services[service];
    if (s?.vip) return c.vips[s.vip]!.address;
  }
  throw new Error(`no VIP for ${service}`);
}

for (const name of FIXTURES) {
  const t = loadFixture(name);
  const family = t.family!;
  const net = family === 'grizzly' ? 'quantum' : 'neutron';
  const compiled = compileFixture(name);
  const paths = materialise(name, compiled);
  const iniRels = [...paths.keys()].filter((r) => !NOT_INI.some((re) => re.test(r)));
  const ini: Record<string, Ini> = {};
  const parsed = parseIni(iniRels.map((r) => paths.get(r)!));
  for (const r of iniRels) ini[r] = parsed[paths.get(r)!]!;
  const at = (node: string, target: string): Ini => {
    const v = ini[`nodes/${node}${target}`];
    assert.ok(v, `no INI ${target} on ${node}`);
    return v;
  };
  const api = vipOf(name, 'mysql');
  const ctl = 'ctl1';

  test(`${name}: every INI file (${iniRels.length}) parses with the strict configparser`, { skip }, () => {
    assert.ok(iniRels.length >= 15);
    // The core plugin's file is among them (ML2's from Icehouse), on every node that reads it.
    const plugin = family === 'icehouse' ? '/etc/neutron/plugins/ml2/ml2_conf.ini' : `/etc/${net}/plugins/openvswitch/ovs_${net}_plugin.ini`;
    const readers = compiled.manifest.files.filter((f) => f.path === plugin);
    assert.ok(readers.length >= 2, `${plugin} is compiled`);
    for (const f of readers) assert.ok(iniRels.includes(f.source), `${f.source} is parsed`);
  });

  test(`${name}: Grizzly API paste files parse with the strict configparser and their [filter:authtoken] names only its factory (HA review M12)`, { skip }, () => {
    const paste = ['/etc/nova/api-paste.ini', '/etc/glance/glance-api-paste.ini', '/etc/glance/glance-registry-paste.ini', '/etc/cinder/api-paste.ini', '/etc/quantum/api-paste.ini'];
    const compiledPaste = compiled.manifest.files.filter((f) => paste.includes(f.path));
    if (family !== 'grizzly') {
      // Havana's packages read the middleware's options from the service's conf: hactl leaves theirs.
      assert.deepEqual(compiledPaste, []);
      return;
    }
    assert.deepEqual([...new Set(compiledPaste.map((f) => f.path))].sort(), [...paste].sort());
    for (const f of compiledPaste) {
      const p = ini[f.source];
      assert.ok(p, `${f.source} is parsed`);
      assert.deepEqual(p['filter:authtoken'], { 'paste.filter_factory': 'keystoneclient.middleware.auth_token:filter_factory' }, f.source);
      // The options the middleware then takes come from the service's own [keystone_authtoken].
      assert.deepEqual(f.secrets, []);
    }
    for (const [conf, section] of [['/etc/nova/nova.conf', 'composite:openstack_compute_api_v2'], ['/etc/cinder/cinder.conf', 'composite:openstack_volume_api_v1'], ['/etc/quantum/quantum.conf', 'composite:quantumapi_v2_0']] as const) {
      const strategy = at(ctl, conf)['DEFAULT']!['auth_strategy']!;
      const pasteFile = compiledPaste.find((f) => f.node === ctl && f.path.startsWith(conf.slice(0, conf.lastIndexOf('/'))))!;
      assert.match(ini[pasteFile.source]![section]![strategy]!, /\bauthtoken\b/, `${pasteFile.source} [${section}] ${strategy}`);
    }
    assert.equal(at(ctl, '/etc/nova/nova.conf')['keystone_authtoken']!['admin_user'], 'nova');
    for (const g of ['api', 'registry']) {
      const flavor = at(ctl, `/etc/glance/glance-${g}.conf`)['paste_deploy']!['flavor'];
      assert.match(at(ctl, `/etc/glance/glance-${g}-paste.ini`)[`pipeline:glance-${g}-${flavor}`]!['pipeline']!, /\bauthtoken\b/);
    }
  });

  test(`${name}: nova.conf has the database, RabbitMQ, Glance and ${net} at the VIPs (${family} option names)`, { skip }, () => {
    const nova = at(ctl, '/etc/nova/nova.conf');
    const conn = family === 'grizzly' ? nova['DEFAULT']!['sql_connection'] : nova['database']?.['connection'];
    assert.equal(dbHost(conn), api, `database connection ${conn}`);
    if (family === 'grizzly') assert.equal(nova['database'], undefined);
    else assert.equal(nova['DEFAULT']!['sql_connection'], undefined);
    assert.equal(nova['DEFAULT']!['rabbit_host'], vipOf(name, 'rabbitmq'));
    assert.equal(nova['DEFAULT']!['glance_api_servers'], `${vipOf(name, 'glance')}:9292`);
    assert.equal(nova['DEFAULT']![`${net}_url`], `http://${vipOf(name, `${net}-server`)}:9696`);
    assert.equal(nova['DEFAULT']!['network_api_class'], `nova.network.${net}v2.api.API`);
    assert.equal(nova['DEFAULT']!['instances_path'], t.compute!.instances!.mount);
    const libvirt = family === 'icehouse' ? nova['libvirt']! : nova['DEFAULT']!;
    assert.equal(libvirt['rbd_user'], 'cinder');
    assert.match(libvirt['rbd_secret_uuid']!, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(nova['keystone_authtoken']!['auth_host'], vipOf(name, 'keystone'));
  });

  test(`${name}: compute nodes' nova.conf reaches the VIPs but holds no database credentials`, { skip }, () => {
    const nova = at('cmp1', '/etc/nova/nova.conf');
    assert.equal(nova['DEFAULT']!['rabbit_host'], vipOf(name, 'rabbitmq'));
    assert.equal(nova['DEFAULT']!['my_ip'], t.nodes['cmp1']!.addresses['management']);
    assert.equal(nova['DEFAULT']!['sql_connection'], undefined);
    assert.equal(nova['database'], undefined);
    assert.equal(nova['keystone_authtoken'], undefined);
  });

  test(`${name}: instance boots do not wait for port events that nobody sends (${family})`, { skip }, () => {
    const nova = at('cmp1', '/etc/nova/nova.conf');
    const server = at(ctl, `/etc/${net}/${net}.conf`);
    if (family === 'icehouse') {
      assert.equal(nova['DEFAULT']!['vif_plugging_is_fatal'], 'False');
      assert.equal(nova['DEFAULT']!['vif_plugging_timeout'], '0');
      assert.equal(server['DEFAULT']!['notify_nova_on_port_status_changes'], 'False');
      assert.equal(server['DEFAULT']!['notify_nova_on_port_data_changes'], 'False');
    } else {
      // The options and the wait do not exist before Icehouse.
      assert.equal(nova['DEFAULT']!['vif_plugging_is_fatal'], undefined);
      assert.equal(server['DEFAULT']!['notify_nova_on_port_status_changes'], undefined);
    }
  });

  test(`${name}: cinder.conf uses the RBD driver on the volumes pool with one shared host=`, { skip }, () => {
    const hosts = new Set<string>();
    for (const node of ['ctl1', 'ctl2']) {
      const c = at(node, '/etc/cinder/cinder.conf')['DEFAULT']!;
      assert.equal(c['volume_driver'], 'cinder.volume.drivers.rbd.RBDDriver');
      assert.equal(c['rbd_pool'], 'volumes');
      assert.equal(c['rbd_user'], 'cinder');
      const nova = at(node, '/etc/nova/nova.conf');
      assert.equal(c['rbd_secret_uuid'], (family === 'icehouse' ? nova['libvirt'] : nova['DEFAULT'])!['rbd_secret_uuid'], 'cinder and nova name the same libvirt secret');
      // rbd_ceph_conf is a Havana option; Grizzly's driver does not know it.
      assert.equal(c['rbd_ceph_conf'], family === 'grizzly' ? undefined : '/etc/ceph/ceph.conf');
      hosts.add(c['host']!);
    }
    assert.equal(hosts.size, 1);
  });

  test(`${name}: glance stores images in RBD; keystone and glance reach the database at the VIP`, { skip }, () => {
    const g = at(ctl, '/etc/glance/glance-api.conf');
    assert.equal(g['DEFAULT']!['default_store'], 'rbd');
    assert.equal(g['DEFAULT']!['rbd_store_pool'], 'images');
    assert.equal(g['DEFAULT']!['rbd_store_user'], 'glance');
    assert.equal(g['DEFAULT']!['rbd_store_ceph_conf'], '/etc/ceph/ceph.conf');
    const reg = at(ctl, '/etc/glance/glance-registry.conf');
    const gconn = family === 'icehouse' ? reg['database']!['connection'] : reg['DEFAULT']!['sql_connection'];
    assert.equal(dbHost(gconn), api);
    const k = at(ctl, '/etc/keystone/keystone.conf');
    const kconn = (family === 'icehouse' ? k['database'] : k['sql'])!['connection'];
    assert.equal(dbHost(kconn), api);
    assert.equal(k['DEFAULT']!['admin_token'], '{{secret:keystone-admin-token|oslo}}');
  });

  test(`${name}: ${net} server, agents and core plugin files use the ${family} names`, { skip }, () => {
    const netNode = t.nodes['net1'] ? 'net1' : 'ctl1';
    const conf = at(netNode, `/etc/${net}/${net}.conf`);
    assert.equal(conf['DEFAULT']!['rabbit_host'], vipOf(name, 'rabbitmq'));
    if (family === 'icehouse') {
      // Icehouse: ML2 with the openvswitch mechanism driver, routers from the L3 service plugin.
      assert.equal(conf['DEFAULT']!['core_plugin'], 'ml2');
      assert.equal(conf['DEFAULT']!['service_plugins'], 'router');
      assert.equal(ini[`nodes/${netNode}/etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini`], undefined, 'no monolithic plugin file');
      const ml2 = at(netNode, '/etc/neutron/plugins/ml2/ml2_conf.ini');
      assert.deepEqual(ml2['ml2'], { type_drivers: 'gre', tenant_network_types: 'gre', mechanism_drivers: 'openvswitch' });
      assert.equal(ml2['ml2_type_gre']!['tunnel_id_ranges'], '1:1000');
      assert.equal(ml2['ovs']!['local_ip'], t.nodes[netNode]!.addresses['management']);
      assert.equal(ml2['ovs']!['enable_tunneling'], 'True');
      assert.equal(ml2['agent']!['tunnel_types'], 'gre');
      assert.equal(ml2['securitygroup']!['firewall_driver'], 'neutron.agent.linux.iptables_firewall.OVSHybridIptablesFirewallDriver');
      // The compute node's OVS agent reads the same file with its own tunnel endpoint.
      assert.equal(at('cmp1', '/etc/neutron/plugins/ml2/ml2_conf.ini')['ovs']!['local_ip'], t.nodes['cmp1']!.addresses['management']);
    } else {
      assert.match(conf['DEFAULT']!['core_plugin']!, new RegExp(`^${net}\\.plugins\\.openvswitch\\.`));
      const plugin = at(netNode, `/etc/${net}/plugins/openvswitch/ovs_${net}_plugin.ini`);
      const ovs = plugin[family === 'grizzly' ? 'OVS' : 'ovs']!;
      assert.equal(ovs['local_ip'], t.nodes[netNode]!.addresses['management']);
      assert.equal(ovs['tenant_network_type'], 'gre');
    }
    assert.equal(at(netNode, `/etc/${net}/dhcp_agent.ini`)['DEFAULT']!['interface_driver'], `${net}.agent.linux.interface.OVSInterfaceDriver`);
    // three-controllers pins the L3 agent to ctl2 and ctl3: only they get its file.
    const l3Node = t.nodes['net1'] ? 'net1' : 'ctl2';
    assert.equal(at(l3Node, `/etc/${net}/l3_agent.ini`)['DEFAULT']!['external_network_bridge'], 'br-ex');
    if (!t.nodes['net1']) assert.equal(ini[`nodes/ctl1/etc/${net}/l3_agent.ini`], undefined);
    assert.equal(at(netNode, `/etc/${net}/metadata_agent.ini`)['DEFAULT']!['nova_metadata_ip'], vipOf(name, 'nova'));
    // The server keeps the database; Havana moved it from the plugin file into [database].
    const server = at(ctl, `/etc/${net}/${net}.conf`);
    if (family === 'grizzly') assert.equal(dbHost(at(ctl, `/etc/${net}/plugins/openvswitch/ovs_${net}_plugin.ini`)['DATABASE']!['sql_connection']), api);
    else assert.equal(dbHost(server['database']!['connection']), api);
  });

  test(`${name}: MySQL binds to the VIP with its data on the RBD mount; RabbitMQ listens on the VIP`, { skip }, () => {
    const my = at(ctl, '/etc/mysql/conf.d/hactl.cnf')['mysqld']!;
    assert.equal(my['bind-address'], api);
    assert.equal(my['datadir'], '/var/lib/mysql');
    const env = paths.get(`nodes/${ctl}/etc/rabbitmq/rabbitmq-env.conf`)!;
    const r = runCommand('sh', ['-c', '. "$1"; printf %s "$NODE_IP_ADDRESS"', 'sh', env]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, vipOf(name, 'rabbitmq'));
  });

  test(`${name}: Horizon's local_settings.py runs in Python: the key and database password from their secret files, sessions in MySQL at its VIP, the same on every Horizon node (review C5)`, { skip }, () => {
    // The settings are executed with Django's translation import stubbed and the two secret files
    // redirected to stand-ins: what Django would see, with nothing of it in the file itself.
    const script = `
import builtins, json, os, sys, tempfile, types
stub = types.ModuleType('django.utils.translation'); stub.ugettext_lazy = lambda s: s
for m in ('django', 'django.utils'): sys.modules[m] = types.ModuleType(m)
sys.modules['django.utils.translation'] = stub
d = tempfile.mkdtemp()
given = {'/etc/openstack-dashboard/secret_key': 'k3y-from-secret\\n', '/etc/openstack-dashboard/db_password': 'db-pw-from-secret'}
for path, text in given.items():
    with open(os.path.join(d, os.path.basename(path)), 'w') as f: f.write(text)
real = builtins.open
def redirected(path, *a, **k):
    if path not in given: raise AssertionError('local_settings.py opened ' + path)
    return real(os.path.join(d, os.path.basename(path)), *a, **k)
out = {}
for settings in sys.argv[1:]:
    g = {'__builtins__': dict(vars(builtins), open=redirected)}
    exec(compile(real(settings).read(), settings, 'exec'), g)
    out[settings] = {k: g[k] for k in ('SECRET_KEY', 'SESSION_ENGINE', 'DATABASES', 'OPENSTACK_HOST')}
print(json.dumps(out))
`;
    const horizon = [...paths.keys()].filter((p) => p.endsWith('/etc/openstack-dashboard/local_settings.py')).sort();
    assert.ok(horizon.length >= 2, 'Horizon is configured on more than one node');
    const r = runCommand('python3', ['-c', script, ...horizon.map((p) => paths.get(p)!)]);
    assert.equal(r.code, 0, r.stderr);
    const all = Object.values(JSON.parse(r.stdout) as Record<string, Record<string, unknown>>);
    for (const v of all) assert.deepEqual(v, all[0], 'every Horizon node has the same settings');
    const v = all[0]!;
    assert.equal(v['OPENSTACK_HOST'], vipOf(name, 'keystone'));
    assert.equal(v['SECRET_KEY'], 'k3y-from-secret');
    // Not signed cookies: a session lives in the database, which moves with its VIP.
    assert.equal(v['SESSION_ENGINE'], 'django.contrib.sessions.backends.db');
    assert.deepEqual(v['DATABASES'], { default: { ENGINE: 'django.db.backends.mysql', NAME: 'horizon', USER: 'horizon', PASSWORD: 'db-pw-from-secret', HOST: vipOf(name, 'mysql') } });
    const nodes = horizon.map((p) => p.split('/')[1]!);
    for (const target of ['/etc/openstack-dashboard/secret_key', '/etc/openstack-dashboard/db_password']) {
      const installed = compiled.manifest.secretFiles.filter((f) => f.path === target);
      assert.deepEqual(installed.map((f) => f.node).sort(), nodes, `${target} on every Horizon node`);
      assert.equal(new Set(installed.map((f) => f.secret)).size, 1, `${target}: one secret on every node`);
      assert.ok(installed.every((f) => f.mode === '0640' && f.group === 'www-data'));
    }
    const [key, db] = ['/etc/openstack-dashboard/secret_key', '/etc/openstack-dashboard/db_password'].map((p) => compiled.manifest.secretFiles.find((f) => f.path === p)!.secret);
    assert.notEqual(key, db, 'the key and the database password are different secrets');
  });

  test(`${name}: every secret reference is well-formed, oslo-encoded in oslo files and listed in the manifest`, { skip }, () => {
    let refs = 0;
    for (const f of compiled.manifest.files) {
      const content = compiled.files.get(f.source)!;
      const names = new Set<string>();
      for (const m of content.matchAll(SECRET_REF)) {
        names.add(m[1]!);
        refs++;
        if (!NOT_INI.some((re) => re.test(f.source)) && !f.path.startsWith('/etc/ceph') && !f.path.startsWith('/etc/mysql')) assert.match(m[2]!, /\|oslo$/, `${f.source}: ${m[0]}`);
      }
      // Nothing that looks like a reference but is not one (apply would leave it unresolved).
      assert.equal(content.split('{{').length - 1, [...content.matchAll(SECRET_REF)].length, `${f.source}: stray '{{'`);
      assert.deepEqual([...names].sort(), f.secrets, f.source);
      if (f.secrets.length) assert.ok(f.mode === '0640' || f.mode === '0600', `${f.source} holds secrets but has mode ${f.mode}`);
      for (const s of f.secrets) assert.ok(t.secrets[s], `${f.source} refers to undefined secret ${s}`);
    }
    assert.ok(refs > 20);
  });
}

test('the strict configparser does refuse a duplicate option (the INI check can fail)', { skip }, () => {
  const p = join(tmp, 'dup.conf');
  writeFileSync(p, '[DEFAULT]\nrbd_pool = volumes\nrbd_pool = other\n');
  assert.throws(() => parseIni([p]), /DuplicateOptionError|already exists/);
});
