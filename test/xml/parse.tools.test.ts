/**
 * src/xml/parse.ts against libxml2 (xmllint, what Pacemaker itself parses CIBs with): the same
 * trees for every corpus CIB, the same verdict on seeded corruptions of a CIB, and the refusals
 * (DOCTYPE, entities) with positions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { CORPUS, corpusFiles, prng } from '../diff/corpus.js';

const HAVE_XMLLINT = spawnSync('xmllint', ['--version']).status === 0;

function ok(text: string): XmlElement {
  const r = parseXml(text);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.col}: ${r.error.message}`);
  return r.root;
}

function err(text: string) {
  const r = parseXml(text);
  assert.equal(r.ok, false, text);
  return (r as { ok: false; error: { message: string; line: number; col: number } }).error;
}

/** libxml2's tree of a document, as XmlElement, through a canonical (C14N) serialisation. */
function viaXmllint(file: string): XmlElement {
  const r = spawnSync('xmllint', ['--nonet', '--c14n', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return ok(r.stdout);
}

describe('parseXml', () => {
  it('keeps elements and attributes, drops text, comments, PIs and CDATA, decodes references', () => {
    const root = ok('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><cib a="x &amp;#65; &lt;&#65;&#x42;&quot;&apos;" b=\'q"\'>\n  text &amp; more<?pi data?><![CDATA[ <not> & parsed ]]>\n  <c d="tab\there\nline"/>\n</cib>\n<!-- after -->');
    assert.deepEqual(root, { name: 'cib', attrs: { a: `x &#65; <AB"'`, b: 'q"' }, children: [{ name: 'c', attrs: { d: 'tab here line' }, children: [] }] });
  });

  it('refuses DOCTYPE declarations and entities, with their position', () => {
    assert.deepEqual(err('<?xml version="1.0"?>\n<!DOCTYPE cib [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<cib x="&b;"/>'), { message: 'a DOCTYPE declaration is not allowed in a CIB', line: 2, col: 1 });
    assert.match(err('<cib>\n  <a x="&ent;"/></cib>').message, /entity reference &ent; is not allowed/);
    assert.deepEqual(err('<cib>\n  <a x="&ent;"/></cib>').col, 9);
    assert.match(err('<cib>&#1;</cib>').message, /not a legal XML character/);
    assert.match(err('<cib>&#x110000;</cib>').message, /not a legal XML character/);
    assert.match(err('<cib a="R&D"/>').message, /does not start a reference/);
  });

  it('reports malformed documents with line and column', () => {
    const cases: [string, RegExp, number, number][] = [
      ['<cib>\n  <a></b>\n</cib>', /<\/b> closes <a>/, 2, 8],
      ['<cib a="1" a="2"/>', /attribute a appears twice/, 1, 12],
      ['<cib a="<"/>', /"<" inside an attribute value/, 1, 9],
      ['<cib a=1/>', /quoted value/, 1, 8],
      ['<cib><a>', /<a> is never closed/, 1, 9],
      ['<cib/><cib/>', /more than one root element/, 1, 7],
      ['<cib/>text', /text after the root element/, 1, 7],
      ['', /no root element/, 1, 1],
      [' <?xml version="1.0"?><cib/>', /XML declaration that is not at the very start/, 1, 2],
      ['<cib><!-- a -- b --></cib>', /"--" inside a comment/, 1, 13],
      ['<cib>\u0001</cib>', /U\+0001 is not allowed/, 1, 6],
      ['<cib a="1"b="2"/>', /space was expected/, 1, 11],
    ];
    for (const [text, re, line, col] of cases) {
      const e = err(text);
      assert.match(e.message, re, text);
      assert.deepEqual([e.line, e.col], [line, col], `${text}: ${e.message}`);
    }
  });

  it('parses deep nesting without recursion', () => {
    const depth = 100_000;
    const root = ok('<a>'.repeat(depth) + '</a>'.repeat(depth));
    let n = 0;
    for (let e: XmlElement | undefined = root; e; e = e.children[0]) n++;
    assert.equal(n, depth);
  });
});

const files = corpusFiles();

describe('parseXml agrees with libxml2', { skip: !HAVE_XMLLINT ? 'xmllint is not installed (bash .ci/install-deps)' : files.length ? false : `corpus not found at ${CORPUS}` }, () => {
  it('gives the same tree as xmllint for a sample of the corpus', () => {
    const rnd = prng(11);
    const sample = files.filter(() => rnd() < 0.15);
    assert.ok(sample.length > 80);
    for (const f of sample) {
      const ours = ok(readFileSync(join(CORPUS, f), 'utf8'));
      assert.deepEqual(ours, viaXmllint(join(CORPUS, f)), f);
    }
  });

  it('accepts and refuses what xmllint accepts and refuses, on seeded corruptions of a CIB', () => {
    const base = readFileSync(join(CORPUS, 'simple4.xml'), 'utf8');
    const rnd = prng(3);
    const alphabet = ['<', '>', '&', '"', "'", '/', '=', ' ', '!', '?', '-', ']', 'a', ';', '#'];
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      let t = base;
      for (let k = 0; k < 1 + Math.floor(rnd() * 2); k++) {
        const at = Math.floor(rnd() * t.length);
        const op = rnd();
        t = op < 0.4 ? t.slice(0, at) + t.slice(at + 1) : op < 0.8 ? t.slice(0, at) + alphabet[Math.floor(rnd() * alphabet.length)] + t.slice(at) : t.slice(0, at) + t.slice(at, at + 6).split('').reverse().join('') + t.slice(at + 6);
      }
      const lint = spawnSync('xmllint', ['--nonet', '--noout', '-'], { input: t, encoding: 'utf8' });
      const ours = parseXml(t);
      // Refusals of our own (entity references that only a DTD could define) are stricter by design.
      const entityOnly = !ours.ok && /entity reference|DOCTYPE/.test(ours.error.message);
      if (entityOnly) continue;
      assert.equal(ours.ok, lint.status === 0, `corruption ${i}: ours ${ours.ok ? 'accepted' : `refused (${(ours as { error: { message: string } }).error.message})`}, xmllint ${lint.status === 0 ? 'accepted' : `refused: ${lint.stderr.split('\n')[0]}`}`);
      if (ours.ok) accepted++;
      else refused++;
    }
    assert.ok(refused > 50 && accepted > 20, JSON.stringify({ refused, accepted }));
  });
});
