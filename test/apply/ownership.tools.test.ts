/**
 * Ownership that does not guess (issue #15): what apply changes is what its record (the cluster
 * property hactl-owned) lists; objects it did not make are adopted only when they already match, or on
 * --adopt; an operator's stop/unmanage on hactl's resources survives an apply. Plan and push run
 * through the real scripts against a CIB file (CIB_file), with crm_verify, crm_diff and cibadmin.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adoptions, executePlan, formatPlan, planCib, type Plan } from '../../src/apply/index.js';
import { diffCibs, hactlOwnership } from '../../src/diff/index.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { SecretStore } from '../../src/secrets/index.js';
import { needTools } from '../helpers/spawn.js';
import { localTransport } from './local.js';

const skip = needTools(['cibadmin', 'crm_diff', 'crm_verify']);
const dir = mkdtempSync(join(tmpdir(), 'hactl-own-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A cluster built by hand (crmsh's attribute-set ids), with HA-Guide ids, never touched by hactl. */
const HAND = `<cib crm_feature_set="3.16.1" validate-with="pacemaker-3.9" epoch="12" num_updates="4" admin_epoch="0">
  <configuration>
    <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
    <nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
    <resources>
      <primitive id="p_ip_api" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="p_ip_api-instance_attributes"><nvpair id="p_ip_api-instance_attributes-ip" name="ip" value="198.51.100.50"/></instance_attributes><operations><op id="p_ip_api-monitor-10s" name="monitor" interval="10s"/></operations></primitive>
      <primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>
      <primitive id="p_mine" class="ocf" provider="pacemaker" type="Dummy"/>
    </resources>
    <constraints><rsc_colocation id="c_api_with_ip" rsc="p_api" with-rsc="p_ip_api" score="INFINITY"/></constraints>
  </configuration>
  <status/>
</cib>
`;

/** What a topology compiles to: the same objects (hactl's own attribute-set ids), without p_mine. */
const COMPILED = `<cib validate-with="pacemaker-3.0" crm_feature_set="3.1.0"><configuration>
  <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-stonith-enabled" name="stonith-enabled" value="false"/></cluster_property_set></crm_config>
  <nodes/>
  <resources>
    <primitive id="p_ip_api" class="ocf" provider="heartbeat" type="IPaddr2"><instance_attributes id="p_ip_api-params"><nvpair id="p_ip_api-params-ip" name="ip" value="198.51.100.50"/></instance_attributes><operations><op id="p_ip_api-op-monitor" name="monitor" interval="10s"/></operations></primitive>
    <primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>
  </resources>
  <constraints><rsc_colocation id="c_api_with_ip" rsc="p_api" with-rsc="p_ip_api" score="INFINITY"/></constraints>
</configuration></cib>`;

function planFor(action: Awaited<ReturnType<typeof planCib>>['action']): Plan {
  return { topology: 't.yaml', nodes: [], files: [], nodeActions: [], units: [], corosync: [], cib: [action], resources: [], impact: [] };
}

/** plan + execute of the CIB part alone, on a CIB file. */
async function apply(file: string, compiled: string, adoptForeign = false) {
  const t = localTransport({ CIB_file: file });
  const { action, liveText, live } = await planCib(t, 'c', 'local', xml(compiled), 't.yaml', adoptForeign);
  const plan = planFor(action);
  const report = await executePlan({ transport: t, plan, payload: { content: new Map(), cib: new Map([['c', { liveText, live, compiled: xml(compiled) }]]) }, secrets: new SecretStore(), concurrency: 1 });
  return { plan, report, text: formatPlan(plan).map((l) => l.text).join('\n') };
}

const epochOf = (text: string) => /<cib [^>]*\bepoch="(\d+)"/.exec(text)![1];

describe('ownership recorded in the CIB', { skip }, () => {
  it('adopts what already matches (recording it, nothing else changes), then removes only what the topology drops, never a hand-made object', async () => {
    const file = join(dir, 'hand.xml');
    writeFileSync(file, HAND);
    const first = await apply(file, COMPILED);
    assert.match(first.text, /adopts \(records as hactl's; they already match the topology\): c_api_with_ip, p_api, p_ip_api/);
    assert.equal(first.report.ok, true, JSON.stringify(first.report));
    const afterFirst = readFileSync(file, 'utf8');
    const epoch = epochOf(afterFirst);
    assert.notEqual(epoch, '12', 'the record is written');
    // The objects keep their live spelling: crmsh's set ids are still there.
    assert.match(afterFirst, /id="p_ip_api-instance_attributes"/);
    assert.match(afterFirst, /id="p_mine"/, 'a hand-made object is left alone');
    assert.match(afterFirst, /name="hactl-owned" value="c_api_with_ip p_api p_ip_api"/);

    const second = await apply(file, COMPILED);
    assert.match(second.text, /nothing to do/);
    assert.equal(readFileSync(file, 'utf8'), afterFirst, 'the second apply changes nothing (same epoch)');
    assert.equal(epochOf(afterFirst), epoch);

    // The topology drops p_api (and its colocation): only those go.
    const dropped = COMPILED.replace('<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>', '').replace(/<rsc_colocation [^>]*\/>/, '');
    const third = await apply(file, dropped);
    assert.equal(third.report.ok, true, JSON.stringify(third.report));
    const afterThird = readFileSync(file, 'utf8');
    assert.doesNotMatch(afterThird, /id="p_api"|c_api_with_ip/);
    assert.match(afterThird, /id="p_ip_api"/);
    assert.match(afterThird, /id="p_mine"/);
  });

  it('refuses to change an object it did not make that differs from the topology, and takes it over only with --adopt', async () => {
    const file = join(dir, 'foreign.xml');
    const hand = HAND.replace('value="198.51.100.50"', 'value="198.51.100.51"');
    writeFileSync(file, hand);
    const refused = await apply(file, COMPILED);
    assert.match(refused.text, /not hactl's and different from the topology \(apply refuses; --adopt takes them over\): p_ip_api/);
    assert.equal(refused.report.ok, false);
    assert.match(refused.report.clusters[0]!.error ?? '', /p_ip_api .*not recorded as hactl's/);
    assert.equal(readFileSync(file, 'utf8'), hand, 'nothing pushed');
    const d = diffCibs(xml(COMPILED), xml(hand), hactlOwnership(xml(hand)));
    assert.ok(d.ok);
    assert.deepEqual(adoptions(d.diff, xml(hand), xml(COMPILED)).foreign, ['p_ip_api']);

    const taken = await apply(file, COMPILED, true);
    assert.match(taken.text, /adopts and changes \(--adopt; not made by hactl\): p_ip_api/);
    assert.equal(taken.report.ok, true, JSON.stringify(taken.report));
    assert.match(readFileSync(file, 'utf8'), /value="198.51.100.50"/);
  });

  it("removes a running resource: crm_verify's warning about its orphaned history does not refuse the push, an error still does", async () => {
    const file = join(dir, 'orphan.xml');
    writeFileSync(file, HAND.replace('<cib ', '<cib have-quorum="1" '));
    await apply(file, COMPILED);
    // p_api runs on n1 (its history in the status section).
    const status = '<status><node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="1"><lrm_resources><lrm_resource id="p_api" type="Dummy" class="ocf" provider="pacemaker"><lrm_rsc_op id="p_api_last_0" operation_key="p_api_start_0" operation="start" crm-debug-origin="x" crm_feature_set="3.16.1" transition-key="1:1:0:00000000-0000-0000-0000-000000000000" transition-magic="0:0;1:1:0:00000000-0000-0000-0000-000000000000" call-id="2" rc-code="0" op-status="0" interval="0" exec-time="1" queue-time="0" op-digest="x"/></lrm_resource></lrm_resources></lrm></node_state></status>';
    writeFileSync(file, readFileSync(file, 'utf8').replace(/<status\/>/, status));
    const dropped = COMPILED.replace('<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>', '').replace(/<rsc_colocation [^>]*\/>/, '');
    const r = await apply(file, dropped);
    assert.equal(r.report.ok, true, JSON.stringify(r.report));
    assert.doesNotMatch(readFileSync(file, 'utf8'), /<primitive id="p_api"/);
    const broken = COMPILED.replace('with-rsc="p_ip_api"', 'with-rsc="p_missing"');
    const refused = await apply(file, broken);
    assert.equal(refused.report.ok, false);
    assert.match(refused.report.clusters[0]!.error ?? '', /crm_verify rejected/);
  });

  it("keeps an operator's crm resource stop/unmanage through an apply that changes the resource, and says so in the plan", async () => {
    const file = join(dir, 'stop.xml');
    writeFileSync(file, HAND);
    await apply(file, COMPILED);
    const stopped = readFileSync(file, 'utf8').replace(
      '<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>',
      '<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="p_api-meta_attributes"><nvpair id="p_api-meta_attributes-target-role" name="target-role" value="Stopped"/><nvpair id="p_api-meta_attributes-is-managed" name="is-managed" value="false"/></meta_attributes></primitive>',
    );
    assert.match(stopped, /target-role/);
    writeFileSync(file, stopped);
    // Nothing else to change: the stop alone is not drift.
    const idle = await apply(file, COMPILED);
    assert.match(idle.text, /nothing to do[\s\S]*4 unmanaged object\(s\) or operator state left alone:[\s\S]*\+ primitive p_mine[\s\S]*~ primitive p_api {2}operator's runtime state: kept by apply\n.*\+ meta target-role: "Stopped"\n.*\+ meta is-managed: "false"/);
    assert.equal(readFileSync(file, 'utf8'), stopped);
    // A change to p_api itself: pushed, the stop and unmanage kept.
    const changed = COMPILED.replace('<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"/>', '<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="p_api-params"><nvpair id="p_api-params-fake" name="fake" value="2"/></instance_attributes></primitive>');
    const r = await apply(file, changed);
    assert.match(r.text, /~ primitive p_api {2}operator's runtime state: kept by apply\n.*\+ meta target-role: "Stopped"/);
    assert.equal(r.report.ok, true, JSON.stringify(r.report));
    const out = readFileSync(file, 'utf8');
    assert.match(out, /name="fake" value="2"/);
    assert.match(out, /name="target-role" value="Stopped"/);
    assert.match(out, /name="is-managed" value="false"/);
    // A topology that states target-role itself owns it: then it is drift like any value.
    const intent = changed.replace('<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy">', '<primitive id="p_api" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="p_api-meta"><nvpair id="p_api-meta-target-role" name="target-role" value="Started"/></meta_attributes>');
    const d = diffCibs(xml(intent), xml(out), hactlOwnership(xml(out)));
    assert.ok(d.ok && d.diff.drift);
    assert.match(JSON.stringify(d.ok && d.diff.changes.filter((c) => c.managed)), /target-role/);
  });
});
