/**
 * A CIB configuration reduced to what Pacemaker acts on, so that CIBs built by different tools
 * (hactl, crmsh, pcs) can be compared: ids of resources and constraints are kept (they are how
 * the cluster refers to things), generated ids of attribute sets, nvpairs, operations, rules
 * and expressions are dropped, defaults the tools spell out are dropped, and children are put
 * in one order except where order means something (the members of a group).
 */
import type { XmlElement } from '../../xml/tree.js';
import { compareStrings } from '../../util/compare.js';

/** Elements whose id is a generated detail, not a name the cluster acts on. */
const GENERATED_ID = new Set(['fencing-level', 'nvpair', 'instance_attributes', 'meta_attributes', 'utilization', 'cluster_property_set', 'op', 'rule', 'expression', 'date_expression', 'resource_set', 'recipient']);

/** Attribute values Pacemaker assumes when they are absent (pcs writes them out). */
const DEFAULTS: Record<string, Record<string, string>> = {
  rsc_order: { 'first-action': 'start', 'then-action': 'start' },
  rsc_colocation: { 'rsc-role': 'Started', 'with-rsc-role': 'Started' },
  rule: { 'boolean-op': 'and' },
  resource_set: { sequential: 'true', 'require-all': 'true' },
};

export interface Canonical {
  name: string;
  attrs: [string, string][];
  children: Canonical[];
}

function canonical(e: XmlElement): Canonical | undefined {
  const attrs = Object.entries(e.attrs)
    .filter(([k, v]) => !(k === 'id' && GENERATED_ID.has(e.name)) && DEFAULTS[e.name]?.[k] !== v)
    .sort(([a], [b]) => compareStrings(a, b));
  let children = e.children.map(canonical).filter((c): c is Canonical => !!c);
  // Empty sets mean nothing.
  if (['instance_attributes', 'meta_attributes', 'operations', 'utilization'].includes(e.name) && !children.length) return undefined;
  const key = (c: Canonical) => JSON.stringify(c);
  if (e.name === 'rsc_order' || e.name === 'rsc_colocation' || e.name === 'resource_set') {
    // A constraint's sets and a set's members are in order (start order, placement order).
  } else if (e.name === 'group') {
    // Member order is start order; everything else in any order.
    const members = children.filter((c) => c.name === 'primitive');
    const rest = children.filter((c) => c.name !== 'primitive').sort((a, b) => compareStrings(key(a), key(b)));
    children = [...rest, ...members];
  } else {
    children.sort((a, b) => compareStrings(key(a), key(b)));
  }
  return { name: e.name, attrs, children };
}

/** The canonical form of a CIB's <configuration>; undefined when the CIB has none. */
export function normalizeConfiguration(cib: XmlElement): Canonical | undefined {
  const conf = cib.name === 'configuration' ? cib : cib.children.find((c) => c.name === 'configuration');
  return conf ? canonical(conf) : undefined;
}

/** Canonical form as indented text: equal configurations give equal text, and a diff reads well. */
export function canonicalText(c: Canonical | undefined, indent = ''): string {
  if (!c) return '';
  const head = `${indent}${c.name}${c.attrs.map(([k, v]) => ` ${k}=${JSON.stringify(v)}`).join('')}\n`;
  return head + c.children.map((ch) => canonicalText(ch, indent + '  ')).join('');
}
