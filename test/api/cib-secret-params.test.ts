/**
 * The CIB-secret route as catalogue data (security review M6; what instance HA's NovaEvacuate and
 * fence_compute need for their Keystone password): a process declares `secretParams` (parameter ->
 * one of its entry's secret purposes), the CIB gets `lrm://`, the manifest lists the value and its
 * .sign for every node that may run the process, from the secret serving the purpose; without a
 * secret for the purpose, HA3121; a topology's own `{ secret: NAME }` for the parameter wins.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { parse } from 'yaml';
import * as hactl from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';

const EVACUATE: hactl.ServiceEntry = {
  key: 'test-evacuate',
  name: 'test-evacuate',
  summary: 'an evacuation agent taking a Keystone password as a parameter (test data)',
  families: ['current'],
  secrets: [{ id: 'test-evacuate-keystone', what: 'the password of Keystone user nova for evacuations (test data)' }],
  modes: ['active-passive'],
  defaultMode: 'active-passive',
  roles: ['controller'],
  processes: [
    {
      id: 'test-evacuate',
      daemon: 'test-evacuate',
      agent: 'ocf:openstack:NovaEvacuate',
      params: { username: 'nova', tenant_name: 'service' },
      secretParams: { password: 'test-evacuate-keystone' },
      operations: [{ name: 'monitor', interval: '10s', timeout: '600s' }],
    },
  ],
  after: ['keystone-current'],
};

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function currentWith(service: Doc, secrets: Doc): string {
  const doc = parse(readFileSync(join(ROOT, 'fixtures', 'current.yaml'), 'utf8'), { merge: true }) as Doc;
  const cluster = Object.keys(doc['clusters'])[0]!;
  doc['clusters'][cluster]['services']['test-evacuate'] = service;
  Object.assign(doc['secrets'], secrets);
  return JSON.stringify(doc);
}

let undo: (() => void) | undefined;
afterEach(() => {
  undo?.();
  undo = undefined;
});

test('a catalogue secret parameter: lrm:// in the CIB, value and .sign on every node that may run it, from the purpose\'s secret', () => {
  undo = hactl.extendCatalogue({ services: [EVACUATE] });
  const r = hactl.loadTopology(currentWith({ nodes: ['ctl1', 'ctl2'] }, { 'test-evacuate-keystone': { env: 'HACTL_EVACUATE' } }), 'current.json');
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  assert.ok(!r.diagnostics.some((d) => d.code === 'HA3953'), 'the secret is used by the parameter');
  const artifacts = hactl.compile(r.model, ['cib', 'crmsh', 'pcs', 'files']);
  const cib = artifacts.find((a) => a.path.endsWith('/cib.xml'))!.content;
  assert.match(cib, /<nvpair id="p_test-evacuate-instance_attributes-password" name="password" value="lrm:\/\/"\/>/);
  assert.match(artifacts.find((a) => a.path.endsWith('/configure.crm'))!.content, /params password=lrm:\/\/ tenant_name=service username=nova/);
  const manifest = JSON.parse(artifacts.find((a) => a.path === 'manifest.json')!.content) as { secretFiles: { node: string; path: string; secret: string; form?: string; onChange: unknown }[] };
  const mine = manifest.secretFiles.filter((f) => f.path.includes('/p_test-evacuate/'));
  assert.deepEqual(
    mine.map((f) => [f.node, f.path, f.secret, f.form]),
    ['ctl1', 'ctl2'].flatMap((n) => [
      [n, '/var/lib/pacemaker/lrm/secrets/p_test-evacuate/password', 'test-evacuate-keystone', 'cib-secret'],
      [n, '/var/lib/pacemaker/lrm/secrets/p_test-evacuate/password.sign', 'test-evacuate-keystone', 'cib-secret-sign'],
    ]),
  );
  assert.deepEqual(mine[0]!.onChange, { kind: 'restart', service: 'test-evacuate', cluster: Object.keys(r.model.topology.clusters)[0] });
});

test('a catalogue secret parameter whose purpose no secret serves is HA3121 at the service; the topology\'s own { secret } wins', () => {
  undo = hactl.extendCatalogue({ services: [EVACUATE] });
  const r = hactl.loadTopology(currentWith({}, {}), 'current.json');
  const found = r.diagnostics.filter((d) => d.code === 'HA3121');
  assert.equal(found.length, 1);
  assert.match(found[0]!.pointer, /^\/clusters\/[^/]+\/services\/test-evacuate$/);
  assert.match(found[0]!.message, /parameter password of test-evacuate is the secret test-evacuate-keystone, which no secret serves/);

  const own = hactl.loadTopology(currentWith({ params: { password: { secret: 'evac' } } }, { evac: { env: 'HACTL_EVAC' } }), 'current.json');
  assert.ok(own.ok && own.model, own.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const manifest = JSON.parse(hactl.compile(own.model, ['files']).find((a) => a.path === 'manifest.json')!.content) as { secretFiles: { path: string; secret: string }[] };
  assert.deepEqual([...new Set(manifest.secretFiles.filter((f) => f.path.includes('/p_test-evacuate/')).map((f) => f.secret))], ['evac']);
});
