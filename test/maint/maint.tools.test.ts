/**
 * drain, undrain and status without a cluster (issue #16 part 2): the lab topology's CIB settled by
 * the real crm_simulate stands for a running cluster (and, with n3 failed, for one with a crashed
 * node); the commands reach it through a local transport with CIB_file, so cibadmin,
 * crm_attribute, crm_mon and crm_simulate are Pacemaker's own. The live test
 * (drain.cluster.test.ts) does the same over SSH on the test cluster.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { execaRunner, rehearsalCib } from '../../src/check/index.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { drain, undrain } from '../../src/maint/drain.js';
import { viewOf } from '../../src/maint/live.js';
import { clusterStatus } from '../../src/maint/status.js';
import { waitSettled } from '../../src/remote/actions.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { localTransport } from '../apply/local.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools, runCommand } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate', 'crm_mon', 'cibadmin', 'crm_attribute', 'ssh']);
const runner = execaRunner();

describe('drain, undrain and status on a settled CIB (local transport, real Pacemaker tools)', { skip }, () => {
  let dir: string;
  let model: Lowered;
  /** A fresh copy of a saved CIB, and a transport whose cibadmin and crm_attribute act on it. */
  const cluster = (name: 'healthy' | 'crashed' | 'failed') => {
    const file = join(dir, `${name}-${Math.random().toString(36).slice(2)}.xml`);
    copyFileSync(join(dir, `${name}.xml`), file);
    return { file, t: localTransport({ CIB_file: file }) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-maint-'));
    const loaded = loadTopology(readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8'), 'lab.yaml');
    assert.ok(loaded.model, JSON.stringify(loaded.diagnostics));
    model = loaded.model;
    writeFileSync(join(dir, 'input.xml'), serializeXml(rehearsalCib(model.clusters[0]!), { declaration: true }));
    const env = { CIB_shadow_dir: dir };
    const sim = async (args: string[]) => {
      const r = await runCommand('crm_simulate', args, { env });
      assert.equal(r.code, 0, r.stderr);
    };
    await sim(['-x', join(dir, 'input.xml'), '-S', '-O', join(dir, 'healthy.xml')]);
    await sim(['-x', join(dir, 'healthy.xml'), '-S', '--node-fail', 'n3', '--quorum', 'true', '-O', join(dir, 'crashed.xml')]);
    // A recurring monitor of p_extra-ip that failed on the node it runs on.
    await sim(['-x', join(dir, 'healthy.xml'), '-i', 'p_extra-ip_monitor_10000@n2=1', '-O', join(dir, 'failed.xml')]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('status of a healthy cluster: every node online, services mapped to their resources, no drift, survives one more failure', async () => {
    const { t } = cluster('healthy');
    const s = await clusterStatus(model, 'lab', t, { runner });
    assert.deepEqual(s.findings, []);
    assert.equal(s.reachable, true);
    assert.deepEqual(s.nodes, ['n1', 'n2', 'n3'].map((name) => ({ name, state: 'online' })));
    const web = s.services!.find((x) => x.service === 'web')!;
    assert.deepEqual(web.resources.map((r) => r.id), ['p_ip_vip', 'p_web']);
    assert.equal(web.up, true);
    assert.equal(web.nodes.length, 1);
    assert.deepEqual(s.services!.find((x) => x.service === 'probe')!.nodes, ['n1', 'n2', 'n3']);
    assert.deepEqual(s.drift, { count: 0, added: 0, removed: 0, changed: 0 });
    assert.equal(s.survives, true);
    assert.equal(s.scenarios!.length, 3);
  });

  it('status with n3 crashed: n3 offline (HA6110) and any further failure leaves no quorum (HA6109): survives no', async () => {
    const { t } = cluster('crashed');
    const s = await clusterStatus(model, 'lab', t, { runner });
    assert.equal(s.nodes!.find((n) => n.name === 'n3')!.state, 'offline');
    assert.equal(s.survives, false);
    assert.deepEqual(s.findings.map((d) => d.code), ['HA6110', 'HA6109', 'HA6109']);
    assert.match(s.findings[1]!.message, /after the failure of n1, 1 of 3 node\(s\) are online \(no quorum\)/);
    assert.equal(s.findings[1]!.hint, 'bring the offline nodes (n3) back');
  });

  it('status names a failed action (HA6111) with its operation, node and exit code', async () => {
    const { t } = cluster('failed');
    const s = await clusterStatus(model, 'lab', t, { runner });
    assert.deepEqual(s.failedActions, [{ node: 'n2', resource: 'p_extra-ip', operation: 'monitor every 10 s', detail: s.failedActions![0]!.detail }]);
    assert.match(s.failedActions![0]!.detail, /\(exit 1\)/);
    const f = s.findings.find((d) => d.code === 'HA6111')!;
    assert.match(f.message, /^failed action on n2: monitor every 10 s of p_extra-ip \(/);
    assert.match(f.hint!, /crm_resource --cleanup --resource p_extra-ip --node n2/);
  });

  it('status --json follows schemas/status.schema.json', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'status.schema.json'), 'utf8')) as object);
    const { statusJsonOf } = await import('../../src/cli/commands/status.js');
    for (const name of ['healthy', 'crashed', 'failed'] as const) {
      const s = await clusterStatus(model, 'lab', cluster(name).t, { runner });
      const doc = statusJsonOf('lab.yaml', [s, { cluster: 'other', reachable: false, unreached: [], error: { code: 'HA5593', severity: 'error', message: 'no node of cluster other answered: n9: down', pointer: '' }, findings: [] }], 3);
      assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`);
    }
    const printed = await hactlIn(['schema', '--name', 'status']);
    assert.equal(printed.code, 0);
    assert.equal(JSON.parse(printed.stdout).$id, 'https://hactl.dev/schemas/status.schema.json');
  });

  it('drain of n1 with n3 crashed is refused (HA6107 for each further failure) and changes nothing', async () => {
    const { file, t } = cluster('crashed');
    const before = readFileSync(file, 'utf8');
    const r = await drain(model, 'n1', t, { runner, waitSeconds: 5 });
    assert.equal(r.refused, true);
    assert.deepEqual(r.findings.map((d) => d.code), ['HA6107', 'HA6107']);
    assert.match(r.findings[0]!.message, /^with n1 drained, the failure of n1 leaves 1 of 3 node\(s\) online: no quorum/);
    assert.equal(readFileSync(file, 'utf8'), before, 'the CIB is untouched');
    assert.ok(!t.calls.some((c) => c[0] === 'crm_attribute'), 'no standby was set');
    // --force drains anyway: the findings stay in the report, the standby is set.
    const forced = await drain(model, 'n1', t, { runner, waitSeconds: 1, force: true });
    assert.equal(forced.refused, false);
    assert.deepEqual(forced.findings.map((d) => d.code), ['HA6107', 'HA6107']);
    assert.match(readFileSync(file, 'utf8'), /name="standby" value="on"/);
  });

  it('drain of a node whose resources can run nowhere else is refused (HA6105)', async () => {
    const { file, t } = cluster('healthy');
    // p_web may run on n1 only.
    writeFileSync(file, readFileSync(file, 'utf8').replace('</constraints>', '<rsc_location id="pin-2" rsc="p_web" node="n2" score="-INFINITY"/><rsc_location id="pin-3" rsc="p_web" node="n3" score="-INFINITY"/></constraints>'));
    const r = await drain(model, 'n1', t, { runner, waitSeconds: 5 });
    assert.equal(r.refused, true);
    assert.equal(r.findings[0]!.code, 'HA6105');
    assert.match(r.findings[0]!.message, /^draining n1 stops p_web/);
  });

  it('drain of n1 on a healthy cluster passes the rehearsal and sets standby; without a running cluster it waits in vain (bounded)', async () => {
    const { file, t } = cluster('healthy');
    const progress: string[][] = [];
    const r = await drain(model, 'n1', t, { runner, waitSeconds: 2, onProgress: (p) => progress.push(p.left) });
    assert.equal(r.refused, false);
    assert.deepEqual(r.findings, []);
    assert.ok(r.rehearsal!.scenarios.every((s) => s.quorate && !s.lost.length));
    assert.equal(r.done, false, 'nothing carries out the transition on a CIB file');
    assert.ok(r.left.includes('p_probe'), r.left.join(' '));
    assert.ok(progress.length >= 1 && progress.every((l) => l.length > 0));
    assert.match(readFileSync(file, 'utf8'), /<nvpair id="[^"]*" name="standby" value="on"\/>/);
    // A node in standby is operator state: status shows it, and it is no drift.
    const s = await clusterStatus(model, 'lab', t, { runner });
    assert.equal(s.nodes!.find((n) => n.name === 'n1')!.state, 'standby');
    assert.equal(s.drift!.count, 0);
    // undrain clears it.
    const u = await undrain(model, 'n1', t, { runner, waitSeconds: 1 });
    assert.equal(u.node, 'n1');
    assert.doesNotMatch(readFileSync(file, 'utf8'), /name="standby"/);
  });

  it('a start under way is no settled cluster, though crm_resource --wait says so (Pacemaker 2.1.5): status views it, apply and drain wait for it', async () => {
    const { file, t } = cluster('healthy');
    assert.equal(await waitSettled(t, 'n1', 5), true, 'the settled CIB');
    // p_web's start recorded as pending, as record-pending leaves it while the agent runs.
    const text = readFileSync(file, 'utf8');
    const start = /<lrm_rsc_op id="p_web_last_0"[^>]*operation="start"[^>]*\/>/.exec(text);
    assert.ok(start, 'the settled CIB has p_web started');
    writeFileSync(file, text.replace(start[0], start[0].replace(/rc-code="0"/, 'rc-code="193"').replace(/op-status="0"/, 'op-status="-1"')));
    const wait = await t.exec('n1', ['crm_resource', '--wait', '--timeout=5s']);
    assert.equal(wait.exitCode, 0, 'crm_resource --wait calls it settled: nothing new is planned');
    const view = await viewOf(readFileSync(file, 'utf8'), 'lab', runner);
    assert.deepEqual(view.inFlight, ['p_web Starting']);
    assert.equal(await waitSettled(t, 'n1', 2), false, 'waitSettled waits for the start, in vain on a file');
    const progress: boolean[] = [];
    const u = await undrain(model, 'n2', t, { runner, waitSeconds: 2, onProgress: (p) => progress.push(p.settled) });
    assert.equal(u.done, false, 'undrain does not call a cluster with a start under way settled');
    assert.ok(progress.length >= 2 && progress.every((s) => !s), progress.join(' '));
  });

  it('a cluster no member of which answers: status reports it unreachable (HA5593, exit 3); so does drain', async () => {
    // ssh itself fails for every node (its proxy command exits at once): no network needed.
    const config = join(dir, 'ssh_config');
    writeFileSync(config, 'Host *\n  ProxyCommand false\n');
    const lab = join(ROOT, 'fixtures', 'lab.yaml');
    const r = await hactlIn(['status', lab, '--json', '--ssh-config', config]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout) as { exitCode: number; clusters: { reachable: boolean; error: { code: string; message: string } }[] };
    assert.equal(doc.exitCode, 3);
    assert.equal(doc.clusters[0]!.reachable, false);
    assert.equal(doc.clusters[0]!.error.code, 'HA5593');
    assert.match(doc.clusters[0]!.error.message, /^no node of cluster lab answered: n1: cannot connect to n1 over SSH/);
    const text = await hactlIn(['status', lab, '--ssh-config', config]);
    assert.equal(text.code, 3);
    assert.match(text.stdout, /cluster lab: UNREACHABLE/);
    const d = await hactlIn(['drain', lab, '--node', 'n2', '--ssh-config', config]);
    assert.equal(d.code, 3);
    assert.match(d.stderr, /HA5593: no node of cluster lab answered: n2: /);
  });

  it('usage: a node in no cluster (HA5590), a bad --wait (HA5594), an unknown --cluster (HA5101)', async () => {
    const lab = join(ROOT, 'fixtures', 'lab.yaml');
    const r1 = await hactlIn(['drain', lab, '--node', 'n9']);
    assert.equal(r1.code, 2);
    assert.match(r1.stderr, /HA5590: node "n9" is in no cluster of the topology\n {2}hint: members: n1, n2, n3/);
    const r2 = await hactlIn(['undrain', lab, '--node', 'n1', '--wait', '5m']);
    assert.equal(r2.code, 2);
    assert.match(r2.stderr, /HA5594: --wait takes whole seconds from 1 to 86400, not "5m"/);
    const r3 = await hactlIn(['status', lab, '--cluster', 'nope']);
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /HA5101/);
  });
});
