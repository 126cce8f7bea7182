/**
 * Node attributes and capacities that the topology declares: the one part of a node entry hactl
 * manages. The rest of an entry (standby, health, an operator's own attributes) stays the
 * cluster's and its operators'. A pair is matched by node uname (node ids are corosync's), by
 * kind (instance_attributes or utilization) and by name; the set and nvpair ids are handles that
 * crm_attribute, crmsh and pcs each make up.
 *
 * The pairs an apply wrote are listed in the ownership record as `kind/uname/name` tokens, so that
 * a pair dropped from the topology is removed later only when hactl recorded it: an operator's pair
 * of the same name on another node, or of the other kind, is never taken.
 */
import { configurationOf, type XmlElement } from '../xml/tree.js';
import type { ObjectChange, ValueChange } from './compare.js';
import { compareStrings } from '../util/compare.js';

/** The node sets whose pairs the topology declares, and the word a diff shows for each. */
export const NODE_PAIR_KINDS = { instance_attributes: 'attributes', utilization: 'utilization' } as const;
export type NodePairKind = keyof typeof NODE_PAIR_KINDS;

const isKind = (name: string): name is NodePairKind => name === 'instance_attributes' || name === 'utilization';

/** A token of the ownership record: neither unames nor pair names hold `/` or spaces. */
export function nodePairToken(kind: NodePairKind, uname: string, name: string): string {
  return `${kind}/${uname}/${name}`;
}

function nodesOf(root: XmlElement): XmlElement[] {
  return configurationOf(root)?.children.find((c) => c.name === 'nodes')?.children.filter((c) => c.name === 'node') ?? [];
}

/** The pairs a compiled CIB declares, per uname: kind -> name -> value, in document order. */
export function declaredNodePairs(compiled: XmlElement): Map<string, Map<NodePairKind, Map<string, string>>> {
  const out = new Map<string, Map<NodePairKind, Map<string, string>>>();
  for (const n of nodesOf(compiled)) {
    const uname = n.attrs.uname;
    if (uname === undefined) continue;
    const kinds = new Map<NodePairKind, Map<string, string>>();
    for (const set of n.children) {
      if (!isKind(set.name)) continue;
      const pairs = kinds.get(set.name) ?? new Map<string, string>();
      kinds.set(set.name, pairs);
      for (const nv of set.children) if (nv.name === 'nvpair' && nv.attrs.name !== undefined) pairs.set(nv.attrs.name, nv.attrs.value ?? '');
    }
    out.set(uname, kinds);
  }
  return out;
}

/** The record tokens an apply of `compiled` writes, sorted. */
export function declaredNodeTokens(compiled: XmlElement): string[] {
  const out: string[] = [];
  for (const [uname, kinds] of declaredNodePairs(compiled)) for (const [kind, pairs] of kinds) for (const name of pairs.keys()) out.push(nodePairToken(kind, uname, name));
  return out.sort(compareStrings);
}

/** The first value of a pair on a live node (Pacemaker reads the first set that has it). */
function liveValue(node: XmlElement, kind: NodePairKind, name: string): string | undefined {
  for (const set of node.children) {
    if (set.name !== kind) continue;
    for (const nv of set.children) if (nv.name === 'nvpair' && nv.attrs.name === name) return nv.attrs.value ?? '';
  }
  return undefined;
}

function without(root: XmlElement, nodes: (n: XmlElement) => XmlElement | undefined): XmlElement {
  const conf = configurationOf(root);
  const section = conf?.children.find((c) => c.name === 'nodes');
  if (!conf || !section) return root;
  const next = { ...section, children: section.children.flatMap((c) => (c.name === 'node' ? (nodes(c) ?? []) : [c])) };
  const nextConf = { ...conf, children: conf.children.map((c) => (c === section ? next : c)) };
  if (root === conf) return nextConf;
  return { ...root, children: root.children.map((c) => (c === conf ? nextConf : c)) };
}

/**
 * Splits the node pairs hactl manages out of a compiled/live comparison: `changes` are the managed
 * differences (a declared pair missing or different on the node, a recorded pair the topology no
 * longer declares still there), one object per node uname; `from` and `live` come back without
 * those pairs (and `from` without nodes the live CIB does not have), so that what is left of the
 * node entries is compared as before, as the operators' state.
 */
export function splitNodePairs(from: XmlElement, live: XmlElement, recorded: ReadonlySet<string>): { from: XmlElement; live: XmlElement; changes: ObjectChange[] } {
  const declared = declaredNodePairs(from);
  const liveByUname = new Map(nodesOf(live).flatMap((n) => (n.attrs.uname !== undefined ? [[n.attrs.uname, n] as const] : [])));
  const changes: ObjectChange[] = [];
  const unames = new Set([...declared.keys(), ...[...recorded].map((t) => t.split('/')[1] ?? '')]);
  for (const uname of [...unames].sort(compareStrings)) {
    const node = liveByUname.get(uname);
    const want = declared.get(uname);
    const values: ValueChange[] = [];
    for (const kind of Object.keys(NODE_PAIR_KINDS) as NodePairKind[]) {
      const label = NODE_PAIR_KINDS[kind];
      const pairs = want?.get(kind) ?? new Map<string, string>();
      for (const [name, value] of pairs) {
        const now = node ? liveValue(node, kind, name) : undefined;
        if (now === undefined) values.push({ kind: 'removed', path: `${label} ${name}`, from: value });
        else if (now !== value) values.push({ kind: 'changed', path: `${label} ${name}`, from: value, to: now });
      }
      if (!node) continue;
      for (const t of recorded) {
        const [k, u, name] = t.split('/');
        if (k !== kind || u !== uname || name === undefined || pairs.has(name)) continue;
        const now = liveValue(node, kind, name);
        if (now !== undefined) values.push({ kind: 'added', path: `${label} ${name}`, to: now });
      }
    }
    if (values.length) changes.push({ kind: node ? 'changed' : 'removed', managed: true, section: 'nodes', tag: 'node', id: uname, parents: [], summary: `node ${uname}`, changes: values });
  }
  const managedHere = (uname: string, kind: NodePairKind, name: string) => !!declared.get(uname)?.get(kind)?.has(name) || recorded.has(nodePairToken(kind, uname, name));
  const strip = (n: XmlElement, keep: (kind: NodePairKind, name: string) => boolean): XmlElement => ({
    ...n,
    children: n.children.flatMap((set) => {
      if (!isKind(set.name)) return [set];
      const kind = set.name;
      const rest = set.children.filter((nv) => nv.name !== 'nvpair' || nv.attrs.name === undefined || keep(kind, nv.attrs.name));
      return rest.length === set.children.length ? [set] : rest.length ? [{ ...set, children: rest }] : [];
    }),
  });
  return {
    from: without(from, (n) => (n.attrs.uname !== undefined && !liveByUname.has(n.attrs.uname) ? undefined : strip(n, () => false))),
    live: without(live, (n) => (n.attrs.uname === undefined ? n : strip(n, (kind, name) => !managedHere(n.attrs.uname!, kind, name)))),
    changes,
  };
}
