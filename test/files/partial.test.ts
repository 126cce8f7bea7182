/**
 * Partial topologies (a service missing, a service without its VIP, no Ceph) stay valid: the files
 * that would have a hole are left out with a warning that names the file, and every other file
 * still compiles. Nothing renders with a missing value (strict templates would throw).
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

for (const fixture of ['pixelpark', 'havana']) {
  const base = parse(readFileSync(join(ROOT, 'fixtures', `${fixture}.yaml`), 'utf8'), { merge: true }) as Doc;
  const services = Object.keys(base['clusters']['controllers']['services'] as object);

  for (const removed of services) {
    test(`${fixture} without ${removed}: valid, and every file that needs it is left out with a warning`, () => {
      const doc = structuredClone(base);
      delete doc['clusters']['controllers']['services'][removed];
      const r = loadTopology(JSON.stringify(doc), 'partial.json');
      assert.ok(r.ok, r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
      const artifacts = emitNodeFiles(r.topology!);
      const warned = r.diagnostics.filter((d) => d.code === 'HA3951').map((d) => /^(\S+) is not compiled/.exec(d.message)![1]!);
      for (const file of new Set(warned)) {
        assert.ok(!artifacts.some((a) => a.node?.target === file), `${file} was warned about but compiled`);
      }
    });
  }

  test(`${fixture} with a service that lost its VIP: the files pointing at it are left out, the rest compile`, () => {
    const doc = structuredClone(base);
    delete doc['clusters']['controllers']['services']['keystone']['vip'];
    const r = loadTopology(JSON.stringify(doc), 'partial.json');
    assert.ok(r.ok);
    const d = r.diagnostics.find((x) => x.code === 'HA3951' && x.message.includes('service keystone of cluster controllers has no VIP'));
    assert.ok(d, 'a warning says keystone has no VIP');
    const targets = new Set(emitNodeFiles(r.topology!).map((a) => a.node?.target));
    assert.ok(!targets.has('/etc/nova/nova.conf') && targets.has('/etc/corosync/corosync.conf') && targets.has('/etc/ceph/ceph.conf'));
  });
}

test('no ceph section: Ceph and RBD files are left out, corosync and OpenStack files without Ceph compile or warn', () => {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as Doc;
  delete doc['ceph'];
  delete doc['compute'];
  for (const n of ['stor1', 'stor2', 'stor3']) delete doc['nodes'][n];
  delete doc['clusters']['controllers']['services']['mysql']['storage'];
  const r = loadTopology(JSON.stringify(doc), 'no-ceph.json');
  assert.ok(r.ok, r.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.pointer} ${x.message}`).join('\n'));
  const targets = emitNodeFiles(r.topology!).map((a) => a.node?.target);
  assert.ok(!targets.includes('/etc/ceph/ceph.conf') && !targets.includes('/etc/ceph/rbdmap') && !targets.includes('/etc/fstab'));
  assert.ok(targets.includes('/etc/keystone/keystone.conf') && targets.includes('/etc/nova/nova.conf'));
  assert.ok(r.diagnostics.some((x) => x.code === 'HA3951' && x.message.startsWith('/etc/cinder/cinder.conf is not compiled')));
});
