/** Static analysis and availability estimate of hactl check, on the library. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkStatic, journalDevice, positionFindings } from '../../src/check/index.js';
import { unavailabilityOf } from '../../src/check/availability.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';

function load(file: string, edit: (s: string) => string = (s) => s) {
  const text = edit(readFileSync(join(ROOT, file), 'utf8'));
  const r = loadTopology(text, file);
  assert.ok(r.model, `${file} resolves: ${r.diagnostics.map((d) => d.code).join(' ')}`);
  return { ...r, topology: r.model.topology, findings: positionFindings(r.source, checkStatic(r.model).findings), report: checkStatic(r.model) };
}

/** Replaces exactly one occurrence, so a fixture change cannot silently turn a test into a no-op. */
function once(from: string, to: string) {
  return (s: string): string => {
    assert.equal(s.split(from).length, 2, `exactly one ${JSON.stringify(from)}`);
    return s.replace(from, to);
  };
}

test('journal partitions map to their device', () => {
  assert.equal(journalDevice('/dev/sda5'), '/dev/sda');
  assert.equal(journalDevice('/dev/sdab12'), '/dev/sdab');
  assert.equal(journalDevice('/dev/vdb1'), '/dev/vdb');
  assert.equal(journalDevice('/dev/nvme0n1p2'), '/dev/nvme0n1');
  assert.equal(journalDevice('/dev/mmcblk0p1'), '/dev/mmcblk0');
  assert.equal(journalDevice('/dev/disk/by-id/ata-SSD_X1-part3'), '/dev/disk/by-id/ata-SSD_X1');
  assert.equal(journalDevice('/dev/sda'), '/dev/sda');
  assert.equal(journalDevice('/dev/md0'), '/dev/md0');
});

test('the reference deployment has no single point of failure that stops a service', () => {
  const { findings } = load('fixtures/pixelpark.yaml');
  const spof = findings.filter((d) => d.code < 'HA6020');
  // The weaknesses the 2013 design has in its clusters: the network cluster runs corosync over
  // the management network only, and every node is fenced by its own IPMI BMC alone.
  assert.deepEqual(
    spof.map((d) => [d.code, d.severity, d.pointer]),
    [
      ['HA6015', 'warning', '/clusters/controllers/nodes/0'],
      ['HA6015', 'warning', '/clusters/controllers/nodes/1'],
      ['HA6015', 'warning', '/clusters/network/nodes/0'],
      ['HA6015', 'warning', '/clusters/network/nodes/1'],
      ['HA6004', 'warning', '/clusters/network/links'],
    ],
  );
  assert.equal(spof[4]!.hint, 'add a second link on another network, e.g. links: [management, public]');
});

test('the reference deployment keeps 99.99%: the compiled CIB watches both VIP networks with ping', () => {
  const { findings, report } = load('fixtures/pixelpark.yaml');
  assert.deepEqual(findings.filter((d) => d.code === 'HA6030' || d.code === 'HA6031'), []);
  assert.ok(report.availability.paths.every((p) => p.meetsSla && p.undetected.length === 0));
  const horizon = report.availability.paths.find((p) => p.service === 'horizon')!;
  assert.deepEqual(horizon.needs, ['horizon', 'keystone', 'mysql']);
  assert.equal(horizon.ceph, true);
  // A link failure under a watched VIP costs one failover instead of a repair.
  const q = unavailabilityOf({ mtbfHours: 87600, mttrHours: 4 });
  const links = horizon.failover.filter((f) => f.label.startsWith('failover on a link failure'));
  assert.deepEqual(links.map((f) => f.label), [
    'failover on a link failure under VIP api (network management, monitored by ping)',
    'failover on a link failure under VIP public (network public, monitored by ping)',
  ]);
  for (const f of links) assert.ok(f.value < q / 100, 'a failover is far shorter than a repair');
  assert.ok(horizon.availability > 99.998);
});

test('a VIP with no node outside its cluster to ping stays unwatched: HA6031 and its term', () => {
  const noPublic = (s: string): string =>
    once('addresses: { management: 198.51.100.22, public: 203.0.113.22 }', 'addresses: { management: 198.51.100.22 }')(
      once('addresses: { management: 198.51.100.21, public: 203.0.113.21 }', 'addresses: { management: 198.51.100.21 }')(s),
    );
  const { findings, report } = load('fixtures/pixelpark.yaml', noPublic);
  assert.deepEqual(
    findings.filter((d) => d.code === 'HA6030' || d.code === 'HA6031').map((d) => [d.code, d.pointer, d.start?.line]),
    [['HA6031', '/clusters/controllers/vips/public', 103]],
  );
  const horizon = report.availability.paths.find((p) => p.service === 'horizon')!;
  assert.deepEqual(horizon.undetected.map((u) => u.vip), ['public']);
  assert.equal(horizon.undetected[0]!.value, unavailabilityOf({ mtbfHours: 87600, mttrHours: 4 }));
});

test('bonded controllers keep the reference deployment within its sla', () => {
  const bond = "    bond: { name: bond0, mode: 802.3ad, interfaces: [eth0, eth1, eth2, eth3] }\n";
  const { findings, report } = load(
    'fixtures/pixelpark.yaml',
    (s) => once('    fencing: { address: 198.51.100.203 }\n', `    fencing: { address: 198.51.100.203 }\n${bond}`)(once('    fencing: { address: 198.51.100.204 }\n', `    fencing: { address: 198.51.100.204 }\n${bond}`)(s)),
  );
  assert.deepEqual(findings.filter((d) => !/^HA606[345]$/.test(d.code)).map((d) => d.code), ['HA6015', 'HA6015', 'HA6015', 'HA6015', 'HA6004']);
  assert.ok(report.availability.paths.every((p) => p.meetsSla));
});

test('a node fenced only by its own BMC cannot be fenced after a power loss; a PDU level can', () => {
  const { findings } = load('test/compile/fixtures/fencing-levels.yaml');
  assert.deepEqual(findings.filter((d) => d.code === 'HA6015'), []);
  // Without pdu-a, fs2 and fs3 are left to their BMCs (IPMI and Redfish); fs1 keeps pdu-b.
  const bmcOnly = load('test/compile/fixtures/fencing-levels.yaml', once('        ports: { fs1: "1", fs2: "2", fs3: "3" }\n', '        ports: { fs1: "1" }\n'));
  assert.deepEqual(bmcOnly.findings.filter((d) => d.code === 'HA6015').map((d) => [d.pointer, d.severity]), [
    ['/clusters/files/nodes/1', 'warning'],
    ['/clusters/files/nodes/2', 'warning'],
  ]);
  assert.match(bmcOnly.findings.find((d) => d.code === 'HA6015')!.message, /node fs2 of cluster files is fenced only through its own BMC \(fence_ipmilan\), which loses power with it/);
});

test('a promotable service with one primary fails over like an active/passive one; one promoting every member does not', () => {
  const { report } = load('test/compile/fixtures/promotable.yaml');
  const pgsql = report.availability.paths.find((p) => p.service === 'pgsql')!;
  assert.deepEqual(pgsql.failover.map((f) => f.label), ['failover in cluster postgres: 1 node(s) run active/passive services of the path']);
  const galera = report.availability.paths.find((p) => p.service === 'galera')!;
  assert.deepEqual(galera.failover, []);
});

test('the arithmetic: terms add up, the two-controller cut is q(node)², overrides change q', () => {
  const { report } = load('fixtures/pixelpark.yaml');
  const q = unavailabilityOf({ mtbfHours: 8760, mttrHours: 8 });
  for (const p of report.availability.paths) {
    const sum = [...p.cutSets, ...p.failover, ...p.undetected].reduce((s, t) => s + t.value, 0);
    assert.ok(Math.abs(sum - p.unavailability) < 1e-15);
    assert.ok(Math.abs(p.availability - 100 * (1 - p.unavailability)) < 1e-12);
  }
  const mysql = report.availability.paths.find((p) => p.service === 'mysql')!;
  const both = mysql.cutSets.find((c) => c.label === 'ctl1 + ctl2 down')!;
  assert.ok(Math.abs(both.value - q * q) < 1e-18);
  assert.deepEqual(report.availability.rates.overridden, []);

  const over = load('fixtures/pixelpark.yaml', once('sla: 99.99 ', 'availability: { node: { mtbf_hours: 4380 }, failover_seconds: 120 }\nsla: 99.99 '));
  assert.deepEqual(over.report.availability.rates.overridden, ['node.mtbf_hours', 'failover_seconds']);
  const q2 = unavailabilityOf({ mtbfHours: 4380, mttrHours: 8 });
  const both2 = over.report.availability.paths.find((p) => p.service === 'mysql')!.cutSets.find((c) => c.label === 'ctl1 + ctl2 down')!;
  assert.ok(Math.abs(both2.value - q2 * q2) < 1e-18);
  const fo = over.report.availability.paths.find((p) => p.service === 'mysql')!.failover[0]!;
  assert.ok(Math.abs(fo.value - (1 / 4380) * (120 / 3600)) < 1e-15);
});

/** Each planted weakness: the expected code at its pointer, placed at the line it was written on. */
const PLANTED: [file: string, code: string, pointer: string, line: number][] = [
  ['fixtures/weak/one-controller.yaml', 'HA6002', '/clusters/controllers/nodes', 95],
  ['fixtures/weak/replicas-two-hosts.yaml', 'HA6009', '/ceph/replicas', 118],
  ['fixtures/weak/monitors-one-host.yaml', 'HA6011', '/nodes/stor1/roles', 64],
  ['fixtures/weak/pinned-service.yaml', 'HA6001', '/clusters/controllers/services/mysql/nodes', 104],
  ['fixtures/weak/pinned-service.yaml', 'HA6014', '/clusters/controllers/services/keystone', 106],
  ['fixtures/weak/no-fencing.yaml', 'HA6005', '/clusters/controllers/fencing/enabled', 97],
  ['fixtures/weak/journal-per-osd.yaml', 'HA6012', '/nodes/stor1/osds/0/journal', 70],
  ['fixtures/weak/journal-per-osd.yaml', 'HA6013', '/nodes/stor1/osds', 70],
];

for (const [file, code, pointer, line] of PLANTED) {
  test(`${file}: ${code} at ${pointer}`, () => {
    const { findings, text } = { ...load(file), text: readFileSync(join(ROOT, file), 'utf8') };
    const hit = findings.find((d) => d.code === code && d.pointer === pointer);
    assert.ok(hit, `${code} at ${pointer} among ${findings.map((d) => `${d.code} ${d.pointer}`).join(', ')}`);
    assert.equal(hit.severity, 'error');
    assert.equal(hit.file, file);
    assert.equal(hit.start?.line, line);
    assert.ok(hit.hint && hit.hint.length > 10, 'every finding carries a fix');
    assert.ok(text.split('\n')[line - 1]!.trim().length > 0);
  });
}

test('the journal SSD is named from its partitions, and only the per-OSD count is a trap', () => {
  const { findings } = load('fixtures/weak/journal-per-osd.yaml');
  const ssd = findings.filter((d) => d.code === 'HA6012');
  assert.deepEqual(ssd.map((d) => d.pointer), ['/nodes/stor1/osds/0/journal', '/nodes/stor2/osds/0/journal', '/nodes/stor3/osds/0/journal']);
  assert.match(ssd[0]!.message, /OSDs osd\.0, osd\.1, osd\.2, osd\.3 of node stor1 keep their journals on one SSD \(\/dev\/sda\)/);
  // The same journals with copies kept apart by host (the reference) are no finding.
  assert.equal(load('fixtures/pixelpark.yaml').findings.filter((d) => d.code === 'HA6012' || d.code === 'HA6013').length, 0);
});

test('a fence device on the only corosync network, and quorum lost with a 3-node single link', () => {
  const fenced = load(
    'fixtures/pixelpark.yaml',
    (s) => once('    fencing: { address: 198.51.100.213 }', '    fencing: { address: 198.51.100.23 }')(s),
  );
  const f = fenced.findings.find((d) => d.code === 'HA6007');
  assert.ok(f);
  assert.equal(f.pointer, '/nodes/net1/fencing/address');
  assert.match(f.message, /network management, which carries every corosync link of cluster network/);

  const three = load('fixtures/three-controllers.yaml', once('    links: [management, storage]\n', '    links: [management]\n'));
  const q = three.findings.filter((d) => d.code === 'HA6003' || d.code === 'HA6004');
  assert.deepEqual(q.map((d) => [d.code, d.pointer]), [['HA6003', '/clusters/controllers/links/0']]);
  assert.equal(load('fixtures/three-controllers.yaml').findings.filter((d) => d.code === 'HA6003').length, 0);
});

test('a VIP whose network only one node reaches', () => {
  const { findings } = load('fixtures/pixelpark.yaml', once('    addresses: { management: 198.51.100.12, storage: 198.51.100.76, public: 203.0.113.12 }', '    addresses: { management: 198.51.100.12, storage: 198.51.100.76 }'));
  const v = findings.find((d) => d.code === 'HA6008');
  assert.ok(v);
  assert.equal(v.pointer, '/clusters/controllers/vips/public');
  assert.match(v.message, /can be held by 1 node\(s\) of cluster controllers \(ctl1\): when ctl1 fails, public and the services behind it stop/);
});

test('a dependency in a smaller place: three controllers, mysql pinned to one', () => {
  const { findings } = load('fixtures/three-controllers.yaml', once('      mysql: { vip: api,', '      mysql: { vip: api, nodes: [ctl1],'));
  const dep = findings.filter((d) => d.code === 'HA6014');
  assert.ok(dep.length >= 3);
  const nova = dep.find((d) => d.pointer === '/clusters/controllers/services/nova')!;
  assert.match(nova.message, /service nova survives 1 node failure\(s\), but its dependency mysql \(cluster controllers, pinned to ctl1\) survives only 0/);
});

test('the failure semantics: quorum, partitions over links, Ceph tolerance', async () => {
  const { cephTolerance, partitions, quorumTolerance } = await import('../../src/check/model.js');
  const t = load('fixtures/pixelpark.yaml').topology;
  const ctl = t.clusters.controllers!;
  assert.equal(quorumTolerance(ctl), 1, 'two_node: one survivor keeps quorum');
  assert.equal(quorumTolerance(load('fixtures/three-controllers.yaml').topology.clusters.controllers!), 1);
  const none = new Set<string>();
  // One link of ctl1 down: corosync still meets over the other link.
  assert.deepEqual(partitions(t, ctl, { nodes: none, networks: none, attachments: new Set(['ctl1/management']) }), [['ctl1', 'ctl2']]);
  // Both of its links down: split.
  assert.deepEqual(partitions(t, ctl, { nodes: none, networks: none, attachments: new Set(['ctl1/management', 'ctl1/storage']) }), [['ctl1'], ['ctl2']]);
  assert.deepEqual(partitions(t, ctl, { nodes: new Set(['ctl2']), networks: none, attachments: none }), [['ctl1']]);
  assert.equal(cephTolerance(t, t.ceph!), 1, '3 copies, min 2, 3 hosts, 3 monitors');
  assert.equal(cephTolerance(load('fixtures/weak/journal-per-osd.yaml').topology, load('fixtures/weak/journal-per-osd.yaml').topology.ceph!), 0);
  const five = load('fixtures/pixelpark.yaml', once('  replicas: 3\n', '  replicas: 5\n')).topology;
  assert.equal(cephTolerance(five, five.ceph!), 1, 'copies are capped by the 3 hosts');
});

test('bundles: replicas count like clone instances, one replica moves, a bundle pinned to one node is a single point of failure', () => {
  const fixture = 'test/compile/fixtures/bundles.yaml';
  const free = load(fixture);
  const modes = Object.fromEntries(Object.values(free.topology.clusters.lab!.services).map((s) => [s.name, s.mode]));
  assert.deepEqual(modes, { db: 'promotable', proxy: 'active-passive', web: 'active-active' });
  assert.deepEqual(free.findings.filter((d) => d.code === 'HA6001'), []);
  const pinned = load(fixture, once('        after: [web]\n', '        after: [web]\n        nodes: [n1]\n'));
  assert.deepEqual(
    pinned.findings.filter((d) => d.code === 'HA6001').map((d) => d.pointer),
    ['/clusters/lab/services/proxy/nodes'],
  );
  // One replica that moves, writing to a host directory: the data stays behind (HA6090); read-only, or
  // several replicas, is not flagged.
  assert.deepEqual(free.findings.filter((d) => d.code === 'HA6090'), []);
  const moving = load(fixture, once('          image: registry.example.com/proxy:2\n', '          image: registry.example.com/proxy:2\n          storage: [{ source: /srv/proxy, target: /data }, { source: /etc/proxy, target: /etc/proxy, options: ro }]\n'));
  assert.deepEqual(
    moving.findings.filter((d) => d.code === 'HA6090').map((d) => [d.pointer, d.severity]),
    [['/clusters/lab/services/proxy/bundle/storage/0', 'warning']],
  );
  assert.match(moving.findings.find((d) => d.code === 'HA6090')!.message, /moves between n1, n2, n3 and maps host directory \/srv\/proxy read-write/);
});
