/**
 * XmlElement -> text. Every attribute value is escaped (& < > " ' as entities), so no value can
 * break out of its attribute. Output is pinned: two-space indentation, attributes in insertion
 * order, empty elements self-closed, a final newline. Control characters are not representable
 * (XML normalises them away on parse); the Pacemaker model refuses them before anything gets here
 * (HA4101).
 *
 * Written here rather than with fast-xml-parser's builder, which it replaced byte for byte (every
 * fixture's golden CIBs and crmsh `xml` statements unchanged): the builder tracks each element's
 * path and attributes for features a CIB never uses; loading it and writing the reference's CIBs
 * through it cost `hactl compile` about 27M instructions.
 */
import type { XmlElement } from './tree.js';

const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const SPECIAL = /[&<>"']/;
const SPECIALS = /[&<>"']/g;

function escape(value: string): string {
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ENTITY[c]!) : value;
}

function attributes(e: XmlElement): string {
  let s = '';
  for (const k in e.attrs) s += ` ${k}="${escape(e.attrs[k]!)}"`;
  return s;
}

/** `indent` is the line break and indentation before the element; '' writes it on one line. */
function element(e: XmlElement, indent: string): string {
  const start = `${indent}<${e.name}${attributes(e)}`;
  if (e.children.length === 0) return `${start}/>`;
  const inner = indent === '' ? '' : `${indent}  `;
  let s = `${start}>`;
  for (const c of e.children) s += element(c, inner);
  return `${s}${indent}</${e.name}>`;
}

/** One element on one line (no indentation, no final newline): for crmsh's `xml` statement and a shell argument. */
export function compactXml(e: XmlElement): string {
  return element(e, '');
}

export function serializeXml(root: XmlElement, opts: { declaration?: boolean } = {}): string {
  return (opts.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + element(root, '\n').slice(1) + '\n';
}
