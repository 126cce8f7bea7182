/**
 * `hactl check --cib FILE` (issue #15): a CIB without its topology, judged by the rules a CIB alone
 * decides and by the rehearsal on the real crm_simulate (every node, and pairs in clusters of 3+).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm_simulate']);

describe('hactl check --cib', { skip }, () => {
  let dir: string;
  let good: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-check-cib-'));
    const r = await hactlIn(['compile', join(ROOT, 'fixtures', 'lab.yaml'), '-o', join(dir, 'out'), '--format', 'cib']);
    assert.equal(r.code, 0, r.stderr);
    good = join(dir, 'out', 'clusters', 'lab', 'cib.xml');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('proves the compiled lab CIB: every single node failure is survived, pairs lose quorum by design (exit 0)', async () => {
    const r = await hactlIn(['check', '--cib', good]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /7 resource\(s\) running on n1, n2, n3/);
    for (const n of ['n1', 'n2', 'n3']) assert.match(r.stdout, new RegExp(`  ${n} fails: every running resource runs again elsewhere`));
    assert.match(r.stdout, /n1 and n2 fail: the rest has no quorum/);
    assert.match(r.stdout, /what a CIB alone cannot tell[\s\S]*corosync links/);
    const j = JSON.parse((await hactlIn(['check', '--cib', good, '--json'])).stdout);
    assert.equal(j.scenarios.length, 6);
    assert.deepEqual(j.running, ['p_extra-ip', 'p_ip_vip', 'p_probe', 'p_web', 'st_n1', 'st_n2', 'st_n3']);
  });

  it('finds no fencing, no-quorum-policy=ignore and a resource that one node failure stops (exit 1)', async () => {
    const bad = readFileSync(good, 'utf8')
      .replace('name="stonith-enabled" value="true"', 'name="stonith-enabled" value="false"')
      .replace('</cluster_property_set>', '<nvpair id="nqp" name="no-quorum-policy" value="ignore"/></cluster_property_set>')
      .replace('</constraints>', '<rsc_location id="pin-web-2" rsc="p_web" node="n2" score="-INFINITY"/><rsc_location id="pin-web-3" rsc="p_web" node="n3" score="-INFINITY"/></constraints>');
    const file = join(dir, 'bad.xml');
    writeFileSync(file, bad);
    const r = await hactlIn(['check', '--cib', file]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /error HA6101: the CIB fences no node \(stonith-enabled=false\)/);
    assert.match(r.stdout, /warning HA6102: no-quorum-policy=ignore/);
    assert.match(r.stdout, /error HA6104: after the failure of n1, p_web run nowhere, though the rest of the cluster keeps quorum/);
    assert.match(r.stdout, /n1 fails: LOST p_web\n/);
    assert.match(r.stdout, /n2 fails: every running resource/);
    // Without the rehearsal only the static rules run.
    const quick = await hactlIn(['check', '--cib', file, '--no-rehearsal', '--json']);
    assert.equal(quick.code, 1);
    assert.deepEqual(JSON.parse(quick.stdout).findings.map((f: { code: string }) => f.code), ['HA6101', 'HA6102']);
    // A CIB that names no node has nothing to rehearse.
    const empty = join(dir, 'no-nodes.xml');
    writeFileSync(empty, readFileSync(good, 'utf8').replace(/<nodes>[\s\S]*<\/nodes>/, '<nodes/>'));
    const none = await hactlIn(['check', '--cib', empty]);
    assert.equal(none.code, 1);
    assert.match(none.stdout, /error HA6103: the CIB lists no cluster node/);
  });

  it('wants exactly one of a topology, --cib and --node (HA5706, exit 2), and a CIB that parses (exit 2)', async () => {
    for (const argv of [['check'], ['check', join(ROOT, 'fixtures', 'lab.yaml'), '--cib', good], ['check', '--cib', good, '--node', 'n1']]) {
      const r = await hactlIn(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /HA5706/);
    }
    const broken = join(dir, 'broken.xml');
    writeFileSync(broken, '<cib><configuration>');
    const r = await hactlIn(['check', '--cib', broken]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HA5002/);
  });
});
