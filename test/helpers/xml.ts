/** XML in tests: documents the test itself made or read, so a parse error is a failure, not a case. */
import { parseXml } from '../../src/xml/parse.js';
import type { XmlElement } from '../../src/xml/tree.js';

/** The root element of an XML document; throws with the position when it does not parse. */
export function parseXmlOrThrow(text: string): XmlElement {
  const r = parseXml(text);
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.col}: ${r.error.message}`);
  return r.root;
}
