/**
 * Node attributes and capacities reach the cluster (issue #14): apply sets the pairs the topology
 * declares on each node by name, records them, removes a dropped one only when its record lists
 * it, and keeps every other pair (an operator's standby, a foreign attribute, an unrecorded pair
 * of the same name). Plan and push run through the real scripts against a CIB file (CIB_file),
 * with crm_verify, crm_diff, cibadmin and crm_attribute.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { executePlan, formatPlan, planCib, type Plan } from '../../src/apply/index.js';
import { diffCibs, hactlOwnership } from '../../src/diff/index.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { SecretStore } from '../../src/secrets/index.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { localTransport } from './local.js';

const skip = needTools(['cibadmin', 'crm_diff', 'crm_verify', 'crm_attribute']);
const dir = mkdtempSync(join(tmpdir(), 'hactl-nodepairs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A running cluster's CIB: n1 in standby by its operator and with an attribute of the operator's own. */
const LIVE = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="7" num_updates="2" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes>
      <node id="1" uname="n1"><instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="on"/><nvpair id="nodes-1-color" name="color" value="blue"/><nvpair id="nodes-1-rack" name="rack" value="r0"/></instance_attributes></node>
      <node id="2" uname="n2"/>
    </nodes>
    <resources/>
    <constraints/>
  </configuration>
  <status/>
</cib>
`;

/** The topology's nodes: attributes rack and zone, capacities cpu, on both nodes. */
function compiled(n1: string, n2: string): string {
  return `<cib validate-with="pacemaker-3.0" crm_feature_set="3.1.0"><configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
  <nodes><node id="1" uname="n1">${n1}</node><node id="2" uname="n2">${n2}</node></nodes>
  <resources/>
  <constraints/>
</configuration></cib>`;
}
const attrs = (id: string, pairs: Record<string, string>) => `<instance_attributes id="nodes-${id}">${Object.entries(pairs).map(([k, v]) => `<nvpair id="nodes-${id}-${k}" name="${k}" value="${v}"/>`).join('')}</instance_attributes>`;
const util = (id: string, pairs: Record<string, string>) => `<utilization id="nodes-${id}-utilization">${Object.entries(pairs).map(([k, v]) => `<nvpair id="nodes-${id}-utilization-${k}" name="${k}" value="${v}"/>`).join('')}</utilization>`;

function planFor(action: Awaited<ReturnType<typeof planCib>>['action']): Plan {
  return { topology: 't.yaml', nodes: [], files: [], nodeActions: [], units: [], corosync: [], cib: [action], resources: [], impact: [] };
}

async function apply(file: string, text: string) {
  const t = localTransport({ CIB_file: file });
  const { action, liveText, live } = await planCib(t, 'c', 'local', xml(text), 't.yaml');
  const plan = planFor(action);
  const report = await executePlan({ transport: t, plan, payload: { content: new Map(), cib: new Map([['c', { liveText, live, compiled: xml(text) }]]) }, secrets: new SecretStore(), concurrency: 1 });
  return { plan, report, text: formatPlan(plan).map((l) => l.text).join('\n') };
}

const epochOf = (text: string) => /<cib [^>]*\bepoch="(\d+)"/.exec(text)![1];

/** crm_attribute's answer, as an operator would ask it. */
function query(file: string, node: string, name: string, utilization = false): string | undefined {
  const r = runCommand('crm_attribute', ['--node', node, '--name', name, '--query', '--quiet', ...(utilization ? ['--utilization'] : [])], { env: { CIB_file: file } });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

describe('node attributes and capacities', { skip }, () => {
  it('sets, updates and removes only its own pairs, keeping standby, a foreign attribute and an unrecorded pair of a dropped name', async () => {
    const file = join(dir, 'nodes.xml');
    writeFileSync(file, LIVE);
    const v1 = compiled(attrs('1', { rack: 'r1', zone: 'z1' }) + util('1', { cpu: '4' }), attrs('2', { rack: 'r2' }) + util('2', { cpu: '8' }));
    const first = await apply(file, v1);
    assert.equal(first.report.ok, true, JSON.stringify(first.report));
    assert.match(first.text, /n1/);
    assert.match(first.text, /attributes rack/, 'the plan shows the node attribute changes');
    assert.match(first.text, /utilization cpu/);
    assert.equal(query(file, 'n1', 'rack'), 'r1', 'the owned pair is updated in place');
    assert.equal(query(file, 'n1', 'zone'), 'z1');
    assert.equal(query(file, 'n2', 'rack'), 'r2', 'a node without attributes gets a set');
    assert.equal(query(file, 'n1', 'cpu', true), '4');
    assert.equal(query(file, 'n2', 'cpu', true), '8');
    assert.equal(query(file, 'n1', 'standby'), 'on', "the operator's standby is kept");
    assert.equal(query(file, 'n1', 'color'), 'blue', 'a foreign attribute is kept');
    const afterFirst = readFileSync(file, 'utf8');
    assert.match(afterFirst, /name="hactl-owned-node-pairs" value="instance_attributes\/n1\/rack instance_attributes\/n1\/zone instance_attributes\/n2\/rack utilization\/n1\/cpu utilization\/n2\/cpu"/);
    assert.equal(runCommand('crm_verify', ['--xml-file', file]).code, 0);

    const second = await apply(file, v1);
    assert.match(second.text, /nothing to do/);
    assert.equal(epochOf(readFileSync(file, 'utf8')), epochOf(afterFirst), 'a second apply changes nothing');

    // The operator gives n2 a zone of its own (never recorded); the topology then drops zone and
    // n1's capacities and changes rack.
    assert.equal(runCommand('crm_attribute', ['--node', 'n2', '--name', 'zone', '--update', 'theirs'], { env: { CIB_file: file } }).code, 0);
    const v2 = compiled(attrs('1', { rack: 'r3' }), attrs('2', { rack: 'r2' }) + util('2', { cpu: '8' }));
    const third = await apply(file, v2);
    assert.equal(third.report.ok, true, JSON.stringify(third.report));
    assert.equal(query(file, 'n1', 'rack'), 'r3');
    assert.equal(query(file, 'n1', 'zone'), undefined, 'a dropped recorded pair is removed');
    assert.equal(query(file, 'n1', 'cpu', true), undefined);
    assert.equal(query(file, 'n2', 'zone'), 'theirs', 'an unrecorded pair with the name of a dropped one is kept');
    assert.equal(query(file, 'n1', 'standby'), 'on');
    assert.equal(query(file, 'n1', 'color'), 'blue');
    const afterThird = readFileSync(file, 'utf8');
    assert.doesNotMatch(afterThird, /nodes-1-utilization/, 'the set the removals emptied goes');
    assert.match(afterThird, /name="hactl-owned-node-pairs" value="instance_attributes\/n1\/rack instance_attributes\/n2\/rack utilization\/n2\/cpu"/);
    assert.equal(runCommand('crm_verify', ['--xml-file', file]).code, 0);
  });

  it('diff: an owned pair changed by hand is drift, any other node pair is not', () => {
    const file = join(dir, 'diff.xml');
    writeFileSync(file, LIVE);
    const v = compiled(attrs('1', { rack: 'r1' }), '');
    return apply(file, v).then(() => {
      const applied = readFileSync(file, 'utf8');
      const same = diffCibs(xml(v), xml(applied), hactlOwnership(xml(applied)));
      assert.ok(same.ok);
      assert.equal(same.diff.drift, false);
      const operator = applied.replace('name="color" value="blue"', 'name="color" value="red"').replace('name="standby" value="on"', 'name="standby" value="off"');
      const d1 = diffCibs(xml(v), xml(operator), hactlOwnership(xml(operator)));
      assert.ok(d1.ok);
      assert.equal(d1.diff.drift, false, 'standby and a foreign attribute are the operators');
      const drifted = applied.replace(/name="rack" value="r1"/, 'name="rack" value="r9"');
      const d2 = diffCibs(xml(v), xml(drifted), hactlOwnership(xml(drifted)));
      assert.ok(d2.ok);
      assert.equal(d2.diff.drift, true);
      const c = d2.diff.changes.find((x) => x.managed && x.section === 'nodes');
      assert.deepEqual(c && { id: c.id, changes: c.changes }, { id: 'n1', changes: [{ kind: 'changed', path: 'attributes rack', from: 'r1', to: 'r9' }] });
    });
  });
});
