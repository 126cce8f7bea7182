/**
 * HA review M10: the Ceph client side the compiled output relies on (keyrings, the libvirt secret,
 * the pools) is named by check with the commands, read from what apply would install.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cephClientFindings } from '../../src/check/ceph-clients.js';
import { compiledOutput } from '../../src/check/services.js';
import { nodeFilePath } from '../../src/compile/files/index.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

function model(file: string) {
  const r = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file);
  assert.ok(r.model, r.diagnostics.map((d) => d.code).join(' '));
  return r.model;
}

test('pixelpark: every keyring a node reads, the compute nodes\' libvirt secret and the pools, each with its commands', () => {
  const m = model('fixtures/pixelpark.yaml');
  const out = compiledOutput(m);
  const findings = cephClientFindings(m, out);
  assert.deepEqual(
    findings.map((d) => [d.code, d.pointer, d.message.split(', and hactl')[0]]),
    [
      ['HA6063', '/ceph', "client.cinder's keyring /etc/ceph/ceph.client.cinder.keyring is read on ctl1, ctl2 (by cinder-volume)"],
      ['HA6063', '/ceph', "client.glance's keyring /etc/ceph/ceph.client.glance.keyring is read on ctl1, ctl2 (by glance-api)"],
      ['HA6063', '/ceph', "client.mysql's keyring /etc/ceph/ceph.client.mysql.keyring is read on ctl1, ctl2 (by p_rbd_mysql, p_rbd_rabbitmq)"],
      ['HA6063', '/ceph', "client.nova's keyring /etc/ceph/ceph.client.nova.keyring is read on cmp1, cmp2, cmp3 (by rbdmap)"],
      ['HA6063', '/ceph', "client.radosgw.stor1's keyring /etc/ceph/ceph.client.radosgw.stor1.keyring is read on stor1 (by radosgw)"],
      ['HA6063', '/ceph', "client.radosgw.stor2's keyring /etc/ceph/ceph.client.radosgw.stor2.keyring is read on stor2 (by radosgw)"],
      ['HA6064', '/ceph', 'nova-compute on cmp1, cmp2, cmp3 attaches RBD volumes as client.cinder through libvirt secret 7413cef1-1694-5a81-82f2-fe8cee547d62 (rbd_secret_uuid)'],
      ['HA6065', '/ceph/pools', 'the Ceph pools .rgw.buckets (64), images (64), instances (128), mysql (32), volumes (128) are used by the compiled files and resources'],
    ],
  );
  // The Grizzly-era caps, on the client's own pool.
  assert.equal(findings[2]!.hint, "on a monitor: ceph auth get-or-create client.mysql mon 'allow r' osd 'allow class-read object_prefix rbd_children, allow rwx pool=mysql' -o /etc/ceph/ceph.client.mysql.keyring; copy it to ctl1, ctl2 (mode 0640, readable by the daemon's group)");
  assert.match(findings[7]!.hint!, /^on a monitor, once: ceph osd pool create \.rgw\.buckets 64; ceph osd pool create images 64; /);

  // A keyring the output installs on a node is no finding there: installed on both controllers,
  // client.mysql's warning goes; on one, it names the other.
  out.files.set(nodeFilePath('ctl1', '/etc/ceph/ceph.client.mysql.keyring'), '[client.mysql]\n');
  assert.match(cephClientFindings(m, out).find((d) => d.message.startsWith('client.mysql'))!.message, /read on ctl2 \(/);
  out.files.set(nodeFilePath('ctl2', '/etc/ceph/ceph.client.mysql.keyring'), '[client.mysql]\n');
  assert.equal(cephClientFindings(m, out).filter((d) => d.message.startsWith('client.mysql')).length, 0);
});

test('current profile: profile rbd caps and rbd pool init; no Ceph, no finding', () => {
  const m = model('fixtures/current.yaml');
  const findings = cephClientFindings(m, compiledOutput(m));
  const cinder = findings.find((d) => d.code === 'HA6063' && d.message.startsWith('client.cinder'))!;
  assert.match(cinder.hint!, /ceph auth get-or-create client\.cinder mon 'profile rbd' osd 'profile rbd pool=volumes' -o /);
  assert.match(findings.find((d) => d.code === 'HA6065')!.hint!, /ceph osd pool create images 32 && rbd pool init images/);
  const lab = model('fixtures/lab.yaml');
  assert.deepEqual(cephClientFindings(lab, compiledOutput(lab)), []);
});
