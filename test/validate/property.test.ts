/**
 * Property-based: whatever text arrives, validation returns diagnostics and never throws; each
 * diagnostic is placed inside the file; the CLI exits 0 or 2 and prints no stack trace. Inputs are
 * random YAML-ish text, random YAML documents, and random mutations of the reference topology (by
 * value: delete, replace, duplicate, insert, swap leaves; and by text: drop, repeat, indent or cut
 * lines). 8,125 cases here and 2,000 in property-writes.test.ts (the local-write paths), all
 * in-process; two files so that the unit tier runs them side by side.
 * The seed is fixed so that CI runs are reproducible; set HACTL_FC_SEED to try another one or to
 * replay a failure that fast-check reported.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadTopology } from '../../src/load.js';
import { hactlIn, ROOT } from '../helpers/cli.js';

const PIXELPARK = readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8');
const seed = { seed: process.env.HACTL_FC_SEED ? Number(process.env.HACTL_FC_SEED) : 20261204 };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a node of a JSON value, the root included. */
function paths(v: Json, at: (string | number)[] = []): (string | number)[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function getAt(v: Json, path: (string | number)[]): Json | undefined {
  let cur: Json | undefined = v;
  for (const seg of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, Json>)[seg as string] : undefined;
  return cur;
}

type Mutation = { kind: 'delete' | 'replace' | 'duplicate' | 'insert' | 'swap'; pick: number; other: number; value: Json; key: string };

function mutate(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc);
  const all = paths(copy).filter((p) => p.length > 0);
  const path = all[m.pick % all.length]!;
  const parent = getAt(copy, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (!parent || typeof parent !== 'object') return copy;
  const container = parent as Record<string | number, Json>;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete container[last];
      break;
    case 'replace':
      container[last] = m.value;
      break;
    case 'duplicate': {
      const source = getAt(copy, all[m.other % all.length]!);
      container[last] = structuredClone(source ?? null);
      break;
    }
    case 'insert':
      if (Array.isArray(parent)) parent.push(m.value);
      else container[m.key] = m.value;
      break;
    case 'swap': {
      // Another leaf of the same type: keeps the schema happy and lets the rules see the result
      // (a node name where a network is meant, one address for another, …).
      const current = container[last];
      const sameType = all.map((p) => getAt(copy, p)).filter((v) => v !== null && typeof v !== 'object' && typeof v === typeof current);
      if (sameType.length) container[last] = sameType[m.other % sameType.length]!;
      break;
    }
  }
  return copy;
}

const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('yes', 'no', 'on', 'off', '~', '', '198.51.100.300', '/dev/sdb', 'active-active', 'ctl1', 'management', '0750', '1e3', '-'),
  fc.integer({ min: -5, max: 5000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), scalar, { maxKeys: 3 }) },
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete', 'replace', 'duplicate', 'insert', 'swap', 'swap'),
  pick: fc.nat(),
  other: fc.nat(),
  value,
  key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('nodes', 'vips', 'agent', 'fencing', 'osds', 'remote_nodes')),
});

/** Text-level edits: what a careless editor does to a file. */
type Edit = { kind: 'drop' | 'repeat' | 'indent' | 'tab' | 'cut' | 'junk'; line: number; text: string };
const edit: fc.Arbitrary<Edit> = fc.record({
  kind: fc.constantFrom('drop', 'repeat', 'indent', 'tab', 'cut', 'junk'),
  line: fc.nat(),
  text: fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('{', ']', ': ', '&a', '*a', '<<: *x', '!!str', '---', '%YAML 1.1', '"', "'", '#', '\t', '? ', '- ')),
});

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = e.line % lines.length;
  const l = lines[i]!;
  switch (e.kind) {
    case 'drop':
      lines.splice(i, 1);
      break;
    case 'repeat':
      lines.splice(i, 0, l);
      break;
    case 'indent':
      lines[i] = ' ' + l;
      break;
    case 'tab':
      lines[i] = '\t' + l.trimStart();
      break;
    case 'cut':
      lines[i] = l.slice(0, Math.floor(l.length / 2));
      break;
    case 'junk': {
      const at = l.length ? e.text.length % (l.length + 1) : 0;
      lines[i] = l.slice(0, at) + e.text + l.slice(at);
      break;
    }
  }
  return lines.join('\n');
}

function assertPlaced(text: string, file: string): void {
  const result = loadTopology(text, file);
  assert.equal(result.ok, !result.diagnostics.some((d) => d.severity === 'error'));
  const lines = text.split(/\r?\n/);
  for (const d of result.diagnostics) {
    assert.ok(d.start && d.end, `${d.code} has no position`);
    assert.ok(d.start.line >= 1 && d.start.line <= lines.length, `${d.code}: line ${d.start.line} of ${lines.length}`);
    assert.ok(d.start.col >= 1 && d.start.col <= lines[d.start.line - 1]!.length + 1, `${d.code}: column ${d.start.col}`);
    assert.ok(d.end.offset >= d.start.offset && d.end.offset <= text.length, `${d.code}: range`);
    assert.match(d.code, /^HA\d{4}$/);
  }
}

const yamlish = fc.string({ unit: fc.constantFrom(...'ab:- \n\t{}[],&*!|>\'"#%@`?<~0123456789.'.split('')), maxLength: 80 });
const randomDoc = fc.oneof(yamlish, fc.jsonValue().map((v) => stringify(v)), fc.dictionary(fc.string({ maxLength: 8 }), value).map((v) => stringify(v)));
const pixelpark = parse(PIXELPARK, { merge: true }) as Json;
const mutated = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((ms) => stringify(ms.reduce(mutate, pixelpark)));
const edited = fc.array(edit, { minLength: 1, maxLength: 3 }).map((es) => es.reduce(applyEdit, PIXELPARK));

test('random YAML-ish text and documents: diagnostics, never an exception, always placed', () => {
  fc.assert(fc.property(randomDoc, (text) => assertPlaced(text, 'random.yaml')), { numRuns: 7500, ...seed });
});

test('random mutations of the reference topology by value', () => {
  fc.assert(fc.property(mutated, (text) => assertPlaced(text, 'mutated.yaml')), { numRuns: 300, ...seed });
});

test('random edits of the reference topology text', () => {
  fc.assert(fc.property(edited, (text) => assertPlaced(text, 'edited.yaml')), { numRuns: 300, ...seed });
});

test('the CLI exits 0 or 2 on any of them, with placed JSON diagnostics and no stack trace', async () => {
  await fc.assert(
    fc.asyncProperty(fc.oneof(randomDoc, mutated, edited), async (text) => {
      const r = await hactlIn(['validate', '--json', '-'], { input: text });
      assert.ok(r.code === 0 || r.code === 2, `exit ${r.code}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at .*\.[cm]?js:\d+/);
      const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { line: number; column: number; severity: string }[] };
      assert.equal(out.ok, r.code === 0);
      const lines = text.split(/\r?\n/);
      for (const d of out.diagnostics) {
        assert.ok(d.line >= 1 && d.line <= lines.length && d.column >= 1 && d.column <= lines[d.line - 1]!.length + 1);
      }
    }),
    { numRuns: 25, ...seed },
  );
});
