/**
 * Topology intent on a real 2-node cluster (test cluster instance 6; issue #14): a service the
 * topology means to be stopped is defined by apply and stays stopped; an operator's `crm resource
 * stop` of another service and `crm resource start` of the stopped one survive applies; removing
 * the intent from the topology starts the service.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { hactl } from '../helpers/cli.js';
import { applyAll, down, epochOf, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 6;
const skip = testbedSkip();

/** Instance 6: 203.0.113.64/26, node i at .74+i. */
const TOPOLOGY = `name: live-intent
networks:
  management: 203.0.113.64/26
nodes:
  n1: { roles: [controller], addresses: { management: 203.0.113.75 } }
  n2: { roles: [controller], addresses: { management: 203.0.113.76 } }
clusters:
  lab:
    nodes: [n1, n2]
    links: [management]
    fencing: { enabled: false, reason: the live test of topology intent fences nothing }
    services:
      web: { agent: "ocf:pacemaker:Dummy" }
      report: { agent: "ocf:pacemaker:Dummy", target_role: stopped }
`;

describe('topology intent and the operator on a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topo: string;
  const apply = () => applyAll({ tb, topo });
  const epoch = () => epochOf(tb.run('n1', ['cibadmin', '--query']));
  /** Where a Dummy resource runs once the cluster settled, or `stopped`. */
  const state = (rsc: string) => {
    tb.settle('n1');
    const mon = tb.run('n1', ['crm_mon', '-1', '-r']);
    const m = new RegExp(`\\b${rsc}\\s+\\(ocf:pacemaker:Dummy\\):\\s+(Started n\\d|Stopped)`).exec(mon);
    assert.ok(m, mon);
    return m[1] === 'Stopped' ? 'stopped' : 'started';
  };

  before(() => {
    ({ tb, work, topo } = upForApply({ id: ID, name: 'live-intent', topology: TOPOLOGY, nodes: 2 }));
  });
  after(() => down({ tb, work }));

  it('applies a service stopped by intent: defined, and it stays stopped; a second apply changes nothing', () => {
    const out = apply();
    assert.match(out, /- primitive p_report/);
    assert.equal(state('p_web'), 'started');
    assert.equal(state('p_report'), 'stopped');
    assert.equal(tb.run('n1', ['crm_resource', '--resource', 'p_report', '--meta', '--get-parameter', 'target-role']).trim(), 'Stopped');
    const before = epoch();
    assert.match(apply(), /nothing to do/);
    assert.equal(epoch(), before);
  });

  it("keeps an operator's crm resource stop of another service and start of the stopped one, and says they are theirs", () => {
    tb.run('n1', ['crm', 'resource', 'stop', 'p_web']);
    tb.run('n1', ['crm', 'resource', 'start', 'p_report']);
    assert.equal(state('p_web'), 'stopped');
    assert.equal(state('p_report'), 'started');
    const before = epoch();
    const out = apply();
    assert.match(out, /nothing to do/);
    assert.match(out, /~ primitive p_report {2}operator's runtime state over the topology's intent: kept by apply/);
    assert.match(out, /~ primitive p_web {2}operator's runtime state: kept by apply/);
    assert.equal(epoch(), before);
    assert.equal(state('p_web'), 'stopped');
    assert.equal(state('p_report'), 'started');
    // Put back as hactl wrote it, for the next step.
    tb.run('n1', ['crm', 'resource', 'stop', 'p_report']);
    assert.equal(state('p_report'), 'stopped');
  });

  it("starts the service once the topology drops the intent; the operator's stop of the other stays", () => {
    writeFileSync(topo, TOPOLOGY.replace(', target_role: stopped', ''));
    const out = apply();
    assert.match(out, /p_report/);
    assert.equal(state('p_report'), 'started');
    assert.equal(state('p_web'), 'stopped');
    assert.match(tb.run('n1', ['cibadmin', '--query', '--scope', 'crm_config']), /name="hactl-owned"/);
    assert.doesNotMatch(tb.run('n1', ['cibadmin', '--query', '--scope', 'crm_config']), /p_report\/target-role/);
    const diff = hactl(['diff', topo, '--cluster', 'lab', '--node', 'n1', '--ssh-config', tb.sshConfig]);
    assert.equal(diff.code, 0, diff.stdout + diff.stderr);
  });
});
