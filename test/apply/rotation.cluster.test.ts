/**
 * Security review C2 on a real 3-node cluster (test/testbed instance 8): an authkey rotation that
 * stopped part way (the new key written on n1 and n2, corosync there still running with the old
 * one, n3 untouched), then the natural re-run. Before the fix the re-run restarted corosync on n3
 * only, which came up alone with the new key and without quorum, and apply reported success: a
 * split cluster. Now the plan sees that n1 and n2 run an older key than their disk holds, restarts
 * every member at once, and succeeds only when every member is online in one quorate partition.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { down, labTopology, upForApply, withAuthkey } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 8;
const skip = testbedSkip();

describe('an interrupted authkey rotation, then the re-run (security C2)', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  before(() => {
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'rotation', topology: labTopology('lab2.yaml', 2, ID, withAuthkey), authkey: true }));
  });
  after(() => down({ tb, work }));

  it('restarts every member with the new key and checks quorum and membership', () => {
    // The state an apply interrupted after writing n1 and n2 leaves: the new key on their disks,
    // corosync still running with the old one everywhere, n3 with the old key on disk.
    assert.equal(hactl(['keygen', join(work, 'authkey'), '--force']).code, 0);
    for (const n of ['n1', 'n2']) tb.run(n, ['install', '-m', '0400', join(work, 'authkey'), '/etc/corosync/authkey']);
    const dry = hactl(['apply', topoFile, '--all', '--dry-run', '--ssh-config', tb.sshConfig]);
    assert.equal(dry.code, 0, dry.stderr);
    const t0 = Date.now();
    const r = hactl(['apply', topoFile, '--all', '--yes', '--allow-disruption', '--ssh-config', tb.sshConfig]);
    console.log(`# re-run apply with a full corosync restart: ${Date.now() - t0} ms`);
    const mons = tb.nodes.map((n) => tb.run(n, ['crm_mon', '-1']));
    for (const [i, mon] of mons.entries()) {
      assert.match(mon, /partition with quorum/, `${tb.nodes[i]}: ${mon}`);
      assert.match(mon, /Online: \[ n1 n2 n3 \]/, `${tb.nodes[i]}: ${mon}`);
    }
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /corosync restarted together on n1, n2, n3/);
    assert.match(dry.stdout, /corosync of cluster lab: .*full restart/i);
    assert.match(dry.stdout, /n1: corosync runs with an older key/);
    const again = hactl(['apply', topoFile, '--all', '--dry-run', '--ssh-config', tb.sshConfig]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /corosync of cluster/);
  });
});
