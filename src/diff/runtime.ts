/**
 * An operator's runtime state on resources hactl owns: `crm resource stop/start` (target-role),
 * `crm resource unmanage` (is-managed), `crm resource maintenance` (maintenance). Pacemaker keeps
 * these as meta attributes of the resource itself, so a plain comparison would call them drift
 * and an apply would undo a stop.
 *
 * The topology may state the same attributes as intent (a service meant to be stopped, unmanaged
 * or in maintenance). Both live in one place, so the ownership record keeps the values the last
 * apply wrote as intent (`hactl-intent`), and for each resource and attribute, with L the live
 * value, C the compiled (intended) one and R the recorded one:
 * - C set: L = C is in sync. L != C while R = C means hactl wrote C and someone changed it since:
 *   the operator's (kept, shown as theirs, L absent included: `pcs resource enable` removes it).
 *   L != C with R != C is a new intent: drift, and apply writes C.
 * - C not set: L set and R = L is an intent the topology dropped: drift, and apply removes it
 *   (the resource returns to Pacemaker's default, started and managed). Any other L is the
 *   operator's.
 * The operator's values are set aside before comparing, reported as unmanaged state, and carried
 * over by apply.
 */
import { configurationOf, type XmlElement } from '../xml/tree.js';
import { compareStrings } from '../util/compare.js';
import type { ObjectChange, ValueChange } from './compare.js';
import { RUNTIME_META } from '../vocabulary.js';
import { RESOURCE_TAGS } from './rules.js';

export { RUNTIME_META };

/** The first value of each runtime meta attribute a resource element sets itself (not its children). */
function runtimeValues(rsc: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of rsc.children) {
    if (set.name !== 'meta_attributes') continue;
    for (const nv of set.children) {
      const name = nv.attrs.name;
      if (nv.name === 'nvpair' && name !== undefined && RUNTIME_META.has(name) && !out.has(name)) out.set(name, nv.attrs.value ?? '');
    }
  }
  return out;
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

/** A record key: `id/name`. */
const key = (id: string, name: string) => `${id}/${name}`;

/** The record tokens (`id/name=value`, sorted) for the intent a compiled CIB states. */
export function intentTokensOf(compiled: XmlElement): string[] {
  const out: string[] = propertyIntentTokensOf(compiled);
  for (const [id, rsc] of resourcesById(resourcesOf(compiled))) for (const [name, value] of runtimeValues(rsc)) out.push(`${key(id, name)}=${encodeURIComponent(value)}`);
  return out.sort(compareStrings);
}

/** An operator's runtime value on a resource, and the intent it stands over (if any). */
interface OperatorPair {
  /** The live value; undefined: the operator removed the value hactl wrote. */
  value: string | undefined;
  intent: string | undefined;
}

/** The runtime pairs of live resource `rsc` that are the operator's (see the module comment). */
function operatorPairs(rsc: XmlElement, reference: XmlElement | undefined, recorded: ReadonlyMap<string, string>): Map<string, OperatorPair> {
  const id = rsc.attrs.id ?? '';
  const live = runtimeValues(rsc);
  const declared = reference ? runtimeValues(reference) : new Map<string, string>();
  const out = new Map<string, OperatorPair>();
  for (const name of RUNTIME_META) {
    const l = live.get(name);
    const c = declared.get(name);
    const r = recorded.get(key(id, name));
    if (c === undefined) {
      if (l !== undefined && r !== l) out.set(name, { value: l, intent: undefined });
    } else if (l !== c && r === c) out.set(name, { value: l, intent: c });
  }
  return out;
}

/** A resource element without the given runtime pairs (and without an empty meta set). */
function stripped(rsc: XmlElement, names: ReadonlySet<string>, strip: (e: XmlElement) => XmlElement): XmlElement {
  const children: XmlElement[] = [];
  for (const c of rsc.children) {
    if (c.name === 'meta_attributes') {
      const kept = c.children.filter((nv) => !(nv.name === 'nvpair' && nv.attrs.name !== undefined && names.has(nv.attrs.name)));
      // An empty set is what `crm_resource --meta --delete-parameter` leaves behind: it sets nothing.
      if (!kept.length) continue;
      if (kept.length === c.children.length) children.push(c);
      else if (kept.length) children.push({ ...c, children: kept });
      continue;
    }
    children.push(RESOURCE_TAGS.has(c.name) ? strip(c) : c);
  }
  return { ...rsc, children };
}

function withResources(root: XmlElement, section: XmlElement, next: XmlElement): XmlElement {
  const conf = configurationOf(root)!;
  const nextConf = { ...conf, children: conf.children.map((c) => (c === section ? next : c)) };
  return root === conf ? nextConf : { ...root, children: root.children.map((c) => (c === conf ? nextConf : c)) };
}

/**
 * The live CIB without the operator's runtime state on resources the reference also has, the
 * reference without the intent that state stands over, and that state as unmanaged report entries
 * (one per resource). Resources only on the live side keep theirs: they are reported whole anyway.
 */
export function setAsideRuntime(reference: XmlElement, live: XmlElement, recorded: ReadonlyMap<string, string> = new Map()): { reference: XmlElement; live: XmlElement; changes: ObjectChange[] } {
  const refSection = resourcesOf(reference);
  const refs = resourcesById(refSection);
  const section = resourcesOf(live);
  if (!section || !refSection || !refs.size) return { reference, live, changes: [] };
  const changes: ObjectChange[] = [];
  /** Names of intent pairs the operator's state stands over, per reference resource id. */
  const overridden = new Map<string, Set<string>>();
  const strip = (rsc: XmlElement, parents: string[]): XmlElement => {
    const id = rsc.attrs.id ?? '';
    const ref = refs.get(id);
    const pairs = ref && ref.name === rsc.name ? operatorPairs(rsc, ref, recorded) : new Map<string, OperatorPair>();
    if (pairs.size) {
      const over = [...pairs].filter(([, p]) => p.intent !== undefined);
      if (over.length) overridden.set(id, new Set(over.map(([name]) => name)));
      changes.push({
        kind: 'changed',
        managed: false,
        section: 'resources',
        tag: rsc.name,
        id,
        parents,
        summary: over.length ? "operator's runtime state over the topology's intent: kept by apply" : "operator's runtime state: kept by apply",
        changes: [...pairs].map(([name, p]): ValueChange => {
          const path = `meta ${name}`;
          if (p.intent === undefined) return { kind: 'added', path, to: p.value! };
          return p.value === undefined ? { kind: 'removed', path, from: p.intent } : { kind: 'changed', path, from: p.intent, to: p.value };
        }),
      });
    }
    return stripped(rsc, new Set(pairs.keys()), (c) => strip(c, [...parents, id]));
  };
  const nextSection = { ...section, children: section.children.map((c) => (RESOURCE_TAGS.has(c.name) ? strip(c, []) : c)) };
  // The reference loses the intent the operator's state stands over, and, like the live side,
  // its empty meta sets: an empty set is nothing on either side (an imported `clone_meta: {}`
  // compiles to one, and comparing it with a live side stripped of its own would never settle).
  const none: ReadonlySet<string> = new Set();
  const unset = (rsc: XmlElement): XmlElement => stripped(rsc, overridden.get(rsc.attrs.id ?? '') ?? none, unset);
  const nextReference = withResources(reference, refSection, { ...refSection, children: refSection.children.map((c) => (RESOURCE_TAGS.has(c.name) ? unset(c) : c)) });
  return { reference: nextReference, live: withResources(live, section, nextSection), changes };
}

/**
 * Carries the operator's runtime pairs of a live object over into its replacement (mutated): for
 * each resource in `replacement` (at any depth) whose live twin has runtime pairs that are the
 * operator's, the operator's value replaces the intent (or is added to its first meta set, or a
 * new one), and an intent value the operator removed is left out.
 */
export function carryRuntime(liveObject: XmlElement, replacement: XmlElement, recorded: ReadonlyMap<string, string> = new Map()): void {
  const live = resourcesById({ name: 'resources', attrs: {}, children: [liveObject] });
  const visit = (rsc: XmlElement) => {
    const twin = live.get(rsc.attrs.id ?? '');
    if (twin && twin.name === rsc.name) {
      const pairs = operatorPairs(twin, rsc, recorded);
      if (pairs.size) {
        for (const set of rsc.children) if (set.name === 'meta_attributes') set.children = set.children.filter((nv) => !(nv.name === 'nvpair' && pairs.has(nv.attrs.name ?? '')));
        rsc.children = rsc.children.filter((c) => c.name !== 'meta_attributes' || c.children.length > 0);
        const keep = [...pairs].filter(([, p]) => p.value !== undefined);
        let set = rsc.children.find((c) => c.name === 'meta_attributes');
        if (!set && keep.length) {
          const liveSet = twin.children.find((c) => c.name === 'meta_attributes');
          set = { name: 'meta_attributes', attrs: { id: liveSet?.attrs.id ?? `${rsc.attrs.id}-meta_attributes` }, children: [] };
          // Pacemaker's schema wants a resource's sets before its operations.
          const at = rsc.children.findIndex((c) => c.name === 'operations' || RESOURCE_TAGS.has(c.name));
          rsc.children.splice(at < 0 ? rsc.children.length : at, 0, set);
        }
        const liveNv = new Map(twin.children.filter((c) => c.name === 'meta_attributes').flatMap((s) => s.children).map((nv) => [nv.attrs.name ?? '', nv]));
        for (const [name, p] of keep) set!.children.push({ name: 'nvpair', attrs: { id: liveNv.get(name)?.attrs.id ?? `${set!.attrs.id}-${name}`, name, value: p.value! }, children: [] });
      }
    }
    for (const c of rsc.children) if (RESOURCE_TAGS.has(c.name)) visit(c);
  };
  visit(replacement);
}

/**
 * Cluster properties that hold the whole cluster out of Pacemaker's care: what `crm configure
 * property maintenance-mode=true` (or stop-all-resources) writes, and what a topology may state as
 * intent under `properties:`. Kept like the resources' runtime pairs above, recorded as
 * `#crm_config/NAME` (`#` is in no XML ID).
 */
export const RUNTIME_PROPERTIES: ReadonlySet<string> = new Set(['maintenance-mode', 'stop-all-resources']);
const propertyKey = (name: string) => `#crm_config/${name}`;

/** The first value of each runtime property in a CIB's crm_config (the record's set aside). */
function propertyValues(root: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of configurationOf(root)?.children.find((c) => c.name === 'crm_config')?.children ?? []) {
    if (set.name !== 'cluster_property_set' || set.attrs.id === 'hactl-ownership') continue;
    for (const nv of set.children) {
      const name = nv.attrs.name;
      if (nv.name === 'nvpair' && name !== undefined && RUNTIME_PROPERTIES.has(name) && !out.has(name)) out.set(name, nv.attrs.value ?? '');
    }
  }
  return out;
}

/** The record tokens for the runtime properties a compiled CIB sets. */
export function propertyIntentTokensOf(compiled: XmlElement): string[] {
  return [...propertyValues(compiled)].map(([name, value]) => `${propertyKey(name)}=${encodeURIComponent(value)}`).sort(compareStrings);
}

export interface PropertyIntent {
  /**
   * The operator's values (kept): name -> live value (undefined when deleted) and the topology's
   * intent it stands over (undefined when the topology states none).
   */
  operator: Map<string, { value: string | undefined; intent: string | undefined }>;
  /** Intent the topology dropped while hactl's value is still there (removed by apply): name -> live value. */
  dropped: Map<string, string>;
}

/** Which runtime properties are the operator's and which intent the topology dropped (module comment's rules). */
export function propertyIntent(compiled: XmlElement, live: XmlElement, recorded: ReadonlyMap<string, string>): PropertyIntent {
  const c = propertyValues(compiled);
  const l = propertyValues(live);
  const out: PropertyIntent = { operator: new Map(), dropped: new Map() };
  for (const name of RUNTIME_PROPERTIES) {
    const want = c.get(name);
    const now = l.get(name);
    const r = recorded.get(propertyKey(name));
    if (want !== undefined && now !== want && r === want) out.operator.set(name, { value: now, intent: want });
    else if (want === undefined && now !== undefined) {
      if (r === now) out.dropped.set(name, now);
      else out.operator.set(name, { value: now, intent: undefined });
    }
  }
  return out;
}

/** A CIB (a copy along the changed path) without the named crm_config pairs. */
export function withoutProperties(root: XmlElement, names: ReadonlySet<string>): XmlElement {
  const conf = configurationOf(root);
  const props = conf?.children.find((c) => c.name === 'crm_config');
  if (!conf || !props || !names.size) return root;
  const nextProps = {
    ...props,
    children: props.children.map((set) => (set.name === 'cluster_property_set' ? { ...set, children: set.children.filter((nv) => !(nv.name === 'nvpair' && names.has(nv.attrs.name ?? ''))) } : set)),
  };
  const nextConf = { ...conf, children: conf.children.map((c) => (c === props ? nextProps : c)) };
  return root === conf ? nextConf : { ...root, children: root.children.map((c) => (c === conf ? nextConf : c)) };
}

/**
 * The runtime properties set aside before comparing: the operator's (kept, reported unmanaged)
 * from both sides, dropped intent from the live side (reported as managed drift, removed by apply).
 */
export function setAsideRuntimeProperties(reference: XmlElement, live: XmlElement, recorded: ReadonlyMap<string, string>): { reference: XmlElement; live: XmlElement; operator: ObjectChange[]; dropped: ObjectChange[] } {
  const p = propertyIntent(reference, live, recorded);
  const change = (name: string, managed: boolean, summary: string | undefined, v: ValueChange): ObjectChange => ({ kind: managed ? 'added' : 'changed', managed, section: 'crm_config', tag: 'property', id: name, parents: [], ...(summary ? { summary } : {}), changes: [v] });
  const operator = [...p.operator].map(([name, o]) =>
    o.intent === undefined
      ? change(name, false, "operator's runtime state: kept by apply", { kind: 'added', path: 'value', to: o.value! })
      : change(name, false, "operator's runtime state over the topology's intent: kept by apply", o.value === undefined ? { kind: 'removed', path: 'value', from: o.intent } : { kind: 'changed', path: 'value', from: o.intent, to: o.value }),
  );
  const dropped = [...p.dropped].map(([name, value]) => change(name, true, 'intent dropped from the topology: apply removes it', { kind: 'added', path: 'value', to: value }));
  const aside = new Set([...p.operator.keys(), ...p.dropped.keys()]);
  return { reference: withoutProperties(reference, new Set(p.operator.keys())), live: withoutProperties(live, aside), operator, dropped };
}
