/**
 * Adding a service is adding data: a catalogue entry with its endpoint, the file its processes
 * read, and the file's template, given through the library alone (no source file touched). The
 * service's own endpoint reaches its file; a topology without its VIP is an error naming the
 * endpoint; a template that cannot render names the template and the node. The facts templates
 * read about services (`here`, `svc`, `ceph.client`: the VIP a daemon binds to, its mount, a host
 * shared by the cluster, how many nodes run it at once, its cephx pool) come from the entry and
 * the topology too, so a new service gets them without a line of code.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { parse } from 'yaml';
import { pick, SERVICES } from '../../src/catalog/index.js';
import { OPENSTACK_FILES } from '../../src/compile/files/openstack.js';
import * as hactl from '../../src/index.js';
import { FAMILIES } from '../../src/vocabulary.js';
import { ROOT } from '../helpers/cli.js';

const HEAT: hactl.ServiceEntry = {
  key: 'heat',
  name: 'heat',
  summary: 'OpenStack Orchestration API (test data)',
  families: ['havana', 'icehouse'],
  endpoint: { what: 'the orchestration API (service heat with a VIP)' },
  secrets: [{ id: 'heat-db', what: 'the password of MySQL user heat (test data)' }],
  modes: ['active-passive'],
  defaultMode: 'active-passive',
  roles: ['controller'],
  processes: [{ id: 'heat-api', daemon: 'heat-api', agent: 'ocf:openstack:heat-api', operations: [{ name: 'monitor', interval: '20s', timeout: '30s' }] }],
  after: ['mysql', 'rabbitmq', 'keystone'],
};

const HEAT_CONF: hactl.OpenStackFile = {
  id: 'heat',
  template: 'heat.conf',
  target: '/etc/heat/heat.conf',
  grammar: 'oslo',
  group: 'heat',
  readers: [{ key: 'heat' }],
  needs: ['mysql', 'rabbitmq', 'keystone', 'heat'],
  secrets: ['heat-db', 'rabbitmq'],
};

const TEMPLATE = `[DEFAULT]
heat_metadata_server_url = http://{{ep.heat.host}}:8000
rabbit_host = {{ep.rabbitmq.host}}
rabbit_password = {{secret secrets.rabbitmq}}
region_name_for_services = {{region}}

[database]
connection = mysql://heat:{{secret secrets.heat-db "url"}}@{{ep.mysql.host}}/heat?charset=utf8

[keystone_authtoken]
auth_host = {{ep.keystone.host}}
`;

/** A heat-engine that keeps state on an RBD image and is one `host=` to the API, as data. */
const ENGINE: hactl.ServiceEntry = {
  key: 'heat-engine',
  as: 'engine',
  name: 'heat-engine',
  summary: 'OpenStack Orchestration engine (test data)',
  families: ['havana', 'icehouse'],
  modes: ['active-passive', 'active-active'],
  defaultMode: 'active-passive',
  roles: ['controller'],
  storage: { mount: '/var/lib/heat' },
  sharedHost: 'heat-engine',
  processes: [{ id: 'heat-engine', daemon: 'heat-engine', agent: 'ocf:openstack:heat-engine', operations: [{ name: 'monitor', interval: '20s', timeout: '30s' }] }],
  after: ['mysql', 'rabbitmq', 'keystone'],
};

const ENGINE_CONF: hactl.OpenStackFile = {
  id: 'heat-engine',
  template: 'heat-engine.conf',
  target: '/etc/heat/heat-engine.conf',
  grammar: 'oslo',
  group: 'heat',
  readers: [{ key: 'heat-engine' }],
  needs: ['rabbitmq'],
  pools: ['heat'],
  secrets: [],
};

const ENGINE_TEMPLATE = `[DEFAULT]
host = {{here.engine.host}}
bind_host = {{here.engine.vip}}
lock_path = {{here.engine.mount}}/lock
{{#if svc.engine.activeNodes}}
engines = {{svc.engine.activeNodes}}
{{/if}}
{{#if here.nova}}
runs_nova = yes
{{/if}}
rbd_pool = {{ceph.client.heat.pool}}
rbd_user = {{ceph.client.heat.user}}
`;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function havanaWithHeat(heat: Doc): string {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'havana.yaml'), 'utf8'), { merge: true }) as Doc;
  doc['clusters']['controllers']['services']['heat'] = heat;
  doc['secrets']['heat-db'] = { env: 'HACTL_HEAT_DB' };
  return JSON.stringify(doc);
}

function havanaWithEngine(engine: Doc): string {
  const doc = parse(havanaWithHeat({ vip: 'api' })) as Doc;
  doc['clusters']['controllers']['services']['heat-engine'] = engine;
  doc['ceph']['pools']['orchestration'] = { pgs: 64, client: 'heat' };
  return JSON.stringify(doc);
}

let undo: (() => void) | undefined;
afterEach(() => {
  undo?.();
  undo = undefined;
});

test('heat, added as test data through the library, compiles into its CIB resource and a heat.conf with its own endpoint', () => {
  undo = hactl.extendCatalogue({ services: [HEAT], files: [HEAT_CONF], templates: { 'heat.conf': TEMPLATE } });
  const r = hactl.loadTopology(havanaWithHeat({ vip: 'api' }), 'heat.json');
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  const artifacts = hactl.compile(r.model, ['cib', 'files']);
  const conf = artifacts.find((a) => a.path === 'nodes/ctl1/etc/heat/heat.conf');
  assert.ok(conf, 'heat.conf is compiled for a controller running heat');
  assert.match(conf.content, /^heat_metadata_server_url = http:\/\/198\.51\.100\.10:8000$/m);
  assert.match(conf.content, /^rabbit_password = \{\{secret:rabbitmq\|oslo\}\}$/m);
  assert.ok(!artifacts.some((a) => a.path.startsWith('nodes/cmp1/etc/heat/')), 'compute nodes do not run heat');
  assert.deepEqual(conf.node?.services, ['heat-api']);
  assert.deepEqual(conf.node?.secrets, ['heat-db', 'rabbitmq']);
  assert.match(conf.content, /^connection = mysql:\/\/heat:\{\{secret:heat-db\|url\|oslo\}\}@/m);
  const cib = artifacts.find((a) => a.path === 'clusters/controllers/cib.xml')!;
  assert.match(cib.content, /<primitive [^>]*id="p_heat-api"[^>]*type="heat-api"/);
});

test('heat without its VIP: its own file is an error that names the endpoint from the entry (HA3951)', () => {
  undo = hactl.extendCatalogue({ services: [HEAT], files: [HEAT_CONF], templates: { 'heat.conf': TEMPLATE } });
  const r = hactl.loadTopology(havanaWithHeat({}), 'heat.json');
  assert.equal(r.ok, false);
  const d = r.diagnostics.filter((x) => x.severity === 'error');
  assert.deepEqual(
    d.map((x) => `${x.code} ${x.pointer} ${x.message}`),
    ['HA3951 /clusters/controllers/services/heat /etc/heat/heat.conf cannot be compiled for node ctl1: it needs the orchestration API (service heat with a VIP), but service heat of cluster controllers has no VIP'],
  );
});

test('a template that cannot render names the template, the file and the node', () => {
  undo = hactl.extendCatalogue({ services: [HEAT], files: [HEAT_CONF], templates: { 'heat.conf': '{{ep.orchestration.host}}\n' } });
  const r = hactl.loadTopology(havanaWithHeat({ vip: 'api' }), 'heat.json');
  assert.ok(r.ok && r.model);
  assert.throws(() => hactl.compile(r.model!, ['files']), /^Error: template heat\.conf failed to render \/etc\/heat\/heat\.conf for node ctl1: "host" not defined/);
});

test('heat-engine gets its VIP, mount, shared host, node count and cephx pool in templates from its entry and the topology alone', () => {
  undo = hactl.extendCatalogue({
    services: [HEAT, ENGINE],
    files: [HEAT_CONF, ENGINE_CONF],
    templates: { 'heat.conf': TEMPLATE, 'heat-engine.conf': ENGINE_TEMPLATE },
  });
  const passive = hactl.loadTopology(havanaWithEngine({ vip: 'api', storage: { rbd: { pool: 'mysql', image: 'heat', size: '1G' } } }), 'engine.json');
  assert.ok(passive.ok && passive.model, passive.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  const conf = hactl.compile(passive.model, ['files']).find((a) => a.path === 'nodes/ctl2/etc/heat/heat-engine.conf');
  assert.equal(
    conf?.content,
    ['[DEFAULT]', 'host = heat-engine-controllers', 'bind_host = 198.51.100.10', 'lock_path = /var/lib/heat/lock', 'runs_nova = yes', 'rbd_pool = orchestration', 'rbd_user = heat', ''].join('\n'),
  );

  // Active/active on both controllers, without a VIP or an image: two engines, nothing to bind to
  // or mount (the template asks; an empty value is what a strict template prints for null).
  const active = hactl.loadTopology(havanaWithEngine({ mode: 'active-active' }), 'engine.json');
  assert.ok(active.ok && active.model, active.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  const aa = hactl.compile(active.model, ['files']).find((a) => a.path === 'nodes/ctl1/etc/heat/heat-engine.conf');
  assert.match(aa?.content ?? '', /^engines = 2$/m);
  assert.match(aa?.content ?? '', /^bind_host = $/m);
  assert.match(aa?.content ?? '', /^host = heat-engine-controllers$/m);
});

test('a file naming a cephx client that no pool has is an error, not an empty rbd_pool (HA3951)', () => {
  undo = hactl.extendCatalogue({ services: [HEAT, ENGINE], files: [HEAT_CONF, ENGINE_CONF], templates: { 'heat.conf': TEMPLATE, 'heat-engine.conf': ENGINE_TEMPLATE } });
  const doc = parse(havanaWithEngine({ vip: 'api' })) as Doc;
  delete doc['ceph']['pools']['orchestration'];
  const r = hactl.loadTopology(JSON.stringify(doc), 'engine.json');
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer}`),
    ['HA3951 /clusters/controllers/services/heat-engine'],
  );
});

test('the extension is taken back: without it, heat is not a catalogue service', () => {
  hactl.extendCatalogue({ services: [HEAT], files: [HEAT_CONF], templates: { 'heat.conf': TEMPLATE } })();
  const r = hactl.loadTopology(havanaWithHeat({ vip: 'api' }), 'heat.json');
  assert.ok(r.diagnostics.some((d) => d.severity === 'error' && d.pointer === '/clusters/controllers/services/heat'));
});

test('every endpoint a file needs or uses is declared on a catalogue entry', () => {
  const declared = new Set(SERVICES.filter((e) => e.endpoint).map((e) => e.key));
  for (const f of OPENSTACK_FILES) {
    const keys = [...(f.uses ?? []), ...FAMILIES.flatMap((family) => pick(f.needs, family))];
    for (const k of keys) assert.ok(declared.has(k), `${f.id} needs endpoint ${k}, which no catalogue entry declares`);
  }
});
