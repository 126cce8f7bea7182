/**
 * The placement blocks of issue #14 on a real 2-node cluster (test cluster instance 6; until now
 * they were tested offline only): a location rule on a node attribute moves its service when the
 * attribute changes; utilization under placement-strategy=balanced keeps two services that each
 * fill a node apart, and leaves one stopped rather than overfill the survivor; an ordered set
 * starts its last set after the first (the nodes' operation history) and stops it with it; an
 * alert agent (a script writing to a file) is called for resource starts; a tag names its
 * services to crm and pcs. The topology is compiled and configure.crm loaded with crmsh.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { down, upWithCrm } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 6;
const skip = testbedSkip();

function parse(text: string): XmlElement {
  const r = parseXml(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.root;
}

/** Test cluster instance 6: 203.0.113.64/26, node i at .74+i; the alert files under `work` (/tmp is shared with the nodes). */
function topology(work: string): string {
  const dummy = '"ocf:pacemaker:Dummy"';
  return `name: live-placement
networks:
  management: 203.0.113.64/26
nodes:
  n1: { roles: [controller], addresses: { management: 203.0.113.75 }, attributes: { drain: "no" }, utilization: { cpu: 2 } }
  n2: { roles: [controller], addresses: { management: 203.0.113.76 }, attributes: { drain: "no" }, utilization: { cpu: 2 } }
clusters:
  lab:
    nodes: [n1, n2]
    links: [management]
    fencing: { enabled: false, reason: the live test of placement blocks fences nothing }
    services:
      ruled:
        agent: ${dummy}
        rules: [{ score: -INFINITY, expressions: [{ attribute: drain, operation: eq, value: "yes" }] }]
      big1: { agent: ${dummy}, utilization: { cpu: 2 } }
      big2: { agent: ${dummy}, utilization: { cpu: 2 } }
      first: { agent: ${dummy}, nodes: [n1] }
      second: { agent: ${dummy}, nodes: [n1] }
      third: { agent: ${dummy}, nodes: [n1] }
    order_sets:
      chain:
        sets: [{ services: [first, second], sequential: false }, { services: [third] }]
    alerts:
      log: { path: ${work}/alert.sh, select: [resources], recipients: [${work}/alerts.log] }
    tags:
      head: [first, second]
`;
}

/** Resource id -> nodes it runs on, once the cluster settled. */
function where(tb: Testbed): Map<string, string[]> {
  tb.settle('n1');
  const out = new Map<string, string[]>();
  const walk = (e: XmlElement) => {
    if (e.name === 'resource' && e.attrs.active === 'true' && e.attrs.failed !== 'true') out.set(e.attrs.id!, e.children.filter((n) => n.name === 'node').map((n) => n.attrs.name!).sort());
    e.children.forEach(walk);
  };
  walk(parse(tb.run('n1', ['crm_mon', '--one-shot', '--output-as=xml'])));
  return out;
}

/** Call ids of the successful start operations on a node, by resource (the node's execution order). */
function starts(tb: Testbed, node: string): Map<string, number> {
  const status = parse(tb.run('n1', ['cibadmin', '--query', '--scope', 'status']));
  const out = new Map<string, number>();
  const walk = (e: XmlElement) => {
    if (e.name === 'lrm_rsc_op' && e.attrs.operation === 'start' && e.attrs['rc-code'] === '0') out.set(e.attrs.id!.replace(/_last_0$|_start_0$/, ''), Number(e.attrs['call-id']));
    e.children.forEach(walk);
  };
  for (const ns of status.children.filter((c) => c.name === 'node_state' && c.attrs.uname === node)) walk(ns);
  return out;
}

describe('utilization, rules, sets, alerts and tags on a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;

  before(() => {
    ({ tb, work } = upWithCrm({
      id: ID,
      name: 'live-placement',
      file: 'live-placement.yaml',
      nodes: 2,
      topology: (dir) => {
        // Alert agents run as hacluster: the directory and the log must be writable for it.
        chmodSync(dir, 0o777);
        const script = join(dir, 'alert.sh');
        writeFileSync(script, '#!/bin/sh\necho "$(uname -n) $CRM_alert_kind $CRM_alert_rsc $CRM_alert_task $CRM_alert_rc" >> "$CRM_alert_recipient"\n');
        chmodSync(script, 0o755);
        return topology(dir);
      },
    }));
  });
  after(() => down({ tb, work }));

  it('an ordered set starts its last set after the first, as the operation history shows', () => {
    const now = where(tb);
    for (const id of ['p_first', 'p_second', 'p_third']) assert.deepEqual(now.get(id), ['n1'], tb.run('n1', ['crm_mon', '--one-shot', '-r']));
    const calls = starts(tb, 'n1');
    assert.ok(calls.get('p_third')! > calls.get('p_first')! && calls.get('p_third')! > calls.get('p_second')!, JSON.stringify([...calls]));
  });

  it('a tag names its services to crm and pcs: stopping it stops them and, by the set, what starts after them', () => {
    const before = starts(tb, 'n1');
    tb.run('n1', ['crm', 'resource', 'stop', 't_head']);
    let now = where(tb);
    for (const id of ['p_first', 'p_second', 'p_third']) assert.equal(now.get(id), undefined, `${id} still runs`);
    assert.ok(now.get('p_ruled')?.length, 'an untagged service keeps running');
    tb.run('n1', ['pcs', 'resource', 'enable', 't_head']);
    now = where(tb);
    for (const id of ['p_first', 'p_second', 'p_third']) assert.deepEqual(now.get(id), ['n1'], `${id} did not start again`);
    const calls = starts(tb, 'n1');
    assert.ok(calls.get('p_third')! > before.get('p_third')!, 'third started again');
    assert.ok(calls.get('p_third')! > calls.get('p_first')! && calls.get('p_third')! > calls.get('p_second')!, JSON.stringify([...calls]));
  });

  it('a location rule on a node attribute moves its service when the attribute changes', () => {
    const home = where(tb).get('p_ruled')!;
    assert.equal(home.length, 1);
    const other = home[0] === 'n1' ? 'n2' : 'n1';
    tb.run('n1', ['crm_attribute', '--node', home[0]!, '--name', 'drain', '--update', 'yes']);
    assert.deepEqual(where(tb).get('p_ruled'), [other]);
    tb.run('n1', ['crm_attribute', '--node', home[0]!, '--name', 'drain', '--update', 'no']);
    // Stickiness keeps it where it went once the rule no longer bans the old node.
    assert.deepEqual(where(tb).get('p_ruled'), [other]);
  });

  it('utilization keeps two services that each fill a node apart, and leaves one stopped rather than overfill the other node', () => {
    const before = where(tb);
    const [a, b] = [before.get('p_big1'), before.get('p_big2')];
    assert.ok(a?.length === 1 && b?.length === 1 && a[0] !== b[0], `big1 on ${a}, big2 on ${b}`);
    const placement = tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'placement-strategy', '--query']);
    assert.match(placement, /value=balanced/);
    tb.run('n1', ['crm_attribute', '--node', a[0]!, '--name', 'standby', '--update', 'on']);
    const after = where(tb);
    assert.deepEqual(after.get('p_big2'), b, 'big2 stays');
    assert.equal(after.get('p_big1'), undefined, 'big1 finds no node with room and stays stopped');
    tb.run('n1', ['crm_attribute', '--node', a[0]!, '--name', 'standby', '--update', 'off']);
    assert.deepEqual(where(tb).get('p_big1'), a);
  });

  it('calls the alert agent for resource starts, on the node of each start', () => {
    const log = join(work, 'alerts.log');
    assert.ok(existsSync(log), 'the alert agent wrote nothing');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.ok(lines.some((l) => /^n1 resource p_third start 0$/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^n\d resource p_ruled start 0$/.test(l)), lines.join('\n'));
    // select: resources only: no node or fencing events.
    assert.ok(lines.every((l) => / resource /.test(l)), lines.join('\n'));
  });
});
