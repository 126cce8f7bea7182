/**
 * The resolved form of the Pacemaker building blocks beyond resources (issue #14): node
 * attributes and capacities, service utilization and location rules, set constraints, alerts and
 * tags. Each entity keeps its JSON Pointer.
 */
import { pointerOf } from '../diagnostics.js';
import { compareStrings } from '../util/compare.js';
import type { ClusterInput, ResourceSetInput, RuleExpressionInput, RuleInput } from './input.js';

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
