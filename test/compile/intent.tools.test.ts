/**
 * Topology intent (issue #14): a service meant to be stopped, unmanaged or in maintenance. The three
 * outputs agree (crm_verify, crmsh `configure load update` and `pcs -f` against the CIB), crm_simulate
 * keeps the service stopped, check says so instead of counting it lost, and apply writes the intent
 * while an operator's later `crm_resource` change on the same resource, or a stop on another one,
 * is kept and shown as the operator's; dropping the intent returns the resource to started. Apply
 * runs through the real scripts against a CIB file (CIB_file) with crm_diff and cibadmin.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { executePlan, formatPlan, planCib, type Plan } from '../../src/apply/index.js';
import { check, execaRunner } from '../../src/check/index.js';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { SecretStore } from '../../src/secrets/index.js';
import { ROOT } from '../helpers/cli.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';
import { localTransport } from '../apply/local.js';
import type { XmlElement } from '../../src/xml/tree.js';

const skip = needTools(['crm_verify', 'crm_simulate', 'cibadmin', 'crm_diff', 'crm_resource', 'crm', 'pcs']);
const FILE = 'test/compile/fixtures/intent.yaml';
const TEXT = readFileSync(join(ROOT, FILE), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'hactl-intent-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(text: string) {
  const r = loadTopology(text, FILE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  return r.model;
}

function outputs(text: string): Record<string, string> {
  return Object.fromEntries(compile(load(text), ['cib', 'crmsh', 'pcs']).map((a) => [a.path.replace(/^.*\//, ''), a.content]));
}

const canonical = (text: string) => canonicalText(normalizeConfiguration(xml(text)));
/** The runtime meta pairs a resource of a CIB sets itself, as `name=value`. */
function metaOf(cib: string, id: string): string[] {
  const find = (e: XmlElement): XmlElement | undefined => (e.attrs.id === id && e.name !== 'nvpair' ? e : e.children.map(find).find(Boolean));
  const rsc = find(xml(cib));
  assert.ok(rsc, `${id} not in the CIB`);
  return rsc.children
    .filter((c) => c.name === 'meta_attributes')
    .flatMap((set) => set.children)
    .filter((nv) => ['target-role', 'is-managed', 'maintenance'].includes(nv.attrs.name ?? ''))
    .map((nv) => `${nv.attrs.name}=${nv.attrs.value}`);
}

describe('intent in the three outputs', { skip }, () => {
  const out = outputs(TEXT);
  const cib = out['cib.xml']!;

  test('on the outermost resource of each service, as crm resource stop/unmanage/maintenance write it', () => {
    assert.deepEqual(metaOf(cib, 'p_report'), ['target-role=Stopped']);
    assert.deepEqual(metaOf(cib, 'cl_batch'), ['is-managed=false']);
    assert.deepEqual(metaOf(cib, 'p_legacy'), ['maintenance=true']);
    assert.deepEqual(metaOf(cib, 'cl_db'), ['is-managed=false', 'target-role=Stopped']);
    assert.deepEqual(metaOf(cib, 'p_web'), []);
    assert.match(out['configure.crm']!, /meta interleave=true is-managed=false promotable=true promoted-max=1 target-role=Stopped/);
    assert.match(out['pcs.sh']!, /meta target-role=Stopped --no-default-ops/);
  });

  test('crm_verify is clean; crmsh and pcs build the same configuration', () => {
    const file = join(dir, 'cib.xml');
    writeFileSync(file, cib);
    const v = runCommand('crm_verify', ['-V', '-x', file]);
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
    const crmFile = join(dir, 'crm.xml');
    const pcsFile = join(dir, 'pcs.xml');
    const empty = execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    writeFileSync(crmFile, empty);
    writeFileSync(pcsFile, empty);
    writeFileSync(join(dir, 'configure.crm'), out['configure.crm']!);
    writeFileSync(join(dir, 'pcs.sh'), out['pcs.sh']!);
    const crm = runCommand('crm', ['-F', 'configure', 'load', 'update', join(dir, 'configure.crm')], { env: { CIB_file: crmFile } });
    assert.equal(crm.code, 0, crm.stdout + crm.stderr);
    const pcs = runCommand('bash', [join(dir, 'pcs.sh'), pcsFile]);
    assert.equal(pcs.code, 0, pcs.stdout + pcs.stderr);
    assert.equal(canonical(readFileSync(crmFile, 'utf8')), canonical(cib));
    assert.equal(canonical(readFileSync(pcsFile, 'utf8')), canonical(cib));
  });
});

describe('check: a service held by intent is said, not lost', { skip }, () => {
  test('HA6130 for each; no HA6001 for the one pinned to one node; the rehearsal and estimate leave them out', async () => {
    const report = await check(load(TEXT), { runner: execaRunner() });
    const found = report.findings.map((d) => `${d.code} ${d.pointer}`);
    assert.deepEqual(
      found.filter((f) => f.startsWith('HA6130')),
      ['HA6130 /clusters/lab/services/batch/managed', 'HA6130 /clusters/lab/services/db/target_role', 'HA6130 /clusters/lab/services/legacy/maintenance', 'HA6130 /clusters/lab/services/report/target_role'],
    );
    assert.match(report.findings.find((d) => d.pointer.endsWith('/report/target_role'))!.message, /service report of cluster lab is stopped by intent \(target_role: stopped\): Pacemaker keeps it stopped; check neither counts it as lost/);
    assert.match(report.findings.find((d) => d.pointer.endsWith('/db/target_role'))!.message, /is stopped and unmanaged by intent \(target_role: stopped, managed: false\)/);
    // Without the intent, report pinned to n1 is a single point of failure; with it, no rule fires.
    assert.deepEqual(found.filter((f) => /HA60(01|2[0-3])/.test(f)), []);
    assert.ok(found.includes('HA6001 /clusters/lab/services/report/nodes') === false);
    const rehearsal = report.rehearsal!.clusters[0]!;
    assert.deepEqual(rehearsal.settled.map((s) => s.service), ['web']);
    assert.ok(rehearsal.scenarios.every((s) => !s.survivable || s.services.every((x) => x.up)));
    assert.deepEqual(report.availability.paths.map((p) => p.service), ['web']);

    const started = await check(load(TEXT.replace('target_role: stopped, nodes: [n1]', 'nodes: [n1]')), { runner: execaRunner() });
    assert.ok(started.findings.some((d) => d.code === 'HA6001' && d.pointer === '/clusters/lab/services/report/nodes'));
    assert.ok(started.rehearsal!.clusters[0]!.settled.some((s) => s.service === 'report' && s.up));
  });

  test('crm_simulate keeps the stopped services stopped and starts the rest', () => {
    const file = join(dir, 'sim.xml');
    const nodes = ['1', '2', '3'].map((id) => `<node_state id="${id}" uname="n${id}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${id}"/></node_state>`).join('');
    writeFileSync(file, outputs(TEXT)['cib.xml']!.replace('<cib ', '<cib have-quorum="1" ').replace('<status/>', `<status>${nodes}</status>`));
    const r = runCommand('crm_simulate', ['-S', '-x', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const transition = r.stdout.slice(r.stdout.indexOf('Transition Summary'), r.stdout.indexOf('Executing Cluster Transition'));
    assert.match(transition, /Start\s+p_web\s/);
    assert.doesNotMatch(transition, /p_report|p_db|p_legacy|p_batch/);
    assert.match(r.stdout, /p_report\t\(ocf:pacemaker:Dummy\):\t Stopped \(disabled\)/);
    assert.match(r.stdout, /Clone Set: cl_db \[p_db\] \(promotable, unmanaged, disabled\)/);
  });
});

function planFor(action: Awaited<ReturnType<typeof planCib>>['action']): Plan {
  return { topology: 't.yaml', nodes: [], files: [], nodeActions: [], units: [], corosync: [], cib: [action], resources: [], impact: [] };
}

/** plan + execute of the CIB part alone, on a CIB file. */
async function apply(file: string, text: string) {
  const compiled = xml(outputs(text)['cib.xml']!);
  const t = localTransport({ CIB_file: file });
  const { action, liveText, live } = await planCib(t, 'lab', 'local', compiled, 't.yaml');
  const plan = planFor(action);
  const report = await executePlan({ transport: t, plan, payload: { content: new Map(), cib: new Map([['lab', { liveText, live, compiled }]]) }, secrets: new SecretStore(), concurrency: 1 });
  assert.equal(report.ok, true, JSON.stringify(report));
  return formatPlan(plan).map((l) => l.text).join('\n');
}

function crmResource(file: string, ...args: string[]): void {
  const r = runCommand('crm_resource', args, { env: { CIB_file: file } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
}

describe('apply: topology intent beside the operator', { skip }, () => {
  test("writes the intent, keeps an operator's later start and another service's stop, and drops the intent back to started", async () => {
    const file = join(dir, 'live.xml');
    writeFileSync(file, execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' }));
    const first = await apply(file, TEXT);
    assert.match(first, /- primitive p_report  ocf:pacemaker:Dummy\n(.*\n)*?.*- meta target-role: "Stopped"/);
    let live = readFileSync(file, 'utf8');
    assert.deepEqual(metaOf(live, 'p_report'), ['target-role=Stopped']);
    assert.match(live, /name="hactl-intent" value="cl_batch\/is-managed=false cl_db\/is-managed=false cl_db\/target-role=Stopped p_legacy\/maintenance=true p_report\/target-role=Stopped"/);
    assert.match(await apply(file, TEXT), /nothing to do/);

    // The operator starts the stopped service and stops another one, with Pacemaker's own tool.
    crmResource(file, '--resource', 'p_report', '--meta', '--set-parameter', 'target-role', '--parameter-value', 'Started');
    crmResource(file, '--resource', 'p_web', '--meta', '--set-parameter', 'target-role', '--parameter-value', 'Stopped');
    live = readFileSync(file, 'utf8');
    const idle = await apply(file, TEXT);
    assert.match(idle, /nothing to do/);
    assert.match(idle, /~ primitive p_report {2}operator's runtime state over the topology's intent: kept by apply\n\s+~ meta target-role: "Stopped" -> "Started"/);
    assert.match(idle, /~ primitive p_web {2}operator's runtime state: kept by apply\n\s+\+ meta target-role: "Stopped"/);
    assert.equal(readFileSync(file, 'utf8'), live, 'nothing pushed');

    // A change to the service itself is pushed; the operator's start and stop stay.
    const changed = TEXT.replace('report: { agent: "ocf:pacemaker:Dummy",', 'report: { agent: "ocf:pacemaker:Dummy", params: { fake: "2" },');
    const third = await apply(file, changed);
    assert.match(third, /operator's runtime state over the topology's intent: kept by apply/);
    live = readFileSync(file, 'utf8');
    assert.match(live, /name="fake" value="2"/);
    assert.deepEqual(metaOf(live, 'p_report'), ['target-role=Started']);
    assert.deepEqual(metaOf(live, 'p_web'), ['target-role=Stopped']);

    // `pcs resource enable` deletes target-role instead: that is the operator's too.
    crmResource(file, '--resource', 'p_report', '--meta', '--delete-parameter', 'target-role');
    const enabled = await apply(file, changed);
    assert.match(enabled, /nothing to do[\s\S]*~ primitive p_report {2}operator's runtime state over the topology's intent: kept by apply\n\s+- meta target-role: "Stopped"/);

    // The intent dropped from the topology while hactl's value is still there: back to started.
    crmResource(file, '--resource', 'p_report', '--meta', '--set-parameter', 'target-role', '--parameter-value', 'Stopped');
    const dropped = changed.replace('target_role: stopped, nodes: [n1]', 'nodes: [n1]');
    const fourth = await apply(file, dropped);
    assert.match(fourth, /p_report/);
    live = readFileSync(file, 'utf8');
    assert.deepEqual(metaOf(live, 'p_report'), []);
    assert.deepEqual(metaOf(live, 'p_web'), ['target-role=Stopped'], "the operator's stop of another service survives");
    assert.doesNotMatch(live, /p_report\/target-role/);
    assert.match(await apply(file, dropped), /nothing to do/);

    // A new intent is applied even over an operator's earlier value.
    const again = await apply(file, TEXT);
    assert.match(again, /p_report/);
    assert.deepEqual(metaOf(readFileSync(file, 'utf8'), 'p_report'), ['target-role=Stopped']);
  });

  test("an operator's change of an intent the topology then drops stays the operator's", async () => {
    const file = join(dir, 'drop.xml');
    writeFileSync(file, execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' }));
    await apply(file, TEXT);
    crmResource(file, '--resource', 'cl_batch', '--meta', '--set-parameter', 'is-managed', '--parameter-value', 'true');
    const managed = TEXT.replace('mode: active-active, managed: false', 'mode: active-active');
    const text = await apply(file, managed);
    assert.match(text, /~ clone cl_batch {2}operator's runtime state: kept by apply\n\s+\+ meta is-managed: "true"/);
    const live = readFileSync(file, 'utf8');
    assert.deepEqual(metaOf(live, 'cl_batch'), ['is-managed=true']);
    assert.doesNotMatch(live, /cl_batch\/is-managed/);
  });
});

describe('a whole cluster in maintenance by intent (properties: maintenance-mode)', { skip }, () => {
  const HELD = TEXT.replace('    services:\n', '    properties: { maintenance-mode: true }\n    services:\n');
  const property = (cib: string, name: string) => new RegExp(`<nvpair [^>]*name="${name}" value="([^"]*)"`).exec(cib)?.[1];
  const crmAttribute = (file: string, ...args: string[]) => {
    const r = runCommand('crm_attribute', ['--type', 'crm_config', ...args], { env: { CIB_file: file } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
  };

  test('check says HA6131 once and counts no service lost', async () => {
    const report = await check(load(HELD), { runner: execaRunner() });
    const found = report.findings.map((d) => `${d.code} ${d.pointer}`);
    assert.ok(found.includes('HA6131 /clusters/lab/properties/maintenance-mode'), found.join('\n'));
    assert.deepEqual(found.filter((f) => /HA6(130|001|02[0-3])/.test(f)), []);
    assert.deepEqual(report.rehearsal!.clusters[0]!.settled, []);
    assert.deepEqual(report.availability.paths, []);
  });

  test("apply writes it, keeps an operator's later change, and removes it once the topology drops it", async () => {
    const file = join(dir, 'held.xml');
    writeFileSync(file, execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' }));
    await apply(file, HELD);
    assert.equal(property(readFileSync(file, 'utf8'), 'maintenance-mode'), 'true');
    assert.match(readFileSync(file, 'utf8'), /#crm_config\/maintenance-mode=true/);
    // The operator ends the maintenance by hand: theirs, kept.
    crmAttribute(file, '--name', 'maintenance-mode', '--update', 'false');
    const kept = await apply(file, HELD);
    assert.match(kept, /nothing to do[\s\S]*~ property maintenance-mode {2}operator's runtime state over the topology's intent: kept by apply\n\s+~ value: "true" -> "false"/);
    assert.equal(property(readFileSync(file, 'utf8'), 'maintenance-mode'), 'false');
    // Back in maintenance as hactl wrote it; the topology then drops the intent: apply removes it.
    crmAttribute(file, '--name', 'maintenance-mode', '--update', 'true');
    const dropped = await apply(file, TEXT);
    assert.match(dropped, /\+ property maintenance-mode {2}intent dropped from the topology: apply removes it/);
    const live = readFileSync(file, 'utf8');
    assert.equal(property(live, 'maintenance-mode'), undefined);
    assert.doesNotMatch(live, /#crm_config/);
    assert.match(await apply(file, TEXT), /nothing to do/);
    // Set by an operator with no intent recorded: theirs, never removed.
    crmAttribute(file, '--name', 'maintenance-mode', '--update', 'true');
    assert.match(await apply(file, TEXT), /nothing to do[\s\S]*property maintenance-mode/);
    assert.equal(property(readFileSync(file, 'utf8'), 'maintenance-mode'), 'true');
  });
});
