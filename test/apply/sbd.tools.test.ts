/**
 * apply and SBD disks: the header is read with dd (never the sbd binary), a disk without sbd's
 * header or with other timeouts gets the `sbd create` command in the plan, which apply only lists;
 * sbd is enabled at boot.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { formatPlan } from '../../src/apply/format.js';
import { isEmpty, type Plan } from '../../src/apply/plan.js';
import { readSbdDisks, sbdCreateCommand } from '../../src/apply/sbd.js';
import type { Cluster } from '../../src/model/types.js';
import { unitSteps } from '../../src/remote/units.js';
import { needTools } from '../helpers/spawn.js';
import { localTransport } from './local.js';

const skip = needTools(['dd', 'od']);
const dir = mkdtempSync(join(tmpdir(), 'hactl-sbd-disks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The first sector as `sbd create` leaves it: magic, version 2, 255 slots, sector size, then the timeouts (big-endian). */
function header(watchdog: number, msgwait: number): Buffer {
  const b = Buffer.alloc(512);
  b.write('SBD_SBD_', 0, 'latin1');
  b[8] = 2;
  b[9] = 255;
  for (const [at, v] of [[12, 512], [16, watchdog], [20, 2], [24, 1], [28, msgwait]] as const) b.writeUInt32BE(v, at);
  return b;
}

const cluster = (devices: string[]): Cluster => ({ name: 'db', nodes: ['db1', 'db2'], sbd: { devices, watchdog: '/dev/watchdog', watchdogTimeout: 5, msgwait: 10, startmode: 'always', pointer: '/clusters/db/sbd' } }) as unknown as Cluster;

test('disks read with dd: ready, blank, created with other timeouts, unreadable', { skip }, async () => {
  const ready = join(dir, 'ready');
  const blank = join(dir, 'blank');
  const other = join(dir, 'other');
  writeFileSync(ready, header(5, 10));
  writeFileSync(blank, Buffer.alloc(512));
  writeFileSync(other, header(15, 30));
  const c = cluster([ready, blank, other, join(dir, 'missing')]);
  const t = localTransport();
  const disks = await readSbdDisks(t, 'db1', c);
  assert.deepEqual(disks.map((d) => `${d.state}${d.detail ? ` ${d.detail}` : ''}`), ['ready', 'blank', 'differs watchdog 15s, msgwait 30s on the disk', 'unreadable']);
  assert.ok(t.calls.every((cmd) => !cmd.some((w) => /(^|\/)sbd$/.test(w))), 'the sbd binary is never run');
  assert.equal(sbdCreateCommand(c, [blank, other]), `sbd -d ${blank} -d ${other} -1 5 -4 10 create`);
});

test('a plan with disks to create lists the command and is not empty', () => {
  const plan: Plan = {
    topology: 'sbd-test', nodes: ['db1', 'db2'], files: [], nodeActions: [], units: [], corosync: [], cib: [], resources: [], impact: [],
    sbd: [{ cluster: 'db', node: 'db1', disks: [{ path: '/dev/disk/by-id/wwn-0x1', state: 'blank' }], command: 'sbd -d /dev/disk/by-id/wwn-0x1 -1 5 -4 10 create' }],
  };
  assert.equal(isEmpty(plan), false);
  const text = formatPlan(plan).map((l) => l.text);
  const at = text.findIndex((l) => l.startsWith('SBD disks of cluster db: run once, on db1'));
  assert.ok(at >= 0, text.join('\n'));
  assert.deepEqual(text.slice(at + 1, at + 3), ['  /dev/disk/by-id/wwn-0x1: no sbd header', '  db1: sbd -d /dev/disk/by-id/wwn-0x1 -1 5 -4 10 create']);
  assert.equal(isEmpty({ ...plan, sbd: [] }), true);
});

test('sbd at boot: enabled (unmasked first), nothing to do when enabled or not installed', () => {
  assert.deepEqual(unitSteps({ init: 'systemd', state: 'disabled' }, 'enabled'), { steps: ['enable'], reaches: 'enabled' });
  assert.deepEqual(unitSteps({ init: 'systemd', state: 'masked' }, 'enabled'), { steps: ['unmask', 'enable'], reaches: 'enabled' });
  assert.deepEqual(unitSteps({ init: 'sysv', state: 'enabled' }, 'enabled'), { steps: [], reaches: 'enabled' });
  assert.deepEqual(unitSteps({ init: 'systemd', state: 'absent' }, 'enabled'), { steps: [], reaches: 'absent' });
  const plan: Plan = {
    topology: 'sbd-test', nodes: ['db1', 'db2'], files: [], nodeActions: [], corosync: [], cib: [], resources: [], impact: [],
    units: [
      { node: 'db1', unit: 'sbd', init: 'systemd', was: 'disabled', want: 'enabled', reaches: 'enabled', steps: ['enable'], services: ['sbd'] },
      { node: 'db2', unit: 'sbd', init: 'systemd', was: 'absent', want: 'enabled', reaches: 'absent', steps: [], services: ['sbd'] },
    ],
  };
  const text = formatPlan(plan).map((l) => l.text);
  assert.ok(text.includes('  db1: enable sbd  (disabled -> enabled; systemd)'), text.join('\n'));
  assert.ok(text.some((l) => l.startsWith('  db2: sbd is not installed')), text.join('\n'));
  assert.ok(!text.some((l) => l.startsWith('boot-time units of services Pacemaker manages')), 'no section for units to turn off');
});
