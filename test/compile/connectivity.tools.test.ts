/**
 * Connectivity monitoring of VIP networks: which ping targets compile picks, and, with the real
 * crm_simulate, that the node attribute the ping clone writes moves a VIP's whole stack off a
 * node that lost a majority of its targets, and moves nothing while the attribute is undefined,
 * equal, one target apart, or lost on every node.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pingMultiplier } from '../../src/compile/pacemaker/defaults.js';
import type { ClusterConfig, Location } from '../../src/compile/pacemaker/model.js';
import { primitivesOf } from '../../src/compile/pacemaker/model.js';
import { toCib } from '../../src/compile/cib/emit.js';
import { loadTopology } from '../../src/load.js';
import { parseXml } from '../../src/xml/parse.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { el, type XmlElement } from '../../src/xml/tree.js';
import { ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate', 'crm_attribute']);

const work = mkdtempSync(join(tmpdir(), 'hactl-ping-'));
after(() => rmSync(work, { recursive: true, force: true }));

function configs(file: string, edit: (s: string) => string = (s) => s): Map<string, ClusterConfig> {
  const r = loadTopology(edit(readFileSync(join(ROOT, file), 'utf8')), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => d.code).join(' '));
  return new Map(r.model.clusters.map((config) => [config.name, config]));
}

const param = (c: ClusterConfig, id: string, name: string): string | undefined =>
  c.resources
    .flatMap(primitivesOf)
    .find((p) => p.id === id)
    ?.params.find((p) => p.name === name)?.value;

test('pixelpark: one ping clone per VIP network, targets outside the cluster sorted by name, at most 3', { skip }, () => {
  const all = configs('fixtures/pixelpark.yaml');
  const ctl = all.get('controllers')!;
  assert.deepEqual(
    ctl.resources.filter((r) => r.id.startsWith('cl_ping_')).map((r) => r.id),
    ['cl_ping_management', 'cl_ping_public'],
  );
  // Infrastructure only (HA review M8): net1, net2, then stor1; the compute nodes are tenant
  // hypervisors, never ping targets; ctl1 and ctl2 are members.
  assert.equal(param(ctl, 'p_ping_management', 'host_list'), '198.51.100.21 198.51.100.22 198.51.100.31');
  assert.equal(param(ctl, 'p_ping_public', 'host_list'), '203.0.113.21 203.0.113.22');
  assert.equal(param(ctl, 'p_ping_public', 'name'), 'ping_public');
  // The whole stack follows the api VIP since the HA review's M5 (the MySQL and RabbitMQ groups on
  // RBD, every API, and the public VIP with Horizon): more than 20 primitives × 100 stickiness, so
  // one target counts 3000 on either network.
  assert.equal(param(ctl, 'p_ping_management', 'multiplier'), '3000');
  assert.equal(param(ctl, 'p_ping_public', 'multiplier'), '3000');
  const rules = ctl.constraints.filter((k): k is Location => k.kind === 'location' && k.id.endsWith('_connected'));
  assert.deepEqual(
    rules.map((k) => [k.id, k.rsc, k.rule?.score, k.rule?.scoreAttribute, k.rule?.expressions]),
    [
      // Three targets: a node reaching 2 (6000) or more has its link; two targets: 1 or more.
      ['l_ip_api_connected', 'p_ip_api', '3000', undefined, [{ attribute: 'ping_management', operation: 'defined' }, { attribute: 'ping_management', operation: 'gte', value: '6000' }]],
      ['l_ip_public_connected', 'p_ip_public', '3000', undefined, [{ attribute: 'ping_public', operation: 'defined' }, { attribute: 'ping_public', operation: 'gte', value: '3000' }]],
    ],
  );
  // The network cluster has no VIP: nothing to monitor.
  assert.ok(!all.get('network')!.resources.some((r) => r.id.startsWith('cl_ping_')));
});

test('no node outside the cluster on the VIP network: no ping, no rule', { skip }, () => {
  const lab = configs('fixtures/lab.yaml').get('lab')!;
  assert.ok(!lab.resources.some((r) => r.id.startsWith('cl_ping_')));
  assert.ok(!lab.constraints.some((k) => k.id.endsWith('_connected')));
});

test('remote nodes of the cluster are no targets; a node outside it is', { skip }, () => {
  const file = 'test/compile/fixtures/remote.yaml';
  // Only members and remote nodes are on its networks: nothing to compare the members by.
  assert.ok(![...configs(file).values()][0]!.resources.some((r) => r.id.startsWith('cl_ping_')));
  const outside = '  cmp2:\n    roles: [network]\n';
  const c = [...configs(file, (s) => {
    assert.equal(s.split(outside).length, 2);
    return s.replace(outside, `  zz-mon:\n    roles: [controller]\n    addresses: { management: 198.51.100.40 }\n${outside}`);
  }).values()][0]!;
  assert.equal(param(c, 'p_ping_management', 'host_list'), '198.51.100.40');
  assert.ok(!c.resources.some((r) => r.id === 'cl_ping_public'), 'no node outside the cluster on public');
  assert.deepEqual(
    c.constraints.filter((k) => k.id.endsWith('_connected')).map((k) => [k.id, (k as Location).rsc]),
    [['l_ip_api_connected', 'p_ip_api']],
  );
});

test('the multiplier outweighs the stack it moves', { skip }, () => {
  assert.equal(pingMultiplier(1), 1000);
  assert.equal(pingMultiplier(9), 1000);
  assert.equal(pingMultiplier(10), 2000);
  assert.equal(pingMultiplier(18), 2000);
  assert.equal(pingMultiplier(25), 3000);
});

function sh(cmd: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The CIB with every member online and quorum, then run by crm_simulate until settled. */
function settled(config: ClusterConfig): string {
  const cib = toCib(config);
  const nodes = config.nodes.map((n) => el('node_state', { id: n.id, uname: n.uname, in_ccm: 'true', crmd: 'online', join: 'member', expected: 'member' }, [el('lrm', { id: n.id }, [el('lrm_resources')])]));
  const root: XmlElement = { ...cib, attrs: { ...cib.attrs, 'have-quorum': '1' }, children: cib.children.map((c) => (c.name === 'status' ? el('status', {}, nodes) : c)) };
  const online = join(work, 'online.xml');
  writeFileSync(online, serializeXml(root));
  const run = join(work, 'run.xml');
  sh('crm_simulate', ['-x', online, '-S', '-Q', '-O', run]);
  return run;
}

/** Where each resource of `ids` runs after setting the ping attributes and simulating. */
function after_(run: string, attrs: Record<string, Record<string, string>>, ids: string[]): Record<string, string> {
  const file = join(work, 'attrs.xml');
  writeFileSync(file, readFileSync(run, 'utf8'));
  for (const [node, pairs] of Object.entries(attrs)) {
    for (const [name, value] of Object.entries(pairs)) sh('crm_attribute', ['-N', node, '-n', name, '-v', value, '-l', 'reboot'], { CIB_file: file });
  }
  const out = join(work, 'out.xml');
  sh('crm_simulate', ['-x', file, '-S', '-Q', '-O', out]);
  const r = parseXml(readFileSync(out, 'utf8'));
  assert.ok(r.ok);
  const where: Record<string, string> = {};
  const status = r.root.children.find((c) => c.name === 'status')!;
  for (const ns of status.children) {
    const lrm = ns.children.find((c) => c.name === 'lrm')?.children.find((c) => c.name === 'lrm_resources');
    for (const res of lrm?.children ?? []) {
      if (!ids.includes(res.attrs.id!)) continue;
      // The last operation of a resource on a node tells whether it runs there.
      const ops = res.children.filter((c) => c.name === 'lrm_rsc_op').sort((a, b) => Number(a.attrs['call-id']) - Number(b.attrs['call-id']));
      const last = ops.filter((o) => o.attrs.operation !== 'monitor' || o.attrs.interval === '0').at(-1);
      if (last && last.attrs.operation === 'start' && last.attrs['rc-code'] === '0') where[res.attrs.id!] = ns.attrs.uname!;
    }
  }
  return where;
}

test('crm_simulate: a node that lost a majority of its targets loses the VIP and everything that follows it; one target\'s difference moves nothing (HA review M8)', { skip }, () => {
  const ctl = configs('fixtures/pixelpark.yaml').get('controllers')!;
  const run = settled(ctl);
  const ids = ['p_ip_api', 'p_mysql', 'p_nova-api', 'p_ip_public', 'p_horizon'];
  const before = after_(run, {}, ids);
  assert.equal(before.p_ip_api, before.p_mysql);
  const apiAt = before.p_ip_api!;
  const apiOther = apiAt === 'ctl1' ? 'ctl2' : 'ctl1';
  const publicAt = before.p_ip_public!;
  const publicOther = publicAt === 'ctl1' ? 'ctl2' : 'ctl1';
  const m = Number(param(ctl, 'p_ping_management', 'multiplier'));
  const p = Number(param(ctl, 'p_ping_public', 'multiplier'));

  // Undefined attributes (no ping result yet) and equal ones change nothing.
  assert.deepEqual(after_(run, {}, ids), before);
  assert.deepEqual(after_(run, { ctl1: { ping_management: String(3 * m), ping_public: String(2 * p) }, ctl2: { ping_management: String(3 * m), ping_public: String(2 * p) } }, ids), before);

  // The holder of api reaches one of its three targets less than the other node (a target
  // rebooting, or unreachable from that node only): nothing moves. The review's case.
  assert.deepEqual(after_(run, { [apiAt]: { ping_management: String(2 * m) }, [apiOther]: { ping_management: String(3 * m) } }, ids), before);
  // Pacemaker compares the values as numbers (30000 >= 6000, though "30000" < "6000" as text).
  assert.deepEqual(after_(run, { [apiAt]: { ping_management: String(10 * m) }, [apiOther]: { ping_management: String(3 * m) } }, ids), before);
  // On public (two targets) one lost of two is no majority either.
  assert.deepEqual(after_(run, { [publicAt]: { ping_public: String(p) }, [publicOther]: { ping_public: String(2 * p) } }, ids), before);

  // The holder of api lost two of three: the whole stack moves.
  const lost = after_(run, { [apiAt]: { ping_management: String(m) }, [apiOther]: { ping_management: String(3 * m) } }, ids);
  assert.equal(lost.p_ip_api, apiOther);
  assert.equal(lost.p_mysql, apiOther);
  assert.equal(lost['p_nova-api'], apiOther);

  // ... and all three: the same.
  const all = after_(run, { [apiAt]: { ping_management: '0' }, [apiOther]: { ping_management: String(3 * m) } }, ids);
  assert.equal(all.p_ip_api, apiOther);
  assert.equal(all.p_mysql, apiOther);

  // Every node lost every target (the targets are down, not the links): the same penalty
  // everywhere, nothing moves and nothing stops.
  assert.deepEqual(after_(run, { ctl1: { ping_management: '0', ping_public: '0' }, ctl2: { ping_management: '0', ping_public: '0' } }, ids), before);

  // The holder of public lost its link there (no target answers): public and horizon move.
  const down = after_(run, { [publicAt]: { ping_public: '0' }, [publicOther]: { ping_public: String(2 * p) } }, ids);
  assert.equal(down.p_ip_public, publicOther);
  assert.equal(down.p_horizon, publicOther);
});
