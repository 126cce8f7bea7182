/** `hactl check` end to end: exit codes, grouping by severity, JSON for CI, invalid topologies. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { hactl, hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);

interface JsonFinding {
  code: string;
  severity: string;
  pointer: string;
  line: number;
  column: number;
  hint?: string;
}
interface JsonReport {
  file: string;
  ok: boolean;
  exitCode: number;
  findings: JsonFinding[];
  diagnostics?: JsonFinding[];
  rehearsal: { clusters: { cluster: string; scenarios: unknown[] }[]; runs: number } | null;
  availability: { rates: { node: { mtbfHours: number } }; assumptions: string[]; paths: { service: string; availability: number }[] };
}

test('reference deployment: exit 0, verdict first, summary table, grouped output, arithmetic and defaults shown', { skip }, () => {
  const r = hactl(['check', 'fixtures/pixelpark.yaml']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^ok fixtures\/pixelpark\.yaml: 0 error\(s\), 13 warning\(s\)\n\nsummary\n  findings     0 errors, 13 warning\(s\)\n  rehearsal    4 scenario\(s\), 35 crm_simulate runs; of the 4 quorum survives: every service runs\n {17}after each\n  availability 12 of 12 path\(s\) meet sla 99\.99%\n/);
  assert.match(r.stdout, /\n  path {31}availability  min\/year  sla\n  controllers\/cinder {20}99\.99915% {7}4\.4  ok\n/);
  assert.ok(r.stdout.indexOf('summary') < r.stdout.indexOf('warnings (13)'), 'the summary before the details');
  // Not a terminal: prose is wrapped to 100 columns; code frames are not wrapped.
  const long = r.stdout.split('\n').filter((l) => l.length > 100);
  assert.ok(long.every((l) => /^(fixtures\/pixelpark\.yaml:\d+:\d+: warning|  hint:)/.test(l)), long.join('\n'));
  // Brief by default: the lowest path's arithmetic only; resource actions with --verbose.
  assert.doesNotMatch(r.stdout, /move: /);
  assert.match(r.stdout, /the arithmetic of the 11 other path\(s\), which the summary lists: --verbose/);
  assert.doesNotMatch(r.stdout, /errors \(/);
  assert.match(r.stdout, /warnings \(13\)/);
  assert.match(r.stdout, /fixtures\/pixelpark\.yaml:98:13: warning HA6015: node ctl1 of cluster controllers is fenced only through its own BMC \(fence_ipmilan\)/);
  assert.doesNotMatch(r.stdout, /HA6031|HA6030/);
  assert.match(r.stdout, /fixtures\/pixelpark\.yaml:115:12: warning HA6004: cluster network has one corosync link/);
  // 2 settled + 4 node failures + 29 failed starts (one per primitive on its node).
  assert.match(r.stdout, /failure rehearsal \(crm_simulate on the compiled CIB, 35 runs\)/);
  assert.match(r.stdout, /ctl1 fails: quorum kept\n\s+fence ctl1: required, possible \(st_ctl1\)/);
  assert.match(r.stdout, /rates: node MTBF 8760 h \(default\), MTTR 8 h \(default\)\n {9}link MTBF 87600 h \(default\), MTTR 4 h \(default\)/);
  assert.match(r.stdout, /ctl1 \+ ctl2 down: 9\.12e-4 × 9\.12e-4 = 8\.32e-7/);
  // Horizon: both of its VIPs are watched by ping, so a link failure costs a failover, not a repair.
  assert.match(r.stdout, /failover on a link failure under VIP public \(network public, monitored by ping\): 1\/87600 h × 60\s+s = 1\.90e-7/);
  assert.match(r.stdout, /controllers\/horizon: 99\.99894% \(5\.6 min\/year\) >= sla 99\.99%/);
  assert.match(r.stdout, /U = 1\.06e-5 -> A = 1 - U = 99\.99894%/);
  assert.match(r.stdout, /ok fixtures\/pixelpark\.yaml: 0 error\(s\), 13 warning\(s\)\n$/);
});

test('--verbose: every resource action and every path; COLUMNS sets the width', { skip }, () => {
  const r = hactl(['check', '--verbose', 'fixtures/pixelpark.yaml'], { env: { COLUMNS: '200' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /settled, every node online: cinder@ctl\d/);
  assert.match(r.stdout, /\n      move: /);
  assert.doesNotMatch(r.stdout, /other path\(s\)/);
  assert.equal(r.stdout.match(/^ {4}U = /gm)?.length, 12);
  assert.match(r.stdout, /failover on a link failure under VIP public \(network public, monitored by ping\): 1\/87600 h × 60 s = 1\.90e-7/);
  const narrow = hactl(['check', '--no-rehearsal', 'fixtures/pixelpark.yaml'], { env: { COLUMNS: '60' } });
  // Prose, that is: not the verdict, a finding's head, code frame or hint, nor a row of the path table.
  const prose = narrow.stdout.split('\n').filter((l) => !/^(ok fixtures\/|fixtures\/|  hint:|\s+>?\s*\d+ \||\s+\||  path {2,}|  \S+ +[\d.]+% +[\d.]+ {2}(ok|BELOW|-)$)/.test(l));
  assert.ok(prose.length > 30);
  assert.deepEqual(prose.filter((l) => l.length > 60), []);
});

test('--json for CI: findings with positions, the rehearsal and the estimate as data', { skip }, () => {
  const r = hactl(['check', '--json', 'fixtures/pixelpark.yaml']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as JsonReport;
  assert.equal(out.exitCode, 0);
  assert.equal(out.ok, true);
  assert.deepEqual(out.findings.map((f) => [f.code, f.severity, f.pointer, f.line]), [
    ['HA6015', 'warning', '/clusters/controllers/nodes/0', 98],
    ['HA6015', 'warning', '/clusters/controllers/nodes/1', 98],
    ['HA6015', 'warning', '/clusters/network/nodes/0', 114],
    ['HA6015', 'warning', '/clusters/network/nodes/1', 114],
    ['HA6004', 'warning', '/clusters/network/links', 115],
    // HA review M10: six keyrings, the compute nodes' libvirt secret and the pools are made by hand.
    ...Array.from({ length: 6 }, () => ['HA6063', 'warning', '/ceph', 124]),
    ['HA6064', 'warning', '/ceph', 124],
    ['HA6065', 'warning', '/ceph/pools', 131],
  ]);
  assert.deepEqual(out.rehearsal!.clusters.map((c) => [c.cluster, c.scenarios.length]), [['controllers', 2], ['network', 2]]);
  assert.equal(out.availability.rates.node.mtbfHours, 8760);
  assert.ok(out.availability.assumptions.length >= 5);
  assert.equal(out.availability.paths.length, 12);
});

test('a VIP network with no node outside the cluster to ping: HA6031 again (a warning)', { skip }, async () => {
  const text = readFileSync(join(ROOT, 'fixtures/pixelpark.yaml'), 'utf8');
  const edited = ['21', '22'].reduce((s, i) => {
    const from = `addresses: { management: 198.51.100.${i}, public: 203.0.113.${i} }`;
    assert.equal(s.split(from).length, 2, from);
    return s.replace(from, `addresses: { management: 198.51.100.${i} }`);
  }, text);
  const r = await hactlIn(['check', '--json', '--no-rehearsal', '-'], { input: edited });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as JsonReport;
  assert.deepEqual(out.findings.filter((f) => f.code !== 'HA6015' && !/^HA606[345]$/.test(f.code)).map((f) => [f.code, f.pointer, f.line]), [
    ['HA6031', '/clusters/controllers/vips/public', 103],
    ['HA6004', '/clusters/network/links', 115],
  ]);
});

test('--no-rehearsal runs nothing; --strict makes warnings count', { skip }, async () => {
  const bonded = readFileSync(join(ROOT, 'fixtures/pixelpark.yaml'), 'utf8')
    .replace('    fencing: { address: 198.51.100.203 }\n', '    fencing: { address: 198.51.100.203 }\n    bond: { name: bond0, interfaces: [eth0, eth1] }\n')
    .replace('    fencing: { address: 198.51.100.204 }\n', '    fencing: { address: 198.51.100.204 }\n    bond: { name: bond0, interfaces: [eth0, eth1] }\n');
  const plain = await hactlIn(['check', '--no-rehearsal', '-'], { input: bonded });
  assert.equal(plain.code, 0, plain.stdout + plain.stderr);
  assert.doesNotMatch(plain.stdout, /failure rehearsal/);
  assert.match(plain.stdout, /ok -: 0 error\(s\), 13 warning\(s\), rehearsal skipped\n$/);
  const strict = await hactlIn(['check', '--no-rehearsal', '--strict', '-'], { input: bonded });
  assert.equal(strict.code, 1);
  const rehearsed = await hactlIn(['check', '--json', '-'], { input: bonded });
  assert.equal(rehearsed.code, 0, rehearsed.stderr);
  assert.equal((JSON.parse(rehearsed.stdout) as JsonReport).rehearsal!.runs, 35);
});

/** Each planted weakness, through the CLI: its finding at its line; exit 2 when validate already rejects the topology, else 1. */
const PLANTED: [file: string, code: string, pointer: string, line: number][] = [
  ['fixtures/weak/one-controller.yaml', 'HA6002', '/clusters/controllers/nodes', 95],
  ['fixtures/weak/replicas-two-hosts.yaml', 'HA6009', '/ceph/replicas', 118],
  ['fixtures/weak/monitors-one-host.yaml', 'HA6011', '/nodes/stor1/roles', 64],
  ['fixtures/weak/pinned-service.yaml', 'HA6001', '/clusters/controllers/services/mysql/nodes', 104],
  ['fixtures/weak/pinned-service.yaml', 'HA6020', '/clusters/controllers/services/mysql', 104],
  ['fixtures/weak/no-fencing.yaml', 'HA6005', '/clusters/controllers/fencing/enabled', 97],
  ['fixtures/weak/journal-per-osd.yaml', 'HA6012', '/nodes/stor1/osds/0/journal', 70],
];

for (const [file, code, pointer, line] of PLANTED) {
  test(`hactl check ${file} reports ${code} at line ${line}`, { skip }, async () => {
    const valid = (await hactlIn(['validate', file])).code === 0;
    const r = await hactlIn(['check', '--json', file]);
    assert.equal(r.code, valid ? 1 : 2, r.stderr);
    const out = JSON.parse(r.stdout) as JsonReport;
    const hit = out.findings.find((f) => f.code === code && f.pointer === pointer);
    assert.ok(hit, `${code} at ${pointer} among ${out.findings.map((f) => `${f.code} ${f.pointer}`).join(', ')}`);
    assert.equal(hit.line, line);
    assert.equal(hit.severity, 'error');
    if (!valid) {
      assert.ok(out.diagnostics!.some((d) => d.severity === 'error'), 'the validation errors come with it');
      assert.equal(out.rehearsal, undefined, 'an invalid topology is not simulated');
    }
  });
}

test('an invalid topology with no model: exit 2, no stack trace', { skip }, async () => {
  const r = await hactlIn(['check', '-'], { input: 'name: x\nnetworks: {management: 10.0.0.0/8}\nnodes: {}\n' });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /HA2009/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/);
});

test('crm_simulate missing: exit 3 with a way out', { skip }, async () => {
  const r = await hactlIn(['check', 'fixtures/pixelpark.yaml'], { env: { HACTL_CRM_SIMULATE: '/nonexistent/crm_simulate' } });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /error HA6040: failure rehearsal could not run: \/nonexistent\/crm_simulate could not be run: ENOENT\n  hint: --no-rehearsal skips it/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+/);
});

test('crm_simulate failing: exit 3, its output in the message', async () => {
  const r = await hactlIn(['check', 'fixtures/pixelpark.yaml'], { env: { HACTL_CRM_SIMULATE: '/bin/false' } });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /error HA6040: failure rehearsal could not run: \/bin\/false -x .* failed \(exit 1\)/);
});

test('a bug is exit 4 with its stack, never a tool failure (exit 3)', async () => {
  // The CLI in this process, with an environment that throws a TypeError when check reads it: a
  // stand-in for any bug in the code around the rehearsal.
  const { run } = await import('../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const env = new Proxy({ ...process.env } as Record<string, string | undefined>, {
    get(target, key) {
      if (key === 'HACTL_CRM_SIMULATE') return (null as unknown as Record<string, string>).boom;
      return target[key as string];
    },
  });
  const io = { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s), isTTY: false, stdinIsTTY: false, env, cwd: ROOT, readStdin: async () => '', ask: async () => '' };
  const code = await run(['check', 'fixtures/pixelpark.yaml', '--no-rehearsal'], io);
  const stderr = err.join('');
  assert.equal(code, 4, stderr);
  assert.match(stderr, /internal error \(a bug; please report it\): TypeError: Cannot read properties of null \(reading 'boom'\)\n\s+at /);
  assert.doesNotMatch(stderr, /could not run/);
});

test('the library hands a broken runner\'s error on as it is (not as a tool failure)', async () => {
  const { check } = await import('../../src/check/index.js');
  const { loadTopology } = await import('../../src/load.js');
  const t = loadTopology(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), 'pixelpark.yaml').model!;
  const runner = { run: async () => (null as unknown as { x: never }).x };
  await assert.rejects(check(t, { runner }), (e: unknown) => e instanceof TypeError);
});

test('--strict counts validation warnings too, and --json carries them with the same verdict as the exit code', () => {
  // The same topology with and without one validation warning (HA3044, a storage node with no OSDs).
  const base = readFileSync(join(ROOT, 'fixtures/pixelpark.yaml'), 'utf8').replace('links: [management]', 'links: [management, public]');
  const warned = base.replace('  cmp1: &compute-node\n', '  stor4:\n    roles: [storage]\n    addresses: { management: 198.51.100.34, storage: 198.51.100.98, replication: 198.51.100.162 }\n  cmp1: &compute-node\n');
  const summary = (text: string) => {
    const r = hactl(['check', '--no-rehearsal', '--strict', '-'], { input: text });
    return { code: r.code, warnings: Number(/: 0 error\(s\), (\d+) warning\(s\), rehearsal skipped\n$/.exec(r.stdout)?.[1]), stderr: r.stderr };
  };
  const without = summary(base);
  const withWarning = summary(warned);
  assert.equal(withWarning.warnings, without.warnings + 1);
  assert.match(withWarning.stderr, /warning HA3044: storage node stor4 has no OSDs/);
  assert.equal(withWarning.code, 1);
  for (const strict of [[], ['--strict']]) {
    const r = hactl(['check', '--no-rehearsal', '--json', ...strict, '-'], { input: warned });
    const out = JSON.parse(r.stdout) as JsonReport;
    assert.deepEqual(out.diagnostics!.map((d) => [d.code, d.severity, d.pointer]), [['HA3044', 'warning', '/nodes/stor4/roles']]);
    assert.equal(out.exitCode, r.code);
    assert.equal(out.ok, r.code === 0);
    if (strict.length) assert.equal(r.code, 1);
  }
});

test('--json lists findings errors first', () => {
  const r = hactl(['check', '--json', '--no-rehearsal', 'fixtures/weak/replicas-two-hosts.yaml']);
  const out = JSON.parse(r.stdout) as JsonReport;
  const severities = out.findings.map((f) => f.severity);
  assert.ok(severities.includes('error') && severities.includes('warning'), severities.join(','));
  assert.deepEqual(severities, [...severities].sort((a, b) => (a === b ? 0 : a === 'error' ? -1 : 1)));
});

test("HA6008's hint names a pinned service as the cause when other nodes have an address on the VIP's network", () => {
  const text = readFileSync(join(ROOT, 'fixtures/pixelpark.yaml'), 'utf8').replace('horizon: { mode: active-passive, vip: public }', 'horizon: { mode: active-passive, vip: public, nodes: [ctl1] }');
  const r = hactl(['check', '--json', '--no-rehearsal', '-'], { input: text });
  const out = JSON.parse(r.stdout) as JsonReport;
  const f = out.findings.find((x) => x.code === 'HA6008');
  assert.ok(f, r.stdout);
  assert.equal(f.hint, 'service horizon is pinned to ctl1 (nodes:), and VIP public runs where its services run: list at least two nodes under nodes:, or remove nodes: (ctl1, ctl2 have an address on network public)');
});
