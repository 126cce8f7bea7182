/**
 * Fencing as a running cluster holds it (what hactl import writes): a node's own device and a
 * shared one keep their ids, operations and meta attributes, the shared one names its nodes by
 * host list in the order written, the node's location keeps its id, and written levels replace
 * the derived ones; crm_verify accepts the CIB and crmsh and pcs build the same configuration.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { parseXml } from '../../src/xml/parse.js';
import { hactlIn } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const TOPOLOGY = `name: fenced
networks:
  management: 198.51.100.0/24
secrets:
  st-n1-password: { env: HACTL_ST_N1_PASSWORD }
nodes:
  n1:
    roles: [controller]
    addresses: { management: 198.51.100.11 }
    fencing:
      agent: fence_ipmilan
      address: 198.51.100.201
      username: admin
      params: { password: { secret: st-n1-password } }
      cib: { id: st-n1, operations: [{ name: monitor, interval: 60s }], location_id: l_st_n1 }
  n2:
    roles: [controller]
    addresses: { management: 198.51.100.12 }
  n3:
    roles: [controller]
    addresses: { management: 198.51.100.13 }
clusters:
  fenced:
    nodes: [n1, n2, n3]
    links: [management]
    fencing:
      enabled: true
      levels:
        n1: [[n1], [xvm]]
        n2: [[xvm]]
      level_ids: { n1: [fencing, fencing-0], n2: [fencing-1] }
    fence_devices:
      xvm:
        agent: fence_dummy
        params: { type: file }
        ports: { n3: n3, n1: n1, n2: n2 }
        cib: { id: Fencing, operations: [{ name: monitor, interval: 120s, timeout: 120s }], meta: { migration-threshold: "5" }, host_list: true }
`;

describe('fence devices and levels written as the cluster runs them', { skip: needTools(['crm', 'pcs', 'cibadmin', 'crm_verify']) }, () => {
  let dir: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-fence-cib-'));
    writeFileSync(join(dir, 'topo.yaml'), TOPOLOGY);
    out = join(dir, 'out');
    // The IPMI password is a CIB secret (lrm://): it counts as the password fence_ipmilan needs.
    const r = await hactlIn(['compile', join(dir, 'topo.yaml'), '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps ids, operations, meta, the host list order and the written levels; crm_verify accepts it', () => {
    const file = join(out, 'clusters', 'fenced', 'cib.xml');
    const cib = readFileSync(file, 'utf8');
    assert.match(cib, /<primitive id="st-n1" class="stonith" type="fence_ipmilan">[\s\S]*?name="password" value="lrm:\/\/"[\s\S]*?name="pcmk_host_list" value="n1"[\s\S]*?<op id="[^"]+" name="monitor" interval="60s"\/>/);
    assert.match(cib, /<primitive id="Fencing" class="stonith" type="fence_dummy">[\s\S]*?name="pcmk_host_list" value="n3 n1 n2"[\s\S]*?name="migration-threshold" value="5"[\s\S]*?name="monitor" interval="120s" timeout="120s"/);
    assert.doesNotMatch(cib, /pcmk_host_map/);
    assert.match(cib, /<rsc_location id="l_st_n1" rsc="st-n1" node="n1" score="-INFINITY"\/>/);
    const levels = [...cib.matchAll(/<fencing-level [^>]*target="([^"]+)" index="(\d)" devices="([^"]+)"/g)].map((m) => `${m[1]} ${m[2]} ${m[3]}`);
    // n3 has no written levels: none is derived for it (Pacemaker tries every device that fences it).
    assert.deepEqual(levels, ['n1 1 st-n1', 'n1 2 Fencing', 'n2 1 Fencing']);
    assert.deepEqual([...cib.matchAll(/<fencing-level id="([^"]+)"/g)].map((m) => m[1]), ['fencing', 'fencing-0', 'fencing-1']);
    const v = spawnSync('crm_verify', ['-V', '--xml-file', file], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
  });

  // crmsh names levels itself (fencing, fencing-0, …; here the same ids): compared without level
  // ids. pcs takes no level id either, so the pcs script writes a kept id with cibadmin: exact.
  it('crmsh and pcs build the same configuration; pcs keeps the level ids', async () => {
    for (const [name, build] of [
      ['crm.xml', (cib: string) => spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'fenced', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: cib, CIB_shadow_dir: dir } })],
      ['pcs.xml', (cib: string) => spawnSync('bash', [join(out, 'clusters', 'fenced', 'pcs.sh'), cib], { encoding: 'utf8' })],
    ] as const) {
      const cib = join(dir, name);
      writeFileSync(cib, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
      const b = build(cib);
      assert.equal(b.status, 0, b.stderr);
      const canonical = (f: string): string => {
        const p = parseXml(readFileSync(f, 'utf8'));
        assert.ok(p.ok);
        return canonicalText(normalizeConfiguration(p.root));
      };
      assert.equal(canonical(cib), canonical(join(out, 'clusters', 'fenced', 'cib.xml')), name);
      const d = await hactlIn(['diff', '--from', join(out, 'clusters', 'fenced', 'cib.xml'), '--live', cib]);
      assert.equal(d.code, 0, `${name}:\n${d.stdout}${d.stderr}`);
    }
  });
});
