import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as hactl from '../../src/index.js';
import { ROOT } from '../helpers/cli.js';

test('the library alone takes a topology to artifacts, a diff and static findings (no CLI, no process)', () => {
  const file = join(ROOT, 'fixtures', 'pixelpark.yaml');
  const loaded = hactl.loadTopology(readFileSync(file, 'utf8'), file);
  assert.ok(loaded.ok && loaded.model);
  const artifacts = hactl.compile(loaded.model, ['cib']);
  const cib = artifacts.find((a) => a.path === 'clusters/controllers/cib.xml');
  assert.ok(cib);
  assert.match(cib.content, /<primitive [^>]*id="p_keystone"/);
  const tree = hactl.parseXml(cib.content);
  assert.ok(tree.ok);
  const same = hactl.diffCibs(tree.root, tree.root, hactl.hactlOwnership(tree.root));
  assert.ok(same.ok);
  assert.equal(same.diff.drift, false);
  const report = hactl.checkStatic(loaded.model);
  // HA6004: a cluster on one corosync link; HA6015: nodes fenced only through their own BMC;
  // HA6063-HA6065: the Ceph keyrings, libvirt secret and pools hactl does not make (HA review M10).
  // (No HA6055: apply disables or masks the distribution units of every managed service.)
  assert.deepEqual([...new Set(report.findings.map((f) => f.code))].sort(), ['HA6004', 'HA6015', 'HA6063', 'HA6064', 'HA6065']);
});
