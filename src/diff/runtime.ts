/**
 * An operator's runtime state on resources hactl owns: `crm resource stop/start` (target-role),
 * `crm resource unmanage` (is-managed), `crm resource maintenance` (maintenance). Pacemaker keeps
 * these as meta attributes of the resource itself, so a plain comparison would call them drift
 * and an apply would undo a stop. Where the reference does not set the attribute, it is the
 * operator's: set aside before comparing, reported as unmanaged state, and carried over by apply.
 */
import { configurationOf, type XmlElement } from '../xml/tree.js';
import type { ObjectChange } from './compare.js';
import { RESOURCE_TAGS } from './rules.js';

/** Meta attributes that record an operator's runtime decision on a resource. */
export const RUNTIME_META: ReadonlySet<string> = new Set(['target-role', 'is-managed', 'maintenance']);

/** Meta attribute names a resource element sets itself (not its children). */
function metaNames(rsc: XmlElement): Set<string> {
  const names = new Set<string>();
  for (const set of rsc.children) if (set.name === 'meta_attributes') for (const nv of set.children) if (nv.name === 'nvpair' && nv.attrs.name) names.add(nv.attrs.name);
  return names;
}

/** Every resource of a resources section by id, at any depth. */
function resourcesById(section: XmlElement | undefined): Map<string, XmlElement> {
  const out = new Map<string, XmlElement>();
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (!RESOURCE_TAGS.has(c.name)) continue;
      if (c.attrs.id !== undefined) out.set(c.attrs.id, c);
      walk(c);
    }
  };
  if (section) walk(section);
  return out;
}

function resourcesOf(root: XmlElement): XmlElement | undefined {
  return configurationOf(root)?.children.find((c) => c.name === 'resources');
}

/** The runtime pairs of `rsc` the reference resource does not set, as name -> value. */
function runtimePairs(rsc: XmlElement, reference: XmlElement | undefined): Map<string, string> {
  const declared = reference ? metaNames(reference) : new Set<string>();
  const out = new Map<string, string>();
  for (const set of rsc.children) {
    if (set.name !== 'meta_attributes') continue;
    for (const nv of set.children) {
      const name = nv.attrs.name;
      if (nv.name === 'nvpair' && name !== undefined && RUNTIME_META.has(name) && !declared.has(name) && !out.has(name)) out.set(name, nv.attrs.value ?? '');
    }
  }
  return out;
}

/** A resource element without the given runtime pairs (and without a meta set they leave empty). */
function stripped(rsc: XmlElement, names: ReadonlySet<string>, strip: (e: XmlElement) => XmlElement): XmlElement {
  const children: XmlElement[] = [];
  for (const c of rsc.children) {
    if (c.name === 'meta_attributes') {
      const kept = c.children.filter((nv) => !(nv.name === 'nvpair' && nv.attrs.name !== undefined && names.has(nv.attrs.name)));
      if (kept.length === c.children.length) children.push(c);
      else if (kept.length) children.push({ ...c, children: kept });
      continue;
    }
    children.push(RESOURCE_TAGS.has(c.name) ? strip(c) : c);
  }
  return { ...rsc, children };
}

/**
 * The live CIB without the runtime state on resources the reference also has, and that state as
 * unmanaged report entries (one per resource). Resources only on the live side keep theirs: they
 * are reported whole anyway.
 */
export function setAsideRuntime(reference: XmlElement, live: XmlElement): { live: XmlElement; changes: ObjectChange[] } {
  const refs = resourcesById(resourcesOf(reference));
  const section = resourcesOf(live);
  const conf = configurationOf(live);
  if (!section || !conf || !refs.size) return { live, changes: [] };
  const changes: ObjectChange[] = [];
  const strip = (rsc: XmlElement, parents: string[]): XmlElement => {
    const id = rsc.attrs.id ?? '';
    const ref = refs.get(id);
    const pairs = ref && ref.name === rsc.name ? runtimePairs(rsc, ref) : new Map<string, string>();
    if (pairs.size) {
      changes.push({
        kind: 'changed',
        managed: false,
        section: 'resources',
        tag: rsc.name,
        id,
        parents,
        summary: "operator's runtime state: kept by apply",
        changes: [...pairs].map(([name, value]) => ({ kind: 'added' as const, path: `meta ${name}`, to: value })),
      });
    }
    return stripped(rsc, new Set(pairs.keys()), (c) => strip(c, [...parents, id]));
  };
  const nextSection = { ...section, children: section.children.map((c) => (RESOURCE_TAGS.has(c.name) ? strip(c, []) : c)) };
  if (!changes.length) return { live, changes };
  const nextConf = { ...conf, children: conf.children.map((c) => (c === section ? nextSection : c)) };
  const next = live === conf ? nextConf : { ...live, children: live.children.map((c) => (c === conf ? nextConf : c)) };
  return { live: next, changes };
}

/**
 * Carries the operator's runtime pairs of a live object over into its replacement (mutated):
 * for each resource in `replacement` (at any depth) whose live twin has runtime pairs the
 * replacement does not set, those pairs are added to its first meta set (or a new one).
 */
export function carryRuntime(liveObject: XmlElement, replacement: XmlElement): void {
  const live = resourcesById({ name: 'resources', attrs: {}, children: [liveObject] });
  const visit = (rsc: XmlElement) => {
    const twin = live.get(rsc.attrs.id ?? '');
    if (twin && twin.name === rsc.name) {
      const pairs = runtimePairs(twin, rsc);
      if (pairs.size) {
        let set = rsc.children.find((c) => c.name === 'meta_attributes');
        if (!set) {
          const liveSet = twin.children.find((c) => c.name === 'meta_attributes');
          set = { name: 'meta_attributes', attrs: { id: liveSet?.attrs.id ?? `${rsc.attrs.id}-meta_attributes` }, children: [] };
          // Pacemaker's schema wants a resource's sets before its operations.
          const at = rsc.children.findIndex((c) => c.name === 'operations' || RESOURCE_TAGS.has(c.name));
          rsc.children.splice(at < 0 ? rsc.children.length : at, 0, set);
        }
        const liveNv = new Map(twin.children.filter((c) => c.name === 'meta_attributes').flatMap((s) => s.children).map((nv) => [nv.attrs.name ?? '', nv]));
        for (const [name, value] of pairs) set.children.push({ name: 'nvpair', attrs: { id: liveNv.get(name)?.attrs.id ?? `${set.attrs.id}-${name}`, name, value }, children: [] });
      }
    }
    for (const c of rsc.children) if (RESOURCE_TAGS.has(c.name)) visit(c);
  };
  visit(replacement);
}
