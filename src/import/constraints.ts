/**
 * Which constraints `hactl import` writes as fields of its typed services: those a typed service
 * derives itself, with the ids it derives (src/compile/pacemaker/ids.ts) — the colocation and
 * order with its VIP (`vip:`), the Optional order after another service (`after:`), the location
 * that keeps it on some nodes (`nodes:`) and its location rules (`rules:`). Every other constraint
 * stays raw. A claim is a proposal: the topology is compiled and diffed against the CIB it came
 * from, and a service whose derived constraints differ from the running ones in anything keeps
 * them raw (driftedClaims), so a typed constraint is always exactly the running one.
 */
import { toCib } from '../compile/cib/index.js';
import { colocationId, locationId, orderId, vipId } from '../compile/pacemaker/ids.js';
import { diffCibs, REFERENCE_OWNERSHIP } from '../diff/index.js';
import { loadTopology } from '../load.js';
import type { XmlElement } from '../xml/tree.js';
import type { TypedService, TypedVip } from './typed.js';

const ATTRIBUTE = /^#?[a-zA-Z_][a-zA-Z0-9_.-]*$/;
const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const VALUE = /^[^\u0000-\u001f\u007f]{1,256}$/;

export type TypedExpression = { attribute: string; operation: string; value?: string } | { date: 'in_range' | 'gt' | 'lt'; start?: string; end?: string };

export interface TypedRule {
  score: string;
  boolean?: 'and' | 'or';
  expressions: TypedExpression[];
}

/** What a service derives from its placement fields, and the constraints they stand for. */
export interface Placement {
  vip?: string;
  after: string[];
  nodes?: string[];
  rules: TypedRule[];
  /** Ids of the constraints these fields stand for (written as a comment beside them). */
  ids: string[];
}

/** The resource a service's constraints name: its clone, group or bundle, else its primitive. */
export const topOf = (s: TypedService): string => s.clone?.id ?? s.group?.id ?? s.bundle?.id ?? s.id;

/**
 * Pacemaker's defaults of an order, which pcs writes out (the actions) or leaves out (kind) where
 * hactl does the other: compared with them filled in; the compile-and-diff proof has the last word.
 */
const ORDER_DEFAULTS: Record<string, string> = { kind: 'Mandatory', 'first-action': 'start', 'then-action': 'start' };

/** Whether `e` is exactly `<name id=… attrs…/>`: no other attribute, no child. */
function exactly(e: XmlElement | undefined, name: string, attrs: Record<string, string | undefined>): boolean {
  if (!e || e.name !== name || e.children.length) return false;
  const filled = (a: Record<string, string | undefined>): Map<string, string> => {
    const m = new Map(Object.entries(name === 'rsc_order' ? { ...ORDER_DEFAULTS, ...a } : a).filter((x): x is [string, string] => x[1] !== undefined && x[0] !== 'id'));
    for (const [k, v] of Object.entries(name === 'rsc_order' ? ORDER_DEFAULTS : {})) if (a[k] === undefined) m.set(k, v);
    return m;
  };
  const want = filled(attrs);
  const have = filled(e.attrs);
  return have.size === want.size && [...want].every(([k, v]) => have.get(k) === v);
}

/** The one rule of a location on `rsc` with nothing else, or undefined. */
function soleRule(e: XmlElement | undefined, rsc: string): XmlElement | undefined {
  if (!e || e.name !== 'rsc_location' || e.attrs.rsc !== rsc || Object.keys(e.attrs).some((k) => k !== 'id' && k !== 'rsc')) return undefined;
  const [rule, ...rest] = e.children;
  if (!rule || rest.length || rule.name !== 'rule' || Object.keys(rule.attrs).some((k) => !['id', 'score', 'boolean-op'].includes(k))) return undefined;
  return rule;
}

/** A location rule as the topology writes it, or undefined when it holds what a service's rules cannot. */
function typedRule(rule: XmlElement): TypedRule | undefined {
  const score = rule.attrs.score;
  if (score === undefined || !(/^-?INFINITY$/.test(score) || (/^-?(0|[1-9][0-9]{0,6})$/.test(score) && Math.abs(Number(score)) <= 1000000))) return undefined;
  const op = rule.attrs['boolean-op'];
  if (op !== undefined && op !== 'and' && op !== 'or') return undefined;
  if (!rule.children.length || rule.children.length > 16) return undefined;
  const expressions: TypedExpression[] = [];
  for (const x of rule.children) {
    if (x.children.length) return undefined;
    const { attribute, operation, value, start, end } = x.attrs;
    const keys = Object.keys(x.attrs).filter((k) => k !== 'id');
    if (x.name === 'expression') {
      if (keys.some((k) => !['attribute', 'operation', 'value'].includes(k)) || !attribute || !ATTRIBUTE.test(attribute) || attribute.length > 63) return undefined;
      if (!['eq', 'ne', 'lt', 'gt', 'lte', 'gte', 'defined', 'not_defined'].includes(operation ?? '')) return undefined;
      if ((value === undefined) !== (operation === 'defined' || operation === 'not_defined') || (value !== undefined && !VALUE.test(value))) return undefined;
      expressions.push({ attribute, operation: operation!, ...(value !== undefined ? { value } : {}) });
    } else if (x.name === 'date_expression') {
      if (keys.some((k) => !['operation', 'start', 'end'].includes(k)) || (operation !== 'in_range' && operation !== 'gt' && operation !== 'lt')) return undefined;
      if ((start !== undefined && !DATE.test(start)) || (end !== undefined && !DATE.test(end))) return undefined;
      expressions.push({ date: operation, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}) });
    } else return undefined;
  }
  return { score, ...(op ? { boolean: op } : {}), expressions };
}

/**
 * The placement fields of each typed service that the CIB's constraints spell out with derived
 * ids and forms; the constraints claimed are not written raw. `nodes`: the cluster's members.
 */
export function claimConstraints(constraints: XmlElement[], services: TypedService[], vips: TypedVip[], nodes: string[]): Map<TypedService, Placement> {
  const byId = new Map(constraints.flatMap((e) => (e.attrs.id !== undefined ? [[e.attrs.id, e] as const] : [])));
  const taken = new Set<string>();
  const free = (id: string): XmlElement | undefined => (taken.has(id) ? undefined : byId.get(id));
  const out = new Map<TypedService, Placement>();
  for (const s of services) {
    const me = topOf(s);
    const p: Placement = { after: [], rules: [], ids: [] };
    const claim = (...ids: string[]) => ids.forEach((id) => (taken.add(id), p.ids.push(id)));
    for (const v of vips) {
      const ip = vipId(v.name);
      // The pair serviceConstraints derives for a custom service reached at a VIP, by mode.
      const [c, o] =
        s.mode === 'promotable'
          ? [{ id: colocationId(ip, me), rsc: ip, 'with-rsc': me, 'with-rsc-role': 'Promoted' }, { id: orderId(me, ip), first: me, 'first-action': 'promote', then: ip, kind: 'Mandatory' }]
          : s.clone || (s.bundle?.replicas ?? 1) > 1
            ? [{ id: colocationId(ip, me), rsc: ip, 'with-rsc': me }, { id: orderId(me, ip), first: me, then: ip, kind: 'Optional' }]
            : [{ id: colocationId(me, ip), rsc: me, 'with-rsc': ip }, { id: orderId(ip, me), first: ip, then: me, kind: 'Mandatory' }];
      const { id: cid, ...cattrs } = c;
      const { id: oid, ...oattrs } = o;
      if (exactly(free(cid), 'rsc_colocation', { ...cattrs, score: 'INFINITY' }) && exactly(free(oid), 'rsc_order', oattrs)) {
        p.vip = v.name;
        claim(cid, oid);
        break;
      }
    }
    for (const a of services) {
      const first = topOf(a);
      if (a === s) continue;
      const id = orderId(first, me);
      if (exactly(free(id), 'rsc_order', { first, ...(a.mode === 'promotable' ? { 'first-action': 'promote' } : {}), then: me, kind: 'Optional' })) {
        p.after.push(a.name);
        claim(id);
      }
    }
    const pin = soleRule(free(locationId(me, 'nodes')), me);
    if (pin && pin.attrs.score === '-INFINITY' && (pin.attrs['boolean-op'] ?? 'and') === 'and' && pin.children.length) {
      const names = pin.children.map((x) => (x.name === 'expression' && exactly(x, 'expression', { attribute: '#uname', operation: 'ne', value: x.attrs.value }) ? x.attrs.value : undefined));
      if (names.every((n): n is string => n !== undefined && nodes.includes(n)) && new Set(names).size === names.length) {
        p.nodes = names;
        claim(locationId(me, 'nodes'));
      }
    }
    for (let i = 1; ; i++) {
      const id = locationId(me, `rule_${i}`);
      const rule = soleRule(free(id), me);
      const typed = rule && typedRule(rule);
      if (!typed) break;
      p.rules.push(typed);
      claim(id);
    }
    if (p.ids.length) out.set(s, p);
  }
  return out;
}

/**
 * The services whose claimed constraints do not compile to exactly the running ones (`all`:
 * compiling derived a constraint the CIB does not have, and no claim says whose). `cib` is the
 * CIB the topology text was imported from.
 */
export function driftedClaims(text: string, cib: XmlElement, claims: Map<TypedService, Placement>): Set<TypedService> | 'all' {
  const loaded = loadTopology(text, 'imported');
  const cluster = loaded.model?.clusters[0];
  if (!loaded.ok || !cluster) {
    // A field the rules refuse (a VIP a second service also claims, say) drops that service's claims.
    const refused = new Set<TypedService>();
    for (const d of loaded.diagnostics) {
      if (d.severity !== 'error') continue;
      const m = /^\/clusters\/[^/]+\/services\/([^/]+)\/(vip|after|nodes|rules)(\/|$)/.exec(d.pointer ?? '');
      const s = m && [...claims.keys()].find((x) => x.name === m[1]);
      if (!s) return 'all';
      refused.add(s);
    }
    return refused;
  }
  const d = diffCibs(toCib(cluster), cib, REFERENCE_OWNERSHIP);
  if (!d.ok) return 'all';
  const owner = new Map<string, TypedService>();
  for (const [s, p] of claims) for (const id of p.ids) owner.set(id, s);
  const out = new Set<TypedService>();
  for (const c of d.diff.changes) {
    if (c.section !== 'constraints') continue;
    const s = owner.get(c.id);
    if (s) out.add(s);
    else if (c.kind === 'removed') return 'all';
  }
  return out;
}
