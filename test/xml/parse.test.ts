/** src/xml/parse.ts on its own: what it keeps and drops, its refusals and errors with positions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { parseXmlOrThrow as ok } from '../helpers/xml.js';

function err(text: string) {
  const r = parseXml(text);
  assert.equal(r.ok, false, text);
  return (r as { ok: false; error: { message: string; line: number; col: number } }).error;
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
