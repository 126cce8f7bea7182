/**
 * `hactl import` of what an operator's live cluster really has beside one property set: further
 * cluster_property_sets (one with a score and a date rule), rsc_defaults and op_defaults with
 * several sets and rules (pcs's own `resource op defaults set create ... rule`), Pacemaker 3's
 * fencing-enabled, unknown to Pacemaker 2.1, a member node with two attribute sets and a remote
 * node's entry with the attribute its location rules read. What the typed format cannot hold goes
 * to the raw passthrough with a comment saying why; the topology compiles back without drift,
 * and pcs -f and crmsh load what hactl emits.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildCandidate } from '../../src/apply/cib.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { hactlIn } from '../helpers/cli.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { needTools } from '../helpers/spawn.js';
import { twoNodeCorosync } from './roundtrip.js';

const COROSYNC = twoNodeCorosync('sets');

/** Sets pcs has no command for, as an operator adds them with cibadmin. */
const EXTRA = `<configuration><crm_config>
<cluster_property_set id="no-stonith"><nvpair id="no-stonith-fe" name="fencing-enabled" value="false"/></cluster_property_set>
<cluster_property_set id="night" score="10"><rule id="night-r" score="INFINITY"><date_expression id="night-r-d" operation="date_spec"><date_spec id="night-r-d-s" hours="0-6"/></date_expression></rule><nvpair id="night-batch" name="batch-limit" value="10"/></cluster_property_set>
</crm_config><rsc_defaults>
<meta_attributes id="rsc-n1"><rule id="rsc-n1-r" score="INFINITY" boolean-op="or"><expression id="rsc-n1-r-e" attribute="#uname" operation="eq" value="n1"/><expression id="rsc-n1-r-f" attribute="rack" operation="defined"/></rule><nvpair id="rsc-n1-s" name="migration-threshold" value="1"/></meta_attributes>
</rsc_defaults><nodes>
<node id="1" uname="n1"><instance_attributes id="n1-installer"><nvpair id="n1-installer-rack" name="rack" value="r1"/></instance_attributes><instance_attributes id="nodes-1"><nvpair id="nodes-1-standby" name="standby" value="off"/></instance_attributes></node>
<node id="rabbit-0" uname="rabbit-0" type="remote"><instance_attributes id="nodes-rabbit-0"><nvpair id="nodes-rabbit-0-role" name="rabbitmq-role" value="true"/></instance_attributes></node>
</nodes></configuration>`;

describe('hactl import: several property and defaults sets, rules, options unknown to Pacemaker 2.1', { skip: needTools(['crm', 'pcs', 'cibadmin', 'crm_verify']) }, () => {
  let dir: string;
  let live: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-sets-'));
    live = emptyCib('live.xml');
    const run = (argv: string[], env: Record<string, string> = {}) => {
      const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env } });
      assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
    };
    run(['pcs', '-f', live, 'property', 'set', 'no-quorum-policy=stop', 'cluster-recheck-interval=5min']);
    run(['pcs', '-f', live, 'resource', 'defaults', 'update', 'resource-stickiness=100']);
    run(['pcs', '-f', live, 'resource', 'op', 'defaults', 'set', 'create', 'id=op-monitor', 'meta', 'timeout=30s', 'rule', 'op monitor interval=10s']);
    run(['cibadmin', '--modify', '--allow-create', '--scope', 'configuration', '--xml-text', EXTRA.replace(/\n/g, '')], { CIB_file: live });
    writeFileSync(join(dir, 'corosync.conf'), COROSYNC);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** An empty CIB file, with the node entries a live cluster has unless `bare` (pcs.sh adds them). */
  function emptyCib(name: string, bare = false): string {
    const f = join(dir, name);
    const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    writeFileSync(f, r.stdout);
    if (bare) return f;
    for (const [id, uname] of [['1', 'n1'], ['2', 'n2']]) {
      const n = spawnSync('cibadmin', ['--create', '--scope', 'nodes', '--xml-text', `<node id="${id}" uname="${uname}"/>`], { encoding: 'utf8', env: { ...process.env, CIB_file: f } });
      assert.equal(n.status, 0, n.stderr);
    }
    return f;
  }

  it('import keeps them raw with the reason, compile gives the same configuration back, and pcs -f and crmsh load it', async () => {
    const r = await hactlIn(['import', '--cib', live, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning HA5560: cluster property fencing-enabled \(set no-stonith\) is no option of Pacemaker 2\.1/);
    const text = r.stdout;
    // The set with hactl's id is typed; Pacemaker 3's fencing-enabled=false turns fencing off there.
    assert.match(text, /fencing: \{ enabled: false, reason: "imported: the CIB sets fencing-enabled=false \(property set no-stonith, kept raw\)" \}/);
    assert.match(text, /properties:\n {6}cluster-recheck-interval: 5min\n {6}no-quorum-policy: stop\n {6}stonith-enabled: null/);
    // Two rsc_defaults sets both set nothing in common: the plain one is typed, the ruled one raw.
    assert.match(text, /rsc_defaults:\n {6}resource-stickiness: "100"\n/);
    assert.match(text, /op_defaults: \{\} {2}# the CIB's sets are kept raw \(raw_cib below\): hactl adds none of its own/);
    assert.match(text, /# no-stonith: a further set \(the typed one is cib-bootstrap-options\)\n {6}# night: has the score 10: the typed set has none\n {6}crm_config: \|\n {8}<cluster_property_set id="no-stonith">/);
    assert.match(text, /# rsc-n1: has a rule: the typed set applies always\n {6}rsc_defaults: \|\n {8}<meta_attributes id="rsc-n1">/);
    assert.match(text, /# op-monitor: has a rule[^\n]*\n {6}op_defaults: \|\n {8}<meta_attributes id="op-monitor">\n {10}<rule id="op-monitor-rule"[^\n]*>\n {12}<op_expression /);
    // The member's two plain sets are one map; the remote node's entry is kept as it is.
    assert.match(text, /n1:\n[^\n]*\n[^\n]*\n[^\n]*\n {4}attributes: \{ rack: r1, standby: "off" \}/);
    assert.match(text, /# rabbit-0: rabbit-0's entry: a remote node's attributes, kept as written \(its connection is a resource\)\n {6}nodes: \|\n {8}<node id="rabbit-0" uname="rabbit-0" type="remote">/);
    const topo = join(dir, 'sets.yaml');
    writeFileSync(topo, text);
    const out = join(dir, 'out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(c.code, 0, c.stderr);
    // Warned: the option Pacemaker 2.1 ignores, and what configure.crm cannot carry.
    assert.match(c.stderr, /warning HA3223: cluster property fencing-enabled \(raw_cib crm_config set no-stonith\) is no option of Pacemaker 2\.1/);
    assert.match(c.stderr, /warning HA3224: configure\.crm cannot carry raw_cib crm_config set night/);
    assert.match(c.stderr, /warning HA3224: configure\.crm cannot carry raw_cib op_defaults set op-monitor/);
    assert.doesNotMatch(c.stderr, /HA3224[^\n]*rsc-n1/);
    const cluster = join(out, 'clusters', 'sets');
    const cib = join(cluster, 'cib.xml');
    const d = await hactlIn(['diff', '--from', cib, '--live', live]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    // An op_expression needs the pacemaker-3.4 schema; the CIB is valid, and Pacemaker 2.1 reads
    // no fencing-enabled: fencing stays on there, with no device (what HA3223 warns of).
    assert.match(readFileSync(cib, 'utf8'), /validate-with="pacemaker-3\.4"/);
    const v = spawnSync('crm_verify', ['-V', '--xml-file', cib], { encoding: 'utf8' });
    const errors = (v.stdout + v.stderr).split('\n').filter((l) => /error/.test(l));
    assert.ok(errors.length > 0 && errors.every((l) => /STONITH|Errors found during check/.test(l)), errors.join('\n'));
    // pcs.sh (pcs -f, the raw sets through cibadmin on the same file): the same configuration.
    const pcs = emptyCib('pcs.xml', true);
    const p = spawnSync('bash', [join(cluster, 'pcs.sh'), pcs], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const dp = await hactlIn(['diff', '--from', pcs, '--live', live]);
    assert.equal(dp.code, 0, dp.stdout + dp.stderr);
    // Node entries are the operators' to the diff: read them in the files (crmsh keeps its
    // comments as XML comments in the element).
    const gap = '(?:\\s|<!--[^>]*-->)*';
    const remote = new RegExp(`<node id="rabbit-0" uname="rabbit-0" type="remote">${gap}<instance_attributes id="[^"]+">${gap}<nvpair id="[^"]+" name="rabbitmq-role" value="true"/>`);
    const member = new RegExp(`<node id="1" uname="n1">${gap}<instance_attributes id="[^"]+">${gap}<nvpair (?:id="[^"]+" )?name="rack" value="r1"[^>]*/>${gap}<nvpair (?:id="[^"]+" )?name="standby" value="off"[^>]*/>`);
    for (const f of [cib, pcs]) {
      assert.match(readFileSync(f, 'utf8'), remote, f);
      assert.match(readFileSync(f, 'utf8'), member, f);
    }
    // crmsh: everything but the two sets it has no syntax for, which configure.crm names.
    const crm = readFileSync(join(cluster, 'configure.crm'), 'utf8');
    assert.match(crm, /^rsc_defaults rsc-n1: rule inf: '#uname' eq n1 or defined rack migration-threshold=1$/m);
    assert.match(crm, /^xml <cluster_property_set id="no-stonith">/m);
    assert.match(crm, /^# crm_config set night is not here: crmsh has no syntax for it \(HA3224\); load cib\.xml or pcs\.sh$/m);
    assert.match(crm, /^# op_defaults set op-monitor is not here/m);
    const loaded = emptyCib('crm.xml');
    const l = spawnSync('crm', ['configure', 'load', 'update', join(cluster, 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: loaded, CIB_shadow_dir: dir } });
    assert.equal(l.status, 0, l.stderr);
    assert.match(readFileSync(loaded, 'utf8'), remote);
    assert.match(readFileSync(loaded, 'utf8'), member);
    const dc = await hactlIn(['diff', '--from', loaded, '--live', live]);
    assert.equal(dc.code, 1);
    const missing = dc.stdout.split('\n').filter((line) => /^ {2}[~+-] /.test(line));
    // (n1's two sets are one set there, as hactl writes them: node entries are the operators', shown, no drift.)
    assert.deepEqual(missing, ['  + property batch-limit (in night)', '  + cluster_property_set night', '  + meta_attributes op-monitor', '  + property timeout (in op-monitor)', '  ~ node 1  n1']);
  });

  it('options Pacemaker 2.1 does not know in the typed rsc_defaults and op_defaults sets are kept raw in hactl\'s own set, not refused: no drift, pcs -f and crmsh build it again', async () => {
    const cib = emptyCib('defaults.xml');
    const sets = `<configuration><rsc_defaults><meta_attributes id="rsc_defaults-options"><nvpair id="rd-s" name="resource-stickiness" value="100"/><nvpair id="rd-f" name="resource-failure-stickiness" value="-INFINITY"/></meta_attributes></rsc_defaults><op_defaults><meta_attributes id="op-options"><nvpair id="od-t" name="timeout" value="45s"/><nvpair id="od-m" name="monitor" value="true"/></meta_attributes></op_defaults></configuration>`;
    const m = spawnSync('cibadmin', ['--modify', '--allow-create', '--scope', 'configuration', '--xml-text', sets], { encoding: 'utf8', env: { ...process.env, CIB_file: cib } });
    assert.equal(m.status, 0, m.stderr);
    const s = spawnSync('pcs', ['-f', cib, 'property', 'set', 'stonith-enabled=false'], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning HA5560: resource default resource-failure-stickiness \(set rsc_defaults-options\) is no option of Pacemaker 2\.1, the version hactl writes for: kept as written in raw_cib rsc_defaults/);
    assert.match(r.stderr, /warning HA5560: operation default monitor \(set op-options\) is no option of Pacemaker 2\.1, the version hactl writes for: kept as written in raw_cib op_defaults/);
    // The known options typed, the unknown ones raw in hactl's own set (which the typed ones join at compile).
    assert.match(r.stdout, /^ {4}rsc_defaults:\n {6}resource-stickiness: "100"\n {4}op_defaults:\n {6}timeout: 45s\n/m);
    assert.match(r.stdout, /# rsc-options: resource-failure-stickiness: unknown to Pacemaker 2\.1[^\n]*\n {6}rsc_defaults: \|\n {8}<meta_attributes id="rsc-options">\n {10}<nvpair id="rd-f" name="resource-failure-stickiness" value="-INFINITY"\/>\n {8}<\/meta_attributes>/);
    assert.match(r.stdout, /# op-options: monitor: unknown to Pacemaker 2\.1[^\n]*\n {6}op_defaults: \|\n {8}<meta_attributes id="op-options">\n {10}<nvpair id="od-m" name="monitor" value="true"\/>/);
    const topo = join(dir, 'defaults.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'defaults-out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(c.code, 0, c.stderr);
    // Joined to hactl's own set, each with its reason in configure.crm: no warning of a set it cannot carry.
    assert.doesNotMatch(c.stderr, /HA3224/);
    const cluster = join(out, 'clusters', 'sets');
    // One set each, hactl's, holding the typed and the raw pairs.
    const compiled = readFileSync(join(cluster, 'cib.xml'), 'utf8');
    assert.match(compiled, /<rsc_defaults>\s*<meta_attributes id="rsc-options">\s*<nvpair id="rsc-options-resource-failure-stickiness" name="resource-failure-stickiness" value="-INFINITY"\/>\s*<nvpair id="rsc-options-resource-stickiness" name="resource-stickiness" value="100"\/>\s*<\/meta_attributes>\s*<\/rsc_defaults>/);
    const v = spawnSync('crm_verify', ['-V', '--xml-file', join(cluster, 'cib.xml')], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
    for (const built of ['cib', 'pcs', 'crmsh'] as const) {
      let file = join(cluster, 'cib.xml');
      if (built === 'pcs') {
        file = emptyCib('defaults-pcs.xml', true);
        const p = spawnSync('bash', [join(cluster, 'pcs.sh'), file], { encoding: 'utf8' });
        assert.equal(p.status, 0, p.stderr);
      } else if (built === 'crmsh') {
        file = emptyCib('defaults-crm.xml');
        const l = spawnSync('crm', ['configure', 'load', 'update', join(cluster, 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: file, CIB_shadow_dir: dir } });
        assert.equal(l.status, 0, l.stderr);
      }
      const d = await hactlIn(['diff', '--from', file, '--live', cib]);
      assert.equal(d.code, 0, `${built}: ${d.stdout}${d.stderr}`);
    }
  });

  it("apply creates a remote node's entry the cluster does not have yet, though its id is its connection resource's", () => {
    const cib = (nodes: string) =>
      xml(`<cib validate-with="pacemaker-3.0" admin_epoch="0" epoch="1" num_updates="0"><configuration><crm_config/><nodes><node id="1" uname="n1"/>${nodes}</nodes><resources><primitive id="rabbit-0" class="ocf" provider="pacemaker" type="remote"/></resources><constraints/></configuration><status/></cib>`);
    const entry = '<node id="rabbit-0" uname="rabbit-0" type="remote"><instance_attributes id="nodes-rabbit-0"><nvpair id="nodes-rabbit-0-role" name="rabbitmq-role" value="true"/></instance_attributes></node>';
    const candidate = serializeXml(buildCandidate(cib(''), cib(entry)));
    assert.match(candidate, /<node id="rabbit-0" uname="rabbit-0" type="remote">\s*<instance_attributes id="nodes-rabbit-0">\s*<nvpair id="nodes-rabbit-0-role" name="rabbitmq-role" value="true"\/>/);
  });
});
