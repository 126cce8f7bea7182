/**
 * The current profile's service rules (catalogue data in src/catalog/ha-needs.ts, checked by
 * src/check/clustered.ts): the compiled fixture passes each, and each defect planted into the
 * topology or the compiled output (CIB model, haproxy.cfg) is found at the right place.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { estimateAvailability } from '../../src/check/availability.js';
import { listenSections } from '../../src/check/clustered.js';
import { checkServices, compiledOutput, type CompiledOutput } from '../../src/check/services.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURE = 'fixtures/current.yaml';

function current(edit: (s: string) => string = (s) => s): Lowered {
  const r = loadTopology(edit(readFileSync(join(ROOT, FIXTURE), 'utf8')), FIXTURE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  return r.model;
}

const RULES = /^HA612[0-5]$/;
const found = (t: Lowered, out: CompiledOutput = compiledOutput(t)) =>
  checkServices(t, out)
    .findings.filter((d) => RULES.test(d.code))
    .map((d) => `${d.code} ${d.pointer}`);

/** A fourth controller, in the cluster and running every service. */
const fourControllers = (s: string) =>
  s
    .replace(
      '  stor1:\n',
      '  ctl4:\n    roles: [controller]\n    addresses: { management: 198.51.100.14, storage: 198.51.100.78, public: 203.0.113.14 }\n    fencing: { address: 198.51.100.204 }\n  stor1:\n',
    )
    .replace('nodes: [ctl1, ctl2, ctl3]', 'nodes: [ctl1, ctl2, ctl3, ctl4]');

describe('current profile: clustered services keep a majority', () => {
  test('the fixture (3 members each) passes; galera on 2 of 3 controllers is HA6120 and its path loses a single-node failure', () => {
    const ok = current();
    assert.deepEqual(found(ok), []);
    const galera = (t: Lowered) => estimateAvailability(t).paths.find((p) => p.service === 'galera')!;
    const two = current((s) => s.replace('      galera: {}', '      galera: { nodes: [ctl1, ctl2] }'));
    const d = checkServices(two, compiledOutput(two)).findings.filter((x) => x.code === 'HA6120');
    assert.deepEqual(d.map((x) => x.pointer), ['/clusters/controllers/services/galera']);
    assert.match(d[0]!.message, /survives 0 node failure\(s\), but cluster controllers is built to survive 1/);
    // The estimate agrees: one node of two down stops it (a single-node cut set), which no
    // failover of Pacemaker's repairs.
    assert.ok(galera(two).cutSets.some((c) => c.label.split(/,| and /).length === 1), galera(two).cutSets.map((c) => c.label).join('; '));
    assert.ok(galera(two).availability < galera(ok).availability);
  });

  test('rabbitmq brokers on 4 controllers: an even split is HA6121 (a warning); on 2 of 4 it is HA6120', () => {
    const four = current(fourControllers);
    const ds = checkServices(four, compiledOutput(four)).findings.filter((d) => RULES.test(d.code));
    assert.deepEqual(ds.map((d) => `${d.code} ${d.severity} ${d.pointer}`), [
      'HA6121 warning /clusters/controllers/services/galera',
      'HA6121 warning /clusters/controllers/services/rabbitmq',
    ]);
    assert.match(ds[1]!.message, /two halves of 2 leaves the quorum queues/);
    const two = current((s) => fourControllers(s).replace('      rabbitmq: {}', '      rabbitmq: { nodes: [ctl1, ctl2] }'));
    assert.deepEqual(found(two), ['HA6121 /clusters/controllers/services/galera', 'HA6120 /clusters/controllers/services/rabbitmq']);
  });
});

describe('current profile: HAProxy forwards to the nodes that run each service', () => {
  const cfg = (n: string) => `nodes/${n}/etc/haproxy/haproxy.cfg`;

  test('every listen section of every controller lists the service nodes, Galera one active', () => {
    const t = current((s) => s.replace('      keystone: {}', '      keystone: { nodes: [ctl1, ctl3] }'));
    const out = compiledOutput(t);
    const addr = { ctl1: '198.51.100.11', ctl2: '198.51.100.12', ctl3: '198.51.100.13' };
    for (const n of ['ctl1', 'ctl2', 'ctl3']) {
      const l = listenSections(out.files.get(cfg(n))!);
      assert.deepEqual(l.get('keystone')!.map((x) => x.address), [addr.ctl1, addr.ctl3]);
      assert.deepEqual(l.get('galera')!.map((x) => x.backup), [false, true, true]);
    }
    assert.deepEqual(found(t, out), []);
  });

  test('a server left out on ctl2 and a stale one on ctl3 are HA6122; two active Galera servers are HA6123', () => {
    const t = current();
    const out = compiledOutput(t);
    const edit = (n: string, f: (s: string) => string) => out.files.set(cfg(n), f(out.files.get(cfg(n))!));
    edit('ctl2', (s) => s.replace(/^ {4}server ctl3 198\.51\.100\.13:5000 .*\n/m, ''));
    edit('ctl3', (s) => s.replace(/^( {4}server ctl3 198\.51\.100\.13:9292 .*\n)/m, '$1    server old 198.51.100.99:9292 check\n'));
    edit('ctl1', (s) => s.replace(/^( {4}server ctl2 198\.51\.100\.12:3306 .*) backup$/m, '$1'));
    const ds = checkServices(t, out).findings.filter((d) => RULES.test(d.code));
    assert.deepEqual(
      ds.map((d) => `${d.code} ${d.pointer} ${d.message.split(' for frontend')[0]}`),
      [
        'HA6123 /clusters/controllers/services/haproxy /etc/haproxy/haproxy.cfg on ctl1 sends galera connections to 2 servers at once',
        'HA6122 /clusters/controllers/services/haproxy /etc/haproxy/haproxy.cfg on ctl2 leaves out ctl3',
        'HA6122 /clusters/controllers/services/haproxy /etc/haproxy/haproxy.cfg on ctl3 sends to 198.51.100.99, which do(es) not run it',
      ],
    );
  });
});

describe('current profile: VIPs stay with the instances clients need', () => {
  test('the VIPs HAProxy carries are colocated with its clone; dropping one colocation is HA6124', () => {
    const t = current();
    const out = compiledOutput(t);
    const config = out.configs[0]!;
    assert.ok(config.constraints.some((k) => k.kind === 'colocation' && k.rsc === 'p_ip_public' && k.withRsc === 'cl_haproxy'));
    config.constraints = config.constraints.filter((k) => !(k.kind === 'colocation' && k.rsc === 'p_ip_public'));
    assert.deepEqual(found(t, out), ['HA6124 /clusters/controllers/vips/public']);
    assert.ok(checkServices(t, out).broken.some((b) => b.service === 'haproxy'));
  });

  test('the OVN VIP is with the promoted ovn-dbs instance and after its promote; a plain colocation is HA6125', () => {
    const t = current();
    const out = compiledOutput(t);
    const config = out.configs[0]!;
    const k = config.constraints.find((x) => x.kind === 'colocation' && x.rsc === 'p_ip_ovn');
    assert.ok(k && k.kind === 'colocation' && k.withRsc === 'cl_ovn-dbs' && k.withRscRole === 'Promoted');
    delete k.withRscRole;
    assert.deepEqual(found(t, out), ['HA6125 /clusters/controllers/services/ovn-dbs']);
  });
});

describe('current profile: instance HA', () => {
  const codes = (s: string) => {
    const r = loadTopology(s, FIXTURE);
    return r.diagnostics.filter((d) => /^HA320[0-5]$/.test(d.code)).map((d) => `${d.code} ${d.pointer}`);
  };
  const text = () => readFileSync(join(ROOT, FIXTURE), 'utf8');

  test('compiled: fence_compute for the compute nodes after each node\'s own device, its password through a script, an unfence trigger on the computes', () => {
    const t = current();
    const config = compiledOutput(t).configs[0]!;
    const device = config.resources.find((r) => r.id === 'st_fence-compute');
    assert.ok(device && device.kind === 'primitive');
    const params = Object.fromEntries(device.params.map((p) => [p.name, p.value]));
    assert.deepEqual(params, {
      auth_url: 'http://198.51.100.10:5000/v3',
      password_script: '/etc/hactl/secrets/nova-keystone.sh',
      pcmk_host_list: 'cmp1 cmp2',
      project_domain: 'Default',
      record_only: '1',
      region_name: 'RegionOne',
      tenant_name: 'service',
      user_domain: 'Default',
      username: 'nova',
    });
    assert.deepEqual(device.meta, [{ name: 'provides', value: 'unfencing' }]);
    assert.deepEqual(config.fencingLevels.map((l) => [l.target, l.index, l.devices.join(',')]), [
      ['cmp1', 1, 'st_cmp1,st_fence-compute'],
      ['cmp2', 1, 'st_cmp2,st_fence-compute'],
    ]);
    const trigger = config.resources.find((r) => r.id === 'cl_compute-unfence-trigger');
    assert.ok(trigger && trigger.kind === 'clone' && trigger.child.kind === 'primitive');
    assert.deepEqual(trigger.child.meta, [{ name: 'requires', value: 'unfencing' }]);
    assert.ok(config.constraints.some((k) => k.kind === 'location' && k.rsc === 'cl_compute-unfence-trigger' && k.rule?.expressions[0]?.value === 'remote'));
    assert.deepEqual(found(t), []);
    // No password anywhere in the CIB model: only the script's path.
    assert.ok(!JSON.stringify(config).includes('HACTL_NOVA_KEYSTONE'));
  });

  test('a level without fence_compute is HA6126; fence_compute first in its level is HA6127', () => {
    const t = current();
    const out = compiledOutput(t);
    const config = out.configs[0]!;
    const [one, two] = config.fencingLevels;
    one!.devices = ['st_cmp1'];
    two!.devices = ['st_fence-compute', 'st_cmp2'];
    const ds = checkServices(t, out).findings.filter((d) => /^HA612[67]$/.test(d.code));
    assert.deepEqual(ds.map((d) => `${d.code} ${d.pointer}`), ['HA6126 /clusters/controllers/remote_nodes/0', 'HA6127 /clusters/controllers/remote_nodes/1']);
    assert.match(ds[0]!.message, /fencing level 1 \(st_cmp1\) succeeds without st_fence-compute/);
    config.fencingLevels = config.fencingLevels.filter((l) => l.target !== 'cmp1');
    assert.match(checkServices(t, out).findings.find((d) => d.code === 'HA6126')!.message, /it has no fencing level/);
  });

  test('validation: instance HA needs the current family (HA3200), compute remote nodes of nova\'s cluster (HA3201) and a cluster that fences (HA3202)', () => {
    assert.deepEqual(codes(text()), []);
    const old = readFileSync(join(ROOT, 'fixtures/havana.yaml'), 'utf8').replace(/^compute:\n/m, 'compute:\n  instance_ha: true\n');
    assert.deepEqual(codes(old), ['HA3200 /compute/instance_ha']);
    // Without compute remote nodes NovaEvacuate has nothing to act on either (HA3204).
    assert.deepEqual(codes(text().replace('    remote_nodes: [cmp1, cmp2]\n', '')), ['HA3204 /clusters/controllers/services/nova-evacuate', 'HA3201 /compute/instance_ha']);
    const unfenced = text().replace('    authkey: corosync\n', '    authkey: corosync\n    fencing: { enabled: false, reason: lab without BMCs }\n');
    assert.deepEqual(codes(unfenced), ['HA3202 /clusters/controllers/fencing/enabled']);
  });

  const withoutEvacuate = (s: string) => s.replace(/ {6}# Instance HA: evacuates.*\n {6}nova-evacuate: \{\}\n/, '');

  test('NovaEvacuate: one instance on the controllers, Keystone at the HAProxy VIP, its password a CIB secret from nova-keystone on every controller', () => {
    const t = current();
    const config = compiledOutput(t).configs[0]!;
    const p = config.resources.find((r) => r.id === 'p_nova-evacuate');
    assert.ok(p && p.kind === 'primitive', 'a primitive, not a clone: two would evacuate the same node twice');
    assert.equal(`${p.class}:${p.provider}:${p.type}`, 'ocf:openstack:NovaEvacuate');
    assert.deepEqual(Object.fromEntries(p.params.map((x) => [x.name, x.value])), {
      auth_url: 'http://198.51.100.10:5000/v3',
      no_shared_storage: 'false',
      password: 'lrm://',
      region_name: 'RegionOne',
      tenant_name: 'service',
      username: 'nova',
    });
    assert.deepEqual(p.secrets, { params: { password: 'nova-keystone' }, nodes: ['ctl1', 'ctl2', 'ctl3'], restart: 'nova-evacuate' });
    // Never on a compute node (they run only the unfence trigger).
    assert.ok(config.constraints.some((k) => k.kind === 'location' && k.rsc === 'p_nova-evacuate' && k.rule?.expressions[0]?.attribute === '#kind' && k.rule.expressions[0].value === 'cluster'));
    assert.ok(!JSON.stringify(config).includes('HACTL_NOVA_KEYSTONE'));
  });

  test('NovaEvacuate: instances on local disks are no_shared_storage=true (HA3205 warns); an IPv6 Keystone VIP is bracketed in both auth_urls', () => {
    const local = current((s) => s.replace('  instances: { rbd: { pool: vms } }\n', ''));
    const p = compiledOutput(local).configs[0]!.resources.find((r) => r.id === 'p_nova-evacuate');
    assert.ok(p && p.kind === 'primitive');
    assert.equal(p.params.find((x) => x.name === 'no_shared_storage')?.value, 'true');
    assert.deepEqual(codes(text().replace('  instances: { rbd: { pool: vms } }\n', '')), ['HA3205 /compute/instance_ha']);

    const ipv6 = readFileSync(join(ROOT, 'test/compile/fixtures/ipv6.yaml'), 'utf8')
      .replace('compute:\n', 'compute:\n  instance_ha: true\n')
      .replace('      horizon: {}\n', '      horizon: {}\n      nova-evacuate: {}\n');
    const r = loadTopology(ipv6, 'ipv6.yaml');
    assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
    const config = compiledOutput(r.model).configs[0]!;
    for (const id of ['p_nova-evacuate', 'st_fence-compute']) {
      const x = config.resources.find((y) => y.id === id);
      assert.ok(x && x.kind === 'primitive', id);
      assert.equal(x.params.find((y) => y.name === 'auth_url')?.value, 'http://[2001:db8:10::10]:5000/v3', id);
    }
  });

  test('NovaEvacuate is required where instance HA fences (HA3203) and refused where it has nothing to do (HA3204)', () => {
    assert.deepEqual(codes(withoutEvacuate(text())), ['HA3203 /clusters/controllers/services']);
    assert.deepEqual(codes(text().replace('  instance_ha: true\n', '')), ['HA3204 /clusters/controllers/services/nova-evacuate']);
  });
});
