/**
 * Node attributes and capacities set by apply on a real 2-node cluster (test cluster instance 6;
 * issue #14): after `hactl apply` alone, crm_attribute reads the topology's attribute and
 * capacity on each node, a location rule on that attribute holds, a service with utilization
 * under placement-strategy=balanced finds room and starts, a second apply changes nothing (same
 * epoch), and an operator's `crm node standby` survives an apply.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { down, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 6;
const skip = testbedSkip();

/** Instance 6: 203.0.113.64/26, node i at .74+i. */
const TOPOLOGY = `name: live-node-pairs
networks:
  management: 203.0.113.64/26
nodes:
  n1: { roles: [controller], addresses: { management: 203.0.113.75 }, attributes: { rack: r1 }, utilization: { cpu: 2 } }
  n2: { roles: [controller], addresses: { management: 203.0.113.76 }, attributes: { rack: r2 }, utilization: { cpu: 2 } }
clusters:
  lab:
    nodes: [n1, n2]
    links: [management]
    fencing: { enabled: false, reason: the live test of node attributes fences nothing }
    services:
      big: { agent: "ocf:pacemaker:Dummy", utilization: { cpu: 2 } }
      ruled:
        agent: "ocf:pacemaker:Dummy"
        rules: [{ score: -INFINITY, expressions: [{ attribute: rack, operation: ne, value: r1 }] }]
`;

describe('node attributes and capacities applied to a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  const apply = () => hactl(['apply', topoFile, '--all', '--yes', '--allow-disruption', '--ssh-config', tb.sshConfig]);
  const epoch = () => /<cib [^>]*\bepoch="(\d+)"/.exec(tb.run('n1', ['cibadmin', '--query']))![1];
  const query = (node: string, name: string, ...more: string[]) => tb.run('n1', ['crm_attribute', '--node', node, '--name', name, '--query', '--quiet', ...more]).trim();
  const running = (rsc: string) => {
    tb.settle('n1');
    return new RegExp(`${rsc}\\s+\\(ocf:pacemaker:Dummy\\):\\s+Started (n\\d)`).exec(tb.run('n1', ['crm_mon', '-1', '-r']))?.[1];
  };

  before(() => {
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'live-nodepairs', topology: TOPOLOGY, nodes: 2 }));
  });
  after(() => down({ tb, work }));

  it('sets them: crm_attribute reads them, the rule holds, the utilization-bound service starts; a second apply changes nothing', () => {
    const r = apply();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /attributes rack/, 'the plan shows the node attributes');
    for (const [n, rack] of [['n1', 'r1'], ['n2', 'r2']] as const) {
      assert.equal(query(n, 'rack'), rack);
      assert.equal(query(n, 'cpu', '--utilization'), '2');
    }
    assert.equal(running('p_ruled'), 'n1', 'the rule on rack keeps ruled on the r1 node');
    assert.ok(running('p_big'), tb.run('n1', ['crm_mon', '-1', '-r']));
    const before = epoch();
    const again = apply();
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.equal(epoch(), before);
  });

  it("keeps an operator's crm node standby through an apply", () => {
    tb.run('n1', ['crm', 'node', 'standby', 'n2']);
    assert.equal(query('n2', 'standby'), 'on');
    const before = epoch();
    const r = apply();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /nothing to do/);
    assert.equal(epoch(), before);
    assert.equal(query('n2', 'standby'), 'on');
    assert.equal(query('n2', 'rack'), 'r2');
    const diff = hactl(['diff', topoFile, '--cluster', 'lab', '--node', 'n1', '--ssh-config', tb.sshConfig]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });
});
