/** The semantic CIB diff on hand-written CIBs: what it ignores, what it keeps, ownership, masking. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffCibs, formatDiff, diffToJson, hactlOwnership, REFERENCE_OWNERSHIP, MASK, type CibDiff, type Ownership } from '../../src/diff/index.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';

function cib(configuration: string, attrs = 'validate-with="pacemaker-3.9" epoch="3" num_updates="1" admin_epoch="0"', status = '<status/>'): string {
  return `<cib ${attrs}><configuration>${configuration}</configuration>${status}</cib>`;
}

function diff(a: string, b: string, own: Ownership = REFERENCE_OWNERSHIP): CibDiff {
  const r = diffCibs(xml(a), xml(b), own);
  if (!r.ok) throw new Error(r.message);
  return r.diff;
}

const text = (d: CibDiff) => formatDiff(d, { from: 'A', live: 'B' }).map((l) => ' '.repeat(l.indent) + l.text).join('\n');
const roots = (d: CibDiff) => d.changes.filter((c) => c.managed).map((c) => `${c.kind} ${c.tag} ${c.id}`);

const PRIMS = `
  <primitive id="p_a" class="ocf" provider="pacemaker" type="Dummy">
    <instance_attributes id="p_a-ia"><nvpair id="p_a-ia-state" name="state" value="/run/a"/><nvpair id="p_a-ia-fake" name="fake" value="x"/></instance_attributes>
    <operations><op id="p_a-mon" name="monitor" interval="10s" timeout="20s"/><op id="p_a-start" name="start" interval="0" timeout="60s"/></operations>
  </primitive>
  <primitive id="p_b" class="ocf" provider="pacemaker" type="Dummy"/>`;
const BASE = cib(`<crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="true"/></cluster_property_set></crm_config>
  <nodes><node id="1" uname="n1"/></nodes>
  <resources>${PRIMS}<group id="g_ab"><primitive id="p_c" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/></group></resources>
  <constraints><rsc_colocation id="c_a_with_b" rsc="p_a" with-rsc="p_b" score="INFINITY"/>
    <rsc_order id="o_set"><resource_set id="s1" sequential="true"><resource_ref id="p_a"/><resource_ref id="p_b"/></resource_set><resource_set id="s2" sequential="false"><resource_ref id="g_ab"/><resource_ref id="p_c"/></resource_set></rsc_order>
    <rsc_location id="l_a_rule" rsc="p_a"><rule id="r1" score="100" boolean-op="and"><expression id="e1" attribute="#uname" operation="eq" value="n1"/><expression id="e2" attribute="site" operation="defined"/></rule></rsc_location>
  </constraints>`);

describe('what the diff ignores', () => {
  it('finds no drift between a CIB and itself', () => {
    const d = diff(BASE, BASE);
    assert.equal(d.drift, false);
    assert.deepEqual(d.changes, []);
  });

  it('ignores the status section, volatile <cib> attributes and cluster-maintained properties', () => {
    const other = BASE.replace('epoch="3" num_updates="1" admin_epoch="0"', 'epoch="99" num_updates="7" admin_epoch="2" cib-last-written="Tue" update-origin="n2" update-client="crmd" update-user="hacluster" dc-uuid="2" have-quorum="1" crm_feature_set="3.16.1"')
      .replace('validate-with="pacemaker-3.9"', 'validate-with="pacemaker-3.0"')
      .replace('<status/>', '<status><node_state id="1" uname="n1" in_ccm="true"/></status>')
      .replace('value="true"/>', 'value="true"/><nvpair id="dcv" name="dc-version" value="2.1.5"/><nvpair id="ci" name="cluster-infrastructure" value="corosync"/><nvpair id="lr" name="last-lrm-refresh" value="1"/>');
    assert.deepEqual(diff(BASE, other).changes, []);
  });

  it('ignores attribute order, whitespace, comments and the order of resources, constraints, nvpairs and ops', () => {
    const shuffled = cib(`<!-- an operator's note -->
      <constraints>
        <rsc_location rsc="p_a" id="l_a_rule"><rule boolean-op="and" score="100" id="r1"><expression attribute="site" operation="defined" id="e2"/><expression value="n1" operation="eq" attribute="#uname" id="e1"/></rule></rsc_location>
        <rsc_order id="o_set"><resource_set id="s1" sequential="true"><resource_ref id="p_a"/><resource_ref id="p_b"/></resource_set><resource_set id="s2" sequential="false"><resource_ref id="p_c"/><resource_ref id="g_ab"/></resource_set></rsc_order>
        <rsc_colocation score="INFINITY" with-rsc="p_b" rsc="p_a" id="c_a_with_b"/>
      </constraints>
      <resources>
        <group id="g_ab"><primitive id="p_c" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/></group>
        <primitive type="Dummy" id="p_b" class="ocf" provider="pacemaker"/>
        <primitive id="p_a" class="ocf" provider="pacemaker" type="Dummy">
          <operations><op id="x-start" name="start" interval="0s" timeout="1min"/><op id="x-mon" name="monitor" interval="10000ms" timeout="20"/></operations>
          <instance_attributes id="other-id"><nvpair id="zz" name="fake" value="x"/><nvpair id="yy" name="state" value="/run/a"/></instance_attributes>
        </primitive>
      </resources>
      <nodes><node uname="n1" id="1"/></nodes>
      <crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="other" name="stonith-enabled" value="yes"/></cluster_property_set></crm_config>`);
    const d = diff(BASE, shuffled);
    assert.deepEqual(d.changes, [], text(d));
  });
});

describe('what the diff keeps', () => {
  it('reports a changed parameter down to the attribute, with the object id', () => {
    const d = diff(BASE, BASE.replace('value="/run/a"', 'value="/run/b"'));
    assert.deepEqual(roots(d), ['changed primitive p_a']);
    assert.deepEqual(d.changes[0]!.changes, [{ kind: 'changed', path: 'params state', from: '/run/a', to: '/run/b' }]);
  });

  it('reports an op timeout change under the op', () => {
    const d = diff(BASE, BASE.replace('interval="10s" timeout="20s"', 'interval="10s" timeout="30s"'));
    assert.deepEqual(d.changes[0]!.changes, [{ kind: 'changed', path: 'op monitor 10s timeout', from: '20s', to: '30s' }]);
  });

  it('keeps the order of group members', () => {
    const swapped = BASE.replace('<primitive id="p_c" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/>', '<primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_c" class="ocf" provider="pacemaker" type="Dummy"/>');
    const d = diff(BASE, swapped);
    assert.deepEqual(roots(d), ['changed group g_ab']);
    assert.deepEqual(d.changes[0]!.changes, [{ kind: 'changed', path: 'members', from: 'p_c, p_d', to: 'p_d, p_c' }]);
  });

  it('keeps the order of members of a sequential set, and of the sets of an ordering', () => {
    const refs = diff(BASE, BASE.replace('<resource_ref id="p_a"/><resource_ref id="p_b"/>', '<resource_ref id="p_b"/><resource_ref id="p_a"/>'));
    assert.deepEqual(roots(refs), ['changed rsc_order o_set']);
    assert.match(text(refs), /set\[s1\] members: "p_a, p_b" -> "p_b, p_a"/);
    const sets = BASE.replace(/(<resource_set id="s1".*?<\/resource_set>)(<resource_set id="s2".*?<\/resource_set>)/, '$2$1');
    assert.notEqual(sets, BASE);
    assert.deepEqual(roots(diff(BASE, sets)), ['changed rsc_order o_set']);
  });

  it('reports a changed boolean-op of a rule but not the order of its expressions', () => {
    const d = diff(BASE, BASE.replace('boolean-op="and"', 'boolean-op="or"'));
    assert.deepEqual(d.changes[0]!.changes, [{ kind: 'changed', path: 'rule boolean-op', from: 'and', to: 'or' }]);
  });

  it('reports added and removed objects with their content', () => {
    const d = diff(BASE, BASE.replace('<primitive id="p_b" class="ocf" provider="pacemaker" type="Dummy"/>', '').replace('</constraints>', '<rsc_location id="l_b_n1" rsc="p_b" node="n1" score="50"/></constraints>'));
    assert.deepEqual(roots(d).sort(), ['added rsc_location l_b_n1', 'removed primitive p_b']);
    const loc = d.changes.find((c) => c.id === 'l_b_n1')!;
    assert.equal(loc.summary, 'p_b 50 on n1');
    assert.deepEqual(loc.changes.map((c) => c.path), ['node', 'rsc', 'score']);
  });

  it('reports a resource moved out of its group as a change of parent, not a delete and an add', () => {
    const moved = BASE.replace('<primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/></group>', '</group><primitive id="p_d" class="ocf" provider="pacemaker" type="Dummy"/>');
    const d = diff(BASE, moved);
    assert.deepEqual(roots(d), ['changed group g_ab', 'changed primitive p_d']);
    assert.deepEqual(d.changes[1]!.changes, [{ kind: 'changed', path: 'parent', from: 'g_ab', to: '(top level)' }]);
  });

  it('tells a property changed from a property added', () => {
    const d = diff(BASE, BASE.replace('value="true"/>', 'value="false"/><nvpair id="mm" name="maintenance-mode" value="true"/>'));
    assert.deepEqual(roots(d).sort(), ['added property maintenance-mode', 'changed property stonith-enabled']);
  });
});

describe('defaults', () => {
  it('reads a left-out attribute as its default: writing the default is no drift, another value is', () => {
    const base = cib('<constraints><rsc_order id="o_a_b" first="p_a" then="p_b"/><rsc_colocation id="c_a_b" rsc="p_a" with-rsc="p_b" score="INFINITY"/></constraints>');
    const explicit = base.replace('then="p_b"/>', 'then="p_b" first-action="start" then-action="start" kind="Mandatory" symmetrical="true"/>').replace('score="INFINITY"/>', 'score="INFINITY" rsc-role="Started" with-rsc-role="Started"/>');
    assert.deepEqual(diff(base, explicit).changes, []);
    const d = diff(base, base.replace('then="p_b"/>', 'then="p_b" first-action="promote"/>'));
    // then-action, left out on both sides, follows first-action: the change is reported once, where it was written.
    assert.deepEqual(d.changes[0]!.changes, [{ kind: 'added', path: 'first-action', to: 'promote' }]);
  });
});

describe('ownership', () => {
  const move = BASE.replace('</constraints>', '<rsc_location id="cli-prefer-p_a" rsc="p_a" role="Started" node="n2" score="INFINITY"/><rsc_location id="cli-ban-p_b-on-n1" rsc="p_b" node="n1" score="-INFINITY"/></constraints>');

  it('shows cli-prefer and cli-ban constraints as unmanaged, never as drift', () => {
    for (const own of [hactlOwnership(xml(move)), REFERENCE_OWNERSHIP]) {
      const d = diff(BASE, move, own);
      assert.equal(d.drift, false);
      assert.deepEqual(d.changes.map((c) => `${c.managed} ${c.id}`), ['false cli-ban-p_b-on-n1', 'false cli-prefer-p_a']);
      assert.match(text(d), /unmanaged[\s\S]*cli-prefer-p_a {2}p_a INFINITY on n2 \(Started\)[\s\S]*no drift \(2 unmanaged/);
    }
  });

  it('shows node attributes as unmanaged', () => {
    const d = diff(BASE, BASE.replace('<node id="1" uname="n1"/>', '<node id="1" uname="n1"><instance_attributes id="n1-ia"><nvpair id="n1-standby" name="standby" value="on"/></instance_attributes></node>'), hactlOwnership(xml(BASE)));
    assert.equal(d.drift, false);
    assert.deepEqual(d.changes.map((c) => `${c.kind} ${c.managed} ${c.tag} ${c.id}`), ['changed false node 1']);
  });

  it('counts an extra object as drift only when the ownership record lists it, whatever its id', () => {
    const extra = BASE.replace('</constraints>', '<rsc_location id="l_b_avoid_n2" rsc="p_b" node="n2" score="-INFINITY"/><rsc_location id="ops-pin" rsc="p_b" node="n1" score="10"/></constraints>')
      .replace('value="true"/>', 'value="true"/><nvpair id="mm" name="maintenance-mode" value="true"/>');
    // No record (a cluster built by hand, or by an older hactl): an id like hactl's says nothing.
    const bare = diff(BASE, extra, hactlOwnership(xml(extra)));
    // maintenance-mode the topology does not set is the operator's runtime state, reported last as such.
    assert.deepEqual(bare.changes.map((c) => `${c.managed} ${c.id}`), ['false l_b_avoid_n2', 'false ops-pin', 'false maintenance-mode']);
    assert.equal(bare.changes.find((c) => c.id === 'maintenance-mode')?.summary, "operator's runtime state: kept by apply");
    assert.equal(bare.drift, false);
    // Recorded as hactl's: drift, whatever the id looks like.
    const recorded = extra.replace('</crm_config>', '<cluster_property_set id="hactl-ownership"><nvpair id="hactl-ownership-hactl-owned" name="hactl-owned" value="ops-pin p_a"/></cluster_property_set></crm_config>');
    const d = diff(BASE, recorded, hactlOwnership(xml(recorded)));
    assert.deepEqual(d.changes.map((c) => `${c.managed} ${c.id}`), ['true ops-pin', 'false l_b_avoid_n2', 'false maintenance-mode']);
    assert.equal(d.counts.added, 1);
    assert.equal(d.counts.unmanaged, 2);
    assert.doesNotMatch(text(d), /hactl-own/, 'the record itself is bookkeeping, not an object');
    // Against a saved reference CIB everything but the operators' objects is the reference's.
    assert.equal(diff(BASE, extra, REFERENCE_OWNERSHIP).counts.added, 3);
  });
});

describe('secrets', () => {
  const withPw = (pw: string, token: string) =>
    BASE.replace('<primitive id="p_b" class="ocf" provider="pacemaker" type="Dummy"/>', `<primitive id="st_x" class="stonith" type="fence_ipmilan"><instance_attributes id="st_x-ia"><nvpair id="pw" name="password" value="${pw}"/><nvpair id="ip" name="ip" value="198.51.100.9"/><nvpair id="t" name="api_token" value="${token}"/><nvpair id="ref" name="login" value="secret:ipmi"/></instance_attributes></primitive>`);

  it('masks secret values in every line of text and JSON output, changed or added', () => {
    const a = withPw('hunter2-old', 'tok-old');
    const b = withPw('hunter2-new', 'tok-new');
    for (const [x, y] of [[a, b], [BASE, b], [b, BASE]] as const) {
      const d = diff(x, y);
      assert.ok(d.drift);
      const out = text(d) + JSON.stringify(diffToJson(d, { from: 'A', live: 'B' }));
      assert.doesNotMatch(out, /hunter2|tok-(old|new)|secret:ipmi/);
      assert.ok(out.includes(MASK));
    }
    const d = diff(a, b);
    assert.deepEqual(d.changes[0]!.changes.map((c) => c.path), ['params password', 'params api_token']);
  });
});

describe('input', () => {
  it('accepts a bare <configuration> and refuses other roots', () => {
    const conf = /<configuration>[\s\S]*<\/configuration>/.exec(BASE)![0];
    assert.deepEqual(diff(BASE, conf).changes, []);
    const r = diffCibs(xml('<status/>'), xml(BASE), REFERENCE_OWNERSHIP);
    assert.equal(r.ok, false);
  });

  it('prints ids with control characters escaped', () => {
    // U+009B is a C1 control (CSI), legal in XML 1.0 and read by many terminals as ESC [.
    const d = diff(BASE, BASE.replace('</constraints>', '<rsc_location id="l_&#155;31mred" rsc="p_a" node="&#155;2J" score="1"/></constraints>'));
    assert.ok(!text(d).includes('\u009b'));
    assert.match(text(d), /l_\\u009b31mred/);
  });
});
