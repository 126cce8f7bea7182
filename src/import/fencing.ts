/**
 * Which fence devices and fencing levels `hactl import` writes as the topology's own fencing.
 *
 * A stonith primitive that fences exactly one node (pcmk_host_list) and is kept off that node by
 * a -INFINITY location becomes that node's `fencing:`; one that names its nodes otherwise
 * (pcmk_host_list of several, or pcmk_host_map) a `fence_devices` entry whose ports are its nodes.
 * Their ids, operations, meta attributes, the location's id and whether the nodes go by host list
 * are kept under `cib:`, and the levels are written out (`fencing.levels`, `level_ids`; those of
 * the nodes a pattern or node attribute selects as `fencing.target_levels`), so the compiled
 * objects are the running ones. What the typed form cannot hold exactly stays raw with
 * the reason: a device that fences whatever its agent lists (no host list or map: the topology
 * names the nodes each device fences), parameters hactl derives spelt otherwise (fence_ipmilan's
 * deprecated ipaddr/login, lanplus=true), levels naming such a device or by a pattern crmsh could
 * not take as one word. A credential parameter
 * becomes `{ secret: NAME }`, read from an environment variable (HA5555), never read or printed.
 */
import { fenceAgentEntry } from '../catalog/fencing.js';
import { hostMapPairs } from '../diff/rules.js';
import { isCredentialName } from '../secret-names.js';
import { compareStrings } from '../util/compare.js';
import type { XmlElement } from '../xml/tree.js';
import { compiles } from '../model/rules/fence-levels.js';
import { nameFor, NotTyped, no, operations, plainSet, sortedEntries, takeRuntime, type TypedOp, type TypingContext } from './typed.js';
import { scalar } from './yaml.js';

const AGENT = /^(fence_[a-z0-9_]+|external\/[a-z0-9_-]+)$/;
const XML_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const IPV4 = /^(((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]))$/;
const LOGIN = /^[A-Za-z0-9._@-]{1,64}$/;
const PORT = /^[A-Za-z0-9._/-]{1,32}$/;
/** What hactl writes itself on a node's own device (the fence-agents rule refuses them in params). */
const NODE_DERIVED = ['ip', 'ipaddr', 'username', 'login', 'lanplus', 'pcmk_host_list'];
/** What hactl writes itself on a shared device, from its ports (HA3063). */
const SHARED_DERIVED = ['pcmk_host_map', 'pcmk_host_list', 'pcmk_host_check'];

type Param = string | { secret: string };

interface Fence {
  id: string;
  agent: string;
  address?: string;
  username?: string;
  lanplus?: boolean;
  params: Map<string, Param>;
  ops: TypedOp[];
  meta: Map<string, string>;
  /** An operator's runtime meta attributes on it (`crm resource stop`), `name=value`: shown, not typed. */
  runtime: string[];
}

/** A node's own device. */
export interface NodeFence extends Fence {
  node: string;
  locationId: string;
}

/** A device fencing several nodes (fence_devices). */
export interface SharedFence extends Fence {
  name: string;
  /** Node -> port, in the order the CIB names them (pcmk_host_list keeps it). */
  ports: [string, string][];
  hostList: boolean;
}

export interface FencingImport {
  /** Node -> its own device. */
  nodes: Map<string, NodeFence>;
  devices: SharedFence[];
  /** Written levels, node -> device names per level, and their ids; undefined when no device is typed. */
  levels?: Map<string, { devices: string[][]; ids: string[] }>;
  /** Written levels of the nodes a pattern or a node attribute selects (fencing.target_levels), by target. */
  targetLevels: TargetLevels[];
  /** CIB elements the typed fencing holds (devices, their locations, levels): not raw. */
  typed: Set<XmlElement>;
  /** Why a stonith primitive or a fencing level stays raw. */
  why: Map<XmlElement, string>;
  /** Ids of the typed devices (their secrets are the topology's). */
  ids: Set<string>;
}

/** The levels of one pattern or attribute target, as fencing.target_levels writes them. */
export interface TargetLevels {
  by: { pattern: string } | { attribute: string; value: string };
  devices: string[][];
  ids: string[];
}

export interface FencingSections {
  resources: XmlElement[];
  constraints: XmlElement[];
  levels: XmlElement[];
}

/**
 * The typed fencing of a CIB. `refused` holds devices the topology's rules refused in an earlier
 * attempt (by CIB id, with the rule's words): they stay raw.
 */
export function importFencing(s: FencingSections, members: string[], ctx: TypingContext, refused: Map<string, string>, sbd?: { e: XmlElement; id: string }): FencingImport {
  const out: FencingImport = { nodes: new Map(), devices: [], targetLevels: [], typed: new Set(), why: new Map(), ids: new Set() };
  // SBD's fence_sbd device is the topology's sbd: (sbd.ts), named `sbd` in levels.
  if (sbd) out.typed.add(sbd.e);
  for (const e of s.resources) {
    if (e.name !== 'primitive' || e.attrs.class !== 'stonith' || e === sbd?.e) continue;
    const taken = new Set(ctx.taken);
    const secrets = ctx.secrets.length;
    try {
      const gone = refused.get(e.attrs.id ?? '');
      if (gone !== undefined) no(gone);
      const typed = device(e, s.constraints, members, out, ctx);
      out.typed.add(e);
      out.ids.add(typed.id);
    } catch (err) {
      if (!(err instanceof NotTyped)) throw err;
      ctx.taken.clear();
      for (const n of taken) ctx.taken.add(n);
      ctx.secrets.length = secrets;
      out.why.set(e, err.message);
    }
  }
  if (out.ids.size || sbd) out.levels = levels(s.levels, members, out, sbd?.id);
  return out;
}

function device(e: XmlElement, constraints: XmlElement[], members: string[], out: FencingImport, ctx: TypingContext): NodeFence | SharedFence {
  const id = e.attrs.id;
  if (!id || !XML_ID.test(id) || id.length > 128) no('has no id a topology can hold');
  const extra = Object.keys(e.attrs).filter((k) => !['id', 'class', 'type'].includes(k));
  if (extra.length) no(`has ${extra.join(', ')}`);
  const agent = e.attrs.type ?? '';
  if (!AGENT.test(agent)) no(`runs stonith:${agent}, an agent a topology's fencing does not name (fence_* or external/*)`);
  for (const c of e.children) if (!['instance_attributes', 'meta_attributes', 'operations'].includes(c.name)) no(`holds <${c.name}>`);
  const params = plainSet(e, 'instance_attributes');
  const meta = plainSet(e, 'meta_attributes');
  // An operator's runtime state (a stopped or unmanaged device): apply keeps it without the topology naming it.
  const runtime = takeRuntime(meta);
  const ops = operations(e);
  if (ops.some((o) => o.role)) no('has an operation for a role, which a fence device has none of');
  const list = params.get('pcmk_host_list');
  const map = params.get('pcmk_host_map');
  if (list === undefined && map === undefined) no('fences the hosts its agent lists (no pcmk_host_list or pcmk_host_map): a topology names the nodes each device fences');
  if (list !== undefined && map !== undefined) no('has both pcmk_host_list and pcmk_host_map');
  let ports: [string, string][];
  if (list !== undefined) {
    const hosts = list.split(' ');
    if (hosts.some((h) => !members.includes(h)) || new Set(hosts).size !== hosts.length) no(`has pcmk_host_list "${list}", not the cluster's node names once each, separated by single spaces`);
    ports = hosts.map((h) => [h, h]);
  } else {
    const pairs = hostMapPairs(map!);
    if (!pairs.length) no(`has pcmk_host_map "${map}", which names no node`);
    ports = pairs.map((pair) => {
      const m = /^([^:]+):(.+)$/.exec(pair);
      if (!m || !members.includes(m[1]!) || !PORT.test(m[2]!)) no(`has pcmk_host_map "${map}", not node:port pairs of the cluster's nodes separated by ;`);
      return [m[1]!, m[2]!];
    });
    const canonical = [...ports].sort((a, b) => compareStrings(a[0], b[0]));
    if (new Set(ports.map((p) => p[0])).size !== ports.length || canonical.map((p) => p.join(':')).join(';') !== pairs.join(';')) no(`has pcmk_host_map "${map}" in another order or spelling than hactl's (node:port;… by node name)`);
  }
  const node = list !== undefined && ports.length === 1 ? ports[0]![0] : undefined;
  const location = node !== undefined && !out.nodes.has(node) ? constraints.find((c) => isAvoid(c, id, node)) : undefined;
  if (node !== undefined && location) {
    const own = asNodeFence(id, agent, node, location.attrs.id!, params, ops, meta, runtime, ctx);
    if (own) {
      out.nodes.set(node, own);
      out.typed.add(location);
      return own;
    }
  }
  for (const p of SHARED_DERIVED) if (p !== 'pcmk_host_list' && p !== 'pcmk_host_map' && params.has(p)) no(`sets ${p}, which hactl derives for a device from the nodes it fences`);
  const rest = new Map(params);
  rest.delete('pcmk_host_list');
  rest.delete('pcmk_host_map');
  // A device named after a node (st_n2 without hactl's form of a node's own) is that node's fence.
  const name = nameFor(ctx.taken.has(nameFor(id, new Set(), /^st[_-]/)) ? `${id}-fence` : id, ctx.taken, /^st[_-]/);
  const shared: SharedFence = { id, agent, name, ports, hostList: list !== undefined, params: new Map(), ops, meta, runtime, ...fields(agent, rest) };
  shared.params = secretsOf(shared.id, shared.name, rest, ctx);
  out.devices.push(shared);
  return shared;
}

/** The location keeping device `id` off `node`, exactly as hactl writes it. */
function isAvoid(c: XmlElement, id: string, node: string): boolean {
  return c.name === 'rsc_location' && c.attrs.rsc === id && c.attrs.node === node && c.attrs.score === '-INFINITY' && !c.children.length && Object.keys(c.attrs).every((k) => ['id', 'rsc', 'node', 'score'].includes(k)) && XML_ID.test(c.attrs.id ?? '');
}

/** Address and username as the topology's fields, where the agent takes them under hactl's names. */
function fields(agent: string, params: Map<string, string>): { address?: string; username?: string } {
  const entry = fenceAgentEntry(agent);
  const out: { address?: string; username?: string } = {};
  const address = entry.address ? params.get(entry.address) : undefined;
  if (address !== undefined && IPV4.test(address)) {
    out.address = address;
    params.delete(entry.address!);
  }
  const username = entry.username ? params.get(entry.username) : undefined;
  if (username !== undefined && LOGIN.test(username)) {
    out.username = username;
    params.delete(entry.username!);
  }
  return out;
}

/** A node's own device, or undefined when hactl would write it otherwise (then it is a shared one). */
function asNodeFence(id: string, agent: string, node: string, locationId: string, all: Map<string, string>, ops: TypedOp[], meta: Map<string, string>, runtime: string[], ctx: TypingContext): NodeFence | undefined {
  const entry = fenceAgentEntry(agent);
  const params = new Map(all);
  params.delete('pcmk_host_list');
  const f = fields(agent, params);
  let lanplus: boolean | undefined;
  if (entry.lanplus) {
    const v = params.get(entry.lanplus.param);
    if (v !== entry.lanplus.on && v !== entry.lanplus.off) return undefined;
    lanplus = v === entry.lanplus.on;
    params.delete(entry.lanplus.param);
  }
  if (entry.host) {
    if (params.get(entry.host) !== node) return undefined;
    params.delete(entry.host);
  }
  if ([...params.keys()].some((k) => NODE_DERIVED.includes(k))) return undefined;
  return { id, agent, node, locationId, ...f, ...(lanplus !== undefined ? { lanplus } : {}), params: secretsOf(id, `${node}-fence`, params, ctx), ops, meta, runtime };
}

/**
 * Parameters with each credential replaced by a secret reference the topology reads from the
 * environment. One already a CIB secret (lrm://, after `cibsecret set`) too: the reference
 * compiles to that same lrm://, and the operator provides the value apply stores on the nodes.
 */
function secretsOf(rsc: string, stem: string, params: Map<string, string>, ctx: TypingContext): Map<string, Param> {
  const out = new Map<string, Param>();
  for (const [k, v] of params) {
    if (!isCredentialName(k)) out.set(k, v);
    else {
      const secret = nameFor(`${stem}-${k}`, ctx.taken, /^$/);
      ctx.secrets.push({ name: secret, env: `HACTL_${secret.toUpperCase().replace(/-/g, '_')}`, rsc, param: k });
      out.set(k, { secret });
    }
  }
  return out;
}

/**
 * The levels of every node whose levels all name typed devices, by index 1, 2, … without gaps;
 * the levels of any other target stay raw (with the reason).
 */
function levels(all: XmlElement[], members: string[], f: FencingImport, sbdId: string | undefined): Map<string, { devices: string[][]; ids: string[] }> {
  const names = new Map<string, string>();
  if (sbdId !== undefined) names.set(sbdId, 'sbd');
  for (const [n, d] of f.nodes) names.set(d.id, n);
  for (const d of f.devices) names.set(d.id, d.name);
  const byTarget = new Map<string, XmlElement[]>();
  const rawTargets = new Map<string, string>();
  for (const l of all) {
    const target = targetKey(l) ?? `(${Object.keys(l.attrs).filter((k) => k.startsWith('target')).join(', ')})`;
    byTarget.set(target, [...(byTarget.get(target) ?? []), l]);
    const why = levelWhy(l, members, names);
    if (why && !rawTargets.has(target)) rawTargets.set(target, why);
  }
  const out = new Map<string, { devices: string[][]; ids: string[] }>();
  for (const [target, ls] of byTarget) {
    const sorted = [...ls].sort((a, b) => Number(a.attrs.index) - Number(b.attrs.index));
    const why = rawTargets.get(target) ?? (sorted.every((l, i) => l.attrs.index === String(i + 1)) ? undefined : `the levels of ${target} are not numbered 1, 2, … (a topology writes them in order)`);
    if (why) {
      for (const l of ls) f.why.set(l, why);
      continue;
    }
    const written = { devices: sorted.map((l) => l.attrs.devices!.split(',').map((d) => names.get(d)!)), ids: sorted.map((l) => l.attrs.id!) };
    const by = targetOf(sorted[0]!);
    if (by) f.targetLevels.push({ by, ...written });
    else out.set(target, written);
    for (const l of ls) f.typed.add(l);
  }
  f.targetLevels.sort((a, b) => compareStrings(labelOf(a.by), labelOf(b.by)));
  return out;
}

/** What the topology writes of a level by pattern or attribute (names a topology and crmsh can hold); undefined for a node's level. */
function targetOf(l: XmlElement): TargetLevels['by'] | undefined {
  const pattern = l.attrs['target-pattern'];
  if (pattern !== undefined) return { pattern };
  const attribute = l.attrs['target-attribute'];
  const value = l.attrs['target-value'];
  return attribute !== undefined && value !== undefined ? { attribute, value } : undefined;
}

const labelOf = (by: TargetLevels['by']): string => ('pattern' in by ? `pattern:${by.pattern}` : `attr:${by.attribute}=${by.value}`);

/** The target a level is grouped by: a node, pattern:<p> or attr:<name>=<value>; undefined for any other form. */
function targetKey(l: XmlElement): string | undefined {
  const targets = Object.keys(l.attrs).filter((k) => k.startsWith('target'));
  if (targets.length === 1 && targets[0] === 'target') return l.attrs.target;
  const by = targetOf(l);
  const expected = by && ('pattern' in by ? ['target-pattern'] : ['target-attribute', 'target-value']);
  return by && expected!.length === targets.length ? labelOf(by) : undefined;
}

/** Patterns and attribute words fencing.target_levels holds: crmsh takes each as one word. */
const PATTERN = /^[A-Za-z0-9_.*+?^$()[\]{}|-]{1,256}$/;
const WORD = /^[A-Za-z0-9_-]{1,63}$/;


function levelWhy(l: XmlElement, members: string[], names: Map<string, string>): string | undefined {
  const extra = Object.keys(l.attrs).filter((k) => !['id', 'target', 'target-pattern', 'target-attribute', 'target-value', 'index', 'devices'].includes(k));
  if (extra.length) return `a level with ${extra.join(', ')}`;
  if (targetKey(l) === undefined) return `a level by ${Object.keys(l.attrs).filter((k) => k.startsWith('target')).join(', ') || 'no target'} (a topology writes levels for a node, a target-pattern, or a target-attribute with its target-value)`;
  if (!XML_ID.test(l.attrs.id ?? '') || (l.attrs.id ?? '').length > 128) return 'a level without an id a topology can hold';
  const by = targetOf(l);
  if (by && 'pattern' in by && (!PATTERN.test(by.pattern) || !compiles(by.pattern))) return `a level by target-pattern "${by.pattern}", which a topology cannot hold (a regular expression of letters, digits and its signs, without spaces, quotes or backslashes)`;
  if (by && 'attribute' in by && (!WORD.test(by.attribute) || !WORD.test(by.value))) return `a level by target-attribute ${by.attribute}=${by.value}, which a topology cannot hold (letters, digits, _ and -)`;
  if (!by && !members.includes(l.attrs.target ?? '')) return `a level for ${l.attrs.target ?? '(no target)'}, which is no node of the cluster`;
  if (!/^[1-9]$/.test(l.attrs.index ?? '')) return `a level with index ${l.attrs.index ?? '(none)'}`;
  const devices = (l.attrs.devices ?? '').split(',');
  const raw = devices.filter((d) => !names.has(d));
  if (raw.length) return `a level naming ${raw.join(', ')}, a device kept raw`;
  if (new Set(devices).size !== devices.length) return 'a level naming one device twice';
  return undefined;
}

function flow(entries: [string, string][]): string {
  return `{ ${entries.map(([k, v]) => `${scalar(k)}: ${scalar(v)}`).join(', ')} }`;
}

function common(out: string[], indent: string, f: Fence): void {
  out.push(`${indent}agent: ${scalar(f.agent)}`);
  if (f.address !== undefined) out.push(`${indent}address: ${scalar(f.address)}`);
  if (f.username !== undefined) out.push(`${indent}username: ${scalar(f.username)}`);
  if (f.lanplus !== undefined) out.push(`${indent}lanplus: ${f.lanplus}`);
  if (f.params.size) {
    out.push(`${indent}params:`);
    for (const [k, v] of sortedEntries(f.params)) out.push(`${indent}  ${scalar(k)}: ${typeof v === 'string' ? scalar(v) : `{ secret: ${v.secret} }  # never read: see secrets`}`);
  }
}

function cib(out: string[], indent: string, f: Fence, more: string[]): void {
  if (f.runtime.length) out.push(`${indent}# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: ${f.runtime.join(', ')}`);
  out.push(`${indent}cib:  # as the cluster runs it`, `${indent}  id: ${scalar(f.id)}`);
  // Always written: without it hactl would give the device its own monitor.
  out.push(`${indent}  operations:${f.ops.length ? '' : ' []'}`);
  for (const o of f.ops) out.push(`${indent}    - { name: ${o.name}, interval: ${scalar(o.interval)}${o.timeout !== undefined ? `, timeout: ${scalar(o.timeout)}` : ''} }`);
  if (f.meta.size) out.push(`${indent}  meta: ${flow(sortedEntries(f.meta))}`);
  for (const m of more) out.push(`${indent}  ${m}`);
}

/** A node's `fencing:` (nothing when the node has no typed device of its own). */
export function renderNodeFencing(out: string[], indent: string, f: FencingImport, node: string): void {
  const d = f.nodes.get(node);
  if (!d) return;
  out.push(`${indent}fencing:`);
  common(out, `${indent}  `, d);
  cib(out, `${indent}  `, d, [`location_id: ${scalar(d.locationId)}  # keeps ${scalar(d.id)} off ${node}`]);
}

/** The cluster's `fencing:` and `fence_devices:`. */
export function renderClusterFencing(out: string[], indent: string, f: FencingImport, enabled: boolean, reason: string): void {
  if (!f.levels) {
    if (!enabled) out.push(`${indent}fencing: { enabled: false, reason: ${JSON.stringify(reason)} }`);
  } else {
    out.push(`${indent}fencing:`);
    out.push(`${indent}  enabled: ${enabled}`);
    if (!enabled) out.push(`${indent}  reason: ${JSON.stringify(reason)}`);
    const targets = [...f.levels.keys()].sort(compareStrings);
    if (!targets.length) out.push(`${indent}  levels: {}  # none typed in the CIB: hactl derives none of its own`);
    else {
      out.push(`${indent}  levels:  # as the cluster runs them: each node's levels in order, each the devices that must all succeed`);
      for (const t of targets) out.push(`${indent}    ${scalar(t)}: [${f.levels.get(t)!.devices.map((l) => `[${l.map(scalar).join(', ')}]`).join(', ')}]`);
      out.push(`${indent}  level_ids:`);
      for (const t of targets) out.push(`${indent}    ${scalar(t)}: [${f.levels.get(t)!.ids.map(scalar).join(', ')}]`);
    }
    if (f.targetLevels.length) out.push(`${indent}  target_levels:  # the levels of the nodes a pattern or a node attribute selects, as the cluster runs them`);
    for (const t of f.targetLevels) {
      const by = 'pattern' in t.by ? `pattern: ${scalar(t.by.pattern)}` : `attribute: ${scalar(t.by.attribute)}, value: ${scalar(t.by.value)}`;
      out.push(`${indent}    - { ${by}, levels: [${t.devices.map((l) => `[${l.join(', ')}]`).join(', ')}], ids: [${t.ids.map(scalar).join(', ')}] }`);
    }
  }
  if (!f.devices.length) return;
  out.push(`${indent}fence_devices:`);
  for (const d of f.devices) {
    out.push(`${indent}  ${d.name}:`);
    common(out, `${indent}    `, d);
    out.push(`${indent}    ports: ${flow(d.ports)}`);
    cib(out, `${indent}    `, d, d.hostList ? ['host_list: true  # pcmk_host_list: each node is its own port'] : []);
  }
}
