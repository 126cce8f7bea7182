/**
 * The semantic CIB diff: matches the objects of a reference CIB (hactl's compile, or a saved CIB)
 * and a live one by identity, and reports every object added, removed or changed down to the
 * attribute, with ownership (managed drift vs an operator's unmanaged objects) and secrets masked.
 * Each element is visited once and children are matched through maps: O(n log n) overall (the
 * log from sorting the report).
 */
import type { XmlElement } from '../xml/tree.js';
import { maskValue } from './mask.js';
import { meaningful, normalizeCib, normalized, type NormCib, type NormNode } from './normalize.js';
import { alwaysUnmanaged, withoutRecord, type Ownership, type ObjectRef } from './ownership.js';
import { setAsideRuntime, setAsideRuntimeProperties } from './runtime.js';
import { splitNodePairs } from './node-pairs.js';
import { pruneIdentical } from './prune.js';
import { NVSET_TAGS, PAIRED_TAGS, PROPERTY_SECTIONS, RESOURCE_TAGS, SECTION_ORDER } from './rules.js';
import { compareStrings } from '../util/compare.js';

export type ChangeKind = 'added' | 'removed' | 'changed';

/** One difference inside an object: an attribute, a parameter, an operation, a member order. */
export interface ValueChange {
  kind: ChangeKind;
  /** Where in the object, as a reader says it: "params ip", "op monitor 10s timeout", "class". */
  path: string;
  /** The reference side's value (masked when it may be a secret). */
  from?: string;
  /** The live side's value (masked when it may be a secret). */
  to?: string;
}

export interface ObjectChange {
  /** added: only on the live side; removed: only on the reference side. */
  kind: ChangeKind;
  /** false: not the reference's to manage (an operator's), so not drift. */
  managed: boolean;
  section: string;
  /** Element name, or "property" for a name/value in crm_config, rsc_defaults, op_defaults. */
  tag: string;
  id: string;
  /** Ids of enclosing objects (a group, a clone; the set of a property), outermost first. */
  parents: string[];
  /** A one-line description (agent, constraint meaning) for the reader. */
  summary?: string;
  /**
   * Both sides have the object, but the live CIB's ownership record does not list it: someone
   * else's object with an id the reference uses. apply changes it only when told to adopt it.
   */
  foreign?: boolean;
  changes: ValueChange[];
}

export interface CibDiff {
  changes: ObjectChange[];
  counts: { added: number; removed: number; changed: number; unmanaged: number };
  /** Whether any managed object differs. */
  drift: boolean;
}

export type DiffResult = { ok: true; diff: CibDiff } | { ok: false; side: 'from' | 'live'; message: string };

const SHORT: Record<string, string> = {
  instance_attributes: 'params',
  meta_attributes: 'meta',
  utilization: 'utilization',
  cluster_property_set: 'properties',
  resource_set: 'set',
};

function segmentLabel(n: NormNode, siblings: NormNode[]): string | undefined {
  if (n.tag === 'operations') return undefined;
  if (n.tag === 'nvpair') return n.id;
  if (n.tag === 'op') {
    const interval = n.raw.interval ?? '0';
    return `op ${n.raw.name ?? '?'} ${interval}${n.raw.role ? ` ${n.raw.role}` : ''}`;
  }
  if (n.tag === 'resource_ref' || n.tag === 'obj_ref') return `ref ${n.id}`;
  const base = SHORT[n.tag] ?? n.tag.replace(/_/g, ' ');
  const same = siblings.filter((s) => s.tag === n.tag).length;
  if (NVSET_TAGS.has(n.tag) || PAIRED_TAGS.has(n.tag)) return same > 1 && n.id ? `${base}[${n.id}]` : base;
  return n.id ? `${base} ${n.id}` : base;
}

function join(segs: readonly string[], last?: string): string {
  const all = last === undefined ? segs : [...segs, last];
  return all.length ? all.join(' ') : '(element)';
}

/** The name a value is masked by: an nvpair's name for its value, else the attribute's. */
function maskName(n: NormNode, attr: string): string {
  return n.tag === 'nvpair' && attr === 'value' ? (n.raw.name ?? attr) : attr;
}

function isObject(n: NormNode, section: string): boolean {
  return section === 'resources' && RESOURCE_TAGS.has(n.tag);
}

interface Located {
  node: NormNode;
  parents: string[];
}

interface Ctx {
  section: string;
  out: ObjectChange[];
  managed: boolean;
  foreign?: boolean;
  /**
   * Resources by id on each side, wherever they are nested: Pacemaker's resource ids are unique
   * across the section, so one that changed its parent (a clone removed around it, a primitive
   * put into a group) is the same resource, moved.
   */
  fromIds?: Map<string, Located>;
  liveIds?: Map<string, Located>;
}

/** Attribute paths inside an element: its own attributes; an nvpair's value is its name alone. */
function attrPath(n: NormNode, segs: string[], attr: string): string {
  if (n.tag === 'nvpair' && attr === 'value' && segs.length) return join(segs);
  return join(segs, attr);
}

function compareAttrs(a: NormNode, b: NormNode, segs: string[], out: ValueChange[]): void {
  // Equal spellings are equal values; only differing ones are read the way Pacemaker reads them.
  let names: string[] | undefined;
  for (const name in a.raw) {
    if (a.raw[name] !== b.raw[name] && meaningful(a, name)) (names ??= []).push(name);
  }
  for (const name in b.raw) {
    if (!(name in a.raw) && meaningful(b, name)) (names ??= []).push(name);
  }
  if (!names) return;
  for (const name of names.sort()) {
    if (a.tag === 'nvpair' && name === 'name') continue; // the key itself
    const x = normalized(a, name);
    const y = normalized(b, name);
    if (x === y) continue;
    // Added or removed as written, even where the other side reads as a default.
    const kind: ChangeKind = a.raw[name] === undefined ? 'added' : b.raw[name] === undefined ? 'removed' : 'changed';
    const c: ValueChange = { kind, path: attrPath(a, segs, name) };
    const from = maskValue(maskName(a, name), a.raw[name]);
    const to = maskValue(maskName(b, name), b.raw[name]);
    if (from !== undefined) c.from = from;
    if (to !== undefined) c.to = to;
    out.push(c);
  }
}

/** Attributes shown for an element, minus those its path already names. */
function shownAttrs(n: NormNode, root: boolean): string[] {
  // Sorted: attribute order in the document means nothing.
  return Object.keys(n.raw).sort().filter((name) => {
    if (!meaningful(n, name)) return false;
    // A property's name is its id, shown in its heading.
    if (root) return name !== 'id' && !(n.tag === 'nvpair' && name === 'name');
    if (n.tag === 'nvpair') return name !== 'name';
    if (n.tag === 'op') return name !== 'name' && name !== 'interval' && name !== 'role';
    if (n.tag === 'resource_ref' || n.tag === 'obj_ref') return name !== 'id';
    return true;
  });
}

/**
 * One side's content of an added or removed subtree: the object's own attributes one per line,
 * then one line per element inside it ("op monitor 30s: timeout=30s", "params ip: 198.51.100.50").
 */
function flatten(n: NormNode, segs: string[], kind: 'added' | 'removed', out: ValueChange[], ctx: Ctx, parents: string[]): void {
  const root = segs.length === 0;
  const names = shownAttrs(n, root);
  const put = (path: string, v: string | undefined) => {
    const c: ValueChange = { kind, path };
    if (v !== undefined) {
      if (kind === 'added') c.to = v;
      else c.from = v;
    }
    out.push(c);
  };
  if (root) {
    for (const name of names) put(name, maskValue(name, n.raw[name]));
  } else if (n.tag === 'nvpair') {
    put(join(segs), maskValue(maskName(n, 'value'), n.raw.value));
  } else if (names.length || !n.children.length) {
    put(join(segs), names.length ? names.map((name) => `${name}=${maskValue(name, n.raw[name])}`).join(' ') : undefined);
  }
  for (const c of n.children) {
    if (isObject(c, ctx.section)) {
      emitObject(kind === 'added' ? undefined : c, kind === 'added' ? c : undefined, ctx, parents);
      continue;
    }
    const label = segmentLabel(c, n.children);
    flatten(c, label === undefined ? segs : [...segs, label], kind, out, ctx, parents);
  }
}

interface Matched {
  pairs: [NormNode, NormNode][];
  onlyA: NormNode[];
  onlyB: NormNode[];
  /** Keys of B's children renamed to the A child they were paired with. */
  renamed: Map<string, string>;
}

function match(as: NormNode[], bs: NormNode[]): Matched {
  const byKey = new Map<string, NormNode>();
  for (const b of bs) byKey.set(b.key, b);
  const pairs: [NormNode, NormNode][] = [];
  const onlyA: NormNode[] = [];
  for (const a of as) {
    const b = byKey.get(a.key);
    if (b) {
      pairs.push([a, b]);
      byKey.delete(a.key);
    } else onlyA.push(a);
  }
  let onlyB = bs.filter((b) => byKey.has(b.key));
  const renamed = new Map<string, string>();
  if (onlyA.length && onlyB.length) {
    // Elements with tool-made ids and no natural key: pair what is left by element name, in order.
    const leftB = new Map<string, NormNode[]>();
    for (const b of onlyB) if (PAIRED_TAGS.has(b.tag)) (leftB.get(b.tag) ?? leftB.set(b.tag, []).get(b.tag)!).push(b);
    const paired = new Set<NormNode>();
    const stillA: NormNode[] = [];
    for (const a of onlyA) {
      const b = PAIRED_TAGS.has(a.tag) ? leftB.get(a.tag)?.shift() : undefined;
      if (b) {
        pairs.push([a, b]);
        paired.add(b);
        renamed.set(b.key, a.key);
      } else stillA.push(a);
    }
    onlyA.length = 0;
    onlyA.push(...stillA);
    onlyB = onlyB.filter((b) => !paired.has(b));
  }
  return { pairs, onlyA, onlyB, renamed };
}

function compareDetail(a: NormNode, b: NormNode, segs: string[], out: ValueChange[], ctx: Ctx, parents: string[]): void {
  compareAttrs(a, b, segs, out);
  const m = match(a.children, b.children);
  for (const [x, y] of m.pairs) {
    if (isObject(x, ctx.section)) {
      emitObject(x, y, ctx, parents);
      continue;
    }
    const label = segmentLabel(x, a.children);
    compareDetail(x, y, label === undefined ? segs : [...segs, label], out, ctx, parents);
  }
  for (const x of m.onlyA) {
    if (isObject(x, ctx.section)) emitObject(x, undefined, ctx, parents);
    else {
      const label = segmentLabel(x, a.children);
      flatten(x, label === undefined ? segs : [...segs, label], 'removed', out, ctx, parents);
    }
  }
  for (const y of m.onlyB) {
    if (isObject(y, ctx.section)) emitObject(undefined, y, ctx, parents);
    else {
      const label = segmentLabel(y, b.children);
      flatten(y, label === undefined ? segs : [...segs, label], 'added', out, ctx, parents);
    }
  }
  const tag = a.orderedTag ?? b.orderedTag;
  if (tag) {
    const seqA = a.children.filter((c) => c.tag === tag);
    const seqB = b.children.filter((c) => c.tag === tag);
    const ka = seqA.map((c) => c.key).join('\n');
    const kb = seqB.map((c) => m.renamed.get(c.key) ?? c.key).join('\n');
    if (ka !== kb) {
      out.push({ kind: 'changed', path: join(segs, tag === 'resource_set' ? 'sets' : 'members'), from: seqA.map(orderLabel).join(', '), to: seqB.map(orderLabel).join(', ') });
    }
  }
}

function orderLabel(n: NormNode): string {
  if (n.tag !== 'resource_set') return n.id;
  return `(${n.children.filter((c) => c.tag === 'resource_ref').map((c) => c.id).join(' ')})`;
}

function summaryOf(n: NormNode): string | undefined {
  const a = n.raw;
  switch (n.tag) {
    case 'primitive':
      return a.class ? [a.class, a.provider, a.type].filter(Boolean).join(':') : a.template ? `template ${a.template}` : undefined;
    case 'rsc_location': {
      const what = a.rsc ?? (a['rsc-pattern'] ? `/${a['rsc-pattern']}/` : 'set');
      if (a.node) return `${what} ${a.score ?? ''} on ${a.node}${a.role ? ` (${a.role})` : ''}`.replace(/ {2,}/g, ' ');
      return `${what} by rule`;
    }
    case 'rsc_colocation':
      return a.rsc ? `${a.rsc} with ${a['with-rsc']} (${a.score ?? a['score-attribute'] ?? ''})` : `sets (${a.score ?? ''})`;
    case 'rsc_order':
      return a.first ? `${a.first}${a['first-action'] ? ` ${a['first-action']}` : ''} then ${a.then}${a['then-action'] ? ` ${a['then-action']}` : ''}` : 'sets';
    case 'rsc_ticket':
      return a.rsc ? `${a.rsc} needs ticket ${a.ticket}` : `sets need ticket ${a.ticket}`;
    case 'node':
      return a.uname;
    case 'fencing-level':
      return `${a.target ?? a['target-pattern'] ?? a['target-attribute'] ?? '?'} level ${a.index}: ${a.devices}`;
    default:
      return undefined;
  }
}

function emitObject(a: NormNode | undefined, b: NormNode | undefined, ctx: Ctx, parents: string[]): void {
  if (!b && a && ctx.liveIds) {
    const moved = ctx.liveIds.get(a.id);
    if (moved && moved.node.tag === a.tag) return emitMoved(a, parents, moved, ctx);
  }
  if (!a && b && ctx.fromIds) {
    const moved = ctx.fromIds.get(b.id);
    if (moved && moved.node.tag === b.tag) return; // reported from the reference side (emitMoved)
  }
  const n = (b ?? a)!;
  const kind: ChangeKind = a && b ? 'changed' : a ? 'removed' : 'added';
  const entry: ObjectChange = { kind, managed: ctx.managed, section: ctx.section, tag: n.tag, id: n.id, parents, changes: [] };
  if (ctx.foreign) entry.foreign = true;
  const inner = [...parents, n.id];
  // Pushed first so that an object precedes the objects nested in it.
  const at = ctx.out.push(entry) - 1;
  if (a && b) compareDetail(a, b, [], entry.changes, ctx, inner);
  else flatten(n, [], kind as 'added' | 'removed', entry.changes, ctx, inner);
  if (kind === 'changed' && !entry.changes.length) {
    ctx.out.splice(at, 1);
    return;
  }
  // Summarised only once kept: most objects of a large CIB are unchanged and dropped above.
  const summary = summaryOf(n);
  if (summary) entry.summary = summary;
}

/** A resource found under another parent on the live side: a change of parent plus its own differences. */
function emitMoved(a: NormNode, parents: string[], moved: Located, ctx: Ctx): void {
  const entry: ObjectChange = { kind: 'changed', managed: ctx.managed, section: ctx.section, tag: a.tag, id: a.id, parents, changes: [] };
  if (ctx.foreign) entry.foreign = true;
  const summary = summaryOf(moved.node);
  if (summary) entry.summary = summary;
  const top = '(top level)';
  entry.changes.push({ kind: 'changed', path: 'parent', from: parents.length ? parents.join(' / ') : top, to: moved.parents.length ? moved.parents.join(' / ') : top });
  ctx.out.push(entry);
  compareDetail(a, moved.node, [], entry.changes, ctx, [...parents, a.id]);
}

function indexResources(section: NormNode | undefined): Map<string, Located> {
  const ids = new Map<string, Located>();
  const walk = (n: NormNode, parents: string[]) => {
    for (const c of n.children) {
      if (!RESOURCE_TAGS.has(c.tag)) continue;
      ids.set(c.id, { node: c, parents });
      walk(c, [...parents, c.id]);
    }
  };
  if (section) walk(section, []);
  return ids;
}

function classify(own: Ownership, ref: ObjectRef, inReference: boolean): boolean {
  if (alwaysUnmanaged(ref)) return false;
  return inReference || own.ownsExtra(ref);
}

function compareProperties(section: string, a: NormNode | undefined, b: NormNode | undefined, own: Ownership, out: ObjectChange[]): void {
  const m = match(a?.children ?? [], b?.children ?? []);
  const sets: [NormNode | undefined, NormNode | undefined][] = [...m.pairs, ...m.onlyA.map((x): [NormNode, undefined] => [x, undefined]), ...m.onlyB.map((y): [undefined, NormNode] => [undefined, y])];
  for (const [x, y] of sets) {
    const set = (x ?? y)!;
    const setId = set.id || set.tag;
    // The set itself (its score, its rules), without its name/value pairs.
    const strip = (s: NormNode | undefined) => (s ? { ...s, children: s.children.filter((c) => c.tag !== 'nvpair') } : undefined);
    const sx = strip(x);
    const sy = strip(y);
    const setRef: ObjectRef = { section, tag: set.tag, id: setId };
    const setCtx: Ctx = { section, out, managed: classify(own, setRef, !!x) };
    const setHasContent = (s?: NormNode) => !!s && (s.children.length > 0 || Object.keys(s.raw).some((k) => meaningful(s, k)));
    if (sx && sy) emitObject(sx, sy, setCtx, []);
    else if (setHasContent(sx) || setHasContent(sy)) emitObject(sx, sy, setCtx, []);
    const pm = match(x?.children.filter((c) => c.tag === 'nvpair') ?? [], y?.children.filter((c) => c.tag === 'nvpair') ?? []);
    const props: [NormNode | undefined, NormNode | undefined][] = [...pm.pairs, ...pm.onlyA.map((p): [NormNode, undefined] => [p, undefined]), ...pm.onlyB.map((q): [undefined, NormNode] => [undefined, q])];
    for (const [p, q] of props) {
      const nv = (p ?? q)!;
      const ref: ObjectRef = { section, tag: 'property', id: nv.id };
      // The pairs of a set only the live side has share the set's owner (a recorded set the topology dropped).
      const ctx: Ctx = { section, out, managed: classify(own, ref, !!p) || (!x && setCtx.managed) };
      const before = out.length;
      emitObject(p, q, ctx, [setId]);
      for (let i = before; i < out.length; i++) out[i]!.tag = 'property';
    }
  }
}

function compareSection(section: string, a: NormNode | undefined, b: NormNode | undefined, own: Ownership, out: ObjectChange[]): void {
  if (PROPERTY_SECTIONS.has(section)) return compareProperties(section, a, b, own, out);
  if (a && b) {
    // The section element's own attributes (rare), then its objects.
    const changes: ValueChange[] = [];
    compareAttrs(a, b, [], changes);
    if (changes.length) out.push({ kind: 'changed', managed: true, section, tag: section, id: section, parents: [], changes });
  }
  const m = match(a?.children ?? [], b?.children ?? []);
  const ids = section === 'resources' ? { fromIds: indexResources(a), liveIds: indexResources(b) } : {};
  const visit = (x: NormNode | undefined, y: NormNode | undefined) => {
    const n = (x ?? y)!;
    const ref = { section, tag: n.tag, id: n.id };
    const ctx: Ctx = { section, out, managed: classify(own, ref, !!x), ...ids };
    if (x && y && own.recorded && !own.recorded.has(n.id) && !alwaysUnmanaged(ref)) ctx.foreign = true;
    emitObject(x, y, ctx, []);
  };
  for (const [x, y] of m.pairs) visit(x, y);
  for (const x of m.onlyA) visit(x, undefined);
  for (const y of m.onlyB) visit(undefined, y);
}

function compareCibAttrs(a: NormCib, b: NormCib, out: ObjectChange[]): void {
  const changes: ValueChange[] = [];
  const names = [...new Set([...Object.keys(a.cib), ...Object.keys(b.cib)])].sort();
  for (const name of names) {
    const x = a.cib[name];
    const y = b.cib[name];
    if (x === y) continue;
    const c: ValueChange = { kind: x === undefined ? 'added' : y === undefined ? 'removed' : 'changed', path: name };
    if (x !== undefined) c.from = maskValue(name, x)!;
    if (y !== undefined) c.to = maskValue(name, y)!;
    changes.push(c);
  }
  if (changes.length) out.push({ kind: 'changed', managed: true, section: 'cib', tag: 'cib', id: 'cib', parents: [], changes });
}

const SECTION_RANK = new Map<string, number>(SECTION_ORDER.map((s, i) => [s, i]));

/** Compares normalised CIBs: `from` is the reference (compiled or saved), `live` the cluster's. */
export function compareNormalized(from: NormCib, live: NormCib, own: Ownership): CibDiff {
  const out: ObjectChange[] = [];
  compareCibAttrs(from, live, out);
  const sections = [...new Set([...from.sections.keys(), ...live.sections.keys()])];
  for (const s of sections) compareSection(s, from.sections.get(s), live.sections.get(s), own, out);
  // Stable report order: section, then root object, keeping each object before its nested ones.
  const rootOf = (c: ObjectChange) => (c.tag === 'property' ? c.id : (c.parents[0] ?? c.id));
  const indexed = out.map((c, i) => ({ c, i }));
  indexed.sort(
    (p, q) =>
      (SECTION_RANK.get(p.c.section) ?? SECTION_ORDER.length) - (SECTION_RANK.get(q.c.section) ?? SECTION_ORDER.length) ||
      compareStrings(p.c.section, q.c.section) ||
      Number(!p.c.managed) - Number(!q.c.managed) ||
      compareStrings(rootOf(p.c), rootOf(q.c)) ||
      compareStrings(p.c.parents.join('\u0000'), q.c.parents.join('\u0000')) ||
      p.i - q.i,
  );
  const changes = indexed.map((x) => x.c);
  const counts = { added: 0, removed: 0, changed: 0, unmanaged: 0 };
  for (const c of changes) {
    if (!c.managed) counts.unmanaged++;
    else counts[c.kind]++;
  }
  return { changes, counts, drift: counts.added + counts.removed + counts.changed > 0 };
}

/** The semantic diff of two parsed CIBs (each a <cib> or a <configuration>). */
export function diffCibs(from: XmlElement, live: XmlElement, own: Ownership): DiffResult {
  // With recorded ownership, the record is bookkeeping and the operator's runtime state on
  // resources is reported as theirs, not compared.
  let runtime: ObjectChange[] = [];
  let nodePairs: ObjectChange[] = [];
  let dropped: ObjectChange[] = [];
  if (own.recorded) {
    const props = setAsideRuntimeProperties(withoutRecord(from), withoutRecord(live), own.intent ?? new Map());
    const aside = setAsideRuntime(props.reference, props.live, own.intent);
    live = aside.live;
    runtime = [...props.operator, ...aside.changes];
    dropped = props.dropped;
    from = aside.reference;
    // The node attributes and capacities the topology declares or the record lists are hactl's;
    // the rest of each node entry stays the operators'.
    const split = splitNodePairs(from, live, own.nodePairs ?? new Set());
    from = split.from;
    live = split.live;
    nodePairs = split.changes;
  }
  const [pa, pb] = pruneIdentical(from, live);
  const a = normalizeCib(pa);
  if (!a.ok) return { ok: false, side: 'from', message: a.message };
  const b = normalizeCib(pb);
  if (!b.ok) return { ok: false, side: 'live', message: b.message };
  const diff = compareNormalized(a.cib, b.cib, own);
  if (dropped.length) {
    diff.changes.unshift(...dropped);
    diff.counts.added += dropped.length;
    diff.drift = true;
  }
  if (nodePairs.length) {
    // Before the other node entries, as the report orders managed changes first in a section.
    const at = diff.changes.findIndex((c) => (SECTION_RANK.get(c.section) ?? SECTION_ORDER.length) >= SECTION_RANK.get('nodes')!);
    diff.changes.splice(at < 0 ? diff.changes.length : at, 0, ...nodePairs);
    for (const c of nodePairs) diff.counts[c.kind]++;
    diff.drift = true;
  }
  if (runtime.length) {
    diff.changes.push(...runtime);
    diff.counts.unmanaged += runtime.length;
  }
  return { ok: true, diff };
}
