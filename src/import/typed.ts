/**
 * Which running resources `hactl import` writes as typed topology: a primitive becomes a VIP
 * (IPaddr2 named p_ip_<vip> on a network of the topology) or a custom service (its agent, params,
 * and under `cib:` its id, operations and meta attributes, so that it compiles to what runs); a
 * clone of one such primitive becomes an active-active or promotable custom service; a group (or
 * a clone of one) becomes the custom service of its last primitive, the members before it kept
 * under `cib:`; a bundle becomes a custom service with `bundle:`. Anything else (templates, rules
 * in attribute sets, operation attributes the topology has no word for) stays raw, and the reason is written beside it. Credential parameters of a
 * typed resource become `{ secret: NAME }` (Pacemaker's CIB secret): the value is never read
 * into the topology, the operator provides it in an environment variable.
 */
import { isCredentialName } from '../secret-names.js';
import { contains, parseCidr } from '../util/ip.js';
import { compareStrings } from '../util/compare.js';
import { RUNTIME_META } from '../vocabulary.js';
import type { XmlElement } from '../xml/tree.js';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const PARAM_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;
const XML_ID = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DURATION = /^[0-9]+(ms|s|m|min|h)?$/;
const OPS = new Set(['start', 'stop', 'monitor', 'promote', 'demote', 'notify', 'migrate_to', 'migrate_from', 'reload', 'reload-agent']);
const AGENT = /^(ocf:[a-z0-9_-]+:[A-Za-z0-9_.-]+|(lsb|systemd|service):[A-Za-z0-9][A-Za-z0-9_.@-]{0,127}|stonith:[A-Za-z0-9_/-]+)$/;
const NIC = /^[a-z][a-z0-9.]{0,14}$/;

export interface TypedOp {
  name: string;
  interval: string;
  timeout?: string;
  role?: 'Promoted' | 'Unpromoted';
}

/** A custom service as import writes it. */
export interface TypedService {
  name: string;
  /** Undefined only for a bundle whose containers run their image's own entry point. */
  agent?: string;
  mode: 'active-passive' | 'active-active' | 'promotable';
  /** Parameter -> value, or the name of the secret holding it. */
  params: Map<string, string | { secret: string }>;
  id: string;
  ops: TypedOp[];
  meta: Map<string, string>;
  clone?: { id: string; meta: Map<string, string>; instances?: number; promoted?: number; promotedPerNode?: number; notify: boolean };
  /** An operator's runtime meta attributes found on it, `name=value (on id)`: shown, not typed. */
  runtime: string[];
  /** The bundle the primitive runs in (the mode follows from it). */
  bundle?: TypedBundle;
  /** The group the primitive is the last member of, and the members before it. */
  group?: { id: string; meta: Map<string, string>; members: TypedMember[] };
  /** The key of the catalogue entry it is written as, once proven (catalog.ts). */
  catalogue?: string;
  /** Why it is not the catalogue service its agent suggests (a comment beside it). */
  catalogueNote?: string;
}

/** A bundle as the topology's `bundle:` writes it, and its CIB id. */
export interface TypedBundle {
  id: string;
  runtime: 'docker' | 'podman';
  image: string;
  replicas?: number;
  replicasPerHost?: number;
  promoted?: number;
  options?: string;
  network?: { ipRangeStart?: string; hostInterface?: string; hostNetmask?: number; controlPort?: number; ports: { port?: number; internalPort?: number; range?: string }[] };
  storage: { source?: string; sourceRoot?: string; target: string; options?: string }[];
  meta: Map<string, string>;
}

/** A group member before the service's own primitive, kept as it runs. */
export interface TypedMember {
  id: string;
  agent: string;
  params: Map<string, string>;
  ops: TypedOp[];
  meta: Map<string, string>;
}

export interface TypedVip {
  name: string;
  network: string;
  address: string;
  nic?: string;
  ops: TypedOp[];
  meta: Map<string, string>;
  runtime: string[];
}

/** A secret of a typed resource: the topology reads it from `env`. */
export interface ImportedSecret {
  name: string;
  env: string;
  rsc: string;
  param: string;
}

export type Typed = { kind: 'vip'; vip: TypedVip } | { kind: 'service'; service: TypedService };

/** Networks a VIP may sit on (name, CIDR), and those holding a node outside the cluster. */
export interface TypingContext {
  networks: [string, string][];
  /** Networks where a node outside the cluster (the qnetd host) has an address: a VIP there gets hactl's ping clone. */
  pingNetworks: Set<string>;
  /** Names already taken (services, VIPs, secrets). */
  taken: Set<string>;
  secrets: ImportedSecret[];
}

export class NotTyped extends Error {}

export function no(why: string): never {
  throw new NotTyped(why);
}

const child = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);

/** The one plain nvpair set named `tag` of `e` (empty when none). */
export function plainSet(e: XmlElement, tag: string): Map<string, string> {
  const sets = child(e, tag);
  if (sets.length > 1) no(`has ${sets.length} ${tag} sets`);
  const out = new Map<string, string>();
  const set = sets[0];
  if (!set) return out;
  // The diff tells an empty set from none; a topology writes none.
  if (!set.children.length) no(`has an empty ${tag} set`);
  if (Object.keys(set.attrs).some((k) => k !== 'id')) no(`has a ${tag} set with ${Object.keys(set.attrs).filter((k) => k !== 'id').join(', ')}`);
  for (const c of set.children) {
    if (c.name !== 'nvpair') no(`holds <${c.name}> in its ${tag}`);
    const { name, value } = c.attrs;
    if (name === undefined || value === undefined) no(`has an nvpair without a value in its ${tag}`);
    if (Object.keys(c.attrs).some((k) => !['id', 'name', 'value'].includes(k))) no(`has an nvpair with an id-ref or other attribute in its ${tag}`);
    if (!PARAM_NAME.test(name) || name.length > 63) no(`has the ${tag} name ${name}, which a topology key cannot hold`);
    // What every target carries as it is (compile refuses the rest, HA4101).
    if (value === '' || value.length > 256 || /[\u0000-\u001f\u007f]|\\$|\\'/.test(value)) no(`has a ${name} value a topology keeps only as XML (empty, long, control characters or a trailing backslash)`);
    if (out.has(name)) no(`sets ${name} twice`);
    out.set(name, value);
  }
  return out;
}

export function operations(e: XmlElement): TypedOp[] {
  const sets = child(e, 'operations');
  if (sets.length > 1) no('has several operations sets');
  const ops: TypedOp[] = [];
  const seen = new Set<string>();
  for (const o of sets[0]?.children ?? []) {
    if (o.name !== 'op') no(`holds <${o.name}> in its operations`);
    if (o.children.length) no(`has an operation with attributes of its own (${o.attrs.name} ${o.attrs.interval})`);
    const extra = Object.keys(o.attrs).filter((k) => !['id', 'name', 'interval', 'timeout', 'role'].includes(k));
    if (extra.length) no(`has an operation with ${extra.join(', ')} (${o.attrs.name} ${o.attrs.interval})`);
    const { name, interval, timeout, role } = o.attrs;
    if (!name || !OPS.has(name)) no(`has an operation named ${name ?? '(none)'}`);
    if (!interval || !DURATION.test(interval) || (timeout !== undefined && !DURATION.test(timeout))) no(`has an operation ${name} without a plain interval, or with a timeout that is no plain duration`);
    if (role !== undefined && role !== 'Promoted' && role !== 'Unpromoted') no(`has an operation for role ${role} (the old spelling; a topology writes Promoted/Unpromoted)`);
    if (seen.has(`${name} ${interval}`)) no(`has two ${name} operations every ${interval}`);
    seen.add(`${name} ${interval}`);
    ops.push({ name, interval, ...(timeout !== undefined ? { timeout } : {}), ...(role ? { role } : {}) });
  }
  return ops;
}

/** A topology name for resource `id` (p_ip_api -> ip-api), not yet taken. */
export function nameFor(id: string, taken: Set<string>, strip: RegExp = /^p_/): string {
  const base = id.replace(strip, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 56).replace(/-+$/, '') || 'resource';
  let name = NAME.test(base) ? base : 'resource';
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

/** The agent of a primitive as a topology writes it. */
function agentOf(e: XmlElement): string {
  const { class: cls, provider, type } = e.attrs;
  if (!cls || !type) no('names no class or type (a template reference)');
  const agent = cls === 'ocf' ? `ocf:${provider ?? ''}:${type}` : `${cls}:${type}`;
  if (!AGENT.test(agent)) no(`runs ${agent}, an agent name the topology's grammar does not hold`);
  // compile drops the suffix (Pacemaker starts the unit by its name).
  if (cls === 'systemd' && type.endsWith('.service')) no('names its unit with .service, which compile drops');
  return agent;
}

/** A value from the CIB as a comment may show it: a plain word, or an ellipsis. */
export function shownValue(v: string): string {
  return /^[A-Za-z0-9._-]{1,32}$/.test(v) ? v : '…';
}

/**
 * Takes the runtime meta attributes out of `meta`: in a running cluster they are an operator's
 * (`crm resource stop`, `unmanage`), which apply keeps without the topology naming them.
 */
export function takeRuntime(meta: Map<string, string>, id?: string): string[] {
  const out: string[] = [];
  for (const [k, v] of sortedEntries(meta)) {
    if (!RUNTIME_META.has(k)) continue;
    out.push(`${k}=${shownValue(v)}${id !== undefined ? ` (on ${id})` : ''}`);
    meta.delete(k);
  }
  return out;
}

/** The parts of a primitive a topology holds (its runtime meta taken out), or why it holds none. */
function parts(e: XmlElement): { id: string; agent: string; params: Map<string, string>; meta: Map<string, string>; runtime: string[]; ops: TypedOp[] } {
  const id = e.attrs.id;
  if (!id || !XML_ID.test(id) || id.length > 128) no('has no id a topology can hold');
  const extra = Object.keys(e.attrs).filter((k) => !['id', 'class', 'provider', 'type'].includes(k));
  if (extra.length) no(`has ${extra.join(', ')}`);
  const agent = agentOf(e);
  if (agent.startsWith('stonith:')) no('is a fence device: a topology holds fence devices as its fencing, and only top-level ones (fencing.ts)');
  for (const c of e.children) if (!['instance_attributes', 'meta_attributes', 'operations'].includes(c.name)) no(`holds <${c.name}>`);
  const params = plainSet(e, 'instance_attributes');
  const meta = plainSet(e, 'meta_attributes');
  const runtime = takeRuntime(meta, id);
  const ops = operations(e);
  if (params.size && /^(lsb|systemd|service):/.test(agent)) no(`runs ${agent} with parameters, which a unit agent takes none of in a topology`);
  return { id, agent, params, meta, runtime, ops };
}

/** Why a primitive cannot be typed, or its typed form; `name`: the service's name when given by its group. */
function primitive(e: XmlElement, ctx: TypingContext, inClone: boolean, name?: string): Typed {
  const { id, agent, params, meta, runtime, ops } = parts(e);
  const vip = !inClone && agent === 'ocf:heartbeat:IPaddr2' ? asVip(id, params, ops, meta, runtime, ctx) : undefined;
  if (vip) return { kind: 'vip', vip };
  name ??= nameFor(id, ctx.taken);
  const typedParams = new Map<string, string | { secret: string }>();
  for (const [k, v] of params) {
    // One already a CIB secret (lrm://, after `cibsecret set`) too: HA3022 refuses a credential
    // written as a plain value, and the reference compiles to that same lrm://.
    if (!isCredentialName(k)) typedParams.set(k, v);
    else {
      const secret = nameFor(`${name}-${k}`, ctx.taken, /^$/);
      ctx.secrets.push({ name: secret, env: `HACTL_${secret.toUpperCase().replace(/-/g, '_')}`, rsc: id, param: k });
      typedParams.set(k, { secret });
    }
  }
  return { kind: 'service', service: { name, agent, mode: 'active-passive', params: typedParams, id, ops, meta, runtime } };
}

/** An IPaddr2 primitive as a VIP when hactl would make exactly it: p_ip_<vip>, ip and netmask of a network. */
function asVip(id: string, params: Map<string, string>, ops: TypedOp[], meta: Map<string, string>, runtime: string[], ctx: TypingContext): TypedVip | undefined {
  const m = /^p_ip_([a-z][a-z0-9]*(-[a-z0-9]+)*)$/.exec(id);
  const ip = params.get('ip');
  const mask = params.get('cidr_netmask');
  const nic = params.get('nic');
  if (!m || ip === undefined || mask === undefined || [...params.keys()].some((k) => !['ip', 'cidr_netmask', 'nic'].includes(k))) return undefined;
  if (nic !== undefined && !NIC.test(nic)) return undefined;
  if (ctx.taken.has(m[1]!)) return undefined;
  const network = ctx.networks.find(([name, cidr]) => {
    try {
      return cidr.endsWith(`/${mask}`) && !ctx.pingNetworks.has(name) && contains(parseCidr(cidr), ip);
    } catch {
      return false;
    }
  });
  if (!network) return undefined;
  ctx.taken.add(m[1]!);
  return { name: m[1]!, network: network[0], address: ip, ...(nic !== undefined ? { nic } : {}), ops, meta, runtime };
}

const INT = /^([1-9]|[12][0-9]|3[0-2])$/;

/**
 * A group as a custom service: its last primitive is the service (the one started after the
 * others, which it needs), the members before it are kept under cib.group_members as they run.
 * Constraints on the group then name the service's top resource, as hactl derives them.
 */
function group(e: XmlElement, ctx: TypingContext): Typed {
  const id = e.attrs.id;
  if (!id || !XML_ID.test(id) || id.length > 128) no('has no id a topology can hold');
  if (Object.keys(e.attrs).some((k) => k !== 'id')) no(`has ${Object.keys(e.attrs).filter((k) => k !== 'id').join(', ')}`);
  for (const c of e.children) if (c.name !== 'meta_attributes' && c.name !== 'primitive') no(`holds <${c.name}>`);
  const prims = child(e, 'primitive');
  if (!prims.length) no('holds no primitive');
  const meta = plainSet(e, 'meta_attributes');
  const runtime = takeRuntime(meta, id);
  const members = prims.slice(0, -1).map((p): TypedMember => {
    const { runtime: own, ...m } = parts(p);
    runtime.push(...own);
    // A member's parameters are written as they are: a secret among them keeps the group raw,
    // where its value is replaced by Pacemaker's lrm:// reference (HA5552).
    for (const [k, v] of m.params) if (isCredentialName(k) && v !== 'lrm://') no(`has a member ${m.id} whose parameter ${k} holds a secret: a group member's parameters are written as they are`);
    return m;
  });
  const typed = primitive(prims[prims.length - 1]!, ctx, true, nameFor(id, ctx.taken, /^(g|grp|group)_/));
  if (typed.kind !== 'service') no('ends with a VIP');
  typed.service.group = { id, meta, members };
  typed.service.runtime = [...runtime, ...typed.service.runtime];
  return typed;
}

function clone(e: XmlElement, ctx: TypingContext): Typed {
  const id = e.attrs.id;
  if (!id || !XML_ID.test(id) || id.length > 128) no('has no id a topology can hold');
  if (Object.keys(e.attrs).some((k) => k !== 'id')) no(`has ${Object.keys(e.attrs).filter((k) => k !== 'id').join(', ')}`);
  for (const c of e.children) if (!['meta_attributes', 'primitive', 'group'].includes(c.name)) no(`holds <${c.name}>`);
  const inner = e.children.filter((c) => c.name === 'primitive' || c.name === 'group');
  if (inner.length !== 1) no('holds no single primitive or group');
  const meta = plainSet(e, 'meta_attributes');
  const runtime = takeRuntime(meta, id);
  const promotable = meta.get('promotable');
  if (promotable !== undefined && promotable !== 'true' && promotable !== 'false') no(`has promotable=${promotable}`);
  const typed = inner[0]!.name === 'group' ? group(inner[0]!, ctx) : primitive(inner[0]!, ctx, true);
  if (typed.kind !== 'service') no('holds a VIP');
  const s = typed.service;
  s.runtime = [...runtime, ...s.runtime];
  const count = (k: string): number | undefined => {
    const v = meta.get(k);
    return v !== undefined && INT.test(v) ? Number(v) : undefined;
  };
  s.mode = promotable === 'true' ? 'promotable' : 'active-active';
  s.clone = { id, meta, notify: meta.get('notify') === 'true' };
  // Written beside clone_meta so that check counts the instances the cluster runs.
  const instances = count('clone-max');
  if (instances !== undefined) s.clone.instances = instances;
  if (s.mode === 'promotable') {
    const promoted = count('promoted-max') ?? count('master-max');
    if (promoted !== undefined) s.clone.promoted = promoted;
    const perNode = count('promoted-node-max') ?? count('master-node-max');
    if (perNode !== undefined) s.clone.promotedPerNode = perNode;
  }
  return typed;
}

const IPV4 = /^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const PORT = /^([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$/;
const DIR = /^\/[A-Za-z0-9._/-]*$/;

/** The attributes of `e` (besides id) if all are among `allowed`, else why not. */
function only(e: XmlElement, allowed: string[], what: string): Record<string, string> {
  const extra = Object.keys(e.attrs).filter((k) => k !== 'id' && !allowed.includes(k));
  if (extra.length) no(`has ${what} with ${extra.join(', ')}, which a topology's bundle does not hold`);
  return e.attrs;
}

/**
 * A bundle as a custom service with `bundle:`: its runtime, network and storage as the topology
 * writes them, the primitive inside (if any) as the service's agent, its id under cib.bundle_id.
 * Mapping ids are derived (<bundle>-port-<n>, <bundle>-storage-<n>): others keep it raw.
 */
function bundle(e: XmlElement, ctx: TypingContext): Typed {
  const id = e.attrs.id;
  if (!id || !XML_ID.test(id) || id.length > 128) no('has no id a topology can hold');
  only(e, [], 'a bundle element');
  for (const c of e.children) if (!['meta_attributes', 'docker', 'podman', 'network', 'storage', 'primitive'].includes(c.name)) no(`holds <${c.name}>`);
  const runtimes = e.children.filter((c) => c.name === 'docker' || c.name === 'podman');
  if (runtimes.length !== 1) no('names no single docker or podman runtime');
  for (const t of ['network', 'storage', 'primitive']) if (child(e, t).length > 1) no(`holds several <${t}>`);
  const rt = runtimes[0]!;
  const a = only(rt, ['image', 'replicas', 'replicas-per-host', 'promoted-max', 'options'], `<${rt.name}>`);
  if (!a.image || !/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(a.image) || a.image.length > 255) no('runs an image whose name a topology cannot hold');
  const count = (k: string): number | undefined => {
    const v = a[k];
    if (v === undefined) return undefined;
    if (!INT.test(v)) no(`has ${k}=${v}: a topology holds 1 to 32`);
    return Number(v);
  };
  // hactl writes replicas only when not Pacemaker's default.
  if (a.replicas === '1') no('sets replicas=1, the default, which a compiled bundle leaves out');
  if (a.options !== undefined && (!/^[A-Za-z0-9=,._:/@+ -]*$/.test(a.options) || a.options.length > 1024)) no('passes the runtime options a topology cannot hold (quotes or shell characters)');
  const meta = plainSet(e, 'meta_attributes');
  const runtime = takeRuntime(meta, id);
  for (const [k, v] of meta) if (!/^[A-Za-z0-9_.:+-]*$/.test(v) || v.length > 255 || k.length > 63) no(`has the meta attribute ${k}=${v}, which a bundle's meta cannot hold`);
  const b: TypedBundle = { id, runtime: rt.name as 'docker' | 'podman', image: a.image, storage: [], meta };
  const replicas = count('replicas');
  if (replicas !== undefined) b.replicas = replicas;
  const perHost = count('replicas-per-host');
  if (perHost !== undefined) b.replicasPerHost = perHost;
  const promoted = count('promoted-max');
  if (promoted !== undefined) b.promoted = promoted;
  if (a.options !== undefined) b.options = a.options;
  const net = child(e, 'network')[0];
  if (net) {
    const n = only(net, ['ip-range-start', 'host-interface', 'host-netmask', 'control-port'], '<network>');
    const out: NonNullable<TypedBundle['network']> = { ports: [] };
    if (n['ip-range-start'] !== undefined) {
      if (!IPV4.test(n['ip-range-start'])) no('has an ip-range-start that is no IPv4 address');
      out.ipRangeStart = n['ip-range-start'];
      // Without host-netmask hactl writes the topology network's prefix (Pacemaker's is 32).
      if (n['host-netmask'] === undefined) no('starts an address range without host-netmask, where hactl writes the network prefix');
    }
    if (n['host-interface'] !== undefined) {
      if (!NIC.test(n['host-interface'])) no(`adds its addresses to ${n['host-interface']}, an interface name a topology cannot hold`);
      out.hostInterface = n['host-interface'];
    }
    if (n['host-netmask'] !== undefined) {
      if (!/^([1-9]|[12][0-9]|3[0-2])$/.test(n['host-netmask'])) no(`has host-netmask=${n['host-netmask']}`);
      out.hostNetmask = Number(n['host-netmask']);
    }
    if (n['control-port'] !== undefined) {
      if (!PORT.test(n['control-port'])) no(`has control-port=${n['control-port']}`);
      out.controlPort = Number(n['control-port']);
    }
    net.children.forEach((m, i) => {
      if (m.name !== 'port-mapping') no(`holds <${m.name}> in its network`);
      const p = only(m, ['port', 'internal-port', 'range'], 'a port mapping');
      if (p.id !== `${id}-port-${i + 1}`) no(`names its port mapping ${p.id ?? '(none)'}, not ${id}-port-${i + 1} as hactl does`);
      if (p.range !== undefined) {
        if (p.port !== undefined || p['internal-port'] !== undefined || !/^[1-9][0-9]{0,4}-[1-9][0-9]{0,4}$/.test(p.range)) no(`has the port mapping ${p.id} a topology cannot hold`);
        out.ports.push({ range: p.range });
      } else {
        if (p.port === undefined || !PORT.test(p.port) || (p['internal-port'] !== undefined && !PORT.test(p['internal-port']))) no(`has the port mapping ${p.id} a topology cannot hold`);
        out.ports.push({ port: Number(p.port), ...(p['internal-port'] !== undefined ? { internalPort: Number(p['internal-port']) } : {}) });
      }
    });
    b.network = out;
  }
  (child(e, 'storage')[0]?.children ?? []).forEach((m, i) => {
    if (m.name !== 'storage-mapping') no(`holds <${m.name}> in its storage`);
    const s = only(m, ['source-dir', 'source-dir-root', 'target-dir', 'options'], 'a storage mapping');
    if (s.id !== `${id}-storage-${i + 1}`) no(`names its storage mapping ${s.id ?? '(none)'}, not ${id}-storage-${i + 1} as hactl does`);
    const dirs = [s['source-dir'], s['source-dir-root'], s['target-dir']].filter((d): d is string => d !== undefined);
    if (!s['target-dir'] || dirs.some((d) => !DIR.test(d) || d.length > 255) || (s.options !== undefined && !/^[A-Za-z0-9=,]{1,64}$/.test(s.options))) no(`has the storage mapping ${s.id} a topology cannot hold`);
    b.storage.push({ target: s['target-dir'], ...(s['source-dir'] !== undefined ? { source: s['source-dir'] } : {}), ...(s['source-dir-root'] !== undefined ? { sourceRoot: s['source-dir-root'] } : {}), ...(s.options !== undefined ? { options: s.options } : {}) });
  });
  const name = nameFor(id, ctx.taken, /^(b|bundle)_/);
  const mode = b.promoted !== undefined ? 'promotable' : (b.replicas ?? 1) > 1 ? 'active-active' : 'active-passive';
  const inner = child(e, 'primitive')[0];
  if (!inner) return { kind: 'service', service: { name, mode, params: new Map(), id, ops: [], meta: new Map(), runtime, bundle: b } };
  const typed = primitive(inner, ctx, true, name);
  if (typed.kind !== 'service') no('holds a VIP');
  Object.assign(typed.service, { mode, bundle: b, runtime: [...runtime, ...typed.service.runtime] });
  return typed;
}

/** The typed form of a top-level resource, or why it stays raw. */
export function typeResource(e: XmlElement, ctx: TypingContext): Typed | { kind: 'raw'; why: string } {
  const taken = new Set(ctx.taken);
  const secrets = ctx.secrets.length;
  try {
    if (e.name === 'primitive') return primitive(e, ctx, false);
    if (e.name === 'clone') return clone(e, ctx);
    if (e.name === 'group') return group(e, ctx);
    if (e.name === 'bundle') return bundle(e, ctx);
    return { kind: 'raw', why: `a <${e.name}> has no typed form` };
  } catch (err) {
    if (!(err instanceof NotTyped)) throw err;
    // Nothing of a failed attempt is kept: names and secrets taken by it are released.
    ctx.taken.clear();
    for (const n of taken) ctx.taken.add(n);
    ctx.secrets.length = secrets;
    return { kind: 'raw', why: err.message };
  }
}

/** Meta or params sorted by name, for output. */
export function sortedEntries<T>(m: Map<string, T>): [string, T][] {
  return [...m].sort((a, b) => compareStrings(a[0], b[0]));
}
