/**
 * The files of the current profile (fixtures/current.yaml, 2025.1) read back by their real
 * parsers: haproxy.cfg by `haproxy -c`, every oslo drop-in and the Galera drop-in by python3's
 * strict configparser, ceph.conf by ceph-conf; and the HA options they carry say what the
 * topology says (every broker, every memcached, the database at HAProxy's VIP, one Galera backend
 * active, the OVN databases at their VIP, one backend_host).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { compileFixture, fileOf, parseIni } from './helpers.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { ROOT } from '../helpers/cli.js';
import { loadTopology } from '../../src/load.js';

const skip = needTools(['python3', 'haproxy', 'ceph-conf']);
const tmp = mkdtempSync(join(tmpdir(), 'hactl-current-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const CONTROLLERS = ['ctl1', 'ctl2', 'ctl3'];
const ADDRESS: Record<string, string> = { ctl1: '198.51.100.11', ctl2: '198.51.100.12', ctl3: '198.51.100.13' };
const INTERNAL = '198.51.100.10';
const PUBLIC = '203.0.113.10';

function write(rel: string, content: string): string {
  const p = join(tmp, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

const c = skip ? undefined : compileFixture('current');

test('haproxy -c accepts every controller haproxy.cfg; one frontend per API at each VIP, backends on every controller', { skip }, () => {
  for (const n of CONTROLLERS) {
    const text = fileOf(c!, n, '/etc/haproxy/haproxy.cfg');
    const r = runCommand('haproxy', ['-c', '-f', write(`${n}/haproxy.cfg`, text)]);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const keystone = /listen keystone\n([\s\S]*?)(\n\n|$)/.exec(text)![1]!;
    assert.match(keystone, new RegExp(`bind ${INTERNAL}:5000 transparent`));
    assert.match(keystone, new RegExp(`bind ${PUBLIC}:5000 transparent`));
    assert.match(keystone, /option httpchk GET \/v3/);
    for (const b of CONTROLLERS) assert.match(keystone, new RegExp(`server ${b} ${ADDRESS[b]}:5000 check`));
    // The database: internal VIP only, one active member, the others backups.
    const galera = /listen galera\n([\s\S]*?)(\n\n|$)/.exec(text)![1]!;
    assert.doesNotMatch(galera, new RegExp(PUBLIC));
    assert.equal(galera.match(/^ {4}server .* check .*$/gm)!.length, 3);
    assert.equal(galera.match(/ backup$/gm)!.length, 2);
  }
  // The same file on every controller: the VIPs may land on any of them.
  assert.equal(new Set(CONTROLLERS.map((n) => fileOf(c!, n, '/etc/haproxy/haproxy.cfg'))).size, 1);
});

test('haproxy -c refuses a frontend whose backend line is broken (the check is real)', { skip }, () => {
  const text = fileOf(c!, 'ctl1', '/etc/haproxy/haproxy.cfg').replace(/check inter 2s/, 'check inter');
  const r = runCommand('haproxy', ['-c', '-f', write('broken/haproxy.cfg', text)]);
  assert.notEqual(r.code, 0);
});

test('oslo drop-ins and the Galera drop-in parse strictly; transport_url lists every broker, memcache_servers every controller', { skip }, () => {
  const drops = [...c!.files.keys()].filter((r) => /\.conf\.d\/60-hactl\.conf$/.test(r) || r.endsWith('60-hactl-galera.cnf'));
  assert.ok(drops.length >= 16, `only ${drops.length} drop-ins`);
  const parsed = parseIni(drops.map((r) => write(r, c!.files.get(r)!)));
  const ini = (rel: string) => parsed[join(tmp, rel)]!;
  const brokers = CONTROLLERS.map((n) => `openstack:{{secret:rabbitmq|url|oslo}}@${ADDRESS[n]}:5672`).join(',');
  const memcache = CONTROLLERS.map((n) => `${ADDRESS[n]}:11211`).join(',');
  for (const n of CONTROLLERS) {
    const nova = ini(`nodes/${n}/etc/nova/nova.conf.d/60-hactl.conf`);
    assert.equal(nova['DEFAULT']!['transport_url'], `rabbit://${brokers}/`);
    assert.equal(nova['oslo_messaging_rabbit']!['rabbit_quorum_queue'], 'true');
    assert.equal(nova['cache']!['memcache_servers'], memcache);
    assert.equal(nova['keystone_authtoken']!['memcached_servers'], memcache);
    assert.match(nova['database']!['connection']!, new RegExp(`@${INTERNAL}/nova$`));
    assert.equal(nova['DEFAULT']!['osapi_compute_listen'], ADDRESS[n]);
    const neutron = ini(`nodes/${n}/etc/neutron/neutron.conf.d/60-hactl.conf`);
    assert.equal(neutron['ml2']!['mechanism_drivers'], 'ovn');
    assert.equal(neutron['ovn']!['ovn_nb_connection'], 'tcp:198.51.100.9:6641');
    assert.equal(neutron['ovn']!['ovn_sb_connection'], 'tcp:198.51.100.9:6642');
    const cinder = ini(`nodes/${n}/etc/cinder/cinder.conf.d/60-hactl.conf`);
    assert.equal(cinder['rbd']!['backend_host'], 'cinder-controllers');
    const keystone = ini(`nodes/${n}/etc/keystone/keystone.conf.d/60-hactl.conf`);
    assert.match(keystone['database']!['connection']!, new RegExp(`^mysql\\+pymysql://keystone:.*@${INTERNAL}/keystone$`));
    const galera = ini(`nodes/${n}/etc/mysql/mariadb.conf.d/60-hactl-galera.cnf`);
    assert.equal(galera['galera']!['wsrep_cluster_address'], `gcomm://${CONTROLLERS.map((x) => ADDRESS[x]).join(',')}`);
    assert.equal(galera['galera']!['bind-address'], ADDRESS[n]);
  }
  // A compute node: nova-compute's drop-in, instances in the RBD pool, no database credentials.
  const compute = ini('nodes/cmp1/etc/nova/nova.conf.d/60-hactl.conf');
  assert.equal(compute['libvirt']!['images_type'], 'rbd');
  assert.equal(compute['libvirt']!['images_rbd_pool'], 'vms');
  assert.equal(compute['database'], undefined);
  assert.equal(compute['api_database'], undefined);
});

test('ceph-conf reads every node ceph.conf of the current fixture: the minimal BlueStore file with PG autoscaling', { skip }, () => {
  for (const [rel, content] of c!.files) {
    if (!rel.endsWith('/etc/ceph/ceph.conf')) continue;
    const r = runCommand('ceph-conf', ['-c', write(rel, content), '--lookup', 'fsid']);
    assert.equal(r.code, 0, `${rel}: ${r.stderr}`);
    assert.equal(r.stdout.trim(), '2a7c4e1d-9b3f-4c8e-a6d5-0f1e2d3c4b5a');
    // BlueStore's minimal file: monitors by address, PG autoscaling, nothing of filestore.
    const look = (key: string) => runCommand('ceph-conf', ['-c', join(tmp, rel), '--lookup', key]).stdout.trim();
    assert.equal(look('mon_host'), '198.51.100.75,198.51.100.76,198.51.100.77');
    assert.equal(look('osd_pool_default_pg_autoscale_mode'), 'on');
    assert.doesNotMatch(content, /filestore|journal|osd mkfs|osd mount|^\[(osd|mon)\b/m);
  }
});

/**
 * rabbitmq.conf as RabbitMQ's configuration parser (cuttlefish) reads it, strictly: a line is
 * blank, a comment, or `key = value` with a dotted lower-case key and a value with no comment in
 * it; a key set twice is an error (cuttlefish keeps the last, hiding the first).
 */
function parseRabbitConf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const m = /^([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*) = ([^\s#](?:[^#]*[^\s#])?)$/.exec(line);
    if (!m) throw new Error(`line ${i + 1} is no key = value: ${JSON.stringify(line)}`);
    if (out.has(m[1]!)) throw new Error(`line ${i + 1}: ${m[1]} set twice`);
    out.set(m[1]!, m[2]!);
  }
  return out;
}

test('rabbitmq.conf parses strictly on every broker: every member by node name, pause_minority, quorum queues on every broker, listeners on the management address', { skip }, () => {
  assert.throws(() => parseRabbitConf('listeners.tcp.1 = 198.51.100.11:5672 # AMQP\n'), /no key = value/);
  assert.throws(() => parseRabbitConf('a.b = 1\na.b = 2\n'), /set twice/);
  for (const n of CONTROLLERS) {
    const conf = parseRabbitConf(fileOf(c!, n, '/etc/rabbitmq/rabbitmq.conf'));
    assert.equal(conf.get('cluster_formation.peer_discovery_backend'), 'classic_config');
    const members = [...conf].filter(([k]) => k.startsWith('cluster_formation.classic_config.nodes.')).map(([, v]) => v);
    assert.deepEqual(members, CONTROLLERS.map((x) => `rabbit@${x}`));
    assert.equal(conf.get('cluster_partition_handling'), 'pause_minority');
    assert.equal(conf.get('quorum_queue.continuous_membership_reconciliation.enabled'), 'true');
    assert.equal(conf.get('quorum_queue.continuous_membership_reconciliation.target_group_size'), String(CONTROLLERS.length));
    // Every listener on this node's management address, none on a VIP or a wildcard.
    const listeners = [...conf].filter(([k]) => k.startsWith('listeners.') || k.startsWith('distribution.listener.'));
    assert.ok(listeners.length >= 2);
    for (const [k, v] of listeners) assert.ok(v === ADDRESS[n] || v.startsWith(`${ADDRESS[n]}:`), `${n} ${k} = ${v}`);
  }
  // The Erlang cookie: one secret on every broker, installed 0400 rabbitmq:rabbitmq, nowhere else.
  const cookies = c!.manifest.secretFiles.filter((f) => f.path === '/var/lib/rabbitmq/.erlang.cookie');
  assert.deepEqual(cookies.map((f) => f.node).sort(), CONTROLLERS);
  for (const f of cookies) assert.deepEqual([f.secret, f.owner, f.group, f.mode], ['rabbitmq-erlang-cookie', 'rabbitmq', 'rabbitmq', '0400']);
});

test("Keystone's key repositories: every slot from its own secret, the same on every keystone node, 0600 keystone:keystone, and nowhere else", { skip }, () => {
  const keys = c!.manifest.secretFiles.filter((f) => /^\/etc\/keystone\/(fernet|credential)-keys\//.test(f.path));
  const slots = ['0', '1', '2'];
  const want = ['credential', 'fernet'].flatMap((kind) => slots.map((i) => `/etc/keystone/${kind}-keys/${i} keystone-${kind}-${i}`));
  for (const n of CONTROLLERS) {
    const mine = keys.filter((f) => f.node === n);
    assert.deepEqual(mine.map((f) => `${f.path} ${f.secret}`).sort(), want);
    for (const f of mine) {
      assert.deepEqual([f.owner, f.group, f.mode], ['keystone', 'keystone', '0600'], f.path);
      // Keystone reads the repositories on every token and credential operation: no restart.
      assert.deepEqual(f.onChange, { kind: 'none' }, f.path);
    }
    // The drop-in keeps as many Fernet keys as there are slots, in the repositories apply fills.
    const ks = parseIni([write(`keys/${n}/60-hactl.conf`, fileOf(c!, n, '/etc/keystone/keystone.conf.d/60-hactl.conf'))])[join(tmp, `keys/${n}/60-hactl.conf`)]!;
    assert.equal(ks['fernet_tokens']!['max_active_keys'], String(slots.length));
    assert.equal(ks['fernet_tokens']!['key_repository'], '/etc/keystone/fernet-keys/');
    assert.equal(ks['credential']!['key_repository'], '/etc/keystone/credential-keys/');
  }
  assert.deepEqual([...new Set(keys.map((f) => f.node))].sort(), CONTROLLERS);
});

test('a key slot without its secret is a hole (HA3952) at the keystone service, not a repository with a key missing', { skip }, () => {
  const text = readFileSync(join(ROOT, 'fixtures', 'current.yaml'), 'utf8').replace(/^ {2}keystone-fernet-1: .*\n/m, '');
  const r = loadTopology(text, 'current.yaml');
  const holes = r.diagnostics.filter((d) => d.code === 'HA3952');
  assert.ok(!r.ok);
  assert.deepEqual([...new Set(holes.map((d) => d.pointer))], ['/clusters/controllers/services/keystone']);
  assert.ok(holes.every((d) => d.message.includes('keystone-fernet-1')));
});

test("Horizon's drop-in runs in python3: memcached at every controller for sessions, Keystone at HAProxy's VIP, the one SECRET_KEY apply installs", { skip }, () => {
  const key = write('horizon/secret_key', 'not-the-real-key\n');
  for (const n of CONTROLLERS) {
    const text = fileOf(c!, n, '/etc/openstack-dashboard/local_settings.d/_60_hactl.py');
    // The file opens the key where apply installs it; here it opens a stand-in.
    assert.equal(text.split("'/etc/openstack-dashboard/secret_key'").length, 2);
    const file = write(`horizon/${n}/_60_hactl.py`, text.replace("'/etc/openstack-dashboard/secret_key'", JSON.stringify(key)));
    const r = runCommand('python3', ['-c', 'import json, runpy, sys\ns = runpy.run_path(sys.argv[1])\nprint(json.dumps({k: s[k] for k in ("CACHES", "SESSION_ENGINE", "OPENSTACK_KEYSTONE_URL", "SECRET_KEY")}))', file]);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { CACHES: { default: { BACKEND: string; LOCATION: string[] } }; SESSION_ENGINE: string; OPENSTACK_KEYSTONE_URL: string; SECRET_KEY: string };
    assert.deepEqual(s.CACHES.default.LOCATION, CONTROLLERS.map((x) => `${ADDRESS[x]}:11211`));
    assert.equal(s.CACHES.default.BACKEND, 'django.core.cache.backends.memcached.PyMemcacheCache');
    assert.equal(s.SESSION_ENGINE, 'django.contrib.sessions.backends.cache');
    assert.equal(s.OPENSTACK_KEYSTONE_URL, `http://${INTERNAL}:5000/v3`);
    assert.equal(s.SECRET_KEY, 'not-the-real-key');
  }
  const keys = c!.manifest.secretFiles.filter((f) => f.path === '/etc/openstack-dashboard/secret_key');
  assert.deepEqual(keys.map((f) => `${f.node} ${f.secret} ${f.owner}:${f.group} ${f.mode}`).sort(), CONTROLLERS.map((n) => `${n} horizon-secret-key root:www-data 0640`));
});

test('keystone, placement and horizon listen on their node\'s management address, at the port of HAProxy\'s backend there: no wildcard socket takes the VIP\'s port from HAProxy', { skip }, () => {
  for (const n of CONTROLLERS) {
    const haproxy = fileOf(c!, n, '/etc/haproxy/haproxy.cfg');
    const backend = (name: string) => new RegExp(`listen ${name}\\n[\\s\\S]*?server ${n} (\\S+) check`).exec(haproxy)![1]!;
    // Debian's init scripts build DAEMON_ARGS with a wildcard socket, then source /etc/default/<name>.
    for (const [file, api, ini] of [
      ['/etc/default/keystone', 'keystone', '/etc/keystone/keystone-uwsgi.ini'],
      ['/etc/default/placement-api', 'placement', '/etc/placement/placement-api-uwsgi.ini'],
    ] as const) {
      const sourced = write(`listen/${n}/${api}`, fileOf(c!, n, file));
      const port = backend(api).split(':').pop();
      const r = runCommand('sh', ['-ec', `DAEMON_ARGS="--http-socket :${port} --ini ${ini}"; . "$1"; printf '%s' "$DAEMON_ARGS"`, 'sh', sourced]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `--http-socket ${backend(api)} --ini ${ini}`, `${n} ${api}`);
      assert.equal(backend(api), `${ADDRESS[n]}:${port}`);
    }
    const ports = fileOf(c!, n, '/etc/apache2/ports.conf');
    const listens = [...ports.matchAll(/^\s*Listen\s+(\S+)$/gm)].map((m) => m[1]!);
    assert.deepEqual(listens, [backend('horizon'), `${ADDRESS[n]}:443`, `${ADDRESS[n]}:443`]);
    assert.ok(listens.every((l) => l.startsWith(`${ADDRESS[n]}:`)), `${n}: a Listen without the node's address binds every address`);
  }
});
