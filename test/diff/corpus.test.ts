/**
 * The diff on configurations nobody on this project wrote: Pacemaker's own test CIBs. Each one
 * diffed with itself shows no drift; a seeded random mutation (a value changed, an object removed,
 * an object added) is reported at the object it was made in; nothing throws.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cibFoldDepth, diffCibs, pruneFolded, REFERENCE_OWNERSHIP, type CibDiff } from '../../src/diff/index.js';
import { parseXml, parseXmlFolded } from '../../src/xml/parse.js';
import { serializeXml } from '../../src/xml/serialize.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { parseXmlOrThrow as ok } from '../helpers/xml.js';
import { CORPUS, corpusFiles, mutate, prng } from './corpus.js';

function diffOf(a: XmlElement, b: XmlElement): CibDiff {
  const r = diffCibs(a, b, REFERENCE_OWNERSHIP);
  if (!r.ok) throw new Error(r.message);
  return r.diff;
}

const files = corpusFiles();

describe('Pacemaker test CIBs (../shared/corpus/pacemaker-cts)', { skip: files.length ? false : `corpus not found at ${CORPUS}` }, () => {
  it(`parses every CIB, and each diffed with itself (and a fresh parse of itself) has no drift`, () => {
    assert.ok(files.length > 800, `expected the 854 scheduler CIBs, found ${files.length}`);
    for (const f of files) {
      const text = readFileSync(join(CORPUS, f), 'utf8');
      const a = parseXml(text);
      const b = parseXml(text);
      assert.ok(a.ok && b.ok, `${f}: ${!a.ok ? a.error.message : ''}`);
      const d = diffOf(a.root, b.root);
      assert.deepEqual(d.changes, [], `${f}: ${JSON.stringify(d.changes.slice(0, 3))}`);
    }
  });

  it('reports a seeded random mutation of every CIB at the object it was made in', () => {
    const rnd = prng(20261124);
    let mutated = 0;
    const kinds = { value: 0, remove: 0, add: 0 };
    for (const f of files) {
      const r = parseXml(readFileSync(join(CORPUS, f), 'utf8'));
      assert.ok(r.ok);
      const mut = mutate(r.root, rnd);
      if (!mut) continue;
      mutated++;
      kinds[mut.m.kind]++;
      const d = diffOf(r.root, mut.copy);
      const where = `${f}: ${mut.m.kind} ${mut.m.what} (owner ${mut.m.owner})`;
      assert.ok(d.changes.length > 0, `${where}: nothing reported`);
      assert.ok(
        d.changes.some((c) => c.id === mut.m.owner),
        `${where}: reported ${JSON.stringify(d.changes.map((c) => `${c.kind} ${c.tag} ${c.id}`))}`,
      );
      if (mut.m.kind === 'add') assert.deepEqual(d.changes.map((c) => `${c.kind} ${c.id}`), [`added ${mut.m.owner}`], where);
    }
    assert.ok(mutated > 800, `only ${mutated} CIBs could be mutated`);
    assert.ok(kinds.value > 200 && kinds.remove > 200 && kinds.add > 200, JSON.stringify(kinds));
  });

  it('gives the same diff of two texts when the objects both write the same are never built (pruneFolded)', () => {
    const rnd = prng(20261205);
    let skipped = 0;
    for (const f of files) {
      const r = parseXml(readFileSync(join(CORPUS, f), 'utf8'));
      assert.ok(r.ok);
      const mut = mutate(r.root, rnd);
      if (!mut) continue;
      // Written by one serialiser, the objects the mutation left alone are the same text on both sides.
      const [from, live] = [serializeXml(r.root), serializeXml(mut.copy)];
      const fa = parseXmlFolded(from, cibFoldDepth);
      const fb = parseXmlFolded(live, cibFoldDepth);
      assert.ok(fa.ok && fb.ok, f);
      const [a, b] = pruneFolded(fa.doc, fb.doc);
      // What is still folded was left out unbuilt.
      if (fa.doc.folds.size) skipped++;
      assert.deepEqual(diffOf(a, b), diffOf(ok(from), ok(live)), f);
    }
    assert.ok(skipped > 500, `objects were left out unbuilt in only ${skipped} CIBs`);
  });
});
