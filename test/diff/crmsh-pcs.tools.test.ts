/**
 * The diff across tools: the crmsh and pcs forms that `hactl compile` writes, loaded by the real
 * crmsh and pcs into CIB files (no cluster needed), differ from the compiled CIB only where the
 * tools write the same configuration their own way (ids, defaults spelled out, attribute order):
 * hactl diff finds no drift.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const LAB = join(ROOT, 'fixtures', 'lab.yaml');
const skip = needTools(['crm', 'pcs', 'cibadmin']);

describe('compiled CIB against what crmsh and pcs make of the compiled scripts', { skip }, () => {
  let dir: string;
  let out: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-diff-tools-'));
    out = join(dir, 'out');
    const r = await hactlIn(['compile', LAB, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function emptyCib(name: string): string {
    const f = join(dir, name);
    const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    writeFileSync(f, r.stdout);
    return f;
  }

  it('pcs -f: no drift', async () => {
    const cib = emptyCib('pcs.xml');
    const r = spawnSync('bash', [join(out, 'clusters', 'lab', 'pcs.sh'), cib], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const d = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', cib]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
  });

  it('crm configure load update with CIB_file: no drift', async () => {
    const cib = emptyCib('crm.xml');
    const env = { ...process.env, CIB_file: cib, CIB_shadow_dir: dir };
    const r = spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'lab', 'configure.crm')], { encoding: 'utf8', env });
    assert.equal(r.status, 0, r.stderr);
    const d = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', cib]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
  });
});
