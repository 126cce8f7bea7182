/**
 * The resolved form of the Pacemaker building blocks beyond resources (issue #14): node
 * attributes and capacities, service utilization and location rules, set constraints, alerts and
 * tags. Each entity keeps its JSON Pointer.
 */
import { pointerOf } from '../diagnostics.js';
import { compareStrings } from '../util/compare.js';
import type { BundleInput, ClusterInput, ResourceSetInput, RuleExpressionInput, RuleInput } from './input.js';

export type RuleExpression = RuleExpressionInput;

export interface ServiceRule {
  /** INFINITY, -INFINITY or an integer, as Pacemaker writes it. */
  score: string;
  booleanOp: 'and' | 'or';
  expressions: RuleExpression[];
  pointer: string;
}

export interface ResourceSet {
  services: string[];
  sequential: boolean;
  pointer: string;
}

export interface OrderSet {
  name: string;
  kind: 'Mandatory' | 'Optional';
  sets: ResourceSet[];
  pointer: string;
}

export interface ColocationSet {
  name: string;
  score: string;
  sets: ResourceSet[];
  pointer: string;
}

export interface Alert {
  name: string;
  path: string;
  select?: ('nodes' | 'fencing' | 'resources' | 'attributes')[];
  timeout?: string;
  recipients: string[];
  pointer: string;
}

export interface Tag {
  name: string;
  services: string[];
  pointer: string;
}

/** One port a bundle's containers publish: a port (optionally mapped to another inside) or a range. */
export type BundlePort = { port: number; internalPort?: number; range?: undefined } | { range: string; port?: undefined; internalPort?: undefined };

/** A directory of the host mapped into the containers (sourceRoot: a per-replica subdirectory of it). */
export interface BundleStorage {
  source?: string;
  sourceRoot?: string;
  target: string;
  options?: string;
}

/** A service run in containers by Pacemaker (a bundle), as written with Pacemaker's defaults. */
export interface Bundle {
  runtime: 'podman' | 'docker';
  image: string;
  /** Containers in all (Pacemaker's default 1, or promoted when that is more). */
  replicas: number;
  replicasPerHost?: number;
  /** Replicas promoted at once (promoted-max); the primitive inside is then promotable. */
  promoted?: number;
  options?: string;
  network?: { ipRangeStart?: string; hostInterface?: string; hostNetmask?: number; controlPort?: number; ports: BundlePort[] };
  storage: BundleStorage[];
  meta: Record<string, string>;
  pointer: string;
}

/**
 * A bundle behaves as the service mode of its replicas: promotable with promoted replicas, like a
 * clone with several, and like one moving resource with one (Pacemaker restarts it elsewhere).
 */
export function bundleMode(b: BundleInput): 'active-passive' | 'active-active' | 'promotable' {
  if (b.promoted !== undefined) return 'promotable';
  return (b.replicas ?? 1) > 1 ? 'active-active' : 'active-passive';
}

export function resolveBundle(b: BundleInput, at: string): Bundle {
  const out: Bundle = { runtime: b.runtime, image: b.image, replicas: b.replicas ?? 1, storage: [], meta: sortedPlain(b.meta) ?? {}, pointer: `${at}/bundle` };
  if (b.replicas_per_host !== undefined) out.replicasPerHost = b.replicas_per_host;
  if (b.promoted !== undefined) out.promoted = b.promoted;
  if (b.options !== undefined) out.options = b.options;
  if (b.network) {
    const n = b.network;
    out.network = {
      ports: (n.ports ?? []).map((p): BundlePort => (p.range !== undefined ? { range: p.range } : { port: p.port!, ...(p.internal_port !== undefined ? { internalPort: p.internal_port } : {}) })),
    };
    if (n.ip_range_start !== undefined) out.network.ipRangeStart = n.ip_range_start;
    if (n.host_interface !== undefined) out.network.hostInterface = n.host_interface;
    if (n.host_netmask !== undefined) out.network.hostNetmask = n.host_netmask;
    if (n.control_port !== undefined) out.network.controlPort = n.control_port;
  }
  out.storage = (b.storage ?? []).map((m) => ({
    target: m.target,
    ...(m.source !== undefined ? { source: m.source } : {}),
    ...(m.source_root !== undefined ? { sourceRoot: m.source_root } : {}),
    ...(m.options !== undefined ? { options: m.options } : {}),
  }));
  return out;
}

/** A cluster's set constraints, alerts and tags, each by name in name order. */
export interface ClusterBlocks {
  orderSets: OrderSet[];
  colocationSets: ColocationSet[];
  alerts: Alert[];
  tags: Tag[];
}

/** A score as Pacemaker writes it. */
export function scoreText(score: number | string): string {
  return typeof score === 'number' ? String(score) : score;
}

/** Records by name without a prototype (as resolve.ts builds them), key-sorted. */
export function sortedPlain<T>(rec: Record<string, T> | undefined): Record<string, T> | undefined {
  if (!rec) return undefined;
  const out = Object.create(null) as Record<string, T>;
  for (const k of Object.keys(rec).sort(compareStrings)) out[k] = rec[k]!;
  return out;
}

export function resolveServiceRules(rules: RuleInput[] | undefined, at: string): ServiceRule[] | undefined {
  return rules?.map((r, i) => ({ score: scoreText(r.score), booleanOp: r.boolean ?? 'and', expressions: r.expressions.map((e) => ({ ...e })), pointer: `${at}/rules/${i}` }));
}

export function resolveBlocks(cluster: string, c: ClusterInput): ClusterBlocks {
  const at = (...parts: (string | number)[]) => pointerOf('clusters', cluster, ...parts);
  const named = <T>(rec: Record<string, T> | undefined): [string, T][] => Object.entries(rec ?? {}).sort(([a], [b]) => compareStrings(a, b));
  const sets = (list: ResourceSetInput[], ...base: string[]): ResourceSet[] =>
    list.map((s, i) => ({ services: [...s.services], sequential: s.sequential ?? true, pointer: at(...base, 'sets', i) }));
  return {
    orderSets: named(c.order_sets).map(([name, o]) => ({ name, kind: o.kind ?? 'Mandatory', sets: sets(o.sets, 'order_sets', name), pointer: at('order_sets', name) })),
    colocationSets: named(c.colocation_sets).map(([name, o]) => ({ name, score: scoreText(o.score ?? 'INFINITY'), sets: sets(o.sets, 'colocation_sets', name), pointer: at('colocation_sets', name) })),
    alerts: named(c.alerts).map(([name, a]) => {
      const alert: Alert = { name, path: a.path, recipients: [...a.recipients], pointer: at('alerts', name) };
      if (a.select) alert.select = [...a.select];
      if (a.timeout) alert.timeout = a.timeout;
      return alert;
    }),
    tags: named(c.tags).map(([name, services]) => ({ name, services: [...services], pointer: at('tags', name) })),
  };
}
