import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { writeOutput } from '../../src/compile/output.js';
import { hactl } from '../helpers/cli.js';

/** sha256 of every file under dir, by relative path: a fingerprint of a whole tree. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('compile output is replaced whole or not at all', () => {
  const parent = mkdtempSync('/tmp/hactl-output-');
  const out = join(parent, 'out');
  after(() => rmSync(parent, { recursive: true, force: true }));
  const leftovers = () => readdirSync(parent).filter((n) => n !== 'out');

  it('writes a fresh output directory', () => {
    const r = hactl(['compile', 'fixtures/pixelpark.yaml', '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Object.keys(fingerprint(out)).includes('clusters/controllers/cib.xml'));
    assert.deepEqual(leftovers(), []);
  });

  it('an invalid topology exits 2 and leaves the previous output as it was', () => {
    const before = fingerprint(out);
    const bad = join(parent, 'bad.yaml');
    writeFileSync(bad, readFileSync('fixtures/pixelpark.yaml', 'utf8').replace('replicas: 3', 'replicas: 7'));
    const r = hactl(['compile', bad, '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HA3501/);
    assert.deepEqual(fingerprint(out), before);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });

  it('a failure while writing leaves the previous output and no staging directory', async () => {
    const before = fingerprint(out);
    // 'x' as a file and as a directory cannot both exist: the second write fails mid-tree.
    await assert.rejects(writeOutput(out, [{ path: 'x', content: '1' }, { path: 'x/y', content: '2' }]));
    await assert.rejects(writeOutput(out, [{ path: '../escape', content: '' }]), /escapes the output/);
    assert.deepEqual(fingerprint(out), before);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });

  it('a second compile replaces the tree: files no longer produced disappear', async () => {
    await writeOutput(out, [{ path: 'only/this', content: 'a\n' }]);
    assert.deepEqual(Object.keys(fingerprint(out)), ['only/this']);
    assert.deepEqual(leftovers().filter((n) => n !== 'bad.yaml'), []);
  });
});
