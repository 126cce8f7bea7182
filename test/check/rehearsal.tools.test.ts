/**
 * The failure rehearsal against crm_simulate itself: the same CIB is settled and failed by hand
 * (text output, Transition Summary) and the results must agree with what check read from the XML
 * output. Uses the real crm_simulate (Pacemaker 2.1.5 here).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { check, execaRunner, rehearsalCib, scenariosOf, type RehearsalReport, type Runner } from '../../src/check/index.js';
import { rehearse } from '../../src/check/rehearsal.js';
import { formatRehearsal } from '../../src/check/format.js';
import { NO_PAINT } from '../../src/report/diagnostics.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);

function topology(file: string, edit: (s: string) => string = (s) => s): Lowered {
  const r = loadTopology(edit(readFileSync(join(ROOT, file), 'utf8')), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  return r.model;
}

interface Summary {
  fence: string[];
  move: string[];
  stop: string[];
  start: string[];
  recover: string[];
  promote: string[];
  /** Demoted in place, or stopped while promoted. */
  demote: string[];
}

/** The Transition Summary of crm_simulate's text output, read with nothing but regular expressions. */
function transitionSummary(text: string): Summary {
  const s: Summary = { fence: [], move: [], stop: [], start: [], recover: [], promote: [], demote: [] };
  const block = text.split('Transition Summary:')[1]?.split(/\n(?:Executing Cluster Transition|Revised Cluster Status):/)[0] ?? '';
  for (const line of block.split('\n')) {
    let m = /^\s*\* Fence \(\w+\) (\S+)/.exec(line);
    if (m) s.fence.push(m[1]!);
    m = /^\s*\* Move\s+(\S+)\s+\(\s*(\S+)\s+->\s+(\S+)\s*\)/.exec(line);
    if (m) s.move.push(`${m[1]} ${m[2]}->${m[3]}`);
    // A clone instance's stop names its role: Stop p_pgsql:1 ( Unpromoted db2 ).
    m = /^\s*\* Stop\s+(\S+)\s+\(\s*(?:Promoted\s+|Unpromoted\s+)?(\S+)\s*\)/.exec(line);
    if (m) s.stop.push(`${m[1]} ${m[2]}`);
    m = /^\s*\* Start\s+(\S+)\s+\(\s*(\S+)\s*\)/.exec(line);
    if (m) s.start.push(`${m[1]} ${m[2]}`);
    m = /^\s*\* Recover\s+(\S+)\s+\(\s*(\S+)\s*\)/.exec(line);
    if (m) s.recover.push(`${m[1]} ${m[2]}`);
    m = /^\s*\* Promote\s+(\S+)\s+\(\s*Unpromoted\s+->\s+Promoted\s+(\S+)\s*\)/.exec(line);
    if (m) s.promote.push(`${m[1]} ${m[2]}`);
    m = /^\s*\* (?:Demote\s+(\S+)\s+\(\s*Promoted\s+->\s+Unpromoted|Stop\s+(\S+)\s+\(\s*Promoted)\s+(\S+)\s*\)/.exec(line);
    if (m) s.demote.push(`${m[1] ?? m[2]} ${m[3]}`);
  }
  for (const k of Object.keys(s) as (keyof Summary)[]) s[k].sort();
  return s;
}

/** Runs crm_simulate by hand on the same CIB for every scenario check rehearsed, and compares. */
function compareByHand(model: Lowered, report: RehearsalReport): number {
  const dir = mkdtempSync(join(tmpdir(), 'hactl-check-test-'));
  const env = { ...process.env, CIB_shadow_dir: dir };
  let compared = 0;
  try {
    for (const config of model.clusters) {
      const cluster = model.topology.clusters[config.name]!;
      const cib = join(dir, `${config.name}.xml`);
      const settled = join(dir, `${config.name}.settled.xml`);
      writeFileSync(cib, serializeXml(rehearsalCib(config), { declaration: true }));
      execFileSync('crm_simulate', ['-x', cib, '-S', '-O', settled], { env, encoding: 'utf8' });
      const mine = report.clusters.find((c) => c.cluster === config.name)!;
      assert.deepEqual(mine.scenarios.map((s) => s.failed), scenariosOf(cluster));
      for (const s of mine.scenarios) {
        const args = ['-x', settled, ...s.failed.flatMap((n) => ['--node-fail', n]), '-q', s.quorum ? '1' : '0', '-S'];
        const hand = transitionSummary(execFileSync('crm_simulate', args, { env, encoding: 'utf8' }));
        const what = `${config.name}: ${s.failed.join('+')}`;
        assert.deepEqual(s.fencing.filter((f) => f.required).map((f) => f.node).sort(), hand.fence, `${what}: fencing`);
        assert.deepEqual(s.moved.map((m) => `${m.resource} ${m.from}->${m.to}`).sort(), hand.move, `${what}: moves`);
        assert.deepEqual(s.stopped.map((m) => `${m.resource} ${m.node}`).sort(), hand.stop, `${what}: stops`);
        assert.deepEqual(s.started.map((m) => `${m.resource} ${m.node}`).sort(), hand.start, `${what}: starts`);
        assert.deepEqual(s.recovered.map((m) => `${m.resource} ${m.node}`).sort(), hand.recover, `${what}: recoveries`);
        assert.deepEqual(s.promoted.map((m) => `${m.resource} ${m.node}`).sort(), hand.promote, `${what}: promotions`);
        assert.deepEqual(s.demoted.map((m) => `${m.resource} ${m.node}`).sort(), hand.demote, `${what}: demotions`);
        compared++;
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return compared;
}

test('reference deployment: every single node failure is survivable, fencing required and possible', { skip }, async () => {
  const t = topology('fixtures/pixelpark.yaml');
  const r = await rehearse(t, execaRunner());
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.clusters.map((c) => [c.cluster, c.scenarios.map((s) => s.failed.join('+'))]), [
    ['controllers', ['ctl1', 'ctl2']],
    ['network', ['net1', 'net2']],
  ]);
  // One settle and two node failures per cluster, and a failed start of each of the 29 primitives
  // on the node it settled on.
  assert.equal(r.runs, 35, 'settles, node failures and failed starts');
  for (const c of r.clusters) {
    assert.ok(c.settled.every((s) => s.up), `${c.cluster}: everything starts`);
    for (const s of c.scenarios) {
      assert.equal(s.quorum, true);
      assert.equal(s.survivable, true);
      assert.deepEqual(s.fencing.map((f) => [f.node, f.required, f.possible, f.devices]), [[s.failed[0], true, true, [`st_${s.failed[0]}`]]]);
      assert.ok(s.services.every((x) => x.up && !x.nodes.includes(s.failed[0]!)), `${c.cluster}: ${s.failed[0]} fails, all services run elsewhere`);
    }
  }
  // Whatever ran on the failed node moved: mysql's whole stack follows the node that is left.
  const ctl = r.clusters[0]!;
  const mysqlHome = ctl.settled.find((s) => s.service === 'mysql')!.nodes[0]!;
  const failMysql = ctl.scenarios.find((s) => s.failed[0] === mysqlHome)!;
  const other = mysqlHome === 'ctl1' ? 'ctl2' : 'ctl1';
  for (const id of ['p_rbd_mysql', 'p_fs_mysql', 'p_mysql']) assert.ok(failMysql.moved.some((m) => m.resource === id && m.from === mysqlHome && m.to === other), id);
  assert.equal(compareByHand(t, r), 4);
});

test('HA review M8: a failed start of a stateless API waits in place and moves neither the VIP nor the databases; planted back (critical=false removed), HA6062', { skip }, async () => {
  const t = topology('fixtures/pixelpark.yaml');
  const r = await rehearse(t, execaRunner());
  assert.deepEqual(r.findings, []);
  const ctl = r.clusters.find((c) => c.cluster === 'controllers')!;
  const home = ctl.settled.find((s) => s.service === 'nova')!.nodes[0]!;
  const nova = ctl.injections.find((x) => x.kind === 'start-failure' && x.resource === 'p_nova-api' && x.node === home)!;
  assert.deepEqual(nova.waits, { service: 'nova', failureTimeout: '120s' });
  assert.deepEqual(nova.moved, [], 'nothing moves');
  assert.ok(nova.services.filter((s) => s.service !== 'nova').every((s) => s.up && s.nodes.includes(home)), JSON.stringify(nova.services));
  // Every stateless catalogue service of the controllers is non-critical; MySQL and RabbitMQ are not.
  const config = t.clusters.find((x) => x.name === 'controllers')!;
  const critical = (id: string) => !config.resources.find((x) => x.id === id)!.meta.some((m) => m.name === 'critical' && m.value === 'false');
  assert.deepEqual(['g_cinder', 'g_glance', 'p_horizon', 'p_keystone', 'g_nova', 'p_quantum-server', 'g_mysql', 'g_rabbitmq'].map(critical), [false, false, false, false, false, false, true, true]);

  // Planted back: one failed nova-api start pulls the VIP, MySQL's image and RabbitMQ's along.
  for (const x of config.resources) x.meta = x.meta.filter((m) => m.name !== 'critical');
  const old = await rehearse(t, execaRunner());
  const findings = old.findings.filter((f) => f.code === 'HA6062' && f.message.includes(`p_nova-api fails to start on ${home}`));
  assert.deepEqual(findings.map((f) => [f.pointer, f.message.split(' (')[0]]), [
    ['/clusters/controllers/services/nova', `rehearsal: when p_nova-api fails to start on ${home}, mysql's state moves or restarts with it`],
    ['/clusters/controllers/services/nova', `rehearsal: when p_nova-api fails to start on ${home}, rabbitmq's state moves or restarts with it`],
  ]);
  assert.ok(findings[0]!.message.includes('p_rbd_mysql'), findings[0]!.message);
  assert.ok(old.findings.every((f) => f.code === 'HA6062'), old.findings.map((f) => f.code).join(' '));
});

test('three controllers (scenarios in parallel, reported in order): single failures survive, pairs lose quorum; a failed Horizon start on the API node moves the stack to a Horizon instance', { skip }, async () => {
  const t = topology('fixtures/three-controllers.yaml');
  const r = await rehearse(t, execaRunner(), { concurrency: 3 });
  const c = r.clusters.find((x) => x.cluster === 'controllers')!;
  assert.deepEqual(c.scenarios.map((s) => s.failed.join('+')), ['ctl1', 'ctl2', 'ctl3', 'ctl1+ctl2', 'ctl1+ctl3', 'ctl2+ctl3']);
  for (const s of c.scenarios) {
    const pair = s.failed.length === 2;
    assert.equal(s.quorum, !pair);
    assert.equal(s.survivable, !pair);
    if (!pair) assert.ok(s.services.every((x) => x.up), s.failed.join('+'));
    // Without quorum Pacemaker stops everything and fences nobody.
    else assert.ok(s.services.every((x) => !x.up) && s.fencing.every((f) => !f.required), s.failed.join('+'));
  }
  // The public VIP must be with the API stack (HA review M5) and with an instance of the Horizon
  // clone. The stack runs only where a Horizon instance does: when Horizon fails to start on the
  // API node, the stack (with both VIPs) moves to a node whose instance runs.
  assert.deepEqual(r.findings, []);
  const apiHome = c.settled.find((s) => s.service === 'keystone')!.nodes[0]!;
  const failed = c.injections.find((x) => x.kind === 'start-failure' && x.resource.startsWith('p_horizon') && x.node === apiHome)!;
  assert.ok(failed, JSON.stringify(c.injections.map((x) => [x.kind, x.resource, x.node])));
  assert.ok(failed.services.every((x) => x.up), JSON.stringify(failed.services));
  const moved = failed.moved.find((m) => m.resource === 'p_ip_public')!;
  assert.equal(moved.from, apiHome);
  assert.ok(failed.moved.some((m) => m.resource === 'p_ip_api' && m.to === moved.to), 'the API VIP goes with it');
  assert.equal(compareByHand(t, r), 6);

  // Planted back, the old design (the public VIP with the stack and with an instance, the stack
  // free of Horizon): the same failed start leaves Horizon unreachable.
  const config = t.clusters.find((x) => x.name === 'controllers')!;
  const before = config.constraints.length;
  config.constraints = config.constraints.filter((k) => k.id !== 'c_ip_api_with_horizon');
  assert.equal(config.constraints.length, before - 1);
  const old = await rehearse(t, execaRunner(), { concurrency: 3 });
  assert.deepEqual(old.findings.map((f) => [f.code, f.pointer, f.message]), [
    ['HA6023', '/clusters/controllers/services/horizon', `rehearsal: when p_horizon fails to start on ${apiHome}, service horizon is left stopped (p_ip_public)`],
  ]);
});

test('promotable clones: one primary with the VIP, a new one where it fails; every Galera member promoted', { skip }, async () => {
  const t = topology('test/compile/fixtures/promotable.yaml');
  const r = await rehearse(t, execaRunner());
  assert.deepEqual(r.findings, []);
  const pg = r.clusters.find((c) => c.cluster === 'postgres')!;
  const settled = pg.settled.find((s) => s.service === 'pgsql')!;
  assert.equal(settled.up, true);
  assert.deepEqual(settled.nodes, ['db1', 'db2']);
  assert.equal(settled.promoted!.length, 1);
  const primary = settled.promoted![0]!;
  const standby = primary === 'db1' ? 'db2' : 'db1';
  const failover = pg.scenarios.find((s) => s.failed[0] === primary)!;
  assert.deepEqual(failover.promoted.map((p) => [p.resource.replace(/:\d+$/, ''), p.node]), [['p_pgsql', standby]]);
  assert.deepEqual(failover.services.find((s) => s.service === 'pgsql')!.promoted, [standby]);
  assert.deepEqual(failover.moved.filter((x) => x.resource === 'p_ip_db'), [{ resource: 'p_ip_db', from: primary, to: standby }], 'the VIP follows the new primary');
  // Losing the standby promotes nobody.
  assert.deepEqual(pg.scenarios.find((s) => s.failed[0] === standby)!.promoted, []);
  const galera = r.clusters.find((c) => c.cluster === 'galera')!;
  assert.deepEqual(galera.settled.find((s) => s.service === 'galera')!.promoted, ['gal1', 'gal2', 'gal3']);
  for (const s of galera.scenarios.filter((x) => x.failed.length === 1)) assert.equal(s.services.find((x) => x.service === 'galera')!.promoted!.length, 2);
  assert.match(formatRehearsal(r, NO_PAINT, { verbose: true }), new RegExp(`${primary} fails: quorum kept\\n(?:.*\\n)*?\\s+promote: p_pgsql:\\d on ${standby}`));
  compareByHand(t, r);
});

test('bundles: replicas placed on their hosts, a promoted replica with its VIP that moves when its host fails, a container-only bundle', { skip }, async () => {
  const t = topology('test/compile/fixtures/bundles.yaml');
  const r = await rehearse(t, execaRunner());
  const lab = r.clusters.find((c) => c.cluster === 'lab')!;
  const state = (list: typeof lab.settled, name: string) => list.find((s) => s.service === name)!;
  // The primitives inside run on guest nodes (b_web-0, …); check places them on the members.
  assert.deepEqual(state(lab.settled, 'web').nodes, ['n1', 'n2', 'n3']);
  assert.equal(state(lab.settled, 'proxy').up, true);
  assert.equal(state(lab.settled, 'proxy').nodes.length, 1);
  const db = state(lab.settled, 'db');
  assert.equal(db.up, true);
  assert.equal(db.promoted!.length, 1);
  const primary = db.promoted![0]!;
  for (const s of lab.scenarios.filter((x) => x.failed.length === 1)) assert.ok(s.services.every((x) => x.up && !x.nodes.includes(s.failed[0]!)), `${s.failed}: ${JSON.stringify(s.services)}`);
  const failover = lab.scenarios.find((s) => s.failed.length === 1 && s.failed[0] === primary)!;
  const now = state(failover.services, 'db').promoted!;
  assert.equal(now.length, 1);
  assert.notEqual(now[0], primary);
  assert.deepEqual(failover.moved.filter((x) => x.resource === 'p_ip_db'), [{ resource: 'p_ip_db', from: primary, to: now[0] }], 'the VIP follows the new promoted replica');
  // A replica whose container fails to start on its host is one replica fewer, the service stays up.
  const containers = lab.injections.filter((x) => /^b_web-docker-\d+$/.test(x.resource));
  assert.equal(containers.length, 3);
  for (const x of containers) assert.ok(state(x.services, 'web').up, JSON.stringify(x.services));
  const edge = r.clusters.find((c) => c.cluster === 'edge')!;
  assert.deepEqual(state(edge.settled, 'app').nodes, ['e1', 'e2']);
  // Pacemaker 2.1.5 does not move a bundle's promotion for a VIP colocated with the promoted role
  // (a clone's it does): a VIP that fails to start on the primary's host stays stopped.
  assert.deepEqual(
    r.findings.map((f) => f.code),
    ['HA6023'],
  );
  assert.match(r.findings[0]!.message, /p_ip_db fails to start on/);
});

test('current profile: the rehearsal shows where Galera and the OVN databases are promoted after each failure, a failed member rejoining promoted, and a lost compute node fenced by its levels and evacuated', { skip }, async () => {
  const t = topology('fixtures/current.yaml');
  const r = await rehearse(t, execaRunner(), { concurrency: 2 });
  assert.deepEqual(r.findings, []);
  const c = r.clusters[0]!;
  assert.deepEqual(c.settled.find((s) => s.service === 'galera')!.promoted, ['ctl1', 'ctl2', 'ctl3']);
  const primary = c.settled.find((s) => s.service === 'ovn-dbs')!.promoted!;
  assert.equal(primary.length, 1);
  const ovnHome = primary[0]!;
  for (const s of c.scenarios.filter((x) => x.failed.length === 1)) {
    const lost = s.failed[0]!;
    const galera = s.roles.find((x) => x.service === 'galera')!;
    assert.deepEqual([galera.before, galera.after], [['ctl1', 'ctl2', 'ctl3'], ['ctl1', 'ctl2', 'ctl3'].filter((n) => n !== lost)], `${lost}: galera keeps the other members promoted`);
    assert.ok(s.demoted.some((d) => d.resource.startsWith('p_galera:') && d.node === lost && d.how === 'stop'));
    // The node back: Galera's member rejoins promoted (its IST/SST happens in promote), nothing
    // else is left stopped, and the OVN primary stays where it moved.
    assert.equal(s.rejoin?.node, lost);
    assert.deepEqual(s.rejoin!.roles.map((x) => [x.service, x.before, x.after]), [['galera', galera.after, ['ctl1', 'ctl2', 'ctl3']]]);
    assert.deepEqual(s.rejoin!.stopped, []);
    assert.match(formatRehearsal(r, NO_PAINT), new RegExp(`${lost} fails: quorum kept\\n(?:.*\\n)*?\\s+${lost} back: promoted: galera ${galera.after.join('\\+')} → ctl1\\+ctl2\\+ctl3\\n`));
    const ovn = s.roles.find((x) => x.service === 'ovn-dbs');
    if (lost !== ovnHome) {
      assert.equal(ovn, undefined, `${lost}: the OVN primary stays`);
      continue;
    }
    assert.equal(ovn!.after.length, 1);
    assert.notEqual(ovn!.after[0], lost);
    assert.deepEqual(s.promoted.map((p) => [p.resource.replace(/:\d+$/, ''), p.node]), [['p_ovndb_servers', ovn!.after[0]]]);
    assert.deepEqual(s.moved.filter((m) => m.resource === 'p_ip_ovn'), [{ resource: 'p_ip_ovn', from: lost, to: ovn!.after[0] }], 'the OVN VIP follows the new primary');
    const text = formatRehearsal(r, NO_PAINT);
    assert.match(text, new RegExp(`${lost} fails: quorum kept\\n.*\\n\\s+promoted: galera ctl1\\+ctl2\\+ctl3 → \\S+, ovn-dbs ${lost} → ${ovn!.after[0]}\\n`));
  }
  // A failed start of the OVN VIP where the primary runs moves the primary: demote, then promote.
  const vip = c.injections.find((x) => x.kind === 'start-failure' && x.resource === 'p_ip_ovn')!;
  assert.ok(vip.demoted.some((d) => d.resource.startsWith('p_ovndb_servers:') && d.node === ovnHome && d.how === 'demote'), JSON.stringify(vip.demoted));
  assert.match(formatRehearsal(r, NO_PAINT, { verbose: true }), /fails to start on \S+ \(-i p_ip_ovn_start_0@\S+=1\)\n(?:.*\n)*?\s+promoted: ovn-dbs \S+ → \S+\n(?:.*\n)*?\s+demote: p_ovndb_servers:\d on/);
  // Instance HA: a compute node whose connection is lost is fenced (the unfence trigger runs
  // there), by its own device and then fence_compute, and NovaEvacuate runs on a controller.
  for (const cmp of ['cmp1', 'cmp2']) {
    const lost = c.injections.find((x) => x.kind === 'remote-loss' && x.resource === cmp)!;
    assert.deepEqual(lost.fenced, [cmp]);
    assert.deepEqual(lost.levels, [{ node: cmp, levels: [[`st_${cmp}`, 'st_fence-compute']] }]);
    assert.equal(lost.evacuation?.by, 'p_nova-evacuate');
    assert.deepEqual(lost.evacuation?.nodes, [cmp]);
    assert.equal(lost.evacuation?.on.length, 1);
    assert.ok(['ctl1', 'ctl2', 'ctl3'].includes(lost.evacuation!.on[0]!));
    assert.match(formatRehearsal(r, NO_PAINT, { verbose: true }), new RegExp(`connection check of remote node ${cmp} fails on \\S+ .*\n\\s+fence: ${cmp}\n\\s+fence levels: ${cmp} 1: st_${cmp} then st_fence-compute\n\\s+evacuate: ${cmp} by p_nova-evacuate on ctl\\d\n`));
  }
  // A controller's loss fences it by its own device alone: no levels, no evacuation. Two lost
  // members (no quorum) are not rehearsed coming back.
  assert.ok(c.scenarios.every((x) => x.levels === undefined && x.evacuation === undefined));
  assert.ok(c.scenarios.filter((x) => x.failed.length === 2).every((x) => x.rejoin === undefined));
  compareByHand(t, r);
});

test('fencing levels: every device that can fence a failed node is listed, the PDUs with its BMC', { skip }, async () => {
  const t = topology('test/compile/fixtures/fencing-levels.yaml');
  const r = await rehearse(t, execaRunner());
  assert.deepEqual(r.findings, []);
  const single = r.clusters[0]!.scenarios.filter((s) => s.failed.length === 1);
  assert.deepEqual(
    single.map((s) => s.fencing.map((f) => [f.node, f.required, f.possible, f.devices])),
    [[['fs1', true, true, ['st_fs1', 'st_pdu-a', 'st_pdu-b']]], [['fs2', true, true, ['st_fs2', 'st_pdu-a']]], [['fs3', true, true, ['st_fs3', 'st_pdu-a']]]],
  );
  compareByHand(t, r);
});

test('a service pinned to one node is left stopped when that node fails, and so is what it takes along', { skip }, async () => {
  const t = topology('fixtures/weak/pinned-service.yaml');
  const r = await rehearse(t, execaRunner());
  const stopped = r.findings.filter((d) => d.code === 'HA6020');
  assert.ok(stopped.some((d) => d.pointer === '/clusters/controllers/services/mysql' && /when ctl1 of cluster controllers fail\(s\), service mysql is left stopped/.test(d.message)));
  const ctl1 = r.clusters[0]!.scenarios.find((s) => s.failed[0] === 'ctl1')!;
  assert.equal(ctl1.services.find((s) => s.service === 'mysql')!.up, false);
  const ctl2 = r.clusters[0]!.scenarios.find((s) => s.failed[0] === 'ctl2')!;
  assert.ok(ctl2.services.every((s) => s.up), 'losing ctl2 costs nothing');
  compareByHand(t, r);
});

test('fencing that no surviving node can run is a finding', { skip }, async () => {
  // Fencing stays enabled but ctl2's device is banned from ctl1 by an extra location in the CIB,
  // as an operator's hand edit would: the scheduler still fences, nobody can.
  const t = topology('fixtures/pixelpark.yaml');
  const banning: Runner = {
    run: (cmd, args, opts) => {
      const file = args[args.indexOf('-x') + 1]!;
      if (file.endsWith('controllers.cib.xml')) {
        const xml = readFileSync(file, 'utf8');
        writeFileSync(file, xml.replace('<constraints>', '<constraints><rsc_location id="ban-st-ctl2" rsc="st_ctl2" node="ctl1" score="-INFINITY"/>'));
      }
      return execaRunner().run(cmd, args, opts);
    },
  };
  const r = await rehearse(t, banning);
  assert.deepEqual(r.findings.map((d) => [d.code, d.pointer]), [['HA6021', '/clusters/controllers/nodes/1']]);
  const s = r.clusters[0]!.scenarios.find((x) => x.failed[0] === 'ctl2')!;
  assert.deepEqual(s.fencing, [{ node: 'ctl2', required: true, possible: false, devices: ['st_ctl2'] }]);
});

test('a tool that fails is an error, not a silent pass', { skip }, async () => {
  const t = topology('fixtures/pixelpark.yaml');
  await assert.rejects(check(t, { runner: execaRunner(), crmSimulate: 'false' }), /false -x .* failed \(exit 1\)/);
});
