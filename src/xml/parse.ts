/**
 * XML text -> XmlElement tree, for CIBs read from a cluster or a file. Text content, comments
 * and processing instructions carry no meaning in a CIB and are dropped. A document type
 * declaration is refused outright, and so is any entity reference other than XML's five
 * predefined ones and character references: a CIB never needs them, and refusing them keeps
 * entity expansion (billion laughs, external entities) out of reach.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XmlElement } from './tree.js';

export interface XmlParseError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export type XmlParseResult = { ok: true; root: XmlElement } | { ok: false; error: XmlParseError };

const ATTRS = ':@';

// A token whose value is the text of what is wrong, so the position can be reported.
const FORBIDDEN = /<!DOCTYPE|<!ENTITY|&(?!(?:lt|gt|amp|apos|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  allowBooleanAttributes: false,
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Entities are decoded below in one pass: decoding &amp; before character references (as the
  // library would) turns the text "&amp;#65;" into "A" instead of "&#65;".
  processEntities: false,
  htmlEntities: false,
});

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function decode(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(lt|gt|amp|apos|quot|#[0-9]+|#x[0-9a-fA-F]+);/g, (_, ref: string) =>
    ref.startsWith('#x') ? String.fromCodePoint(parseInt(ref.slice(2), 16)) : ref.startsWith('#') ? String.fromCodePoint(parseInt(ref.slice(1), 10)) : PREDEFINED[ref]!,
  );
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, col: offset - start + 1 };
}

type Ordered = Record<string, unknown>;

function toElement(node: Ordered): XmlElement | undefined {
  for (const key of Object.keys(node)) {
    if (key === ATTRS || key === '#text' || key.startsWith('?') || key.startsWith('!')) continue;
    const rawAttrs = (node[ATTRS] ?? {}) as Record<string, unknown>;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = decode(String(v));
    const children: XmlElement[] = [];
    for (const c of (node[key] ?? []) as Ordered[]) {
      const e = toElement(c);
      if (e) children.push(e);
    }
    return { name: key, attrs, children };
  }
  return undefined;
}

/** Parses one XML document; a malformed or refused document is an error value with its position. */
export function parseXml(text: string): XmlParseResult {
  const bad = FORBIDDEN.exec(text);
  if (bad) {
    const what = bad[0].startsWith('&') ? 'an entity reference other than &lt; &gt; &amp; &apos; &quot; and character references' : `a ${bad[0].slice(2)} declaration`;
    return { ok: false, error: { message: `${what} is not allowed in a CIB`, ...positionOf(text, bad.index) } };
  }
  for (const m of text.matchAll(/&#(x[0-9a-fA-F]+|[0-9]+);/g)) {
    const cp = m[1]!.startsWith('x') ? parseInt(m[1]!.slice(1), 16) : parseInt(m[1]!, 10);
    const allowed = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!allowed) return { ok: false, error: { message: `character reference ${m[0]} is not a legal XML character`, ...positionOf(text, m.index) } };
  }
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    return { ok: false, error: { message: valid.err.msg, line: valid.err.line ?? 1, col: valid.err.col ?? 1 } };
  }
  const nodes = parser.parse(text) as Ordered[];
  const roots = nodes.map(toElement).filter((e): e is XmlElement => !!e);
  if (roots.length !== 1) return { ok: false, error: { message: roots.length ? 'more than one root element' : 'no root element', line: 1, col: 1 } };
  return { ok: true, root: roots[0]! };
}
