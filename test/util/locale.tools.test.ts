/**
 * Output is a function of the input alone: the same topology compiles and checks to the same bytes
 * under any locale. The storage nodes are named so that Lithuanian collation (y sorts with i, before
 * j) orders them differently from code points; Node's ICU takes the collation from LANG/LC_ALL.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { compareStrings } from '../../src/util/compare.js';
import { hactl, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

const LOCALES = ['C.UTF-8', 'lt_LT.UTF-8'];
const dir = mkdtempSync(join(tmpdir(), 'hactl-locale-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const topology = join(dir, 'stj.yaml');
writeFileSync(
  topology,
  readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8')
    .replace(/\bstor1\b/g, 'stj')
    .replace(/\bstor2\b/g, 'sty')
    .replace(/\bstor3\b/g, 'stz'),
);
const env = (locale: string) => ({ LANG: locale, LC_ALL: locale });

function tree(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(root, p), readFileSync(p));
    }
  };
  walk(root);
  return out;
}

describe('compareStrings', () => {
  it('orders by code point, whatever the locale', () => {
    assert.deepEqual(['stz', 'sty', 'stj'].sort(compareStrings), ['stj', 'sty', 'stz']);
    assert.deepEqual(['b', 'a', 'B', 'ä', ''].sort(compareStrings), ['', 'B', 'a', 'b', 'ä']);
    // U+FF5E (one UTF-16 unit, 0xFF5E) sorts before U+1F600 (a surrogate pair, 0xD83D 0xDE00).
    assert.deepEqual(['\u{1F600}', '\uFF5E', 'a'].sort(compareStrings), ['a', '\uFF5E', '\u{1F600}']);
    assert.equal(compareStrings('ab', 'abc') < 0, true);
    assert.equal(compareStrings('x', 'x'), 0);
  });

  it('the collation this test relies on differs under lt_LT', () => {
    const r = spawnSync(process.execPath, ['-e', "process.stdout.write(['stz','sty','stj'].sort((a, b) => a.localeCompare(b)).join(' '))"], { env: { ...process.env, ...env('lt_LT.UTF-8') }, encoding: 'utf8' });
    assert.equal(r.stdout, 'sty stj stz', 'Node no longer follows LANG for localeCompare: this test would prove nothing');
  });
});

describe('the same bytes under C.UTF-8 and lt_LT.UTF-8', () => {
  it('hactl compile', () => {
    const trees = LOCALES.map((locale) => {
      const out = join(dir, `out-${locale}`);
      const r = hactl(['compile', topology, '-o', out], { env: env(locale) });
      assert.equal(r.code, 0, r.stderr);
      return tree(out);
    });
    assert.deepEqual([...trees[0]!.keys()], [...trees[1]!.keys()]);
    for (const [path, bytes] of trees[0]!) assert.ok(bytes.equals(trees[1]!.get(path)!), `${path} differs between locales`);
  });

  it('hactl check --json --no-rehearsal', () => {
    const [c, lt] = LOCALES.map((locale) => hactl(['check', topology, '--json', '--no-rehearsal'], { env: env(locale) }));
    assert.match(c!.stdout, /"stj \+ sty down"/, 'the cut sets name the renamed storage nodes');
    assert.equal(lt!.stdout, c!.stdout);
    assert.equal(lt!.code, c!.code);
  });

  it('hactl check --json (with the rehearsal)', { skip: needTools(['crm_simulate']) }, () => {
    const [c, lt] = LOCALES.map((locale) => hactl(['check', topology, '--json'], { env: env(locale) }));
    assert.match(c!.stdout, /"rehearsal": \{/);
    assert.equal(lt!.stdout, c!.stdout);
    assert.equal(lt!.code, c!.code);
  });
});
