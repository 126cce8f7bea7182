/** ceph.conf read back by ceph's own parser: `ceph-conf -c FILE [-n NAME] --lookup KEY`. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compileFixture, FIXTURES, loadFixture } from './helpers.js';
import { needTools, runCommand } from '../helpers/spawn.js';

const skip = needTools(['ceph-conf']);

const tmp = mkdtempSync(join(tmpdir(), 'hactl-files-ceph-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function lookup(file: string, key: string, name?: string): string {
  const r = runCommand('ceph-conf', ['-c', file, ...(name ? ['-n', name] : []), '--lookup', key]);
  assert.equal(r.code, 0, `ceph-conf ${name ?? ''} --lookup ${key}: exit ${r.code} ${r.stderr}`);
  return r.stdout.trim();
}

for (const name of FIXTURES) {
  test(`${name}: ceph-conf reads back fsid, monitors, networks, replicas, OSD settings and every OSD's host`, { skip }, () => {
    const t = loadFixture(name);
    const ceph = t.ceph!;
    const compiled = compileFixture(name);
    const cephNodes = Object.values(t.nodes).filter((n) => n.roles.some((r) => ['storage', 'controller', 'compute', 'ceph-mon', 'radosgw'].includes(r)));
    assert.ok(cephNodes.length > 0);
    for (const n of cephNodes) {
      const file = join(tmp, `${name}-${n.name}.conf`);
      writeFileSync(file, compiled.files.get(`nodes/${n.name}/etc/ceph/ceph.conf`)!);
      const pub = ceph.publicNetwork!;
      assert.equal(lookup(file, 'fsid'), ceph.fsid);
      assert.equal(lookup(file, 'mon_initial_members'), ceph.monitors.join(', '));
      assert.equal(lookup(file, 'mon_host'), ceph.monitors.map((m) => t.nodes[m]!.addresses[pub]).join(','));
      assert.equal(lookup(file, 'public_network'), t.networks[pub]!.cidr);
      assert.equal(lookup(file, 'cluster_network'), t.networks[ceph.clusterNetwork!]!.cidr);
      assert.equal(lookup(file, 'osd_pool_default_size'), String(ceph.replicas));
      assert.equal(lookup(file, 'osd_pool_default_min_size'), String(ceph.minReplicas));
      for (const a of ['auth_cluster_required', 'auth_service_required', 'auth_client_required']) assert.equal(lookup(file, a), 'cephx');
      assert.ok(ceph.osds.length > 0);
      const daemons = n.roles.includes('storage') || n.roles.includes('ceph-mon');
      if (!daemons) {
        // Clients get no daemon sections (see files/ceph.ts); the [osd] defaults still apply to nothing.
        const r = runCommand('ceph-conf', ['-c', file, '-n', 'osd.0', '--lookup', 'host']);
        assert.notEqual(r.code, 0, `${n.name} is a client but has OSD sections`);
      }
      // An OSD host carries its own OSDs' sections only.
      const others = ceph.osds.find((o) => o.host !== n.name);
      if (others) assert.notEqual(runCommand('ceph-conf', ['-c', file, '-n', `osd.${others.id}`, '--lookup', 'host']).code, 0, `${n.name} carries osd.${others.id} of ${others.host}`);
      for (const o of daemons ? ceph.osds.filter((x) => x.host === n.name) : []) {
        const osd = `osd.${o.id}`;
        assert.equal(lookup(file, 'host', osd), o.host);
        assert.equal(lookup(file, 'devs', osd), o.data);
        assert.equal(lookup(file, 'osd_journal', osd), o.journal);
        // [osd] settings reach every OSD.
        assert.equal(lookup(file, 'osd_mkfs_type', osd), 'xfs');
        assert.equal(lookup(file, 'osd_mkfs_options_xfs', osd), '-f -i size=2048');
        assert.equal(lookup(file, 'osd_mount_options_xfs', osd), 'rw,noatime,inode64');
        assert.equal(lookup(file, 'osd_journal_size', osd), String(ceph.journalSizeMb));
      }
      for (const m of daemons ? ceph.monitors : []) assert.equal(lookup(file, 'host', `mon.${m}`), m);
      for (const p of Object.values(ceph.pools)) {
        if (p.client) assert.equal(lookup(file, 'keyring', `client.${p.client}`), `/etc/ceph/ceph.client.${p.client}.keyring`);
      }
      const rgw = `client.radosgw.${n.name}`;
      if (n.roles.includes('radosgw')) {
        assert.equal(lookup(file, 'host', rgw), n.name);
        assert.equal(lookup(file, 'rgw_socket_path', rgw), `/var/run/ceph/ceph.client.radosgw.${n.name}.fastcgi.sock`);
        assert.equal(lookup(file, 'keyring', rgw), `/etc/ceph/ceph.client.radosgw.${n.name}.keyring`);
        assert.equal(lookup(file, 'log_file', rgw), `/var/log/ceph/client.radosgw.${n.name}.log`);
      } else {
        const r = runCommand('ceph-conf', ['-c', file, '-n', rgw, '--lookup', 'rgw_socket_path']);
        assert.notEqual(r.code, 0, `${n.name} is no radosgw node but has a gateway section`);
      }
    }
  });
}

test('pixelpark: OSD ids run across storage nodes in node-name then device order', { skip }, () => {
  const t = loadFixture('pixelpark');
  const hosts: string[] = [];
  for (const node of ['stor1', 'stor2', 'stor3']) {
    const file = join(tmp, `ids-${node}.conf`);
    writeFileSync(file, compileFixture('pixelpark').files.get(`nodes/${node}/etc/ceph/ceph.conf`)!);
    for (let id = 0; id < 12; id++) if (runCommand('ceph-conf', ['-c', file, '-n', `osd.${id}`, '--lookup', 'host']).code === 0) hosts[id] = lookup(file, 'host', `osd.${id}`);
    if (node === 'stor2') assert.equal(lookup(file, 'devs', 'osd.5'), '/dev/sdc');
  }
  assert.deepEqual(hosts, [...Array(4).fill('stor1'), ...Array(4).fill('stor2'), ...Array(4).fill('stor3')]);
  assert.equal(t.ceph!.osds.length, 12);
});
