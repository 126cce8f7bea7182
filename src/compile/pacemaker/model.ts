/**
 * The one intermediate Pacemaker model every Pacemaker target (CIB XML, crmsh, pcs) is emitted
 * from: per cluster, the properties, defaults, nodes, resources and constraints, already with
 * their final ids, values and order. Emitters only change syntax; they never decide anything.
 */
import type { RawSection } from '../../vocabulary.js';
import { el, type XmlElement } from '../../xml/tree.js';

/** A name/value pair; `why` (when set) is the reason for a value hactl chose, shown as a comment. */
export interface NvPair {
  name: string;
  value: string;
  why?: string;
  /** Written in the topology (passed as it is) rather than chosen by hactl. */
  topology?: boolean;
}

export interface Operation {
  name: string;
  /** '0s' for one-shot operations (start, stop). */
  interval: string;
  /** Absent only on an imported operation that has none (op_defaults' timeout, else Pacemaker's 20s, applies). */
  timeout?: string;
  role?: string;
  /** What a failure of this operation leads to, when not Pacemaker's default for it. */
  onFail?: 'restart' | 'block' | 'fence' | 'ignore' | 'stop';
}

export interface Primitive {
  kind: 'primitive';
  id: string;
  /** ocf, lsb, systemd, service or stonith. */
  class: string;
  provider?: string;
  type: string;
  params: NvPair[];
  meta: NvPair[];
  ops: Operation[];
  /** What the resource takes of a node's capacities. */
  utilization?: NvPair[];
  /**
   * Parameters that are Pacemaker CIB secrets (their value in `params` is the marker `lrm://`):
   * parameter -> secret name, and the nodes that may run the resource, which each need the value
   * (compile/files/cib-secrets.ts plans the files). `restart`: the primitiveId stem of a resource
   * whose agent may hand the value to a daemon at start, restarted through Pacemaker when the value
   * changes; fence devices have none (pacemaker-fenced reads the value when it runs the agent).
   */
  secrets?: { params: Record<string, string>; nodes: string[]; restart?: string };
  /** JSON Pointer of the topology entity the resource comes from. */
  source: string;
}

export interface Group {
  kind: 'group';
  id: string;
  members: Primitive[];
  meta: NvPair[];
  source: string;
}

export interface Clone {
  kind: 'clone';
  id: string;
  child: Primitive | Group;
  meta: NvPair[];
  source: string;
}

/** A port the containers publish (port-mapping): a port, mapped to internalPort inside when set, or a range. */
export interface PortMapping {
  id: string;
  port?: number;
  internalPort?: number;
  range?: string;
}

/** A host directory mapped into the containers (storage-mapping). */
export interface StorageMapping {
  id: string;
  sourceDir?: string;
  sourceDirRoot?: string;
  targetDir: string;
  options?: string;
}

/**
 * Containers Pacemaker runs (a bundle), with at most one primitive inside: Pacemaker starts a
 * container, its IP address (from ipRangeStart) and a pacemaker_remote connection into it per
 * replica, and the primitive runs in each container.
 */
export interface Bundle {
  kind: 'bundle';
  id: string;
  runtime: 'podman' | 'docker';
  image: string;
  replicas?: number;
  replicasPerHost?: number;
  promotedMax?: number;
  options?: string;
  network?: { ipRangeStart?: string; hostInterface?: string; hostNetmask?: number; controlPort?: number; ports: PortMapping[] };
  storage: StorageMapping[];
  primitive?: Primitive;
  meta: NvPair[];
  source: string;
}

export type Resource = Primitive | Group | Clone | Bundle;

export interface RuleExpression {
  attribute: string;
  /** 'defined' and 'not_defined' test whether the node attribute has a value, and take none. */
  operation: 'eq' | 'ne' | 'lt' | 'gt' | 'lte' | 'gte' | 'defined' | 'not_defined';
  value?: string;
  date?: undefined;
}

/** A test of the date: between start and end (in_range), after start (gt), before end (lt). */
export interface DateExpression {
  date: 'in_range' | 'gt' | 'lt';
  start?: string;
  end?: string;
  attribute?: undefined;
  operation?: undefined;
  value?: undefined;
}

export type RuleTest = RuleExpression | DateExpression;

/**
 * A rule's score: a fixed score, or the value of a node attribute (score-attribute), so that a
 * node scores what the attribute says there (a ping clone's count of reachable targets).
 */
export type RuleScore = { score: string; scoreAttribute?: undefined } | { scoreAttribute: string; score?: undefined };

export interface Location {
  kind: 'location';
  id: string;
  rsc: string;
  /** Either a node and a score ... */
  node?: string;
  score?: string;
  /** ... or a rule: the score applies on nodes where the expressions hold. */
  rule?: RuleScore & { booleanOp: 'and' | 'or'; expressions: RuleTest[] };
  /** 'never': the resource is not even probed where the constraint bans it. */
  resourceDiscovery?: 'never';
  why: string;
  source: string;
}

/**
 * A location rule's expressions as the words crmsh and pcs both read: a unary test as
 * `defined ATTRIBUTE`, a binary one infix, joined by the rule's boolean operator.
 */
export function ruleWords(rule: NonNullable<Location['rule']>, tool: 'crmsh' | 'pcs' = 'crmsh'): string[] {
  return rule.expressions.flatMap((e, i) => [...(i ? [rule.booleanOp] : []), ...testWords(e, tool)]);
}

/**
 * A raw set of rsc_defaults or op_defaults in crmsh's words (`ID: [rule SCORE: TESTS] NAME=VALUE…`),
 * or undefined where crmsh 4.4 has none: it loads no `xml` of these sets, keeps no score on a
 * set, and its rules test node attributes only (no resource or operation tests, no nesting).
 */
export function crmshSetWords(set: XmlElement): string[] | undefined {
  const only = (e: XmlElement, names: readonly string[]) => Object.keys(e.attrs).every((k) => names.includes(k));
  if (set.attrs.id === undefined || !only(set, ['id'])) return undefined;
  const words = [`${set.attrs.id}:`];
  const rules = set.children.filter((c) => c.name === 'rule');
  if (rules.length > 1) return undefined;
  for (const rule of rules) {
    if (!only(rule, ['id', 'score', 'boolean-op']) || !rule.children.length) return undefined;
    const score = rule.attrs.score ?? '0';
    if (!/^([+-]?[0-9]+|[+-]?INFINITY)$/i.test(score)) return undefined;
    words.push('rule', `${score.replace(/INFINITY/i, 'inf')}:`);
    for (const [i, t] of rule.children.entries()) {
      if (t.name !== 'expression' || !only(t, ['id', 'attribute', 'operation', 'value']) || t.attrs.attribute === undefined || t.attrs.operation === undefined) return undefined;
      if (i) words.push(rule.attrs['boolean-op'] ?? 'and');
      const unary = t.attrs.operation === 'defined' || t.attrs.operation === 'not_defined';
      if (unary !== (t.attrs.value === undefined)) return undefined;
      words.push(...(unary ? [t.attrs.operation, t.attrs.attribute] : [t.attrs.attribute, t.attrs.operation, t.attrs.value!]));
    }
  }
  for (const nv of set.children) {
    if (nv.name === 'rule') continue;
    if (nv.name !== 'nvpair' || !only(nv, ['id', 'name', 'value']) || nv.attrs.name === undefined || nv.attrs.value === undefined) return undefined;
    words.push(`${nv.attrs.name}=${nv.attrs.value}`);
  }
  return words;
}

/** Whether configure.crm can carry a raw element (crmsh's `xml` of a property set drops its score). */
export function crmshCarries(section: RawSection, e: XmlElement): boolean {
  if (section === 'rsc_defaults' || section === 'op_defaults') return crmshSetWords(e) !== undefined;
  return !(section === 'crm_config' && e.attrs.score !== undefined);
}

/** One test as words; date ranges are the one place crmsh and pcs spell differently. */
function testWords(e: RuleTest, tool: 'crmsh' | 'pcs'): string[] {
  if (e.date === undefined) return e.value === undefined ? [e.operation, e.attribute] : [e.attribute, e.operation, e.value];
  if (e.date === 'in_range') return tool === 'crmsh' ? ['date', 'in', `start=${e.start}`, `end=${e.end}`] : ['date', 'in_range', e.start!, 'to', e.end!];
  return ['date', e.date, e.date === 'gt' ? e.start! : e.end!];
}

export interface Colocation {
  kind: 'colocation';
  id: string;
  rsc: string;
  withRsc: string;
  /** The role of with-rsc the resource is placed with (the promoted instance of a promotable clone). */
  withRscRole?: 'Promoted';
  score: string;
  why: string;
  source: string;
}

export interface Order {
  kind: 'order';
  id: string;
  first: string;
  then: string;
  /** The action of `first` that `then` waits for, when it is not start (a promotable clone's promote). */
  firstAction?: 'promote';
  orderKind: 'Mandatory' | 'Optional';
  why: string;
  source: string;
}

export type Constraint = Location | Colocation | Order;

/**
 * One fencing level of a node: the fencer tries a node's levels by index and succeeds at the first
 * level whose devices all succeed.
 */
export interface FencingLevel {
  id: string;
  target: string;
  index: number;
  devices: string[];
  source: string;
  /** The id is the running cluster's (fencing.level_ids), not one hactl or a tool derives. */
  keptId?: boolean;
  /**
   * The nodes a pattern or a node attribute selects (fencing.target_levels), in place of the one
   * node `target` names; `target` is then only a label (pattern:<p>, attr:<name>=<value>), which
   * matches no node of the cluster.
   */
  by?: { pattern: string } | { attribute: string; value: string };
}

export interface ClusterNode {
  /** Pacemaker node id = the corosync nodeid (see nodeIdOf). */
  id: string;
  uname: string;
  /** Node attributes location rules read (instance_attributes of the node entry). */
  attributes?: NvPair[];
  /** Capacities (utilization of the node entry). */
  utilization?: NvPair[];
}

/** One set of a set constraint: resource ids in order. */
export interface ResourceSetRef {
  id: string;
  resources: string[];
  sequential: boolean;
}

/** rsc_order or rsc_colocation over resource sets. */
export interface SetConstraint {
  kind: 'order-set' | 'colocation-set';
  id: string;
  sets: ResourceSetRef[];
  /** Order kind (order-set). */
  orderKind?: 'Mandatory' | 'Optional';
  /** Score (colocation-set). */
  score?: string;
  why: string;
  source: string;
}

export interface AlertConfig {
  id: string;
  path: string;
  /** Event kinds (select_nodes, …); none: every kind. */
  select: ('nodes' | 'fencing' | 'resources' | 'attributes')[];
  meta: NvPair[];
  recipients: { id: string; value: string }[];
  source: string;
}

export interface TagConfig {
  id: string;
  refs: string[];
  source: string;
}

export interface ClusterConfig {
  name: string;
  /**
   * The CIB schema the configuration needs (validate-with): pacemaker-3.0 (every Pacemaker 2.x)
   * unless it names roles, which are spelt Promoted/Unpromoted from pacemaker-3.7 (Pacemaker 2.1),
   * or holds a podman bundle (pacemaker-3.2, Pacemaker 2.0.1).
   */
  schema: string;
  properties: NvPair[];
  rscDefaults: NvPair[];
  opDefaults: NvPair[];
  nodes: ClusterNode[];
  /** Top-level resources in emission order: VIPs, services, ping clones, stonith devices, remote nodes. */
  resources: Resource[];
  constraints: Constraint[];
  /** Fencing levels (fencing-topology), by node then index; empty without shared fence devices. */
  fencingLevels: FencingLevel[];
  /** CIB elements passed through from the topology (raw_cib), checked, by section in RAW_SECTIONS order. */
  raw: { section: RawSection; elements: XmlElement[] }[];
  /** Set constraints, alerts and tags (src/compile/pacemaker/blocks.ts). */
  sets: SetConstraint[];
  alerts: AlertConfig[];
  tags: TagConfig[];
}

/** Every primitive of a resource tree, in order. */
/** A fencing level as the CIB holds it: of one node, or of the nodes a pattern or a node attribute selects. */
export function fencingLevelElement(l: FencingLevel): XmlElement {
  const target = !l.by ? { target: l.target } : 'pattern' in l.by ? { 'target-pattern': l.by.pattern } : { 'target-attribute': l.by.attribute, 'target-value': l.by.value };
  return el('fencing-level', { id: l.id, ...target, index: String(l.index), devices: l.devices.join(',') });
}

export function primitivesOf(r: Resource): Primitive[] {
  if (r.kind === 'primitive') return [r];
  if (r.kind === 'group') return r.members;
  if (r.kind === 'bundle') return r.primitive ? [r.primitive] : [];
  return primitivesOf(r.child);
}

/** A parameter's value as the CIB carries it (`lrm://` for a CIB secret), or undefined when unset. */
export function paramOf(p: Primitive, name: string): string | undefined {
  return p.params.find((x) => x.name === name)?.value;
}

/** The agent as written in crmsh and pcs: class:provider:type or class:type. */
export function agentOf(p: Primitive): string {
  return p.provider ? `${p.class}:${p.provider}:${p.type}` : `${p.class}:${p.type}`;
}
