/**
 * HA review m10: the filesystem Pacemaker mounts a service's RBD image with is the image's own
 * (storage.rbd.filesystem, default xfs), never the OSDs' (ceph.osd.filesystem).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { primitivesOf } from '../../src/compile/pacemaker/model.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

function fstype(edit: (s: string) => string): string | undefined {
  const r = loadTopology(edit(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8')), 'pixelpark.yaml');
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const ctl = r.model.clusters.find((c) => c.name === 'controllers')!;
  return ctl.resources.flatMap(primitivesOf).find((p) => p.id === 'p_fs_mysql')?.params.find((p) => p.name === 'fstype')?.value;
}

const osd = 'osd: { filesystem: xfs, journal_size_mb: 10240 }';
const mysqlStorage = /(mysql: \{[^\n]*storage: \{ rbd: \{ pool: mysql)/;

test('btrfs OSDs leave MySQL\'s image on xfs (the old output followed the OSDs)', () => {
  assert.equal(fstype((s) => s.replace(osd, osd.replace('xfs', 'btrfs'))), 'xfs');
});

test('storage.rbd.filesystem chooses the image\'s filesystem', () => {
  assert.equal(fstype((s) => {
    assert.match(s, mysqlStorage);
    return s.replace(mysqlStorage, '$1, filesystem: ext4');
  }), 'ext4');
});
