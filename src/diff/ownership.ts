/**
 * Who owns an object of the live CIB. Ownership is recorded in the cluster, never guessed from
 * names: apply writes a record into the CIB (the cluster property `hactl-owned` in the property
 * set `hactl-ownership`) that lists the ids of the top-level objects it manages, in the same
 * patch as the objects. Operators commonly use the very
 * ids hactl compiles (the OpenStack HA Guide's p_, g_, cl_ ...), so an id says nothing about who
 * made an object.
 *
 * The node attributes and capacities an apply set are recorded too (a second property of the
 * set, see node-pairs.ts), and so are the runtime meta attributes (target-role, is-managed,
 * maintenance) the topology states as intent (a third, see runtime.ts): what hactl wrote there is
 * the only way to tell a later `crm resource start/stop` by an operator from hactl's own value.
 *
 * Everything else on a cluster (an operator's `crm resource move` constraints, node attributes, a
 * property an operator set, objects the record does not list) is shown as unmanaged: visible, but
 * not drift that an apply would delete.
 */
import { configurationOf, type XmlElement } from '../xml/tree.js';
import { HACTL_SET_IDS, OWNERSHIP_SET, type SetSection } from '../vocabulary.js';
import { PROPERTY_SECTIONS } from './rules.js';

export interface ObjectRef {
  section: string;
  tag: string;
  id: string;
}

export interface Ownership {
  /** Short name for reports ("hactl", "reference CIB"). */
  name: string;
  /**
   * Whether an object the reference (compiled) side does not have is still one the reference
   * owns, so that its presence on the live side is drift.
   */
  ownsExtra(obj: ObjectRef): boolean;
  /**
   * The ids the live CIB records as hactl's, when ownership is recorded (hactl's own diffs): the
   * ownership record and the operator's runtime state are then set aside before comparing, and
   * an object both sides have that the record does not list is marked `foreign`.
   */
  recorded?: ReadonlySet<string>;
  /** The node pairs the live CIB records as hactl's (`kind/uname/name`, see node-pairs.ts). */
  nodePairs?: ReadonlySet<string>;
  /** The runtime meta values the last apply wrote as topology intent: `id/name` -> value (runtime.ts). */
  intent?: ReadonlyMap<string, string>;
}

/**
 * The record: a cluster property set of its own whose one property lists the ids, separated by
 * spaces. A property rather than a CIB tag: a tag's references must resolve, so every
 * `cibadmin --delete` of a recorded object by an operator would be refused by the schema, and a
 * property set is ignored by Pacemaker (it names no cluster option).
 */
export { OWNERSHIP_SET };
export const OWNERSHIP_NAME = 'hactl-owned';
/** The record's second property: the node attributes and capacities hactl set. */
export const OWNERSHIP_NODE_PAIRS = 'hactl-owned-node-pairs';
/** The record's third property: the target-role/is-managed/maintenance values hactl wrote as intent. */
export const OWNERSHIP_INTENT = 'hactl-intent';

/** Constraints that `crm resource move/ban` and `crm_resource --move/--ban` leave behind. */
const OPERATOR_CONSTRAINT = /^cli-(ban|prefer|standby)-/;

/** True for objects that belong to the cluster's operators whatever the reference says. */
export function alwaysUnmanaged(obj: ObjectRef): boolean {
  // Node entries and their attributes (standby, health) are per-node state; the pairs the
  // topology declares or the record lists are compared apart from them (node-pairs.ts).
  if (obj.section === 'nodes') return true;
  return obj.section === 'constraints' && OPERATOR_CONSTRAINT.test(obj.id);
}

function isRecord(e: XmlElement): boolean {
  return e.name === 'cluster_property_set' && e.attrs.id === OWNERSHIP_SET;
}

function recordedList(root: XmlElement, property: string): Set<string> {
  const ids = new Set<string>();
  const set = configurationOf(root)?.children.find((c) => c.name === 'crm_config')?.children.find(isRecord);
  for (const nv of set?.children ?? []) {
    if (nv.name !== 'nvpair' || nv.attrs.name !== property) continue;
    for (const id of (nv.attrs.value ?? '').split(/\s+/)) if (id) ids.add(id);
  }
  return ids;
}

/** The ids a CIB records as hactl's (empty for a cluster hactl never applied to, or an older hactl's). */
export function recordedIds(root: XmlElement): Set<string> {
  return recordedList(root, OWNERSHIP_NAME);
}

/** The node pairs a CIB records as hactl's, as `kind/uname/name` tokens. */
export function recordedNodePairs(root: XmlElement): Set<string> {
  return recordedList(root, OWNERSHIP_NODE_PAIRS);
}

/**
 * The runtime meta values a CIB records as written by hactl, `id/name` -> value (tokens
 * `id/name=value`: a resource id is an XML ID and holds neither `/` nor `=`; the value is
 * URI-encoded).
 */
export function recordedIntent(root: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of recordedList(root, OWNERSHIP_INTENT)) {
    const eq = t.indexOf('=');
    if (eq > 0) out.set(t.slice(0, eq), decodeURIComponent(t.slice(eq + 1)));
  }
  return out;
}

/** Sections whose top-level children are objects hactl can own (not per-node state, not property sets). */
function objectSection(name: string): boolean {
  return name !== 'nodes' && !PROPERTY_SECTIONS.has(name);
}

/**
 * Whether `id` names a property or defaults set hactl can own whole: a set of raw_cib, beside
 * hactl's own set of the section (which holds an operator's pairs too, merged pair by pair, and is
 * never removed whole) and the record itself.
 */
function ownableSet(section: string, id: string): boolean {
  return PROPERTY_SECTIONS.has(section) && id !== OWNERSHIP_SET && id !== HACTL_SET_IDS[section as SetSection];
}

/**
 * The ids of the top-level objects of a compiled CIB, and of the property and defaults sets it
 * writes beyond hactl's own (raw_cib's): what the record lists after an apply. A recorded set the
 * topology drops is removed by the next apply; an operator's set, never recorded, stays.
 */
export function ownedIdsOf(compiled: XmlElement): string[] {
  const ids: string[] = [];
  for (const s of configurationOf(compiled)?.children ?? []) {
    if (objectSection(s.name)) {
      for (const c of s.children) if (c.attrs.id !== undefined) ids.push(c.attrs.id);
    } else for (const c of s.children) if (c.attrs.id !== undefined && ownableSet(s.name, c.attrs.id)) ids.push(c.attrs.id);
  }
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The CIB without its ownership record (a copy along the changed path only): the record is
 * bookkeeping, neither configuration nor drift.
 */
export function withoutRecord(root: XmlElement): XmlElement {
  const conf = configurationOf(root);
  const props = conf?.children.find((c) => c.name === 'crm_config');
  if (!conf || !props || !props.children.some(isRecord)) return root;
  const nextProps = { ...props, children: props.children.filter((c) => !isRecord(c)) };
  const nextConf = { ...conf, children: conf.children.map((c) => (c === props ? nextProps : c)) };
  if (root === conf) return nextConf;
  return { ...root, children: root.children.map((c) => (c === conf ? nextConf : c)) };
}

/**
 * Writes the record into `cib` (mutated): the ids, node pair tokens and intent tokens listed, or
 * no record when hactl owns nothing.
 */
export function writeRecord(cib: XmlElement, ids: readonly string[], nodePairs: readonly string[] = [], intent: readonly string[] = []): void {
  const conf = configurationOf(cib);
  if (!conf) throw new Error('CIB without a <configuration> element');
  const empty = !ids.length && !nodePairs.length && !intent.length;
  let props = conf.children.find((c) => c.name === 'crm_config');
  if (!props) {
    if (empty) return;
    props = { name: 'crm_config', attrs: {}, children: [] };
    conf.children.unshift(props);
  }
  props.children = props.children.filter((c) => !isRecord(c));
  if (empty) return;
  const pair = (name: string, values: readonly string[]): XmlElement[] => (values.length ? [{ name: 'nvpair', attrs: { id: `${OWNERSHIP_SET}-${name}`, name, value: values.join(' ') }, children: [] }] : []);
  props.children.push({
    name: 'cluster_property_set',
    attrs: { id: OWNERSHIP_SET },
    children: [...pair(OWNERSHIP_NAME, ids), ...pair(OWNERSHIP_NODE_PAIRS, nodePairs), ...pair(OWNERSHIP_INTENT, intent)],
  });
}

/**
 * Ownership when the reference is a compiled topology and `live` the cluster's CIB: hactl owns
 * the objects the live CIB's record lists, and nothing else.
 */
export function hactlOwnership(live: XmlElement): Ownership {
  const recorded = recordedIds(live);
  return {
    name: 'hactl',
    recorded,
    nodePairs: recordedNodePairs(live),
    intent: recordedIntent(live),
    ownsExtra: (obj) => (objectSection(obj.section) || (obj.tag !== 'property' && ownableSet(obj.section, obj.id))) && recorded.has(obj.id),
  };
}

/**
 * Ownership when the reference is another saved CIB (`hactl diff --from A --live B`): the
 * reference owns everything except what always belongs to operators.
 */
export const REFERENCE_OWNERSHIP: Ownership = {
  name: 'reference CIB',
  ownsExtra: () => true,
};
