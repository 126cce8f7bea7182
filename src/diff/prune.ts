/**
 * Most of a large CIB is the same on both sides. Top-level objects of a section that are written
 * identically on both sides (same element, attributes and children, in the same order) cannot
 * differ, so they are set aside before normalising and comparing: a diff costs what differs plus
 * one cheap equality walk. Only objects whose id is unique among their siblings on both sides are
 * set aside (Pacemaker ids are unique; a CIB that repeats one keeps every copy in the comparison).
 */
import { unfold, type FoldedXml } from '../xml/parse.js';
import { configurationOf, type XmlElement } from '../xml/tree.js';

function sameElement(a: XmlElement, b: XmlElement): boolean {
  if (a === b) return true;
  if (a.name !== b.name || a.children.length !== b.children.length) return false;
  let n = 0;
  for (const k in a.attrs) {
    if (a.attrs[k] !== b.attrs[k]) return false;
    n++;
  }
  for (const _ in b.attrs) n--;
  if (n !== 0) return false;
  for (let i = 0; i < a.children.length; i++) if (!sameElement(a.children[i]!, b.children[i]!)) return false;
  return true;
}

/** Children with an id no sibling shares, by tag and id. */
function uniqueById(section: XmlElement): Map<string, XmlElement> {
  const byKey = new Map<string, XmlElement>();
  const repeated = new Set<string>();
  for (const c of section.children) {
    const id = c.attrs.id;
    if (id === undefined) continue;
    const key = `${c.name}\u0000${id}`;
    if (byKey.has(key)) repeated.add(key);
    else byKey.set(key, c);
  }
  for (const k of repeated) byKey.delete(k);
  return byKey;
}

function withConfiguration(root: XmlElement, configuration: XmlElement): XmlElement {
  if (root.name === 'configuration') return configuration;
  return { ...root, children: root.children.map((c) => (c.name === 'configuration' ? configuration : c)) };
}

/**
 * Both CIBs without the top-level objects `same` finds identical (each pair found is also added to
 * `dropped`).
 */
function pruneWith(from: XmlElement, live: XmlElement, same: (a: XmlElement, b: XmlElement) => boolean, dropped?: Set<XmlElement>): [XmlElement, XmlElement] {
  const ca = configurationOf(from);
  const cb = configurationOf(live);
  if (!ca || !cb) return [from, live];
  const sectionsA = ca.children.map((s) => s);
  const sectionsB = cb.children.map((s) => s);
  for (let i = 0; i < sectionsA.length; i++) {
    const sa = sectionsA[i]!;
    // A section written twice is merged by the normaliser; left whole here.
    if (ca.children.filter((s) => s.name === sa.name).length !== 1) continue;
    const others = cb.children.filter((s) => s.name === sa.name);
    if (others.length !== 1) continue;
    const sb = others[0]!;
    const a = uniqueById(sa);
    const b = uniqueById(sb);
    const drop = new Set<XmlElement>();
    for (const [key, x] of a) {
      const y = b.get(key);
      if (y && same(x, y)) {
        drop.add(x);
        drop.add(y);
        dropped?.add(x).add(y);
      }
    }
    if (!drop.size) continue;
    sectionsA[i] = { ...sa, children: sa.children.filter((c) => !drop.has(c)) };
    const j = cb.children.indexOf(sb);
    sectionsB[j] = { ...sb, children: sb.children.filter((c) => !drop.has(c)) };
  }
  return [withConfiguration(from, { ...ca, children: sectionsA }), withConfiguration(live, { ...cb, children: sectionsB })];
}

/** Both CIBs without the top-level objects written identically on both sides. */
export function pruneIdentical(from: XmlElement, live: XmlElement): [XmlElement, XmlElement] {
  return pruneWith(from, live, sameElement);
}

/** The depth parseXmlFolded folds a CIB at: the top-level objects of its sections. */
export function cibFoldDepth(root: XmlElement): number {
  return root.name === 'cib' ? 3 : root.name === 'configuration' ? 2 : 0;
}

/**
 * pruneIdentical for two CIBs parsed folded at cibFoldDepth: an object written byte for byte the
 * same on both sides is left out without its tree ever being built (reading a large CIB's
 * elements is most of what a diff costs); every other folded element is unfolded, so the trees
 * returned are whole but for what was left out. pruneIdentical then finds the objects that are
 * written differently but are the same.
 */
export function pruneFolded(from: FoldedXml, live: FoldedXml): [XmlElement, XmlElement] {
  const dropped = new Set<XmlElement>();
  const sameText = (x: XmlElement, y: XmlElement): boolean => {
    const a = from.folds.get(x);
    const b = live.folds.get(y);
    return !!a && !!b && a.end - a.start === b.end - b.start && from.text.slice(a.start, a.end) === live.text.slice(b.start, b.end);
  };
  const pruned = pruneWith(from.root, live.root, sameText, dropped);
  for (const doc of [from, live]) for (const el of [...doc.folds.keys()]) if (!dropped.has(el)) unfold(doc, el);
  return pruned;
}
