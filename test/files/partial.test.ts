/**
 * Partial topologies (a service missing, a service without its VIP, no Ceph): a file some node
 * needs that would have a hole is an error (HA3951/HA3952) at the topology path that makes the node
 * need it, reported once per file and cause, never a silently dropped file. A topology where no
 * node needs what is missing stays valid and compiles every file. Nothing renders with a missing
 * value (strict templates would throw).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NEEDS = ['HA3951', 'HA3952'];

for (const fixture of ['pixelpark', 'havana']) {
  const base = parse(readFileSync(join(ROOT, 'fixtures', `${fixture}.yaml`), 'utf8'), { merge: true }) as Doc;
  const services = Object.keys(base['clusters']['controllers']['services'] as object);

  for (const removed of services) {
    test(`${fixture} without ${removed}: every file that needs it is an error once per file and cause, or the topology compiles whole`, () => {
      const doc = structuredClone(base);
      delete doc['clusters']['controllers']['services'][removed];
      const r = loadTopology(JSON.stringify(doc), 'partial.json');
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.filter((d) => !NEEDS.includes(d.code)), [], 'only missing-file errors');
      const causes = errors.map((d) => d.message.replace(/ for node \S+:/, ':'));
      assert.equal(new Set(causes).size, causes.length, `one error per file and cause:\n${causes.join('\n')}`);
      for (const d of errors) assert.match(d.message, /^\S+ cannot be compiled for node \S+: /);
      for (const d of errors) assert.ok(d.start, `${d.code} ${d.pointer} is placed in the file`);
      if (r.ok) {
        const built = new Set(emitNodeFiles(r.model!).map((a) => a.path));
        assert.ok(built.has('manifest.json'));
      }
    });
  }

  test(`${fixture} with a service that lost its VIP: the files pointing at it are errors at the services that read them`, () => {
    const doc = structuredClone(base);
    delete doc['clusters']['controllers']['services']['keystone']['vip'];
    const r = loadTopology(JSON.stringify(doc), 'partial.json');
    assert.equal(r.ok, false);
    const d = r.diagnostics.filter((x) => x.code === 'HA3951' && x.message.includes('service keystone of cluster controllers has no VIP'));
    assert.ok(d.length > 0 && d.every((x) => x.severity === 'error'));
    const at = (file: string) => d.filter((x) => x.message.startsWith(`${file} cannot be compiled`)).map((x) => x.pointer);
    assert.deepEqual(at('/etc/glance/glance-api.conf'), ['/clusters/controllers/services/glance']);
    // nova.conf is reported at the nova service, whose controllers read all of it, before the
    // compute nodes that read part of it (a compute node's nova.conf holds no database password).
    assert.deepEqual(at('/etc/nova/nova.conf'), ['/clusters/controllers/services/nova']);
  });
}

test('no ceph section: Ceph and RBD files are not needed; cinder.conf and glance-api.conf (their pools) are errors at their services', () => {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as Doc;
  delete doc['ceph'];
  delete doc['compute'];
  for (const n of ['stor1', 'stor2', 'stor3']) delete doc['nodes'][n];
  delete doc['clusters']['controllers']['services']['mysql']['storage'];
  delete doc['clusters']['controllers']['services']['rabbitmq']['storage'];
  const r = loadTopology(JSON.stringify(doc), 'no-ceph.json');
  const errors = r.diagnostics.filter((x) => x.severity === 'error');
  assert.deepEqual(
    errors.map((x) => `${x.code} ${x.pointer} ${x.message.split(':')[0]}`),
    [
      'HA3951 /clusters/controllers/services/glance /etc/glance/glance-api.conf cannot be compiled for node ctl1',
      'HA3951 /clusters/controllers/services/cinder /etc/cinder/cinder.conf cannot be compiled for node ctl1',
    ],
  );
  // Without the pools' services nothing needs Ceph: no Ceph or RBD file is made, the rest is.
  delete doc['clusters']['controllers']['services']['cinder'];
  doc['clusters']['controllers']['services']['glance']['vip'] = 'api';
  delete doc['ceph'];
  const plans = loadTopology(JSON.stringify(doc), 'no-ceph.json').model!.nodes;
  const targets = [...plans.values()].flatMap((p) => p.files.map((f) => f.target));
  assert.ok(!targets.includes('/etc/ceph/ceph.conf') && !targets.includes('/etc/ceph/rbdmap') && !targets.includes('/etc/fstab'));
  assert.ok(targets.includes('/etc/keystone/keystone.conf') && targets.includes('/etc/nova/nova.conf'));
});

test('a renamed secret is an error per file that refers to it, at the service that reads the file, and the new name an unused secret (operator trial B2: no file silently dropped)', () => {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as Doc;
  doc['secrets']['rabbit-password'] = doc['secrets']['rabbitmq'];
  delete doc['secrets']['rabbitmq'];
  const r = loadTopology(JSON.stringify(doc), 'renamed.json');
  assert.equal(r.ok, false);
  const errors = r.diagnostics.filter((x) => x.severity === 'error');
  assert.ok(errors.length > 0 && errors.every((x) => x.code === 'HA3952' && x.message.includes('secret rabbitmq (')));
  const causes = errors.map((x) => x.message.replace(/ for node \S+:/, ':'));
  assert.equal(new Set(causes).size, causes.length, 'each file and cause once, not once per node');
  const files = new Set(errors.map((x) => x.message.split(' ')[0]!));
  assert.deepEqual([...files].sort(), ['/etc/cinder/cinder.conf', '/etc/nova/nova.conf', '/etc/quantum/quantum.conf']);
  assert.ok(errors.some((x) => x.message.startsWith('/etc/cinder/cinder.conf') && x.pointer === '/clusters/controllers/services/cinder'));
  // The renamed secret itself: declared, read by nothing (operator trial B2: "the unused secret gets no warning").
  const unused = r.diagnostics.filter((x) => x.code === 'HA3953');
  assert.deepEqual(unused.map((x) => `${x.severity} ${x.pointer}`), ['warning /secrets/rabbit-password']);
});
