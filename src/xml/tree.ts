/**
 * The XML element tree hactl works on (CIBs, patches): element name, attributes in insertion
 * order, child elements. Text content and comments carry no meaning in a CIB's configuration and
 * are not kept. Built and read through a real XML library (see serialize.ts, parse.ts).
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

export function el(name: string, attrs: Record<string, string | undefined> = {}, children: XmlElement[] = []): XmlElement {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v;
  return { name, attrs: clean, children };
}

/** The first child element of that name. */
export function child(e: XmlElement, name: string): XmlElement | undefined {
  return e.children.find((c) => c.name === name);
}

/** The configuration section of a CIB, whether given the whole `<cib>` or the section itself. */
export function configurationOf(root: XmlElement): XmlElement | undefined {
  return root.name === 'configuration' ? root : child(root, 'configuration');
}
