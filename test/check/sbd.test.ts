/** SBD in check's static reasoning: who SBD fences, one disk as a SPOF, watchdog-only resets without quorum. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkStatic } from '../../src/check/index.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

const FILE = 'test/compile/fixtures/sbd.yaml';

function load(edit: (s: string) => string = (s) => s) {
  const r = loadTopology(edit(readFileSync(join(ROOT, FILE), 'utf8')), FILE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.model;
}

function once(from: string, to: string) {
  return (s: string): string => {
    assert.equal(s.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
    return s.replace(from, to);
  };
}

const codes = (m: ReturnType<typeof load>, wanted: string[]) => checkStatic(m).findings.filter((d) => wanted.includes(d.code)).map((d) => `${d.code} ${d.pointer}`);

test('members fenced by SBD alone need no device of their own; a BMC with SBD behind it is no power SPOF', () => {
  assert.deepEqual(codes(load(), ['HA6006', 'HA6015', 'HA6080', 'HA6081']), []);
  // The same BMC-fenced pair without SBD: each BMC shares its node's power (HA6015).
  const without = load(once('    sbd:\n      devices: [/dev/disk/by-id/wwn-0x6001405aaaaaaaaaaaaaaaaaaaaaaaa01]\n      watchdog_timeout: 5\n', ''));
  assert.deepEqual(codes(without, ['HA6015']), ['HA6015 /clusters/postgres/nodes/0', 'HA6015 /clusters/postgres/nodes/1']);
});

test('HA6080: one SBD disk that is all a member is fenced by', () => {
  const one = load(once('        - /dev/disk/by-id/wwn-0x6001405bbbbbbbbbbbbbbbbbbbbbbbb02\n        - /dev/disk/by-id/wwn-0x6001405bbbbbbbbbbbbbbbbbbbbbbbb03\n', ''));
  const f = checkStatic(one).findings.filter((d) => d.code === 'HA6080');
  assert.deepEqual(f.map((d) => d.pointer), ['/clusters/files/sbd/devices']);
  assert.match(f[0]!.message, /wwn-0x6001405bbbbbbbbbbbbbbbbbbbbbbbb01 is the only way to fence fs1, fs2, fs3 of cluster files/);
  // postgres has one disk too, but IPMI comes first there: no finding for it.
  assert.ok(!f.some((d) => d.pointer.startsWith('/clusters/postgres')));
});

test('HA6081: watchdog-only SBD where a single failure loses quorum resets the rest too', () => {
  // Two links on one network leave the cluster one network away from losing quorum.
  const m = load(once('    nodes: [app1, app2, app3]\n    links: [management, ipmi]\n', '    nodes: [app1, app2, app3]\n    links: [management]\n'));
  assert.deepEqual(codes(m, ['HA6003', 'HA6081']), ['HA6003 /clusters/apps/links/0', 'HA6081 /clusters/apps/links/0']);
});
