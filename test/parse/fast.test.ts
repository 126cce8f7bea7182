/**
 * hactl's YAML reader (src/parse/fast.ts) against the yaml library: whatever the reader takes, it
 * must read to the same value (key order and -0 included), with the same node ranges and the same
 * located positions, and the library must find nothing to report in it. Compared on every YAML
 * file of the repository and on generated documents (seeded, so a failure repeats).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isAlias, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { readFast, type FastNode } from '../../src/parse/fast.js';
import { locate, parseTopology, type Source } from '../../src/parse/source.js';
import { generate } from '../../bench/generate.mjs';
import { ROOT } from '../helpers/cli.js';

/** Compares the node trees: every node's range[0..1], every key's, in order. */
function sameNodes(fast: FastNode, lib: unknown, where: string): void {
  const r = (lib as YamlNode).range!;
  assert.deepEqual([fast.start, fast.end], [r[0], r[1]], `range of ${where}`);
  if (fast.kind === 'alias') return assert.ok(isAlias(lib), `${where} is an alias`);
  if (fast.kind === 'scalar') return assert.ok(isScalar(lib), `${where} is a scalar`);
  if (fast.kind === 'seq') {
    assert.ok(isSeq(lib), `${where} is a sequence`);
    assert.equal(fast.items.length, lib.items.length, `items of ${where}`);
    fast.items.forEach((n, i) => sameNodes(n, lib.items[i], `${where}/${i}`));
    return;
  }
  assert.ok(isMap(lib), `${where} is a mapping`);
  assert.equal(fast.pairs.length, lib.items.length, `entries of ${where}`);
  fast.pairs.forEach((q, i) => {
    const pair = lib.items[i]!;
    sameNodes(q.key, pair.key, `${where} key ${i}`);
    sameNodes(q.value, pair.value, `${where}/${q.name ?? '<<'}`);
  });
}

/** Every JSON Pointer into a value. */
function pointers(value: unknown, at = ''): string[] {
  const out = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointers(v, `${at}/${i}`)));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pointers(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  return out;
}

/** Same value, key order included (deepStrictEqual ignores the order of keys). */
function ordered(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(ordered);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, ordered(x)]);
  return v;
}

/** Compares the two readings of text; returns whether hactl's reader took it. */
function compare(text: string, name: string, locateAll = true): boolean {
  const fast = readFast(text);
  if (!fast) return false;
  const lib = parseTopology(text, name, { library: true });
  const context = `${name}: ${JSON.stringify(text)}`;
  assert.deepEqual(lib.diagnostics.map((d) => d.code), [], `the library reports nothing in what the reader takes: ${context}`);
  assert.deepStrictEqual(fast.value, lib.source.value, context);
  assert.deepStrictEqual(ordered(fast.value), ordered(lib.source.value), `key order: ${context}`);
  try {
    sameNodes(fast.root, lib.source.doc!.contents, '');
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${context}`);
  }
  const mine: Source = parseTopology(text, name).source;
  assert.ok(mine.fast, 'parseTopology uses the reader');
  for (const p of locateAll ? pointers(fast.value) : []) {
    for (const key of [false, true]) assert.deepEqual(locate(mine, p, key), locate(lib.source, p, key), `locate(${p}, key ${key}): ${context}`);
  }
  return true;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

test('every YAML file of the repository reads the same with hactl\'s reader as with the library', () => {
  const files = [...yamlFiles(join(ROOT, 'fixtures')), ...yamlFiles(join(ROOT, 'test'))];
  assert.ok(files.length > 100);
  let taken = 0;
  for (const f of files) if (compare(readFileSync(f, 'utf8'), f)) taken++;
  // The reader must take the topologies people write (the reference and the examples), else it
  // saves nothing; invalid fixtures are mostly left to the library.
  for (const f of ['pixelpark.yaml', 'havana.yaml', 'current.yaml', 'three-controllers.yaml', 'lab.yaml']) {
    assert.ok(readFast(readFileSync(join(ROOT, 'fixtures', f), 'utf8')), `the reader takes fixtures/${f}`);
  }
  assert.ok(taken > files.length / 3, `taken ${taken} of ${files.length}`);
});

test('the generated benchmark topologies read the same, and are taken', () => {
  for (const nodes of [10, 100]) {
    const text = generate(nodes, `bench-${nodes}`);
    // Locating every pointer is quadratic: the ranges compared node by node cover the larger one.
    assert.ok(compare(text, `generated ${nodes}`, nodes <= 10), `the reader takes the ${nodes}-node benchmark topology`);
  }
});

/** A small seeded generator (mulberry32): the same documents on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Scalars and keys a topology is made of, and (picked rarely: each makes most documents the
// library's) forms the reader leaves to the library or that sit at the edge of what it takes.
const PLAIN = ['ctl1', 'a b', 'x-y_z.w', '198.51.100.10', '198.51.100.0/24', '2001:db8::1', 'fd00::/8', '/dev/sdb', 'http://h:5000/v2.0', 'null', 'Null', '~', 'true', 'False', '0', '-0', '7', '+3', '007', '1.5', '-2.5e3', '.5', '1.', '1e3', 'a:b', 'a#b', '-x', 'ü', '50G', '99.99', 'constructor', '__proto__'];
const PLAIN_EDGE = ['yes', 'on', 'off', 'n', '0x1F', '0o17', '.inf', '-.Inf', '.nan', '12345678901234567', 'a #b', 'x: y', '- x', '@x', '%x', '!x', '&x', '*x', '|', '>', '`x`', 'a,b', 'a]', 'a}', '[a', '<<', 'a:', '? x'];
const QUOTED = ["'it''s'", "'a b'", "''", '""', '"q\\"x"', '"tab\\there"', '"\\u00e9"', '"\\x41"', '"a\\\\b"', '"yes"', '"1"', "'#x'", '"a: b"'];
const QUOTED_EDGE = ['"\\e"', '"\\ud83d"', "'a\nb'", '"unclosed'];
const KEYS = ['a', 'b', 'name', 'mode', 'vip', 'x-y', 'c.d', '"q k"', "'s k'", 'a b', 'constructor', '<<', '-k', '.k', 'a.b/c', 'x_y'];
const KEYS_EDGE = ['1', 'true', 'null', 'on', '~', '[k]', 'k:k', '&a k', '*k', '"k"k', '? k'];

function docOf(seed: number): string {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const anchors: string[] = [];
  const mapAnchors: string[] = [];
  const comment = () => (r() < 0.15 ? `  # ${pick(['c', 'x: y', '#', ''])}` : r() < 0.05 ? ' #c' : '');
  const pad = () => (r() < 0.1 ? ' '.repeat(1 + Math.floor(r() * 2)) : '');
  const edge = () => r() < 0.01;
  const key = () => (edge() ? pick(KEYS_EDGE) : pick(KEYS));
  const scalar = (): string => {
    const x = r();
    if (edge()) return pick(r() < 0.8 ? PLAIN_EDGE : QUOTED_EDGE);
    if (x < 0.55) return pick(PLAIN);
    if (x < 0.75) return pick(QUOTED);
    if (x < 0.8 && anchors.length) return `*${pick(anchors)}`;
    if (x < 0.85) {
      const name = `s${anchors.length}`;
      anchors.push(name);
      return `&${name} ${pick(PLAIN)}`;
    }
    return pick(PLAIN);
  };
  const flow = (depth: number): string => {
    if (r() < 0.5) {
      const n = Math.floor(r() * 4);
      const items = Array.from({ length: n }, () => (depth < 2 && r() < 0.2 ? flow(depth + 1) : scalar()));
      return `[${pad()}${items.join(pick([', ', ',', ' , ']))}${r() < 0.1 && n ? ', ' : ''}${pad()}]`;
    }
    const n = Math.floor(r() * 4);
    const used = new Set<string>();
    const entries: string[] = [];
    for (let i = 0; i < n; i++) {
      let k = key();
      if (k === '<<') {
        if (!mapAnchors.length || used.has(k)) continue;
        used.add(k);
        entries.push(`<<: ${r() < 0.7 ? `*${pick(mapAnchors)}` : `[*${pick(mapAnchors)}, *${pick(mapAnchors)}]`}`);
        continue;
      }
      if (used.has(k) && !edge()) k = `${k}${i}`;
      used.add(k);
      const v = r() < 0.15 ? '' : depth < 2 && r() < 0.2 ? flow(depth + 1) : scalar();
      entries.push(`${k}:${v === '' ? pick(['', ' ']) : ` ${v}`}`);
    }
    return `{${pad()}${entries.join(pick([', ', ','])) ? ` ${entries.join(', ')} ` : ''}${pad()}}`;
  };
  const lines: string[] = [];
  const blank = () => {
    if (r() < 0.08) lines.push('');
    if (r() < 0.06) lines.push(`${' '.repeat(Math.floor(r() * 8))}# note`);
  };
  const block = (indent: number, depth: number, kind: 'map' | 'seq'): void => {
    const step = pick([1, 2, 2, 2, 4]);
    const n = 1 + Math.floor(r() * 4);
    const used = new Set<string>();
    const sp = ' '.repeat(indent);
    for (let i = 0; i < n; i++) {
      blank();
      let head: string;
      if (kind === 'map') {
        let k = key();
        if (k === '<<') {
          if (!mapAnchors.length || used.has(k)) continue;
          used.add(k);
          lines.push(`${sp}<<: *${pick(mapAnchors)}${comment()}`);
          continue;
        }
        if (used.has(k) && !edge()) k = `${k}${i}`;
        used.add(k);
        head = `${sp}${k}:`;
      } else head = `${sp}-`;
      const x = r();
      if (depth < 4 && x < 0.35) {
        let anchor = '';
        if (r() < 0.25) {
          anchor = ` &m${mapAnchors.length}`;
        }
        lines.push(`${head}${anchor}${comment()}`);
        const sub = r() < 0.7 ? 'map' : 'seq';
        // A sequence may sit at its key's column.
        const at = sub === 'seq' && kind === 'map' && r() < 0.3 ? indent : indent + step;
        block(at, depth + 1, sub);
        if (anchor && sub === 'map') mapAnchors.push(anchor.slice(2));
      } else if (kind === 'seq' && depth < 4 && x < 0.5) {
        // `- key: value` and its further keys at the key's column.
        const k = pick(KEYS.filter((y) => y !== '<<'));
        lines.push(`${head} ${k}: ${scalar()}${comment()}`);
        if (r() < 0.6) lines.push(`${' '.repeat(indent + 2)}${k}x: ${r() < 0.5 ? flow(0) : scalar()}`);
      } else if (x < 0.6) {
        lines.push(`${head} ${flow(0)}${comment()}`);
      } else if (x < 0.67) {
        lines.push(`${head}${pick(['', ' ', '   '])}${comment()}`);
      } else {
        lines.push(`${head} ${scalar()}${comment()}`);
      }
    }
  };
  if (r() < 0.1) lines.push(pick(['---', '--- # doc']));
  if (r() < 0.2) lines.push('# header');
  block(0, 0, 'map');
  blank();
  let text = lines.join('\n');
  if (r() < 0.9) text += '\n';
  if (r() < 0.1) text += '\n# end\n';
  return text;
}

test('generated documents read the same with the reader as with the library, wherever the reader takes them', () => {
  let taken = 0;
  const N = 3000;
  for (let seed = 1; seed <= N; seed++) if (compare(docOf(seed), `generated #${seed}`)) taken++;
  // Most generated documents hold something left to the library (a YAML 1.1 boolean, a tag-like
  // plain scalar, a number form): the check is that what is taken reads the same, and that
  // enough is taken for the comparison to mean something.
  assert.ok(taken > N / 10, `taken ${taken} of ${N}`);
});
