/**
 * Issue #14's cluster fenced by its BMC then a shared PDU, applied by `hactl apply` on a real
 * 2-node cluster (test cluster instance 6): the topology of the blocks test
 * (test/compile/fixtures/live-blocks.yaml: fence_dummy type=fail stands in for a BMC without power,
 * a shared fence_dummy for the PDU), applied over SSH instead of loaded with crmsh. apply registers
 * the levels and both devices, a second apply changes nothing, and a reboot of a node goes through
 * level 2 when level 1 fails.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/cli.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { applyAll, down, epochOf, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 6;
const skip = testbedSkip();

describe('fencing levels (BMC, then a shared PDU) applied to a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topo: string;
  const apply = () => applyAll({ tb, topo });

  before(() => {
    ({ tb, work, topo } = upForApply({ id: ID, name: 'live-levels', topology: readFileSync(join(ROOT, 'test/compile/fixtures/live-blocks.yaml'), 'utf8'), nodes: 2 }));
  });
  after(() => down({ tb, work }));

  it('registers both levels of every node and their devices; a second apply changes nothing', () => {
    const out = apply();
    assert.match(out, /fencing topology/);
    const levels = parse(tb.run('n1', ['cibadmin', '--query', '--scope', 'fencing-topology']));
    assert.deepEqual(
      levels.children.map((l) => `${l.attrs.target} ${l.attrs.index} ${l.attrs.devices}`),
      ['n1 1 st_n1', 'n1 2 st_pdu', 'n2 1 st_n2', 'n2 2 st_pdu'],
    );
    tb.settle('n1');
    assert.match(tb.run('n1', ['crm_mon', '-1', '-r']), /st_pdu\s+\(stonith:fence_dummy\):\s+Started/);
    const before = epochOf(tb.run('n1', ['cibadmin', '--query']));
    assert.match(apply(), /nothing to do/);
    assert.equal(epochOf(tb.run('n1', ['cibadmin', '--query'])), before);
  });

  it('fences through level 2 when level 1 (the BMC without power) fails', () => {
    const fence = tb.exec('n1', ['stonith_admin', '--reboot', 'n2', '--timeout', '60']);
    assert.equal(fence.code, 0, fence.stdout + fence.stderr);
    assert.match(tb.run('n1', ['stonith_admin', '--history', 'n2', '--verbose']), /reboot of n2 successful/);
  });
});
