/**
 * Cluster properties, rsc_defaults and op_defaults as the topology states them: a null property
 * leaves hactl's choice out, a written defaults set replaces hactl's whole ({} writes none); the
 * CIB, crmsh and pcs builds agree; and the option names hactl validates against are those of the
 * installed Pacemaker.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { CLUSTER_OPTIONS } from '../../src/catalog/pacemaker-options.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const skip = needTools(['crm', 'pcs', 'cibadmin', 'crm_verify']);

describe('properties and defaults stated in the topology', { skip }, () => {
  let dir: string;
  let topo: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-defaults-'));
    const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8'));
    doc.setIn(['clusters', 'lab', 'properties'], { 'priority-fencing-delay': null, 'cluster-recheck-interval': '5min', 'stonith-enabled': null });
    doc.setIn(['clusters', 'lab', 'rsc_defaults'], { 'resource-stickiness': 200, 'is-managed': true });
    doc.setIn(['clusters', 'lab', 'op_defaults'], {});
    topo = join(dir, 'lab.yaml');
    writeFileSync(topo, doc.toString());
    out = join(dir, 'out');
    const r = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly what the topology states, and crm_verify accepts it', () => {
    const file = join(out, 'clusters', 'lab', 'cib.xml');
    const text = readFileSync(file, 'utf8');
    const section = (tag: string) => new RegExp(`<${tag}[ >][\\s\\S]*?</${tag}>|<${tag}/>`).exec(text)?.[0] ?? '';
    const names = (s: string) => [...s.matchAll(/<nvpair [^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.deepEqual(names(section('crm_config')), ['cluster-recheck-interval=5min']);
    assert.deepEqual(names(section('rsc_defaults')), ['is-managed=true', 'resource-stickiness=200']);
    assert.deepEqual(names(section('op_defaults')), []);
    const v = spawnSync('crm_verify', ['-V', '--xml-file', file], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
  });

  it('crmsh and pcs build the same configuration: no drift', async () => {
    for (const [name, build] of [
      ['crm.xml', (cib: string) => spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'lab', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: cib, CIB_shadow_dir: dir } })],
      ['pcs.xml', (cib: string) => spawnSync('bash', [join(out, 'clusters', 'lab', 'pcs.sh'), cib], { encoding: 'utf8' })],
    ] as const) {
      const cib = join(dir, name);
      writeFileSync(cib, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
      const b = build(cib);
      assert.equal(b.status, 0, b.stderr);
      const d = await hactlIn(['diff', topo, '--cluster', 'lab', '--live', cib]);
      assert.equal(d.code, 0, `${name}:\n${d.stdout}${d.stderr}`);
    }
  });

  it("knows exactly the installed Pacemaker's cluster options, with their types", () => {
    const listed = new Map<string, string>();
    for (const daemon of ['schedulerd', 'controld', 'based']) {
      const r = spawnSync(`/usr/lib/pacemaker/pacemaker-${daemon}`, ['metadata'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      for (const m of r.stdout.matchAll(/<parameter name="([^"]+)"[\s\S]*?<content type="([^"]+)"/g)) if (!listed.has(m[1]!)) listed.set(m[1]!, m[2]!);
    }
    assert.ok(listed.size > 40, `${listed.size} options`);
    assert.deepEqual(
      Object.entries(CLUSTER_OPTIONS).map(([n, s]) => `${n}:${s.type}`),
      [...listed].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([n, t]) => `${n}:${t}`),
    );
  });
});
