/**
 * Restarting a clone one node at a time when its definition changes.
 *
 * Pushed as one change, new parameters of a clone restart every instance in the same transition:
 * the service stops everywhere at once. Pacemaker restarts an instance when the parameters it
 * resolves on its node differ from those it was started with, and instance attribute sets may be
 * limited to nodes by a rule. So the change is staged: the CIB is pushed with the live parameter
 * sets plus a set of the new parameters that applies only on the nodes done so far (a rule on
 * #uname, a score above the others); each push restarts the instance of one more node, and is
 * waited for before the next. The last push is the compiled CIB itself, which then restarts only
 * the last node: on every other node the resolved parameters are already the new ones.
 */
import { el, type XmlElement } from '../xml/tree.js';

function find(e: XmlElement, pred: (x: XmlElement) => boolean): XmlElement | undefined {
  for (const c of e.children) {
    if (pred(c)) return c;
    const hit = find(c, pred);
    if (hit) return hit;
  }
  return undefined;
}

const isPrimitive = (id: string) => (x: XmlElement) => x.name === 'primitive' && x.attrs.id === id;

/** Whether `id` is a primitive inside a clone of `cib`. */
export function inClone(cib: XmlElement | undefined, id: string): boolean {
  const walk = (e: XmlElement, clone: boolean): boolean => e.children.some((c) => (isPrimitive(id)(c) && clone) || walk(c, clone || c.name === 'clone'));
  return !!cib && walk(cib, false);
}

/** The parameters a primitive's unconditional sets resolve to (the first set naming one wins). */
function parameters(p: XmlElement): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of p.children.filter((c) => c.name === 'instance_attributes')) {
    for (const nv of set.children) if (nv.name === 'nvpair' && nv.attrs.name !== undefined && !out.has(nv.attrs.name)) out.set(nv.attrs.name, nv.attrs.value ?? '');
  }
  return out;
}

const hasRule = (p: XmlElement) => p.children.some((s) => s.name === 'instance_attributes' && s.children.some((c) => c.name === 'rule'));

/**
 * Whether a changed clone primitive can be rolled out node by node: it is in a clone in both CIBs,
 * no set has a rule, and no parameter is dropped (a dropped one would still resolve to its old
 * value on the nodes done, and the last push would then restart them all together again).
 */
export function canRoll(live: XmlElement, compiled: XmlElement, id: string): boolean {
  if (!inClone(live, id) || !inClone(compiled, id)) return false;
  const l = find(live, isPrimitive(id));
  const c = find(compiled, isPrimitive(id));
  if (!l || !c || hasRule(l) || hasRule(c)) return false;
  const next = parameters(c);
  return [...parameters(l).keys()].every((k) => next.has(k));
}

/** Above any score hactl or an operator gives a parameter set: the new values win where the rule holds. */
const STAGE_SCORE = '1000000';

/**
 * The candidate CIB with each staged primitive's parameters new only on the nodes given (`done`),
 * and as they are live elsewhere. Everything else is the candidate's.
 */
export function stagedCandidate(candidate: XmlElement, live: XmlElement, done: ReadonlyMap<string, readonly string[]>): XmlElement {
  const copy = (e: XmlElement): XmlElement => ({ name: e.name, attrs: { ...e.attrs }, children: e.children.map(copy) });
  const out = copy(candidate);
  for (const [id, nodes] of done) {
    const p = find(out, isPrimitive(id));
    const old = find(live, isPrimitive(id));
    if (!p || !old) throw new Error(`internal: ${id} is not in both the candidate and the live CIB`);
    const next = parameters(p);
    const base = `${id}-hactl-rolling`;
    // The live sets, without the stage pushed before this one (this stage's set replaces it).
    const sets = old.children.filter((c) => c.name === 'instance_attributes' && c.attrs.id !== base).map(copy);
    if (nodes.length) {
      const rule = el('rule', { id: `${base}-rule`, 'boolean-op': 'or', score: '0' }, nodes.map((n, i) => el('expression', { id: `${base}-on-${i}`, attribute: '#uname', operation: 'eq', value: n })));
      const pairs = [...next].map(([name, value], i) => el('nvpair', { id: `${base}-${i}`, name, value }));
      sets.push(el('instance_attributes', { id: base, score: STAGE_SCORE }, [rule, ...pairs]));
    }
    p.children = [...p.children.filter((c) => c.name !== 'instance_attributes'), ...sets];
  }
  return out;
}
