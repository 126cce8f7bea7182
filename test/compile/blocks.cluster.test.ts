/**
 * Promotable clones and fencing levels on a real 2-node cluster (test cluster instance 6, brought
 * up from the compiled corosync.conf; test/compile/fixtures/live-blocks.yaml): configure.crm is
 * loaded, Pacemaker promotes one Stateful instance and puts the VIP on it, a standby of the
 * primary promotes the other instance and moves the VIP along, and a node whose first fencing
 * level always fails is fenced by the shared device of its second level.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { ROOT } from '../helpers/cli.js';
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
  tb.run('n1', ['crm_resource', '--wait', '--timeout', '120s']);
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
  let files: Map<string, string>;

  before(() => {
    work = mkdtempSync('/tmp/hactl-live-blocks-');
    const r = loadTopology(readFileSync(join(ROOT, 'test/compile/fixtures/live-blocks.yaml'), 'utf8'), 'live-blocks.yaml');
    assert.ok(r.ok && r.topology, r.diagnostics.map((d) => d.message).join('; '));
    files = new Map(compile(r.model!, ['cib', 'crmsh', 'files']).map((a) => [a.path, a.content]));
    const conf = join(work, 'corosync.conf');
    writeFileSync(conf, files.get('nodes/n1/etc/corosync/corosync.conf')!);
    tb = Testbed.up({ id: ID, nodes: 2, corosyncConf: conf });
    tb.waitOnline();
    // /tmp is shared with the nodes.
    const crm = join(work, 'configure.crm');
    writeFileSync(crm, files.get('clusters/lab/configure.crm')!);
    const load = tb.exec('n1', ['crm', 'configure', 'load', 'update', crm]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
  });
  after(() => {
    tb?.down();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('promotes one instance and puts the VIP on it; a standby of the primary promotes the other, and the VIP follows', () => {
    const first = roles(tb);
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
