/**
 * A CIB as the diff sees it: the configuration only (no status), each element with the key it is
 * matched by among its siblings and its attributes as written; values are read the way Pacemaker
 * reads them only where two spellings differ. Nothing that is not configuration. One pass, linear
 * in size, sharing the parsed tree's attribute records.
 */
import type { XmlElement } from '../xml/tree.js';
import { CIB_ATTR_DEFAULTS, CLUSTER_MAINTAINED_PROPERTIES, defaultValue, durationMs, NATURAL_KEY_TAGS, normalizeValue, orderedChildTag, PAIRED_TAGS, VOLATILE_CIB_ATTRS } from './rules.js';

export interface NormNode {
  tag: string;
  /** Unique among its siblings; what the two sides are matched by. */
  key: string;
  /** The element's id (or id-ref, or nvpair name) for reports. */
  id: string;
  /** Attributes as written (shared with the parsed tree, never modified). */
  raw: Record<string, string>;
  /** Whether the `id` attribute is a tool-made handle that is not compared (see rules.ts). */
  anonymousId: boolean;
  children: NormNode[];
  /** The child tag whose order Pacemaker uses, when it does. */
  orderedTag?: string;
}

/** Whether attribute `name` of `n` is compared and shown at all. */
export function meaningful(n: NormNode, name: string): boolean {
  return !(name === 'id' && n.anonymousId);
}

/**
 * Attribute `name` of `n` as Pacemaker reads it; an nvpair's value is read according to the
 * nvpair's name (a boolean, a duration, a role); a left-out attribute reads as its default. Only
 * called when two spellings differ.
 */
export function normalized(n: NormNode, name: string): string | undefined {
  const v = n.raw[name] ?? defaultValue(n.tag, name, n.raw);
  if (v === undefined) return undefined;
  // "normal" is the older schemas' word for a cluster member.
  if (n.tag === 'node' && name === 'type') return v === 'normal' ? 'member' : v;
  return normalizeValue(n.tag === 'nvpair' && name === 'value' ? (n.raw.name ?? name) : name, v);
}

export interface NormCib {
  /** Attributes of <cib> that are configuration (volatile ones dropped). */
  cib: Record<string, string>;
  /** Sections of <configuration> by tag; several with one tag are merged. */
  sections: Map<string, NormNode>;
}

function opKey(a: Record<string, string>): string {
  const interval = a.interval === undefined ? '0' : (durationMs(a.interval) ?? a.interval);
  return `op|${a.name ?? ''}|${interval}|${a.role ? normalizeValue('role', a.role) : ''}`;
}

function baseKey(el: XmlElement): { key: string; id: string } {
  const a = el.attrs;
  if (el.name === 'nvpair') return { key: `nvpair|${a.name ?? ''}`, id: a.name ?? '' };
  if (el.name === 'op') return { key: opKey(a), id: a.id ?? a.name ?? '' };
  if (a.id !== undefined) return { key: `${el.name}|${a.id}`, id: a.id };
  if (a['id-ref'] !== undefined) return { key: `${el.name}|ref|${a['id-ref']}`, id: a['id-ref'] };
  return { key: `${el.name}|`, id: '' };
}

export function normalizeElement(el: XmlElement, parent?: XmlElement, section?: string): NormNode {
  const { key, id } = baseKey(el);
  // Ids of paired and naturally keyed elements are tool-made handles: not compared.
  const anonymousId = (PAIRED_TAGS.has(el.name) || NATURAL_KEY_TAGS.has(el.name)) && el.attrs['id-ref'] === undefined;
  const children: NormNode[] = new Array<NormNode>();
  let seen: Map<string, number> | undefined;
  for (const c of el.children) {
    if (section === 'crm_config' && c.name === 'nvpair' && CLUSTER_MAINTAINED_PROPERTIES.has(c.attrs.name ?? '')) continue;
    const n = normalizeElement(c, el, section);
    // Duplicate keys (a name twice in one set, two anonymous elements) stay apart by occurrence.
    seen ??= new Map<string, number>();
    const k = seen.get(n.key) ?? 0;
    seen.set(n.key, k + 1);
    if (k > 0 || n.key.endsWith('|')) n.key = `${n.key}#${k}`;
    children.push(n);
  }
  const node: NormNode = { tag: el.name, key, id, raw: el.attrs, anonymousId, children };
  const ordered = orderedChildTag(el, parent?.name);
  if (ordered) node.orderedTag = ordered;
  return node;
}

export type NormalizeResult = { ok: true; cib: NormCib } | { ok: false; message: string };

/** Accepts a whole <cib> (as `cibadmin --query` prints it) or a bare <configuration>. */
export function normalizeCib(root: XmlElement): NormalizeResult {
  let configuration: XmlElement | undefined;
  const cib: Record<string, string> = {};
  if (root.name === 'cib') {
    for (const name of Object.keys(root.attrs).sort()) {
      if (!VOLATILE_CIB_ATTRS.has(name) && CIB_ATTR_DEFAULTS[name] !== root.attrs[name]!.trim()) cib[name] = root.attrs[name]!;
    }
    configuration = root.children.find((c) => c.name === 'configuration');
    if (!configuration) return { ok: false, message: '<cib> has no <configuration> element' };
  } else if (root.name === 'configuration') {
    configuration = root;
  } else {
    return { ok: false, message: `the root element is <${root.name}>, not <cib> or <configuration>` };
  }
  const sections = new Map<string, NormNode>();
  for (const s of configuration.children) {
    const n = normalizeElement(s, configuration, s.name);
    const prev = sections.get(s.name);
    if (prev) prev.children.push(...n.children);
    else sections.set(s.name, n);
  }
  return { ok: true, cib: { cib, sections } };
}
