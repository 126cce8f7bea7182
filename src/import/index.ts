/**
 * `hactl import`: a CIB (and the corosync.conf beside it) -> a topology that compiles back to the
 * same configuration. One way: it reads a CIB and writes topology text, and uses nothing of apply.
 *
 * What the typed format holds is typed: nodes (ids, attributes, capacities), corosync links and
 * addresses, the quorum device, fencing on or off, cluster properties, rsc_defaults and
 * op_defaults, and resources with an exact typed form (typed.ts: VIPs, custom services, clones of
 * one primitive), their CIB ids, operations and meta attributes kept under `cib:`. The other
 * resources, constraints, fencing levels, tags, alerts and ACLs are kept as CIB XML in the raw
 * passthrough (clusters.*.raw_cib) with their ids and a comment saying why. Whatever neither can
 * hold is refused (HA5550) and nothing is written: a topology holding less than the cluster runs
 * would make apply remove the rest. Secret parameters are never written: a typed resource's
 * become `{ secret: NAME }` read from the environment (HA5555), a raw one's `lrm://`, Pacemaker's
 * reference to a node-local CIB secret (HA5552).
 */
import { CIB_ATTR_DEFAULTS, CLUSTER_MAINTAINED_PROPERTIES, isFalse, VOLATILE_CIB_ATTRS } from '../diff/rules.js';
import { RUNTIME_PROPERTIES } from '../diff/runtime.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import { isCredentialName } from '../secret-names.js';
import { HACTL_SET_IDS, RAW_SECTIONS, type RawSection, type SetSection } from '../vocabulary.js';
import { SET_OPTIONS } from '../catalog/pacemaker-options.js';
import { OWNERSHIP_SET } from '../diff/ownership.js';
import { loadTopology } from '../load.js';
import { isNodeName, nodeNameKey } from '../model/node-name.js';
import { serializeXml } from '../xml/serialize.js';
import type { XmlElement } from '../xml/tree.js';
import { compareStrings } from '../util/compare.js';
import { corosyncFacts, parseCorosyncConf, type CorosyncFacts } from './corosync.js';
import { scalar } from './yaml.js';
import { importFencing, renderClusterFencing, renderNodeFencing, type FencingImport } from './fencing.js';
import { claimConstraints, driftedClaims, type Placement } from './constraints.js';
import { matchCatalogue, type NodeFiles } from './catalog.js';
import type { ReleaseName } from '../vocabulary.js';
import { entryByKey } from '../catalog/index.js';
import { importSbd, refuseSbd, renderSbd, sbdWarnings, type SbdConfig, type SbdImport } from './sbd.js';
import { shownValue, sortedEntries, typeResource, type ImportedSecret, type TypedBundle, type TypedOp, type TypedService, type TypedVip, type TypingContext } from './typed.js';

export interface ImportInput {
  /** The whole CIB (`cibadmin --query`) or its <configuration>. */
  cib: XmlElement;
  /** Where the CIB came from, for the header comment. */
  source: string;
  corosyncConf?: { text: string; source: string };
  /** The sbd file of a member (/etc/default/sbd or /etc/sysconfig/sbd): SBD's disks and timeouts, which the CIB does not hold. */
  sbdConfig?: SbdConfig;
  /** Name of the cluster in the topology (default: corosync's cluster_name, the CIB's cluster-name, else "cluster"). */
  name?: string;
  /** The cluster's OpenStack release (no CIB records it): the catalogue services of its family are tried (catalog.ts). */
  release?: ReleaseName;
  /** The nodes' files, read over SSH or from a saved tree: what proves a catalogue service's files (catalog.ts). */
  files?: NodeFiles;
}

export interface ImportResult {
  /** The topology text; undefined when the CIB cannot be held (an HA5550 error says why). */
  text?: string;
  diagnostics: Diagnostic[];
  /** What could not be held, and why (also the HA5550 error), when text is undefined. */
  refused?: { what: string; why: string };
}

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ATTRIBUTE_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
/** Placeholder addresses when no corosync.conf says the real ones (HA5551). */
const PLACEHOLDER_NET = '198.51.100';
/** The raw sections whose elements are objects (the sets of crm_config and the defaults, and the node entries, are read apart). */
const RAW_ORDER = (Object.keys(RAW_SECTIONS) as RawSection[]).filter((s) => !(s in HACTL_SET_IDS) && s !== 'nodes');

class Refusal extends Error {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {
    super(`${what} ${why}`);
  }
}

function refuse(what: string, why: string): never {
  throw new Refusal(what, why);
}

const child = (e: XmlElement, name: string): XmlElement | undefined => e.children.find((c) => c.name === name);

/** A topology-safe name from a free one (cluster names may hold capitals, dots, underscores). */
function safeName(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = raw
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return NAME.test(s) ? s : undefined;
}


/**
 * The attribute sets of a node entry named `tag` as one name -> value map, refusing what a map
 * cannot hold. Pacemaker merges a node's sets without rules, so several plain sets with no name in
 * common are one map (a set of crm_attribute's beside one of an installer's, say); hactl writes
 * them as one set, and the diff matches node pairs by name, never by set.
 */
function onlySet(e: XmlElement, tag: string, what: string): Map<string, string> | undefined {
  const sets = e.children.filter((c) => c.name === tag);
  if (!sets.length) return undefined;
  const out = new Map<string, string>();
  for (const set of sets) {
    if (set.attrs['id-ref'] !== undefined) refuse(what, `refers to the set ${set.attrs['id-ref']} (id-ref): a topology holds values, not references`);
    for (const c of set.children) {
      if (c.name === 'rule') refuse(what, `has a rule on its ${tag}: a topology holds values that apply always`);
      if (c.name !== 'nvpair') refuse(what, `holds <${c.name}> in its ${tag}`);
      const name = c.attrs.name;
      const value = c.attrs.value;
      if (name === undefined || value === undefined) refuse(what, `has an nvpair without ${name === undefined ? 'a name' : `a value (${name})`}`);
      if (out.has(name)) refuse(what, `sets ${name} twice in its ${tag}${sets.length > 1 ? ' sets: which value wins depends on their order' : ''}`);
      out.set(name, value);
    }
    // A score orders the sets; with no name in two of them, the order changes nothing.
    for (const k of Object.keys(set.attrs)) if (k !== 'id' && k !== 'score') refuse(what, `has an attribute ${k} on its ${tag}`);
  }
  return out;
}

/** A cluster property as the CIB sets it in a set without a rule (the first such set that does). */
function propertyOf(crm: XmlElement | undefined, name: string): string | undefined {
  const sets = (crm?.children ?? []).filter((s) => !s.children.some((c) => c.name === 'rule'));
  return sets.flatMap((s) => s.children).find((c) => c.name === 'nvpair' && c.attrs.name === name)?.attrs.value;
}

/** A raw element of the topology and why it is not typed. */
interface RawKept {
  e: XmlElement;
  why?: string;
}

/** Whether an attribute set is one name -> value map that applies always: what the typed format holds. */
function plainSet(set: XmlElement): boolean {
  const names = new Set<string>();
  for (const c of set.children) {
    if (c.name !== 'nvpair' || c.attrs.name === undefined || c.attrs.value === undefined || names.has(c.attrs.name)) return false;
    if (Object.keys(c.attrs).some((k) => k !== 'id' && k !== 'name' && k !== 'value')) return false;
    names.add(c.attrs.name);
  }
  return set.attrs.id !== undefined && Object.keys(set.attrs).every((k) => k === 'id');
}

/**
 * The attribute sets of crm_config, rsc_defaults or op_defaults: the one the typed format holds
 * (the set with hactl's id, else the first, when it is plain) and the rest, kept raw with their
 * ids after it. Pacemaker merges the sets by score, then document order: the typed set is written
 * first, so when a name it sets is in another set too (which wins would change), none is typed.
 */
function splitSets(section: XmlElement | undefined, name: SetSection): { typed?: Map<string, string>; typedSet?: XmlElement; raw: RawKept[] } {
  const tag = name === 'crm_config' ? 'cluster_property_set' : 'meta_attributes';
  // apply's ownership record is bookkeeping, rewritten by every apply: not configuration.
  const sets = (section?.children ?? []).filter((c) => !(name === 'crm_config' && c.attrs.id === OWNERSHIP_SET));
  for (const a of Object.keys(section?.attrs ?? {})) refuse(`<${name}>`, `has an attribute ${a} a topology has no place for`);
  for (const c of sets) {
    if (c.name !== tag) refuse(`<${name}>`, `holds <${c.name}>`);
    if (c.attrs.id === undefined) refuse(`<${name}>`, `holds a <${tag}> without an id (${c.attrs['id-ref'] !== undefined ? 'a reference' : 'no id'}): a topology keeps the sets by their ids`);
  }
  if (!sets.length) return { raw: [] };
  const own = sets.find((c) => c.attrs.id === HACTL_SET_IDS[name]);
  let typed = own ? (plainSet(own) ? own : undefined) : plainSet(sets[0]!) ? sets[0] : undefined;
  const maintained = (n: string) => name === 'crm_config' && CLUSTER_MAINTAINED_PROPERTIES.has(n);
  const setNames = (s: XmlElement) => s.children.filter((c) => c.name === 'nvpair' && c.attrs.name !== undefined && !maintained(c.attrs.name)).map((c) => c.attrs.name!);
  const candidate = typed;
  const overlap = candidate ? setNames(candidate).filter((n) => sets.some((s) => s !== candidate && setNames(s).includes(n))) : [];
  if (overlap.length) {
    if (own) refuse(`<${name}>`, `sets ${overlap.join(', ')} in its set ${own.attrs.id} and in another: which value wins depends on the sets' scores and order, which hactl's own set cannot keep`);
    typed = undefined;
  }
  const raw: RawKept[] = [];
  for (const s of sets) {
    if (s === typed) continue;
    // What the cluster writes itself (dc-version, cluster-name...) is no configuration to keep.
    const kept = name === 'crm_config' ? { ...s, children: s.children.filter((c) => !(c.name === 'nvpair' && maintained(c.attrs.name ?? ''))) } : s;
    if (!kept.children.length && Object.keys(kept.attrs).every((k) => k === 'id')) continue;
    const why = s.attrs.score !== undefined
      ? `has the score ${s.attrs.score}: the typed set has none`
      : s.children.some((c) => c.name === 'rule')
        ? 'has a rule: the typed set applies always'
        : !plainSet(s)
          ? 'holds more than name/value pairs (or a name twice): the typed set is a map'
          : overlap.length
            ? `sets ${overlap.join(', ')} as ${candidate!.attrs.id} does: which wins depends on the sets' order, kept as it is`
            : typed
              ? `a further set (the typed one is ${typed.attrs.id})`
              : `the set ${HACTL_SET_IDS[name]} has a score or a rule: it keeps hactl's id, so no set is typed`;
    raw.push({ e: kept, why });
  }
  if (!typed) return { raw };
  const values = new Map<string, string>();
  for (const c of typed.children) values.set(c.attrs.name!, c.attrs.value!);
  return { typed: values, typedSet: typed, raw };
}

/**
 * Options Pacemaker 2.1 does not know in the typed set of a section (Pacemaker 3's
 * fencing-enabled, 1.1's crmd-transition-delay, a defaults option of a newer release) leave the
 * typed map and join hactl's own set through the raw passthrough, which keeps them as written
 * with a warning (HA3223 at compile); HA5560 names every such pair of the section's raw sets.
 */
function unknownToRaw(section: SetSection, sets: ReturnType<typeof splitSets>, typed: Map<string, string | null>, diagnostics: Diagnostic[]): void {
  const { options, kind } = SET_OPTIONS[section];
  const unknown = [...typed.keys()].filter((k) => !(k in options));
  if (unknown.length) {
    const pairs = sets.typedSet!.children.filter((c) => unknown.includes(c.attrs.name ?? ''));
    sets.raw.unshift({ e: { name: RAW_SECTIONS[section][0], attrs: { id: HACTL_SET_IDS[section] }, children: pairs }, why: `${unknown.join(', ')}: unknown to Pacemaker 2.1, the version hactl writes for; kept as written in hactl's own set` });
    for (const k of unknown) typed.delete(k);
  }
  for (const { e } of sets.raw) {
    for (const nv of e.children) {
      const name = nv.attrs.name;
      if (nv.name === 'nvpair' && name !== undefined && !(name in options)) diagnostics.push(diag('HA5560', '', { kind, name, section, set: e.attrs.id === HACTL_SET_IDS[section] ? (sets.typedSet?.attrs.id ?? e.attrs.id) : (e.attrs.id ?? '') }));
    }
  }
}

/** The smallest network (at most /24) holding every address: the prefix corosync.conf does not say. */
function networkOf(addresses: string[]): { cidr: string; prefix: number } {
  const nums = addresses.map((a) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0));
  let prefix = 24;
  const mask = (p: number) => (p === 0 ? 0 : (0xffffffff << (32 - p)) >>> 0);
  while (prefix > 8 && new Set(nums.map((n) => (n & mask(prefix)) >>> 0)).size > 1) prefix--;
  const base = (nums[0]! & mask(prefix)) >>> 0;
  return { cidr: `${[24, 16, 8, 0].map((s) => (base >>> s) & 255).join('.')}/${prefix}`, prefix };
}

interface NodeOut {
  name: string;
  nodeid: number;
  addresses: Record<string, string>;
  attributes?: Map<string, string>;
  utilization?: Map<string, string>;
  role: 'controller' | 'qnetd';
}

export function importCib(input: ImportInput): ImportResult {
  const diagnostics: Diagnostic[] = [];
  try {
    return { text: build(input, diagnostics), diagnostics };
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    diagnostics.push(diag('HA5550', '', { what: e.what, why: e.why }));
    return { diagnostics, refused: { what: e.what, why: e.why } };
  }
}

function build(input: ImportInput, diagnostics: Diagnostic[]): string {
  const root = input.cib;
  const configuration = root.name === 'cib' ? child(root, 'configuration') : root.name === 'configuration' ? root : undefined;
  if (!configuration) refuse(`<${root.name}>`, 'is not a CIB: a CIB is what `cibadmin --query` prints');
  if (root.name === 'cib') {
    for (const a of Object.keys(root.attrs).sort(compareStrings)) {
      if (!VOLATILE_CIB_ATTRS.has(a) && CIB_ATTR_DEFAULTS[a] !== root.attrs[a]!.trim()) refuse(`<cib ${a}="${root.attrs[a]}">`, 'is configuration a topology has no place for');
    }
  }
  let corosync: CorosyncFacts | undefined;
  if (input.corosyncConf) {
    const p = parseCorosyncConf(input.corosyncConf.text);
    if (!p.ok) {
      diagnostics.push({ ...diag('HA2020', '', { source: input.corosyncConf.source, detail: `line ${p.line}: ${p.detail}` }), file: input.corosyncConf.source });
      refuse(input.corosyncConf.source, 'cannot be read (above)');
    }
    corosync = corosyncFacts(p.root);
  }
  const sections = new Map<string, XmlElement>();
  for (const s of configuration.children) {
    if (sections.has(s.name)) refuse(`<${s.name}>`, 'appears twice in <configuration>');
    sections.set(s.name, s);
  }
  for (const name of sections.keys()) {
    if (!['nodes', ...Object.keys(RAW_SECTIONS)].includes(name)) refuse(`<${name}>`, 'is a section of <configuration> a topology has no place for');
  }

  // Cluster properties: one set typed, the others (and what hactl's Pacemaker does not know) raw.
  const crm = sections.get('crm_config');
  const properties = new Map<string, string | null>();
  const runtimeProperties: string[] = [];
  const propertySets = splitSets(crm, 'crm_config');
  for (const [k, v] of propertySets.typed ?? []) {
    // maintenance-mode and stop-all-resources as found are an operator's (apply keeps them); typed,
    // they would be intent, and apply would undo the operator's later change of them.
    if (RUNTIME_PROPERTIES.has(k)) runtimeProperties.push(`${k}=${shownValue(v)}`);
    else if (!CLUSTER_MAINTAINED_PROPERTIES.has(k)) properties.set(k, v);
  }
  unknownToRaw('crm_config', propertySets, properties, diagnostics);
  const cibClusterName = crm?.children.flatMap((s) => s.children).find((c) => c.attrs.name === 'cluster-name')?.attrs.value;
  const stonith = properties.get('stonith-enabled');
  properties.delete('stonith-enabled');
  // Fencing on or off: the typed set's stonith-enabled, else the first set without a rule that says
  // (Pacemaker 3 calls it fencing-enabled).
  const said =
    stonith !== undefined && stonith !== null
      ? { name: 'stonith-enabled', value: stonith, set: undefined }
      : propertySets.raw
          .filter(({ e }) => !e.children.some((c) => c.name === 'rule'))
          .flatMap(({ e }) => e.children.filter((c) => c.name === 'nvpair' && (c.attrs.name === 'stonith-enabled' || c.attrs.name === 'fencing-enabled')).map((c) => ({ name: c.attrs.name!, value: c.attrs.value ?? '', set: e.attrs.id })))[0];
  const fencingOn = said === undefined || !isFalse(said.value);
  const elsewhere = said?.set !== undefined && said.set !== HACTL_SET_IDS.crm_config ? ` (property set ${said.set}, kept raw)` : '';
  const fencingWhy = said && !fencingOn ? `imported: the CIB sets ${said.name}=${said.value}${elsewhere}` : undefined;

  // Nodes: the CIB's members, with the corosync nodelist's ids and addresses where given.
  const nodes: NodeOut[] = [];
  const remoteEntries: RawKept[] = [];
  for (const n of sections.get('nodes')?.children ?? []) {
    const uname = n.attrs.uname;
    const what = `node ${uname ?? n.attrs.id ?? '(no id)'}`;
    if (n.name !== 'node') refuse(`<${n.name}> in <nodes>`, 'is not a node');
    // A remote or guest node's entry (Pacemaker's, holding the attributes its location rules
    // read): the node itself is its connection resource, imported with the resources.
    if (n.attrs.type === 'remote' && uname !== undefined && n.attrs.id !== undefined) {
      remoteEntries.push({ e: n, why: `${uname}'s entry: a remote node's attributes, kept as written (its connection is a resource)` });
      continue;
    }
    for (const a of Object.keys(n.attrs)) if (!['id', 'uname', 'type'].includes(a)) refuse(what, `has an attribute ${a} a topology has no place for`);
    if (n.attrs.type !== undefined && !['member', 'normal'].includes(n.attrs.type)) refuse(what, `is of type ${n.attrs.type}: a topology's remote and guest nodes are made by hactl, not listed`);
    if (uname === undefined || !isNodeName(uname)) refuse(what, 'has a name a topology cannot hold: a host name or FQDN (letters, digits, - and _, labels separated by single dots, at most 64 characters)');
    const same = nodes.find((o) => nodeNameKey(o.name) === nodeNameKey(uname));
    if (same) refuse(what, `has the name of node ${same.name} but for case: Pacemaker finds a node by its name ignoring case`);
    const id = n.attrs.id ?? '';
    if (!/^[1-9][0-9]{0,4}$/.test(id) || Number(id) > 65535) refuse(what, `has the id "${id}", which is no corosync nodeid (1 to 65535)`);
    for (const c of n.children) if (c.name !== 'instance_attributes' && c.name !== 'utilization') refuse(what, `holds <${c.name}>`);
    const out: NodeOut = { name: uname, nodeid: Number(id), addresses: {}, role: 'controller' };
    const attributes = onlySet(n, 'instance_attributes', what);
    for (const [k, v] of attributes ?? []) {
      if (!ATTRIBUTE_NAME.test(k) || k.length > 63) refuse(what, `has the attribute ${k}, whose name a topology cannot hold`);
      if (!v || v.length > 256 || /[\u0000-\u001f\u007f]/.test(v)) refuse(what, `has the attribute ${k} with a value a topology cannot hold (empty, over 256 characters or with control characters)`);
    }
    if (attributes?.size) out.attributes = attributes;
    const utilization = onlySet(n, 'utilization', what);
    for (const [k, v] of utilization ?? []) {
      if (!ATTRIBUTE_NAME.test(k) || !/^(0|[1-9][0-9]{0,8}|1000000000)$/.test(v)) refuse(what, `has the capacity ${k}=${v}: a topology holds whole numbers from 0 to 10^9`);
    }
    if (utilization?.size) out.utilization = utilization;
    nodes.push(out);
  }
  nodes.sort((a, b) => compareStrings(a.name, b.name));

  const clusterName = safeName(input.name) ?? safeName(corosync?.clusterName) ?? safeName(cibClusterName) ?? 'cluster';
  const header: string[] = [`Imported by hactl import from ${input.source}${input.corosyncConf ? ` and ${input.corosyncConf.source}` : ''}.`];

  // Corosync links and addresses.
  const links: string[] = [];
  const networks: [string, string, string][] = [];
  let qnetd: NodeOut | undefined;
  if (corosync) {
    const rings = Math.max(0, ...corosync.nodes.map((n) => n.rings.length));
    for (let r = 0; r < rings; r++) links.push(r === 0 ? 'management' : `ring${r}`);
    for (const n of nodes) {
      const entry = corosync.nodes.find((c) => c.name === n.name) ?? corosync.nodes.find((c) => c.nodeid === n.nodeid) ?? corosync.nodes.find((c) => c.rings[0] === n.name);
      if (!entry) refuse(`node ${n.name}`, 'is not in the nodelist of corosync.conf');
      if (entry.nodeid !== undefined && entry.nodeid !== n.nodeid) refuse(`node ${n.name}`, `has the id ${n.nodeid} in the CIB and nodeid ${entry.nodeid} in corosync.conf`);
      entry.rings.forEach((a, r) => {
        if (!IPV4.test(a)) refuse(`node ${n.name}`, `has ring${r}_addr ${a}: a topology holds IPv4 addresses, not host names`);
        n.addresses[links[r]!] = a;
      });
    }
    if (corosync.qdevice) {
      const q = corosync.qdevice;
      if (!IPV4.test(q.host)) refuse('the quorum device', `is reached at ${q.host}: a topology holds the qnetd host's IPv4 address`);
      qnetd = { name: nodes.some((n) => nodeNameKey(n.name) === 'qnetd') ? 'qnetd-host' : 'qnetd', nodeid: 0, addresses: { [links[0] ?? 'management']: q.host }, role: 'qnetd' };
    }
    links.forEach((link, r) => {
      const addrs = [...nodes.map((n) => n.addresses[link]).filter((a): a is string => a !== undefined), ...(r === 0 && qnetd ? [qnetd.addresses[link]!] : [])];
      if (!addrs.length) return;
      networks.push([link, networkOf(addrs).cidr, `ring${r}_addr of corosync.conf; the prefix is the smallest holding every address (corosync.conf names none)`]);
    });
  } else {
    links.push('management');
    nodes.forEach((n, i) => (n.addresses.management = `${PLACEHOLDER_NET}.${i + 1}`));
    networks.push(['management', `${PLACEHOLDER_NET}.0/24`, 'PLACEHOLDER: no corosync.conf was given; set the real network and addresses before apply']);
    diagnostics.push(diag('HA5551', ''));
  }

  // Defaults: one set typed and written whole, so that hactl's own choices do not join them; the others raw.
  const rscSets = splitSets(sections.get('rsc_defaults'), 'rsc_defaults');
  const opSets = splitSets(sections.get('op_defaults'), 'op_defaults');
  const rscDefaults = rscSets.typed ?? new Map<string, string>();
  const opDefaults = opSets.typed ?? new Map<string, string>();
  unknownToRaw('rsc_defaults', rscSets, rscDefaults, diagnostics);
  unknownToRaw('op_defaults', opSets, opDefaults, diagnostics);
  const rawSets = ([['crm_config', propertySets.raw], ['rsc_defaults', rscSets.raw], ['op_defaults', opSets.raw], ['nodes', remoteEntries]] as const).flatMap(([section, raw]) => (raw.length ? [{ section, elements: raw }] : []));

  // Properties hactl would add that the CIB leaves out (or that a raw set says): null keeps them out.
  if (stonith === undefined || stonith === null) properties.set('stonith-enabled', null);
  if (fencingOn && nodes.length === 2 && !properties.has('priority-fencing-delay')) properties.set('priority-fencing-delay', null);
  if (nodes.some((n) => n.utilization) && !properties.has('placement-strategy')) properties.set('placement-strategy', null);

  // Resources: typed where the topology holds them exactly; the rest raw, secrets replaced by references.
  const ctx: TypingContext = {
    networks: networks.map(([name, cidr]) => [name, cidr]),
    pingNetworks: new Set(qnetd ? Object.keys(qnetd.addresses) : []),
    taken: new Set([...nodes.map((n) => n.name), ...(qnetd ? [qnetd.name] : [])]),
    secrets: [],
  };
  const objects: { section: RawSection; e: XmlElement; typed: ReturnType<typeof typeResource> | undefined }[] = [];
  for (const section of RAW_ORDER) {
    const s = sections.get(section);
    if (!s?.children.length) continue;
    for (const a of Object.keys(s.attrs)) refuse(`<${section}>`, `has an attribute ${a} a topology has no place for`);
    const allowed: readonly string[] = RAW_SECTIONS[section];
    for (const e of s.children) if (!allowed.includes(e.name)) refuse(`<${e.name}> in <${section}>`, 'is not an element the raw passthrough holds there');
    for (const e of s.children) objects.push({ section, e, typed: section === 'resources' ? typeResource(e, ctx) : undefined });
  }
  // Fence devices, their locations and the levels: typed where the topology's fencing holds them (fencing.ts).
  const fencingSections = { resources: sections.get('resources')?.children ?? [], constraints: sections.get('constraints')?.children ?? [], levels: sections.get('fencing-topology')?.children ?? [] };
  // SBD, from the sbd file beside the CIB (sbd.ts); its fence_sbd device is then no device of its own.
  let sbd: SbdImport = importSbd(input.sbdConfig, { resources: fencingSections.resources, property: (name) => propertyOf(crm, name) }, diagnostics);
  if (sbd.typed) {
    ctx.taken.add('sbd');
    // What hactl derives from SBD and the CIB leaves out stays out.
    for (const p of ['stonith-timeout', ...(sbd.typed.devices.length ? [] : ['stonith-watchdog-timeout'])]) if (!properties.has(p)) properties.set(p, null);
  }
  const sbdDevice = () => (sbd.typed?.device ? { e: sbd.typed.device.e, id: sbd.typed.device.id } : undefined);
  const beforeFencing = { taken: new Set(ctx.taken), secrets: ctx.secrets.length };
  const refusedFences = new Map<string, string>();
  let fence: FencingImport = importFencing(fencingSections, nodes.map((n) => n.name), ctx, refusedFences, sbdDevice());
  const rendered: Omit<Rendered, 'vips' | 'services' | 'placements' | 'secrets' | 'raw' | 'fence' | 'sbd'> = { header, clusterName, networks, nodes, qnetd, corosync, links, fencingOn, fencingWhy, properties, runtimeProperties, rscDefaults, opDefaults };
  let placements = new Map<TypedService, Placement>();
  const catalogueDerived = new Set<string>();
  const assemble = (): string => {
    const vips: TypedVip[] = [];
    const services: TypedService[] = [];
    const raw: Rendered['raw'] = rawSets.map((r) => ({ section: r.section, elements: [...r.elements] }));
    const claimed = new Set([...[...placements.values()].flatMap((p) => p.ids), ...catalogueDerived]);
    for (const o of objects) {
      if (o.typed?.kind === 'vip') vips.push(o.typed.vip);
      else if (o.typed?.kind === 'service') services.push(o.typed.service);
      else if (o.section === 'constraints' && claimed.has(o.e.attrs.id ?? '')) continue;
      else if (!fence.typed.has(o.e)) {
        const why = fence.why.get(o.e) ?? o.typed?.why;
        const kept = { e: withoutSecrets(o.e, undefined, []), ...(why ? { why } : {}) };
        const last = raw[raw.length - 1];
        if (last?.section === o.section) last.elements.push(kept);
        else raw.push({ section: o.section, elements: [kept] });
      }
    }
    const typedIds = new Set([...services.map((s) => s.id), ...fence.ids]);
    const release = input.release !== undefined && services.some((s) => s.catalogue) ? input.release : undefined;
    return render({ ...rendered, vips, services, placements, secrets: ctx.secrets.filter((s) => typedIds.has(s.rsc)), raw, fence, sbd, ...(release !== undefined ? { release } : {}) });
  };
  // A typed resource the topology's rules refuse (an agent that cannot be cloned, say) is kept
  // raw instead, with the rule's words as the reason: raw XML holds whatever Pacemaker holds.
  let text = assemble();
  // One round per object that may be demoted, and one for SBD.
  for (let round = 0; round <= objects.length; round++) {
    const loaded = loadTopology(text, 'imported');
    const demoted = new Set<string>();
    for (const d of loaded.diagnostics) {
      if (d.severity !== 'error') continue;
      const m = /^\/clusters\/[^/]+\/(services|vips)\/([^/]+)/.exec(d.pointer ?? '');
      const o = m && objects.find((x) => x.typed?.kind === (m[1] === 'vips' ? 'vip' : 'service') && (x.typed.kind === 'vip' ? x.typed.vip.name : x.typed.kind === 'service' ? x.typed.service.name : '') === m[2]);
      if (!o || demoted.has(o.e.attrs.id ?? '')) continue;
      demoted.add(o.e.attrs.id ?? '');
      o.typed = { kind: 'raw', why: `typed, it would not validate: ${d.message}` };
    }
    const fencesBefore = refusedFences.size;
    refuseFences(loaded.diagnostics, fence, refusedFences);
    const sbdRule = sbd.typed ? loaded.diagnostics.find((d) => d.severity === 'error' && (/^\/clusters\/[^/]+\/sbd(\/|$)/.test(d.pointer ?? '') || /^HA314[0-7]$/.test(d.code))) : undefined;
    if (sbdRule) sbd = refuseSbd(sbd, `typed, it would not validate: ${sbdRule.message}`, diagnostics);
    if (!demoted.size && refusedFences.size === fencesBefore && !sbdRule) break;
    if (refusedFences.size !== fencesBefore || sbdRule) {
      ctx.taken.clear();
      for (const n of beforeFencing.taken) ctx.taken.add(n);
      ctx.secrets.length = beforeFencing.secrets;
      fence = importFencing(fencingSections, nodes.map((n) => n.name), ctx, refusedFences, sbdDevice());
    }
    text = assemble();
  }
  // Constraints a typed service derives itself become its fields, each claim proven by compiling
  // (constraints.ts): a service whose derived constraints would differ keeps them raw.
  const services = objects.flatMap((o) => (o.typed?.kind === 'service' ? [o.typed.service] : []));
  const vips = objects.flatMap((o) => (o.typed?.kind === 'vip' ? [o.typed.vip] : []));
  placements = claimConstraints(objects.filter((o) => o.section === 'constraints').map((o) => o.e), services, vips, nodes.map((n) => n.name));
  for (let round = 0; placements.size && round <= services.length; round++) {
    text = assemble();
    const drifted = driftedClaims(text, root, placements);
    if (drifted === 'all') placements.clear();
    else if (!drifted.size) break;
    else for (const s of drifted) placements.delete(s);
    text = assemble();
  }
  // Custom services that are catalogue services, CIB objects and node files proven (catalog.ts).
  const typedServices = objects.flatMap((o) => (o.typed?.kind === 'service' ? [o.typed.service] : []));
  matchCatalogue({ services: typedServices, assemble, derived: catalogueDerived, cib: root, ...(input.release !== undefined ? { release: input.release } : {}), ...(input.files ? { files: input.files } : {}) });
  if (typedServices.some((s) => s.catalogue !== undefined || s.catalogueNote !== undefined)) text = assemble();
  for (const o of objects) {
    if (o.typed?.kind !== 'service' && !fence.typed.has(o.e)) withoutSecrets(o.e, undefined, diagnostics);
  }
  const typedIds = new Set([...objects.flatMap((o) => (o.typed?.kind === 'service' ? [o.typed.service.id] : [])), ...fence.ids]);
  for (const s of ctx.secrets) if (typedIds.has(s.rsc)) diagnostics.push(diag('HA5555', '', { rsc: s.rsc, param: s.param, secret: s.name, env: s.env }));
  sbdWarnings(sbd, diagnostics);
  return text;
}

/**
 * Typed fence devices the topology's rules refuse, by CIB id with the rule's words: a device's
 * own finding names it; a finding on the cluster's fencing as a whole (a node no typed device
 * fences, a level) refuses them all, and the fencing stays raw as the cluster runs it.
 */
function refuseFences(found: Diagnostic[], fence: FencingImport, refused: Map<string, string>): void {
  for (const d of found) {
    if (d.severity !== 'error') continue;
    const p = d.pointer ?? '';
    const own = /^\/nodes\/([^/]+)\/fencing(\/|$)/.exec(p);
    const shared = /^\/clusters\/[^/]+\/fence_devices\/([^/]+)(\/|$)/.exec(p);
    const ids = own ? [fence.nodes.get(own[1]!)?.id] : shared ? [fence.devices.find((x) => x.name === shared[1])?.id] : d.code === 'HA3017' || /^\/clusters\/[^/]+\/fencing(\/|$)/.test(p) ? [...fence.ids] : [];
    for (const id of ids) if (id !== undefined && fence.ids.has(id) && !refused.has(id)) refused.set(id, `typed, it would not validate: ${d.message}`);
  }
}

/** A copy of `e` whose secret instance attributes hold lrm:// (HA5552 names each). */
function withoutSecrets(e: XmlElement, rsc: string | undefined, diagnostics: Diagnostic[], inSet = false): XmlElement {
  const own = e.name === 'primitive' || e.name === 'template' ? e.attrs.id : rsc;
  if (inSet && e.name === 'nvpair' && e.attrs.name !== undefined && e.attrs.value !== undefined && isCredentialName(e.attrs.name) && e.attrs.value !== 'lrm://') {
    diagnostics.push(diag('HA5552', '', { rsc: own ?? '(unknown)', param: e.attrs.name }));
    return { name: e.name, attrs: { ...e.attrs, value: 'lrm://' }, children: [] };
  }
  const set = inSet || e.name === 'instance_attributes';
  return { name: e.name, attrs: { ...e.attrs }, children: e.children.map((c) => withoutSecrets(c, own, diagnostics, set)) };
}

interface Rendered {
  header: string[];
  clusterName: string;
  networks: [string, string, string][];
  nodes: NodeOut[];
  qnetd: NodeOut | undefined;
  corosync: CorosyncFacts | undefined;
  links: string[];
  fencingOn: boolean;
  fencingWhy: string | undefined;
  properties: Map<string, string | null>;
  /** An operator's runtime properties found, `name=value`: shown, not typed. */
  runtimeProperties: string[];
  rscDefaults: Map<string, string>;
  opDefaults: Map<string, string>;
  vips: TypedVip[];
  services: TypedService[];
  placements: Map<TypedService, Placement>;
  secrets: ImportedSecret[];
  raw: { section: RawSection; elements: { e: XmlElement; why?: string }[] }[];
  fence: FencingImport;
  /** openstack.release, when a catalogue service of its family is typed. */
  release?: string;
  sbd: SbdImport;
}

function flowMap(m: Map<string, string> | Record<string, string>): string {
  const entries = m instanceof Map ? [...m] : Object.entries(m);
  return `{ ${entries
    .sort((a, b) => compareStrings(a[0], b[0]))
    .map(([k, v]) => `${scalar(k)}: ${scalar(v)}`)
    .join(', ')} }`;
}

function blockMap(out: string[], indent: string, m: Map<string, string | null>): void {
  for (const [k, v] of [...m].sort((a, b) => compareStrings(a[0], b[0]))) {
    out.push(`${indent}${scalar(k)}: ${v === null ? "null  # left out in the CIB: hactl sets none of its own" : scalar(v)}`);
  }
}

/** A resource's `cib:` block: what import keeps of it where hactl would choose otherwise. */
function cibBlock(out: string[], indent: string, c: { id?: string; ops: TypedOp[]; meta: Map<string, string>; cloneId?: string; cloneMeta?: Map<string, string>; group?: TypedService['group']; bundleId?: string }): void {
  out.push(`${indent}cib:  # as the cluster runs it`);
  if (c.id !== undefined) out.push(`${indent}  id: ${scalar(c.id)}`);
  operationsBlock(out, `${indent}  `, c.ops);
  if (c.meta.size) out.push(`${indent}  meta: ${flowMap(c.meta)}`);
  if (c.bundleId !== undefined) out.push(`${indent}  bundle_id: ${scalar(c.bundleId)}`);
  if (c.group) {
    out.push(`${indent}  group_id: ${scalar(c.group.id)}`);
    if (c.group.meta.size) out.push(`${indent}  group_meta: ${flowMap(c.group.meta)}`);
    if (c.group.members.length) out.push(`${indent}  group_members:  # started in this order, before ${scalar(c.id ?? '')}`);
    for (const m of c.group.members) {
      out.push(`${indent}    - id: ${scalar(m.id)}`, `${indent}      agent: ${scalar(m.agent)}`);
      if (m.params.size) out.push(`${indent}      params: ${flowMap(m.params)}`);
      operationsBlock(out, `${indent}      `, m.ops);
      if (m.meta.size) out.push(`${indent}      meta: ${flowMap(m.meta)}`);
    }
  }
  if (c.cloneId !== undefined) out.push(`${indent}  clone_id: ${scalar(c.cloneId)}`);
  // Always written for a clone: without it hactl would give the clone its own meta attributes.
  if (c.cloneMeta) out.push(`${indent}  clone_meta: ${c.cloneMeta.size ? flowMap(c.cloneMeta) : '{}'}`);
}

/** A catalogue service (catalog.ts proved it): its name, and only what it would not derive itself. */
function catalogueBlock(out: string[], s: TypedService, p: Placement | undefined): void {
  const entry = entryByKey(s.catalogue!)!;
  const fields: string[] = [];
  if (s.mode !== entry.defaultMode) fields.push(`        mode: ${s.mode}`);
  if (p) placementFields(fields, '        ', p);
  runtimeNote(fields, '        ', s.runtime);
  const why = '# the catalogue service: its CIB objects (ids kept) and node files are what runs';
  out.push(fields.length ? `      ${s.name}:  ${why}` : `      ${s.name}: {}  ${why}`, ...fields);
}

/** A comment line naming an operator's runtime meta attributes or properties (values made by `shownValue`). */
function runtimeNote(out: string[], indent: string, runtime: string[]): void {
  if (runtime.length) out.push(`${indent}# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: ${runtime.join(', ')}`);
}

/** A bundle as the topology writes it (its id goes under cib:). */
function bundleBlock(out: string[], indent: string, b: TypedBundle): void {
  out.push(`${indent}bundle:`, `${indent}  runtime: ${b.runtime}`, `${indent}  image: ${scalar(b.image)}`);
  if (b.replicas !== undefined) out.push(`${indent}  replicas: ${b.replicas}`);
  if (b.replicasPerHost !== undefined) out.push(`${indent}  replicas_per_host: ${b.replicasPerHost}`);
  if (b.promoted !== undefined) out.push(`${indent}  promoted: ${b.promoted}`);
  if (b.options !== undefined) out.push(`${indent}  options: ${JSON.stringify(b.options)}`);
  const n = b.network;
  if (n) {
    const fields = [
      ...(n.ipRangeStart !== undefined ? [`ip_range_start: ${scalar(n.ipRangeStart)}`] : []),
      ...(n.hostInterface !== undefined ? [`host_interface: ${scalar(n.hostInterface)}`] : []),
      ...(n.hostNetmask !== undefined ? [`host_netmask: ${n.hostNetmask}`] : []),
      ...(n.controlPort !== undefined ? [`control_port: ${n.controlPort}`] : []),
      ...(n.ports.length ? [`ports: [${n.ports.map((p) => (p.range !== undefined ? `{ range: ${JSON.stringify(p.range)} }` : `{ port: ${p.port}${p.internalPort !== undefined ? `, internal_port: ${p.internalPort}` : ''} }`)).join(', ')}]`] : []),
    ];
    out.push(`${indent}  network: { ${fields.join(', ')} }`);
  }
  for (const [i, m] of b.storage.entries()) {
    if (i === 0) out.push(`${indent}  storage:`);
    const fields = [...(m.source !== undefined ? [`source: ${scalar(m.source)}`] : []), ...(m.sourceRoot !== undefined ? [`source_root: ${scalar(m.sourceRoot)}`] : []), `target: ${scalar(m.target)}`, ...(m.options !== undefined ? [`options: ${scalar(m.options)}`] : [])];
    out.push(`${indent}    - { ${fields.join(', ')} }`);
  }
  if (b.meta.size) out.push(`${indent}  meta: ${flowMap(b.meta)}`);
}

/** A service's fields that stand for constraints it derives, and which constraints they are. */
function placementFields(out: string[], indent: string, p: Placement): void {
  out.push(`${indent}# from the constraints ${p.ids.join(', ')}`);
  if (p.vip !== undefined) out.push(`${indent}vip: ${p.vip}`);
  if (p.nodes) out.push(`${indent}nodes: [${p.nodes.map(scalar).join(', ')}]`);
  if (p.after.length) out.push(`${indent}after: [${p.after.join(', ')}]`);
  if (!p.rules.length) return;
  out.push(`${indent}rules:`);
  for (const r of p.rules) {
    const score = /^-?[0-9]+$/.test(r.score) ? r.score : scalar(r.score);
    const tests = r.expressions.map((e) =>
      'date' in e
        ? `{ date: ${e.date}${e.start !== undefined ? `, start: ${scalar(e.start)}` : ''}${e.end !== undefined ? `, end: ${scalar(e.end)}` : ''} }`
        : `{ attribute: ${scalar(e.attribute)}, operation: ${e.operation}${e.value !== undefined ? `, value: ${scalar(e.value)}` : ''} }`,
    );
    out.push(`${indent}  - { score: ${score}${r.boolean ? `, boolean: ${r.boolean}` : ''}, expressions: [${tests.join(', ')}] }`);
  }
}

function operationsBlock(out: string[], indent: string, ops: TypedOp[]): void {
  // Always written: without it hactl would give the resource its own operations.
  out.push(`${indent}operations:${ops.length ? '' : ' []'}`);
  for (const o of ops) out.push(`${indent}  - { name: ${o.name}, interval: ${scalar(o.interval)}${o.timeout !== undefined ? `, timeout: ${scalar(o.timeout)}` : ''}${o.role ? `, role: ${o.role}` : ''} }`);
}

function describe(e: XmlElement): string {
  const agent = e.attrs.class ? ` ${[e.attrs.class, e.attrs.provider, e.attrs.type].filter(Boolean).join(':')}` : '';
  return `${e.attrs.id ?? e.name} (${e.name}${agent})`;
}

function render(r: Rendered): string {
  const out: string[] = r.header.map((l) => `# ${l}`);
  out.push('# Nodes, links, quorum, fencing, VIPs, custom services, groups, clones and bundles of them, the');
  out.push("# constraints a service derives, properties and defaults are typed (each resource keeps its CIB ids,");
  out.push('# operations and meta under cib:); other objects are kept as CIB XML under raw_cib with their ids.');
  out.push(`name: ${r.clusterName}`);
  if (r.release !== undefined) out.push(`openstack: { release: ${scalar(r.release)} }  # from --release: no CIB records it`);
  out.push('networks:');
  for (const [name, cidr, why] of r.networks) out.push(`  ${name}: ${cidr}  # ${why}`);
  if (r.secrets.length) {
    out.push("# Secrets of the typed resources: never read into this file. Set each variable before apply");
    out.push('# (apply stores the value as a node-local CIB secret; the CIB holds lrm://).');
    out.push('secrets:');
    for (const s of r.secrets) out.push(`  ${s.name}: { env: ${s.env} }  # ${s.rsc} ${s.param}`);
  }
  out.push('nodes:');
  for (const n of [...r.nodes, ...(r.qnetd ? [r.qnetd] : [])]) {
    out.push(`  ${scalar(n.name)}:`);
    out.push(
      n.role === 'qnetd'
        ? '    roles: [qnetd]  # the quorum device host of corosync.conf (corosync-qnetd); no member'
        : '    roles: [controller]  # hactl chose: a cluster member; change it to what the node is',
    );
    out.push(`    addresses: ${flowMap(n.addresses)}`);
    if (n.role !== 'qnetd') out.push(`    nodeid: ${n.nodeid}  # the CIB's node id, kept`);
    if (n.attributes) out.push(`    attributes: ${flowMap(n.attributes)}`);
    renderNodeFencing(out, '    ', r.fence, n.name);
    if (n.utilization) out.push(`    utilization: { ${[...n.utilization].sort((a, b) => compareStrings(a[0], b[0])).map(([k, v]) => `${scalar(k)}: ${v}`).join(', ')} }`);
  }
  out.push('clusters:', `  ${r.clusterName}:`);
  out.push(`    nodes: [${r.nodes.map((n) => scalar(n.name)).join(', ')}]`);
  out.push(`    links: [${r.links.join(', ')}]`);
  const q = r.corosync?.qdevice;
  if (q && r.qnetd) {
    const fields: string[] = [`host: ${r.qnetd.name}`];
    if (q.algorithm) fields.push(`algorithm: ${scalar(q.algorithm)}`);
    if (q.tieBreaker) fields.push(`tie_breaker: ${scalar(q.tieBreaker)}`);
    if (q.tls) fields.push(`tls: ${scalar(q.tls)}`);
    if (q.port !== undefined) fields.push(`port: ${q.port}`);
    out.push(`    qdevice: { ${fields.join(', ')} }`);
  }
  renderClusterFencing(out, '    ', r.fence, r.fencingOn, r.fencingWhy ?? 'imported: the CIB sets stonith-enabled=false');
  renderSbd(out, '    ', r.sbd);
  if (r.vips.length) {
    out.push('    vips:');
    for (const v of r.vips) {
      out.push(`      ${v.name}:  # p_ip_${v.name}, its netmask the network's`);
      out.push(`        network: ${v.network}`, `        address: ${scalar(v.address)}`);
      if (v.nic !== undefined) out.push(`        nic: ${scalar(v.nic)}`);
      runtimeNote(out, '        ', v.runtime);
      cibBlock(out, '        ', { ops: v.ops, meta: v.meta });
    }
  }
  if (r.services.length) {
    out.push('    services:');
    for (const s of r.services) {
      if (s.catalogue !== undefined) {
        catalogueBlock(out, s, r.placements.get(s));
        continue;
      }
      out.push(`      ${s.name}:`);
      if (s.catalogueNote !== undefined) out.push(`        # ${s.catalogueNote.replace(/\s+/g, ' ')}`);
      if (s.agent !== undefined) out.push(`        agent: ${scalar(s.agent)}`);
      // A bundle's mode follows from its replicas and promoted.
      if (s.mode !== 'active-passive' && !s.bundle) out.push(`        mode: ${s.mode}`);
      if (s.clone?.instances !== undefined) out.push(`        instances: ${s.clone.instances}`);
      if (s.clone?.promoted !== undefined) out.push(`        promoted: ${s.clone.promoted}`);
      if (s.clone?.promotedPerNode !== undefined) out.push(`        promoted_per_node: ${s.clone.promotedPerNode}`);
      if (s.clone?.notify) out.push('        notify: true');
      const p = r.placements.get(s);
      if (p) placementFields(out, '        ', p);
      if (s.params.size) {
        out.push('        params:');
        for (const [k, v] of sortedEntries(s.params)) out.push(`          ${scalar(k)}: ${typeof v === 'string' ? scalar(v) : `{ secret: ${v.secret} }  # never read: see secrets`}`);
      }
      runtimeNote(out, '        ', s.runtime);
      if (s.bundle) bundleBlock(out, '        ', s.bundle);
      if (s.agent === undefined) out.push(`        cib: { bundle_id: ${scalar(s.bundle!.id)} }  # as the cluster runs it`);
      else cibBlock(out, '        ', { id: s.id, ops: s.ops, meta: s.meta, ...(s.clone ? { cloneId: s.clone.id, cloneMeta: s.clone.meta } : {}), ...(s.group ? { group: s.group } : {}), ...(s.bundle ? { bundleId: s.bundle.id } : {}) });
    }
  }
  runtimeNote(out, '    ', r.runtimeProperties);
  if (r.properties.size) {
    out.push('    properties:');
    blockMap(out, '      ', r.properties);
  }
  for (const [key, m] of [
    ['rsc_defaults', r.rscDefaults],
    ['op_defaults', r.opDefaults],
  ] as const) {
    if (!m.size) out.push(`    ${key}: {}  # ${r.raw.some((x) => x.section === key) ? 'the CIB\'s sets are kept raw (raw_cib below)' : 'none in the CIB'}: hactl adds none of its own`);
    else {
      out.push(`    ${key}:`);
      blockMap(out, '      ', m);
    }
  }
  if (r.raw.length) {
    out.push('    # Kept as CIB XML, ids and all, where the typed format has no exact form for the object (the');
    out.push('    # reason is beside each resource). apply owns them like any other object of the topology.');
    out.push('    raw_cib:');
    for (const s of r.raw) {
      const ids = s.elements.map(({ e }) => describe(e));
      out.push(`      # ${s.section}: ${ids.length > 6 ? `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more` : ids.join(', ')}`);
      if (s.section === 'constraints') out.push("      # (these are not what a typed service derives, with its ids: a service's vip, after, nodes and rules stand for those)");
      for (const { e, why } of s.elements) if (why) out.push(`      # ${e.attrs.id ?? e.name}: ${why.replace(/\s+/g, ' ')}`);
      out.push(`      ${s.section}: |`);
      for (const { e } of s.elements) for (const line of serializeXml(e).trimEnd().split('\n')) out.push(`        ${line}`);
    }
  }
  return out.join('\n') + '\n';
}
