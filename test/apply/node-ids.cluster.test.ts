/**
 * HA review M9 live (test/testbed instance 2): corosync node ids stay what they were when a node
 * leaves the topology. Three members n1-n3 run from hactl's corosync.conf; n1 is crashed and
 * removed from the topology, and apply writes the two-member corosync.conf to n2 and n3. Ids
 * taken from list positions would renumber n2 to 1 and n3 to 2 under the running cluster; ids
 * derived from the names keep 2 and 3 in corosync's nodelist and membership and in the CIB, and
 * both survivors stay online and quorate.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait.js';
import { applyAll, down, labTopology, upForApply, withAuthkey } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 2;
const skip = testbedSkip();

/** corosync's nodelist on a node: name -> nodeid. */
function nodelist(tb: Testbed, node: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = tb.run(node, ['corosync-cmapctl', 'nodelist.node.']).split('\n');
  const byIndex = new Map<string, Record<string, string>>();
  for (const l of lines) {
    const m = /^nodelist\.node\.(\d+)\.(name|nodeid) \([a-z0-9]+\) = (\S+)$/.exec(l);
    if (m) byIndex.set(m[1]!, { ...byIndex.get(m[1]!), [m[2]!]: m[3]! });
  }
  for (const v of byIndex.values()) if (v.name && v.nodeid) out[v.name] = v.nodeid;
  return out;
}

/** The CIB's node entries: uname -> id. */
function cibNodes(tb: Testbed, node: string): Record<string, string> {
  const xml = tb.run(node, ['cibadmin', '--query', '--scope', 'nodes']);
  return Object.fromEntries([...xml.matchAll(/<node [^>]*\bid="(\d+)"[^>]*\buname="([^"]+)"/g)].map((m) => [m[2]!, m[1]!]));
}

describe('corosync node ids stay stable when a node is removed (HA review M9)', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topo: string;
  before(() => {
    ({ tb, work, topo } = upForApply({ id: ID, name: 'nodeids', topology: labTopology('lab2.yaml', 2, ID, withAuthkey), authkey: true }));
  });
  after(() => down({ tb, work }));

  it('n1 leaves: n2 and n3 keep ids 2 and 3 in corosync and in the CIB, online with quorum', () => {
    applyAll({ tb, topo });
    assert.deepEqual(nodelist(tb, 'n2'), { n1: '1', n2: '2', n3: '3' });
    assert.deepEqual(cibNodes(tb, 'n2'), { n1: '1', n2: '2', n3: '3' });

    // n1 fails and is taken out of the topology (its nodes entry, the cluster's member list).
    tb.crash('n1');
    const text = labTopology('lab2.yaml', 2, ID, (doc) => {
      withAuthkey(doc);
      doc.deleteIn(['nodes', 'n1']);
      doc.setIn(['clusters', 'lab', 'nodes'], ['n2', 'n3']);
    });
    const edited = topo.replace(/\.yaml$/, '-without-n1.yaml');
    writeFileSync(edited, text);
    const dry = hactl(['apply', edited, '--all', '--dry-run', '--ssh-config', tb.sshConfig]);
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /corosync of cluster lab: reload/);
    const second = hactl(['apply', edited, '--all', '--yes', '--allow-disruption', '--ssh-config', tb.sshConfig]);
    assert.equal(second.code, 0, second.stdout + second.stderr);

    for (const n of ['n2', 'n3']) assert.deepEqual(nodelist(tb, n), { n2: '2', n3: '3' }, `corosync nodelist on ${n}`);
    const members = tb.run('n2', ['corosync-quorumtool', '-l']);
    assert.match(members, /^\s+2\s+1\s+n2\b/m, members);
    assert.match(members, /^\s+3\s+1\s+n3\b/m, members);
    assert.equal(cibNodes(tb, 'n2').n2, '2');
    assert.equal(cibNodes(tb, 'n2').n3, '3');
    let mon = '';
    waitUntil(
      () => `n2 and n3 not online with quorum:\n${mon}`,
      () => {
        mon = tb.run('n2', ['crm_mon', '-1']);
        return /Online: \[ n2 n3 \]/.test(mon) && /partition with quorum/.test(mon);
      },
      60,
    );
  });
});
