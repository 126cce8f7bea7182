/**
 * Raw CIB passthrough (clusters.*.raw_cib): fragments the typed format cannot express reach the
 * compiled CIB, crmsh (`xml` statements) and pcs.sh (cibadmin on the same file), which the real
 * crmsh and pcs build into the same configuration; crm_verify accepts it; hactl owns the objects;
 * bad fragments are refused at their place before anything is written.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { ownedIdsOf } from '../../src/diff/index.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';

const skip = needTools(['crm', 'pcs', 'cibadmin', 'crm_verify', 'crm_simulate']);

const RAW = {
  resources: '<primitive id="p_ticketd" class="ocf" provider="pacemaker" type="Dummy"><instance_attributes id="p_ticketd-ia"><nvpair id="p_ticketd-ia-state" name="state" value="/run/ticket d #1 &quot;x&quot; \\ y"/></instance_attributes></primitive>\n' +
    // A group and a clone of a group with their primitives inside, as an imported cluster has them.
    '<group id="g_pair"><meta_attributes id="g_pair-meta"><nvpair id="g_pair-meta-s" name="resource-stickiness" value="50"/></meta_attributes><primitive id="p_pair_a" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_pair_b" class="ocf" provider="pacemaker" type="Dummy"><operations><op id="p_pair_b-monitor" name="monitor" interval="15s" timeout="20s"/></operations></primitive></group>\n' +
    '<clone id="cl_workers"><meta_attributes id="cl_workers-meta"><nvpair id="cl_workers-meta-i" name="interleave" value="true"/></meta_attributes><group id="g_workers"><primitive id="p_worker_a" class="ocf" provider="pacemaker" type="Dummy"/><primitive id="p_worker_b" class="ocf" provider="pacemaker" type="Dummy"/></group></clone>',
  constraints: '<rsc_ticket id="t_web" rsc="p_web" ticket="site-a" loss-policy="stop"/>\n<rsc_order id="o_sets" kind="Optional"><resource_set id="o_sets-0"><resource_ref id="p_web"/><resource_ref id="p_ticketd"/></resource_set></rsc_order>',
  tags: '<tag id="web-stack"><obj_ref id="p_web"/><obj_ref id="p_ip_vip"/></tag>',
  alerts: '<alert id="log-alerts" path="/usr/share/pacemaker/alerts/alert_file.sh.sample"><recipient id="log-alerts-file" value="/var/log/pcmk-alerts.log"/></alert>',
};

function topology(raw: Record<string, string>): string {
  const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8'));
  doc.setIn(['clusters', 'lab', 'raw_cib'], raw);
  return doc.toString();
}

describe('raw CIB passthrough', { skip }, () => {
  let dir: string;
  let topo: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-raw-'));
    topo = join(dir, 'lab.yaml');
    writeFileSync(topo, topology(RAW));
    out = join(dir, 'out');
    const r = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function emptyCib(name: string): string {
    const f = join(dir, name);
    const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    writeFileSync(f, r.stdout);
    return f;
  }

  it('puts every fragment into its section of the compiled CIB, which crm_verify accepts, and hactl owns them', () => {
    const file = join(out, 'clusters', 'lab', 'cib.xml');
    const text = readFileSync(file, 'utf8');
    for (const id of ['p_ticketd', 't_web', 'o_sets', 'web-stack', 'log-alerts']) assert.match(text, new RegExp(`id="${id}"`));
    assert.match(text, /<constraints>[\s\S]*<rsc_ticket id="t_web"[\s\S]*<\/constraints>/);
    assert.match(text, /<tags>\s*<tag id="web-stack">/);
    assert.match(text, /<alerts>\s*<alert id="log-alerts"/);
    const v = spawnSync('crm_verify', ['-V', '--xml-file', file], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
    // With every node online: no error and no warning at all.
    const online = join(dir, 'online.xml');
    const up = spawnSync('crm_simulate', ['-x', file, '--node-up', 'n1', '--node-up', 'n2', '--node-up', 'n3', '-O', online], { encoding: 'utf8', env: { ...process.env, CIB_shadow_dir: dir } });
    assert.equal(up.status, 0, up.stdout + up.stderr);
    const w = spawnSync('crm_verify', ['-V', '--xml-file', online], { encoding: 'utf8' });
    assert.equal(w.stdout + w.stderr, '');
    assert.equal(w.status, 0);
    const owned = ownedIdsOf(xml(text));
    for (const id of ['p_ticketd', 'g_pair', 'cl_workers', 't_web', 'o_sets', 'web-stack', 'log-alerts']) assert.ok(owned.includes(id), id);
  });

  it('crmsh (xml statements) and pcs.sh (cibadmin on the same file) build the same configuration: no drift', async () => {
    // crmsh 4.4 loads no `xml <group>`/`xml <clone>` holding primitives: their members are xml
    // statements, the containers crmsh's own.
    const conf = readFileSync(join(out, 'clusters', 'lab', 'configure.crm'), 'utf8');
    assert.match(conf, /^xml <primitive id="p_pair_a"[^\n]*\nxml <primitive id="p_pair_b"[^\n]*\ngroup g_pair p_pair_a p_pair_b \\\n\tmeta resource-stickiness=50\n/m);
    assert.match(conf, /^group g_workers p_worker_a p_worker_b\nclone cl_workers g_workers \\\n\tmeta interleave=true\n/m);
    assert.doesNotMatch(conf, /xml <(group|clone)/);
    const crm = emptyCib('crm.xml');
    const c = spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'lab', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: crm, CIB_shadow_dir: dir } });
    assert.equal(c.status, 0, c.stderr);
    const pcs = emptyCib('pcs.xml');
    const p = spawnSync('bash', [join(out, 'clusters', 'lab', 'pcs.sh'), pcs], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    for (const cib of [crm, pcs]) {
      const d = await hactlIn(['diff', topo, '--cluster', 'lab', '--live', cib]);
      assert.equal(d.code, 0, `${cib}:\n${d.stdout}${d.stderr}`);
      assert.match(readFileSync(cib, 'utf8'), /value="\/run\/ticket d #1 &quot;x&quot; \\ y"/);
    }
  });

  it('refuses what is not well-formed, a DOCTYPE, an element the section does not hold, and an id already taken, at its place', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ constraints: '<rsc_ticket id="t1" rsc="p_web" ticket="a">' }, /HA3100: raw CIB for <constraints> cannot be passed through: <\/constraints> closes <rsc_ticket>\n {2}at \/clusters\/lab\/raw_cib\/constraints/],
      [{ constraints: '<!DOCTYPE x [<!ENTITY e "boom">]><rsc_ticket id="t1" rsc="p_web" ticket="&e;"/>' }, /HA3100/],
      [{ resources: '<rsc_location id="l1" rsc="p_web" node="n1" score="1"/>' }, /HA3100: .*<rsc_location> does not belong at the top of <resources>/],
      [{ constraints: '<rsc_ticket rsc="p_web" ticket="a"/>' }, /HA3100: .*needs an id/],
      [{ constraints: '<rsc_ticket id="p_web" rsc="p_web" ticket="a"/>' }, /HA3101: .*id p_web in raw_cib constraints is already the id of a primitive/],
      [{ tags: '<tag id="a"><obj_ref id="p_web"/></tag>', alerts: '<alert id="a" path="/bin/true"/>' }, /HA3101: .*id a in raw_cib alerts/],
      // Property and defaults sets: hactl's own set takes unknown options only, its ids are taken.
      [{ crm_config: '<cluster_property_set id="cib-bootstrap-options" score="5"><nvpair id="x" name="fencing-enabled" value="true"/></cluster_property_set>' }, /HA3220: raw_cib crm_config set cib-bootstrap-options is the set hactl writes its properties in, and holds the attribute score/],
      [{ crm_config: '<cluster_property_set id="cib-bootstrap-options"><nvpair id="x" name="stonith-enabled" value="false"/></cluster_property_set>' }, /HA3221: cluster property stonith-enabled is in raw_cib crm_config set cib-bootstrap-options and is also written by hactl/],
      [{ crm_config: '<cluster_property_set id="cib-bootstrap-options"><nvpair id="x" name="batch-limit" value="5"/></cluster_property_set>' }, /HA3222: batch-limit in raw_cib crm_config set cib-bootstrap-options is a cluster option hactl knows/],
      [{ crm_config: '<cluster_property_set id="extra"><nvpair id="cib-bootstrap-options-stonith-enabled" name="batch-limit" value="5"/></cluster_property_set>' }, /HA3101: .*id cib-bootstrap-options-stonith-enabled in raw_cib crm_config is already the id of a crm_config pair hactl writes/],
      // A defaults set with hactl's id is that set too: options Pacemaker 2.1 does not know only.
      [{ rsc_defaults: '<meta_attributes id="rsc-options"><nvpair id="y" name="priority" value="1"/></meta_attributes>' }, /HA3222: priority in raw_cib rsc_defaults set rsc-options is a resource meta-attribute hactl knows\n(.*\n)* {2}hint: write it under rsc_defaults, where its value is checked/],
      [{ op_defaults: '<meta_attributes id="op-options"><nvpair id="z" name="timeout" value="1s"/></meta_attributes>' }, /HA3221: operation default timeout is in raw_cib op_defaults set op-options and is also written by hactl \(under op_defaults, or of its own accord\)/],
      [{ rsc_defaults: '<meta_attributes id="rsc-options" score="3"><nvpair id="y" name="new-option" value="1"/></meta_attributes>' }, /HA3220: raw_cib rsc_defaults set rsc-options is the set hactl writes its rsc_defaults in, and holds the attribute score/],
      [{ rsc_defaults: '<meta_attributes id="extra"><nvpair id="rsc-options-resource-stickiness" name="priority" value="1"/></meta_attributes>' }, /HA3101: .*id rsc-options-resource-stickiness in raw_cib rsc_defaults is already the id of a rsc_defaults pair hactl writes/],
      // Node entries: only a remote node's, never one named like a node of the topology.
      [{ nodes: '<node id="4" uname="n4"/>' }, /HA3100: raw CIB for <nodes> cannot be passed through: <node id="4"> is no remote node entry/],
      [{ nodes: '<node id="n1" uname="n1" type="remote"/>' }, /HA3101: .*id n1 in raw_cib nodes is already the id of a node of the topology/],
      [{ crm_config: '<cluster_property_set id="hactl-ownership"/>' }, /HA3101: .*id hactl-ownership in raw_cib crm_config is already the id of a record of ownership apply writes/],
    ];
    for (const [raw, expected] of cases) {
      const f = join(dir, 'bad.yaml');
      writeFileSync(f, topology(raw));
      const r = await hactlIn(['validate', f]);
      assert.equal(r.code, 2, JSON.stringify(raw) + r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, expected);
      const o = join(dir, 'bad-out');
      const c = await hactlIn(['compile', f, '-o', o]);
      assert.equal(c.code, 2);
      assert.equal(spawnSync('test', ['-e', o]).status, 1, 'nothing written');
    }
  });
});
