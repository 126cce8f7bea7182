/**
 * Fencing levels by pattern and by node attribute (fencing.target_levels), with the real tools:
 * imported from a CIB, compiled, and built again from each form hactl writes: cib.xml (crm_verify
 * reports nothing about the levels), configure.crm (crmsh's `pattern:`/`attr:` targets in fencing_topology;
 * crmsh names levels itself) and pcs.sh (cibadmin, ids kept); each diffed against the CIB imported.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { hactlIn } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';
import { targetLevelsCib } from './fencing-fixtures.js';
import { twoNodeCorosync } from './roundtrip.js';

const skip = needTools(['crm', 'pcs', 'cibadmin', 'crm_verify']);

/** An empty CIB file with the nodes n1 (rack r1) and n2, as the tools' output starts from. */
function emptyCib(dir: string, name: string): string {
  const f = join(dir, name);
  const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(f, r.stdout);
  for (const xml of ['<node id="1" uname="n1"><instance_attributes id="n1-ia"><nvpair id="n1-rack" name="rack" value="r1"/></instance_attributes></node>', '<node id="2" uname="n2"/>']) {
    const n = spawnSync('cibadmin', ['--create', '--scope', 'nodes', '--xml-text', xml], { encoding: 'utf8', env: { ...process.env, CIB_file: f } });
    assert.equal(n.status, 0, n.stderr);
  }
  return f;
}

/** The fencing levels of a CIB without their ids, in codepoint order. */
function levelsOf(xml: string): string[] {
  return [...xml.matchAll(/<fencing-level ([^>]*?)\/>/g)].map((m) => [...m[1]!.matchAll(/([a-z-]+)="([^"]*)"/g)].filter((a) => a[1] !== 'id').map((a) => `${a[1]}=${a[2]}`).sort().join(' ')).sort();
}

describe('fencing levels by pattern and by attribute', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hactl-target-levels-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('import -> compile: crm_verify accepts the CIB; the CIB and pcs forms build the same levels (no drift), the crmsh form the same levels under its own ids', async () => {
    const live = join(dir, 'live.xml');
    writeFileSync(live, targetLevelsCib());
    writeFileSync(join(dir, 'corosync.conf'), twoNodeCorosync('lab', { twoNode: true }));
    const r = await hactlIn(['import', '--cib', live, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /target_levels:/);
    const topo = join(dir, 'levels.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(c.code, 0, c.stderr);
    const compiled = join(out, 'clusters', 'lab', 'cib.xml');
    assert.match(readFileSync(compiled, 'utf8'), /<fencing-level id="fl-pat-1" target-pattern="\^n\[12\]\$" index="1" devices="st_pdu"\/>/);
    const v = spawnSync('crm_verify', ['-x', compiled], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|fencing-level|target/i);
    const d = await hactlIn(['diff', '--from', compiled, '--live', live]);
    assert.equal(d.code, 0, d.stdout + d.stderr);

    const crm = readFileSync(join(out, 'clusters', 'lab', 'configure.crm'), 'utf8');
    // The pattern quoted as any word with shell signs (crmsh's lexer takes the quotes off).
    assert.match(crm, /^fencing_topology n1: st_pdu \\\n\tattr:rack=r1 st_pdu \\\n\t'pattern:\^n\[12\]\$' st_pdu$/m);
    const crmAgain = emptyCib(dir, 'crm-again.xml');
    const l = spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'lab', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: crmAgain, CIB_shadow_dir: dir } });
    assert.equal(l.status, 0, l.stderr);
    // crmsh names the levels itself (fencing, fencing-0, …), as for a node's levels: the same levels but for their ids.
    assert.deepEqual(levelsOf(readFileSync(crmAgain, 'utf8')), levelsOf(readFileSync(live, 'utf8')));

    const pcsAgain = join(dir, 'pcs-again.xml');
    writeFileSync(pcsAgain, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const p = spawnSync('bash', [join(out, 'clusters', 'lab', 'pcs.sh'), pcsAgain], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const pa = await hactlIn(['diff', '--from', pcsAgain, '--live', live]);
    assert.equal(pa.code, 0, pa.stdout + pa.stderr);
  });
});
