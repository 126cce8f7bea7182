/**
 * parseXmlFolded (src/xml/parse.ts): the same verdict, error and position as parseXml on every
 * input, and parseXml's tree once every fold is unfolded; plain objects are folded, anything else
 * is read element by element.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseXml, parseXmlFolded, unfold, type XmlParseResult } from '../../src/xml/parse.js';
import { CORPUS, corpusFiles, prng } from '../diff/corpus.js';

const AT_OBJECTS = (root: { name: string }) => (root.name === 'cib' ? 3 : 2);

/** parseXmlFolded's result with every fold unfolded, as a parseXml result, and how many folds there were. */
function folded(text: string): { r: XmlParseResult; folds: number } {
  const f = parseXmlFolded(text, AT_OBJECTS);
  if (!f.ok) return { r: f, folds: 0 };
  const folds = f.doc.folds.size;
  for (const el of [...f.doc.folds.keys()]) unfold(f.doc, el);
  assert.equal(f.doc.folds.size, 0);
  return { r: { ok: true, root: f.doc.root }, folds };
}

function same(text: string, what: string): number {
  const { r, folds } = folded(text);
  assert.deepEqual(r, parseXml(text), what);
  return folds;
}

const CIB = `<?xml version="1.0"?>
<cib epoch="1">
  <configuration>
    <resources>
      <primitive id="a" class="ocf" provider="heartbeat" type="IPaddr2">
        <instance_attributes id="a-ia">
          <nvpair id="a-ip" name="ip" value="198.51.100.1"/>
        </instance_attributes>
        <operations><op id="a-mon" name="monitor" interval="10s"></op></operations>
      </primitive>
      <primitive id="b" class="ocf" provider="heartbeat" type="Dummy"/>
    </resources>
  </configuration>
  <status/>
</cib>
`;

describe('parseXmlFolded', () => {
  it('folds plain objects and unfolds them to what parseXml builds', () => {
    const f = parseXmlFolded(CIB, AT_OBJECTS);
    assert.ok(f.ok);
    const [a, b] = f.doc.root.children[0]!.children[0]!.children;
    assert.deepEqual([...f.doc.folds.keys()], [a, b]);
    // Built as far as the name and the id.
    assert.deepEqual(a, { name: 'primitive', attrs: { id: 'a' }, children: [] });
    const fold = f.doc.folds.get(a!)!;
    assert.equal(CIB.slice(fold.start, fold.end), CIB.slice(CIB.indexOf('<primitive id="a"'), CIB.indexOf('</primitive>') + '</primitive>'.length));
    assert.equal(same(CIB, 'plain CIB'), 2);
    assert.equal(same(CIB.replace(/ id="b"/, ''), 'an object without an id'), 2);
  });

  it('reads what is not plain markup element by element, with the same tree', () => {
    const variants: [string, string][] = [
      ['text', CIB.replace('<operations>', 'some text<operations>')],
      ['comment', CIB.replace('<operations>', '<!-- c --><operations>')],
      ['reference', CIB.replace('198.51.100.1', '198.51.100.1&amp;2')],
      ['single quotes', CIB.replace(`name="ip"`, `name='ip'`)],
      ['space around =', CIB.replace(`name="ip"`, `name = "ip"`)],
      ['tab in a value', CIB.replace('198.51.100.1', '198.51\t100.1')],
      ['non-ASCII name', CIB.replace(/nvpair/g, 'nvpäir')],
      ['deeper than the match', CIB.replace('<instance_attributes id="a-ia">', '<instance_attributes id="a-ia">' + '<x>'.repeat(12) + '</x>'.repeat(12))],
      ['a bare configuration', CIB.slice(CIB.indexOf('<configuration>'), CIB.indexOf('</configuration>') + 16)],
    ];
    for (const [what, text] of variants) {
      // Primitive a is read element by element; b, plain, is folded (both in a bare configuration).
      assert.equal(same(text, what), what === 'a bare configuration' ? 2 : 1, what);
    }
  });

  it('refuses what parseXml refuses, at the same place, inside a would-be fold too', () => {
    const broken: [string, string][] = [
      ['repeated attribute', CIB.replace('name="monitor"', 'name="monitor" interval="5s" name="x"')],
      ['repeated attribute, last', CIB.replace('<op id="a-mon"', '<op name="m" id="a-mon" id="b"')],
      ['mismatched end tag', CIB.replace('</operations>', '</operation>')],
      ['end tag with a longer name', CIB.replace('</op>', '</ops>')],
      ['never closed', CIB.slice(0, CIB.indexOf('</primitive>'))],
      ['"<" in a value', CIB.replace('198.51.100.1', '198<1')],
      ['illegal character', CIB.replace('198.51.100.1', '198\u0001')],
      ['U+FFFE', CIB.replace('Dummy', 'Dum\ufffemy')],
      ['an entity', CIB.replace('198.51.100.1', '&ent;')],
    ];
    for (const [what, text] of broken) {
      const plain = parseXml(text);
      assert.equal(plain.ok, false, what);
      assert.deepEqual(folded(text).r, plain, what);
    }
  });

  const files = corpusFiles();
  it('agrees with parseXml on every corpus CIB and on seeded corruptions of one', { skip: files.length ? false : `corpus not found at ${CORPUS}` }, () => {
    let folds = 0;
    for (const f of files) folds += same(readFileSync(join(CORPUS, f), 'utf8'), f);
    assert.ok(folds > 10_000, `only ${folds} folds`);
    const base = readFileSync(join(CORPUS, 'simple4.xml'), 'utf8');
    const rnd = prng(7);
    const alphabet = ['<', '>', '&', '"', "'", '/', '=', ' ', '!', '?', '-', 'a', ';', '#', '\u0002'];
    let refused = 0;
    for (let i = 0; i < 2000; i++) {
      let t = base;
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        const at = Math.floor(rnd() * t.length);
        const op = rnd();
        t = op < 0.4 ? t.slice(0, at) + t.slice(at + 1) : op < 0.8 ? t.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + t.slice(at) : t.slice(0, at) + t.slice(at, at + 6).split('').reverse().join('') + t.slice(at + 6);
      }
      same(t, `corruption ${i}`);
      if (!parseXml(t).ok) refused++;
    }
    assert.ok(refused > 500, `only ${refused} corruptions refused`);
  });
});
