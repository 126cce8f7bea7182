/**
 * Promotable clones and fencing levels on a real 2-node cluster (test cluster instance 6, brought
 * up from the compiled corosync.conf; test/compile/fixtures/live-blocks.yaml): configure.crm is
 * loaded, Pacemaker promotes one Stateful instance and puts the VIP on it, a standby of the
 * primary promotes the other instance and moves the VIP along, and a node whose first fencing
 * level always fails is fenced by the shared device of its second level.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { ROOT } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait.js';
import { down, upWithCrm } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 6;
const skip = testbedSkip();

function parse(text: string): XmlElement {
  const r = parseXml(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.root;
}

/** Resource id -> role -> nodes, from crm_mon once the cluster settled. */
function roles(tb: Testbed): Map<string, Map<string, string[]>> {
  tb.settle('n1');
  const out = new Map<string, Map<string, string[]>>();
  const walk = (e: XmlElement) => {
    if (e.name === 'resource' && e.attrs.active === 'true') {
      const byRole = out.get(e.attrs.id!) ?? new Map<string, string[]>();
      byRole.set(e.attrs.role!, [...(byRole.get(e.attrs.role!) ?? []), ...e.children.filter((n) => n.name === 'node').map((n) => n.attrs.name!)].sort());
      out.set(e.attrs.id!, byRole);
    }
    e.children.forEach(walk);
  };
  walk(parse(tb.run('n1', ['crm_mon', '--one-shot', '--output-as=xml'])));
  return out;
}

describe('promotable clone and fencing levels on a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;

  before(() => {
    ({ tb, work } = upWithCrm({ id: ID, name: 'live-blocks', topology: readFileSync(join(ROOT, 'test/compile/fixtures/live-blocks.yaml'), 'utf8'), file: 'live-blocks.yaml', nodes: 2 }));
  });
  after(() => down({ tb, work }));

  it('promotes one instance and puts the VIP on it; a standby of the primary promotes the other, and the VIP follows', () => {
    // Stateful's start sets its promotion score through pacemaker-attrd, whose write can reach the
    // CIB after the transition that started both instances is over: crm_resource --wait may return
    // in between, with nothing promoted yet. So wait for the promote (and its VIP) to happen.
    let first = roles(tb);
    waitUntil(
      () => `no instance promoted with the VIP on it:\n${tb.run('n1', ['crm_mon', '--one-shot', '-r'])}`,
      () => {
        first = roles(tb);
        return (first.get('p_db')?.get('Promoted')?.length ?? 0) > 0 && !!first.get('p_ip_db')?.get('Started');
      },
      120,
      1000,
    );
    const primary = first.get('p_db')?.get('Promoted') ?? [];
    assert.equal(primary.length, 1, tb.run('n1', ['crm_mon', '--one-shot', '-r']));
    assert.deepEqual(first.get('p_ip_db')?.get('Started'), primary);
    const other = primary[0] === 'n1' ? 'n2' : 'n1';
    tb.run('n1', ['crm_attribute', '--node', primary[0]!, '--name', 'standby', '--update', 'on']);
    const next = roles(tb);
    assert.deepEqual(next.get('p_db')?.get('Promoted'), [other], tb.run('n1', ['crm_mon', '--one-shot', '-r']));
    assert.deepEqual(next.get('p_ip_db')?.get('Started'), [other]);
    tb.run('n1', ['crm_attribute', '--node', primary[0]!, '--name', 'standby', '--update', 'off']);
  });

  it('registers the compiled fencing levels, and fences through level 2 when level 1 fails', () => {
    const levels = parse(tb.run('n1', ['cibadmin', '--query', '--scope', 'fencing-topology']));
    assert.deepEqual(
      levels.children.map((l) => `${l.attrs.target} ${l.attrs.index} ${l.attrs.devices}`),
      ['n1 1 st_n1', 'n1 2 st_pdu', 'n2 1 st_n2', 'n2 2 st_pdu'],
    );
    // st_n2 (level 1) always fails; the fencer goes on to level 2 and st_pdu succeeds.
    const fence = tb.exec('n1', ['stonith_admin', '--reboot', 'n2', '--timeout', '60']);
    assert.equal(fence.code, 0, fence.stdout + fence.stderr);
    const history = tb.run('n1', ['stonith_admin', '--history', 'n2', '--verbose']);
    assert.match(history, /reboot of n2 successful/, history);
  });
});
