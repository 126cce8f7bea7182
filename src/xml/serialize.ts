/**
 * XmlElement -> text with fast-xml-parser's XMLBuilder: the library escapes every attribute
 * value (& < > " '), so no value can break out of its attribute. Output is pinned: two-space
 * indentation, attributes in insertion order, empty elements self-closed, a final newline.
 * Control characters are not representable (XML normalises them away on parse); the Pacemaker
 * model refuses them before anything gets here (HA4101).
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { XmlElement } from './tree.js';

const builder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  processEntities: true,
});

type Node = { [name: string]: Node[] | Record<string, string> };

function toBuilderNode(e: XmlElement): Node {
  const node: Node = { [e.name]: e.children.map(toBuilderNode) };
  if (Object.keys(e.attrs).length) node[':@'] = { ...e.attrs };
  return node;
}

const compact = new XMLBuilder({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', format: false, suppressEmptyNode: true, processEntities: true });

/** One element on one line (no indentation, no final newline): for crmsh's `xml` statement and a shell argument. */
export function compactXml(e: XmlElement): string {
  return String(compact.build([toBuilderNode(e)]));
}

export function serializeXml(root: XmlElement, opts: { declaration?: boolean } = {}): string {
  const body = String(builder.build([toBuilderNode(root)])).trim();
  return (opts.declaration ? '<?xml version="1.0" encoding="UTF-8"?>\n' : '') + body + '\n';
}
