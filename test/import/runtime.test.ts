/**
 * An operator's runtime state in an imported CIB (`crm resource stop`, `unmanage`, maintenance-mode): import keeps it
 * out of the topology (named in a comment; apply keeps it in the cluster), so it cannot outvote the
 * topology's own intent; a hand-written cib: block that holds it is refused (HA3193).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCib } from '../../src/compile/cib/index.js';
import { declaredNodeTokens, diffCibs, ownedIdsOf } from '../../src/diff/index.js';
import { importCib } from '../../src/import/index.js';
import { loadTopology } from '../../src/load.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { roundTrip } from './roundtrip.js';

const CIB = `<cib validate-with="pacemaker-3.9" epoch="3" num_updates="0" admin_epoch="0"><configuration>
<crm_config><cluster_property_set id="cib-bootstrap-options"><nvpair id="o1" name="stonith-enabled" value="false"/><nvpair id="o2" name="maintenance-mode" value="true"/></cluster_property_set></crm_config>
<nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes>
<resources>
<primitive id="p_web" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="p_web-meta_attributes"><nvpair id="p_web-meta_attributes-resource-stickiness" name="resource-stickiness" value="100"/><nvpair id="p_web-meta_attributes-target-role" name="target-role" value="Stopped"/></meta_attributes><operations><op id="p_web-monitor-10s" name="monitor" interval="10s" timeout="20s"/></operations></primitive>
<clone id="cl_cache"><meta_attributes id="cl_cache-meta_attributes"><nvpair id="cl_cache-meta_attributes-is-managed" name="is-managed" value="false"/></meta_attributes><primitive id="p_cache" class="ocf" provider="pacemaker" type="Dummy"><meta_attributes id="p_cache-meta_attributes"><nvpair id="p_cache-meta_attributes-target-role" name="target-role" value="Started"/></meta_attributes></primitive></clone>
</resources><constraints/></configuration><status/></cib>`;

function imported(): string {
  const r = importCib({ cib: xml(CIB), source: 'runtime.xml' });
  assert.ok(r.text, r.diagnostics.map((d) => d.message).join('\n'));
  return r.text;
}

/** The compiled value of meta attribute `name` on resource `id`, or undefined. */
function compiledMeta(text: string, id: string, name: string): string | undefined {
  const l = loadTopology(text, 'runtime.yaml');
  assert.ok(l.ok && l.model, l.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  let found: string | undefined;
  const walk = (e: ReturnType<typeof toCib>, inside: boolean) => {
    for (const c of e.children) {
      const here = inside || c.attrs.id === id;
      if (here && c.name === 'nvpair' && c.attrs.name === name && e.name === 'meta_attributes') found = c.attrs.value;
      if (c.attrs.id === id || inside || !['primitive', 'clone', 'group', 'bundle'].includes(c.name)) walk(c, here && (c.name === 'meta_attributes' || c.attrs.id === id));
    }
  };
  walk(toCib(l.model.clusters[0]!), false);
  return found;
}

describe('runtime state on import', () => {
  it('stays out of the typed services, named in a comment; the rest of the meta is kept; the round trip shows no drift', () => {
    const text = imported();
    assert.match(text, /# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: target-role=Stopped \(on p_web\)\n/);
    assert.match(text, /# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: is-managed=false \(on cl_cache\), target-role=Started \(on p_cache\)\n/);
    assert.match(text, /meta: \{ resource-stickiness: "100" \}/);
    assert.match(text, /\n {4}# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: maintenance-mode=true\n/);
    assert.doesNotMatch(text, /^ +maintenance-mode:/m);
    assert.doesNotMatch(text, /meta: \{[^}]*(target-role|is-managed)/);
    assert.equal(compiledMeta(text, 'p_web', 'target-role'), undefined);
    assert.equal(compiledMeta(text, 'p_web', 'resource-stickiness'), '100');
    const trip = roundTrip(CIB, 'runtime.xml');
    assert.ok(trip.ok, trip.ok ? '' : `${trip.stage}: ${trip.category}: ${trip.detail}`);
  });

  it("after adoption, an operator's later crm resource start is theirs: no drift, apply does not stop the service again", () => {
    const l = loadTopology(imported(), 'runtime.yaml');
    assert.ok(l.ok && l.model);
    const compiled = toCib(l.model.clusters[0]!);
    // What `crm resource start p_web` leaves: target-role=Started where the import read Stopped.
    // And what `crm configure property maintenance-mode=false` leaves.
    const started = xml(CIB.replace('name="target-role" value="Stopped"', 'name="target-role" value="Started"').replace('name="maintenance-mode" value="true"', 'name="maintenance-mode" value="false"'));
    const d = diffCibs(compiled, started, { name: 'adopted', recorded: new Set(ownedIdsOf(compiled)), nodePairs: new Set(declaredNodeTokens(compiled)), intent: new Map(), ownsExtra: () => true });
    assert.ok(d.ok);
    assert.equal(d.diff.drift, false, JSON.stringify(d.diff.changes));
    assert.ok(d.diff.changes.some((c) => c.id === 'p_web' && !c.managed && /operator's runtime state/.test(c.summary ?? '')));
    assert.ok(d.diff.changes.some((c) => c.section === 'crm_config' && !c.managed), JSON.stringify(d.diff.changes));
  });

  it("the topology's target_role decides what is compiled, whichever way it points", () => {
    const text = imported();
    const withIntent = (role: string) => text.replace('      web:\n', `      web:\n        target_role: ${role}\n`);
    assert.equal(compiledMeta(withIntent('stopped'), 'p_web', 'target-role'), 'Stopped');
    assert.equal(compiledMeta(withIntent('started'), 'p_web', 'target-role'), undefined);
  });

  it('refuses runtime meta written into cib: (HA3193), at the key, for meta and clone_meta', () => {
    const text = imported().replace('meta: { resource-stickiness: "100" }', 'meta: { resource-stickiness: "100", target-role: Stopped }').replace('      cache:\n', '      cache:\n        target_role: started\n');
    const withClone = text.replace('clone_meta: {}', 'clone_meta: { is-managed: "false" }');
    const l = loadTopology(withClone, 'runtime.yaml');
    const got = l.diagnostics.filter((d) => d.code === 'HA3193').map((d) => d.pointer);
    assert.deepEqual(got.sort(), ['/clusters/cluster/services/cache/cib/clone_meta/is-managed', '/clusters/cluster/services/web/cib/meta/target-role']);
    assert.equal(l.ok, false);
  });
});
