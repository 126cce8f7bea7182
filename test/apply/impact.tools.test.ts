/**
 * The impact preview with Pacemaker's own scheduler: a "live" CIB with a status section (the
 * compiled lab2 CIB settled by crm_simulate, as a running cluster records it), a candidate built
 * from a changed topology, and the simulation script run by a local shell. What the scheduler says
 * a change does (restart, stop, move) and what the gate counts as disruption.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { APPLY_SCHEMA_ID, applyJson, buildCandidate, disruptionsOf, simulateImpact, type Plan } from '../../src/apply/index.js';
import { canRoll, stagedCandidate } from '../../src/apply/rolling.js';
import { rehearsalCib } from '../../src/check/rehearsal.js';
import { toCib } from '../../src/compile/cib/index.js';
import { ownedIdsOf, writeRecord } from '../../src/diff/index.js';
import { HactlError } from '../../src/errors.js';
import { loadTopology } from '../../src/load.js';
import { serializeXml } from '../../src/xml/serialize.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { validateApplyJson } from './apply-json.js';
import { localTransport } from './local.js';

const skip = needTools(['crm_simulate']);

function compiled(edit: (doc: ReturnType<typeof parseDocument>) => void): { cib: XmlElement; rehearsal: XmlElement } {
  const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab2.yaml'), 'utf8'));
  edit(doc);
  const r = loadTopology(doc.toString(), 'lab2.yaml');
  assert.ok(r.ok && r.model, JSON.stringify(r.diagnostics));
  const config = r.model.clusters[0]!;
  return { cib: toCib(config), rehearsal: rehearsalCib(config) };
}

function plan(impact: Plan['impact']): Plan {
  return { topology: 'lab2', nodes: ['n1', 'n2', 'n3'], files: [], nodeActions: [], units: [], corosync: [], cib: [], resources: [], impact };
}

describe('impact preview (crm_simulate on the live status)', { skip }, () => {
  let dir: string;
  let liveText: string;
  let live: XmlElement;
  const t = localTransport();
  before(() => {
    dir = mkdtempSync('/tmp/hactl-impact-');
    // A running cluster's CIB as hactl's apply left it: configuration with hactl's ownership record,
    // plus the status the scheduler left (operation history with digests).
    const { cib, rehearsal } = compiled(() => {});
    writeRecord(rehearsal, ownedIdsOf(cib));
    writeFileSync(join(dir, 'r.xml'), serializeXml(rehearsal, { declaration: true }));
    execFileSync('crm_simulate', ['-x', join(dir, 'r.xml'), '-S', '-O', join(dir, 'live.xml')], { env: { ...process.env, CIB_shadow_dir: dir }, stdio: 'ignore' });
    liveText = readFileSync(join(dir, 'live.xml'), 'utf8');
    live = xml(liveText);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('no CIB change: nothing caused, and what runs where from the live status', async () => {
    const i = await simulateImpact(t, 'lab', 'local', liveText, undefined);
    assert.deepEqual(i.resources, []);
    assert.deepEqual(i.fencing, []);
    assert.deepEqual(i.running['p_probe'], ['n1', 'n2', 'n3']);
    assert.equal(i.running['p_web']?.length, 1);
    assert.deepEqual(disruptionsOf(plan([i])), []);
  });

  it('a parameter change of a running clone restarts it (named, with its nodes); the gate counts it', async () => {
    const next = compiled((doc) => doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { fake: 'changed' }));
    const i = await simulateImpact(t, 'lab', 'local', liveText, buildCandidate(live, next.cib));
    assert.deepEqual(i.resources, [{ action: 'restart', resource: 'p_probe', nodes: ['n1', 'n2', 'n3'], reason: 'resource definition change' }]);
    assert.deepEqual(disruptionsOf(plan([i])), [{ phase: 'cib', cluster: 'lab', what: 'restart p_probe on n1, n2, n3', interrupts: ['p_probe'] }]);
  });

  it('a clone rolled out in stages restarts one node per stage, and the compiled CIB then restarts only the last', async () => {
    const next = compiled((doc) => doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { fake: 'changed' }));
    assert.ok(canRoll(live, next.cib, 'p_probe'));
    assert.equal(canRoll(live, next.cib, 'p_web'), false, 'not a clone');
    // What the cluster does at each push: the CIB after the previous stage is the next stage's live CIB.
    let cib = live;
    const restarted: string[][] = [];
    const done = new Map<string, string[]>([['p_probe', []]]);
    for (const node of ['n1', 'n2', null]) {
      if (node) done.get('p_probe')!.push(node);
      const candidate = buildCandidate(cib, next.cib);
      const push = node ? stagedCandidate(candidate, cib, done) : candidate;
      const file = join(dir, `stage-${node ?? 'final'}.xml`);
      writeFileSync(file, serializeXml(push, { declaration: true }));
      const out = xml(execFileSync('crm_simulate', ['-x', file, '-S', '-O', `${file}.after`, '--output-as=xml'], { env: { ...process.env, CIB_shadow_dir: dir }, encoding: 'utf8' }));
      const actions = out.children.find((c) => c.name === 'actions')!.children;
      restarted.push(actions.filter((a) => a.attrs.action === 'restart').map((a) => a.attrs.source!).sort());
      assert.deepEqual(actions.filter((a) => a.attrs.action !== 'restart'), [], 'nothing but the restart');
      cib = xml(readFileSync(`${file}.after`, 'utf8'));
    }
    assert.deepEqual(restarted, [['n1'], ['n2'], ['n3']]);
    // And the clone's definition is then the compiled one, with no trace of the stages.
    assert.doesNotMatch(serializeXml(cib), /hactl-rolling/);
  });

  it('a dropped service stops where it runs; a new one only starts and is no disruption', async () => {
    const where = (await simulateImpact(t, 'lab', 'local', liveText, undefined)).running['p_web']!;
    const dropped = compiled((doc) => doc.deleteIn(['clusters', 'lab', 'services', 'web']));
    const i = await simulateImpact(t, 'lab', 'local', liveText, buildCandidate(live, dropped.cib));
    const stops = i.resources.filter((r) => r.action === 'stop');
    assert.deepEqual(stops.map((r) => [r.resource, r.nodes]), [['p_web', where]]);
    assert.ok(disruptionsOf(plan([i])).some((d) => d.what === `stop p_web on ${where.join(', ')}`));

    const added = compiled((doc) => doc.setIn(['clusters', 'lab', 'services', 'extra'], { agent: 'ocf:pacemaker:Dummy', mode: 'active-active' }));
    const j = await simulateImpact(t, 'lab', 'local', liveText, buildCandidate(live, added.cib));
    assert.deepEqual(j.resources.map((r) => [r.action, r.resource, r.nodes]), [['start', 'p_extra', ['n1', 'n2', 'n3']]]);
    assert.deepEqual(disruptionsOf(plan([j])), []);
  });

  it('node actions in apply order with what each interrupts: a service restart, a rolling corosync restart, a resource restart', async () => {
    const i = await simulateImpact(t, 'lab', 'local', liveText, undefined);
    const p = plan([i]);
    p.nodeActions = [{ node: 'n2', kind: 'restart', target: 'haproxy', because: ['/etc/haproxy/haproxy.cfg'] }, { node: 'n2', kind: 'reload', target: 'apache2', because: ['/etc/apache2/x.conf'] }];
    p.corosync = [{ cluster: 'lab', kind: 'rolling-restart', nodes: ['n1'], members: ['n1', 'n2', 'n3'], reasons: ['n1: totem changed'] }];
    p.resources = [{ cluster: 'lab', resource: 'p_probe', because: ['n1:/etc/probe.conf'] }];
    const onN1 = Object.entries(i.running).filter(([, n]) => n.includes('n1')).map(([id]) => id);
    assert.ok(onN1.includes('p_probe'));
    assert.deepEqual(disruptionsOf(p), [
      { phase: 'node', node: 'n2', what: 'restart haproxy on n2', interrupts: ['haproxy'] },
      { phase: 'corosync', cluster: 'lab', node: 'n1', what: 'restart corosync on n1', interrupts: ['corosync', 'pacemaker', ...onN1] },
      { phase: 'restart', cluster: 'lab', what: 'restart p_probe on n1, n2, n3', interrupts: ['p_probe'] },
    ]);
  });

  it('--json: the plan with its impact and disruption, and a result, are valid against schemas/apply.schema.json', async () => {
    const next = compiled((doc) => doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { fake: 'changed' }));
    const i = await simulateImpact(t, 'lab', 'local', liveText, buildCandidate(live, next.cib));
    i.resources[0]!.rolling = true;
    const p = plan([i]);
    p.nodeActions = [{ node: 'n2', kind: 'restart', target: 'haproxy', because: ['/etc/haproxy/haproxy.cfg'] }];
    const planned = applyJson(p, undefined, 'planned') as { disruptions: { what: string }[]; plan: { impact: unknown[] } };
    assert.deepEqual(validateApplyJson(planned), []);
    assert.deepEqual(planned.disruptions.map((d) => d.what), ['restart haproxy on n2', 'restart p_probe one node at a time: n1, then n2, then n3']);
    const report = { ok: false, nodes: [{ node: 'n1', filesChanged: 1, actions: ['restart haproxy'], result: 'failed' as const, error: 'x' }], clusters: [{ cluster: 'lab', node: 'n1', cib: 'pushed' as const, attempts: 1, from: '0.1.2', to: '0.2.0' }] };
    assert.deepEqual(validateApplyJson(applyJson(p, report, 'failed')), []);
    // The schema ships with hactl: `hactl schema --name apply` prints it.
    const printed = await hactlIn(['schema', '--name', 'apply']);
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal((JSON.parse(printed.stdout) as { $id: string }).$id, APPLY_SCHEMA_ID);
    // The schema is not a formality: a document without its impact is refused.
    const broken = structuredClone(planned);
    delete (broken.plan as { impact?: unknown }).impact;
    assert.notDeepEqual(validateApplyJson(broken), []);
  });

  it('hactl diff --impact on a saved live CIB: the diff, then what Pacemaker does and the disruption (text and JSON)', async () => {
    const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab2.yaml'), 'utf8'));
    doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { fake: 'changed' });
    const topo = join(dir, 'lab2-changed.yaml');
    writeFileSync(topo, doc.toString());
    const args = ['diff', topo, '--cluster', 'lab', '--live', join(dir, 'live.xml'), '--impact'];
    const r = await hactlIn(args);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /~ primitive p_probe/);
    assert.match(r.stdout, /what Pacemaker does when this lands \(crm_simulate on this machine, live status\):\n {2}restart p_probe on n1, n2, n3 {2}\(resource definition change\)\ndisruption: restart p_probe on n1, n2, n3 \(apply needs --allow-disruption\)\n$/);
    const j = await hactlIn([...args, '--json']);
    assert.equal(j.code, 1, j.stderr);
    const parsed = JSON.parse(j.stdout) as { impact: { resources: unknown[] }; disruptions: { what: string }[] };
    assert.deepEqual(parsed.impact.resources, [{ action: 'restart', resource: 'p_probe', nodes: ['n1', 'n2', 'n3'], reason: 'resource definition change' }]);
    assert.deepEqual(parsed.disruptions.map((d) => d.what), ['restart p_probe on n1, n2, n3']);
    // No drift: nothing to simulate but the live status; nothing moves.
    const same = await hactlIn(['diff', join(ROOT, 'fixtures', 'lab2.yaml'), '--cluster', 'lab', '--live', join(dir, 'live.xml'), '--impact']);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.match(same.stdout, /nothing starts, stops or moves/);
    const bad = await hactlIn(['diff', '--from', join(dir, 'live.xml'), '--live', join(dir, 'live.xml'), '--impact']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /HA5109/);
  });

  it('a node without crm_simulate is HA5530 (exit 3, nothing changed), not a bug', async () => {
    // A node with a shell and coreutils but no Pacemaker tools.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['sh', 'mktemp', 'cat', 'rm']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
    await assert.rejects(simulateImpact(localTransport({ PATH: bin }), 'lab', 'local', liveText, undefined), (e: unknown) => {
      assert.ok(e instanceof HactlError, String(e));
      assert.equal(e.diagnostic.code, 'HA5530');
      assert.equal(e.exitCode, 3);
      assert.match(e.diagnostic.message, /nothing was changed/);
      return true;
    });
  });
});
