/**
 * The folder arrows point one way: the front end (parse, validate, model) never imports the
 * stages after it (compile, check, apply), and the vocabulary and grammars stay leaves. Read from
 * the import statements of the source, so a new file cannot slip past.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.js';

const SRC = join(ROOT, 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every module a file imports or re-exports (static and dynamic), as a path under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1]!;
    if (!spec.startsWith('.')) continue;
    out.push(relative(SRC, resolve(dirname(file), spec)).replace(/\.js$/, ''));
  }
  return out;
}

const FORBIDDEN: Record<string, string[]> = {
  model: ['compile', 'check', 'apply', 'lower'],
  validate: ['compile', 'check', 'apply', 'lower'],
  parse: ['compile', 'check', 'apply', 'lower'],
  catalog: ['model', 'compile', 'check', 'apply', 'lower'],
  // The emitters come before the comparison with a live cluster and its use.
  compile: ['check', 'apply', 'diff', 'import'],
};

test('parse, validate, model, the catalogue and the emitters import nothing from the later stages', () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const from = relative(SRC, file).split('/')[0]!;
    const banned = FORBIDDEN[from];
    if (!banned) continue;
    for (const to of importsOf(file)) if (banned.includes(to.split('/')[0]!)) wrong.push(`${relative(ROOT, file)} -> src/${to}`);
  }
  assert.deepEqual(wrong, []);
});

test('the vocabulary and the grammars are leaves (they import no hactl module)', () => {
  for (const leaf of ['vocabulary.ts', 'formats/grammars.ts']) assert.deepEqual(importsOf(join(SRC, leaf)), [], leaf);
});

test('the scan sees imports: the lowering stage imports the Pacemaker builder', () => {
  assert.ok(importsOf(join(SRC, 'lower', 'index.ts')).includes('compile/pacemaker/build'));
});
