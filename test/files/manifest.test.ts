/** out/manifest.json against schemas/manifest.schema.json and against the files it lists. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { validateManifest, type Manifest } from '../../src/compile/files/manifest.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { compileFixture, FIXTURES, loadFixture } from './helpers.js';

for (const name of FIXTURES) {
  test(`${name}: the manifest is valid against its schema and matches every file`, () => {
    const t = loadFixture(name);
    const { manifest, files } = compileFixture(name);
    assert.deepEqual(validateManifest(manifest, 'manifest.json'), []);
    assert.equal(manifest.topology, t.name);
    assert.deepEqual(manifest.files.map((f) => f.source).sort(), [...files.keys()].sort(), 'every file listed, nothing else');
    for (const f of manifest.files) {
      assert.equal(f.source, `nodes/${f.node}${f.path}`);
      assert.equal(f.sha256, createHash('sha256').update(files.get(f.source)!).digest('hex'), f.source);
    }
    const sorted = [...manifest.files].sort((a, b) => (a.node + '\0' + a.path < b.node + '\0' + b.path ? -1 : 1));
    assert.deepEqual(manifest.files, sorted, 'sorted by node, then path');
  });

  test(`${name}: the corosync authkey is a secret file of every member, never a file in out/`, () => {
    const t = loadFixture(name);
    const { manifest, files } = compileFixture(name);
    for (const c of Object.values(t.clusters)) {
      for (const n of c.nodes) {
        const key = manifest.secretFiles.find((s) => s.node === n && s.path === '/etc/corosync/authkey');
        assert.ok(key, `${n} has no authkey record`);
        assert.equal(key.secret, c.authkey);
        assert.equal(key.mode, '0400');
        assert.deepEqual(key.onChange, { kind: 'corosync-restart' });
        assert.ok(!files.has(`nodes/${n}/etc/corosync/authkey`));
      }
    }
  });

  test(`${name}: what happens on change: corosync reload, Pacemaker restarts through the cluster, units elsewhere`, () => {
    const { manifest } = compileFixture(name);
    const f = (node: string, path: string) => manifest.files.find((x) => x.node === node && x.path === path)!;
    assert.deepEqual(f('ctl1', '/etc/corosync/corosync.conf').onChange, { kind: 'corosync-reload' });
    assert.deepEqual(f('ctl1', '/etc/keystone/keystone.conf').onChange, { kind: 'restart', service: 'keystone', cluster: 'controllers' });
    const nova = f('ctl1', '/etc/nova/nova.conf');
    assert.equal(nova.onChange.kind, 'all');
    assert.deepEqual(nova.services, ['nova-api', 'nova-cert', 'nova-conductor', 'nova-consoleauth', 'nova-novncproxy', 'nova-scheduler']);
    assert.deepEqual(f('cmp1', '/etc/nova/nova.conf').onChange, { kind: 'restart', service: 'nova-compute' });
    assert.deepEqual(f('cmp1', '/etc/fstab'), { ...f('cmp1', '/etc/fstab'), install: 'block', onChange: { kind: 'mount', path: '/var/lib/nova/instances' } });
    assert.deepEqual(f('cmp1', '/etc/ceph/rbdmap').onChange, { kind: 'reload', service: 'rbdmap' });
    // Pacemaker maps the controllers' images itself: no rbdmap there to map them at boot (HA review M1).
    assert.equal(manifest.files.find((x) => x.node === 'ctl1' && x.path === '/etc/ceph/rbdmap'), undefined);
    assert.equal(f('ctl1', '/etc/hosts').install, 'block');
    const k = f('ctl1', '/etc/keystone/keystone.conf');
    assert.deepEqual([k.owner, k.group, k.mode], ['root', 'keystone', '0640']);
    assert.deepEqual(k.secrets, ['keystone-admin-token', 'keystone-db']);
  });
}

test('the schema refuses a manifest with a wrong mode, an unknown action or a secret value in place of a name', () => {
  const { manifest } = compileFixture('pixelpark');
  const bad = (mutate: (m: typeof manifest) => void) => {
    const m = structuredClone(manifest);
    mutate(m);
    return validateManifest(m, 'manifest.json');
  };
  assert.equal(bad((m) => (m.files[0]!.mode = '644'))[0]?.code, 'HA4500');
  assert.ok(bad((m) => ((m.files[0]! as { onChange: unknown }).onChange = { kind: 'reboot' })).length > 0);
  assert.ok(bad((m) => (m.secretFiles[0]!.secret = 'hunter2 with spaces')).length > 0);
  assert.ok(bad((m) => (m.secretFiles[0]!.mode = '0644')).length > 0, 'a secret file readable by others');
});

test('pacemaker_remote: members and remote nodes get /etc/pacemaker/authkey from the cluster key, remote nodes the hosts block', () => {
  const model = loadTopology(readFileSync(join(ROOT, 'fixtures', 'valid', 'remote-nodes.yaml'), 'utf8'), 'remote-nodes.yaml').model!;
  const t = model.topology;
  const artifacts = emitNodeFiles(model);
  const manifest = JSON.parse(artifacts.find((a) => a.path === 'manifest.json')!.content) as Manifest;
  assert.deepEqual(validateManifest(manifest, 'manifest.json'), []);
  const c = Object.values(t.clusters).find((x) => x.remoteNodes.length)!;
  for (const n of [...c.nodes, ...c.remoteNodes]) {
    const key = manifest.secretFiles.find((s) => s.node === n && s.path === '/etc/pacemaker/authkey');
    assert.ok(key, `${n}: no pacemaker authkey`);
    assert.equal(key.secret, c.authkey);
    assert.deepEqual([key.group, key.mode], ['haclient', '0640']);
  }
  for (const r of c.remoteNodes) {
    const hosts = artifacts.find((a) => a.path === `nodes/${r}/etc/hosts`)!.content;
    for (const peer of [...c.nodes, ...c.remoteNodes]) assert.match(hosts, new RegExp(`^${t.nodes[peer]!.addresses[c.links[0]!]!.replace(/\./g, '\\.')} ${peer}$`, 'm'));
  }
});

test('node names as hosts call themselves (FQDNs, capitals, an underscore): the manifest apply reads first is valid for them', () => {
  const model = loadTopology(readFileSync(join(ROOT, 'test', 'compile', 'fixtures', 'host-names.yaml'), 'utf8'), 'host-names.yaml').model!;
  const manifest = JSON.parse(emitNodeFiles(model).find((a) => a.path === 'manifest.json')!.content) as Manifest;
  assert.ok(manifest.files.some((f) => f.node === 'Ctl2.Example.COM') && manifest.files.some((f) => f.node.includes('_')), manifest.files.map((f) => f.node).join(' '));
  assert.deepEqual(validateManifest(manifest, 'manifest.json'), []);
});
