/**
 * The building blocks beyond resources (issue #14): node attributes and capacities, service
 * utilization and location rules, set constraints, alerts and tags, from the resolved topology
 * into the Pacemaker model. Called by the builder once the services' resources exist.
 */
import type { Cluster, Service, Topology } from '../../model/types.js';
import { compareStrings } from '../../util/compare.js';
import { locationId } from './ids.js';
import { contains, parseCidr } from '../../util/ip.js';
import { bundleId } from './ids.js';
import type { AlertConfig, Bundle, ClusterNode, Location, NvPair, Primitive, Resource, ResourceSetRef, SetConstraint, TagConfig } from './model.js';
import { primitivesOf } from './model.js';

const pairsOf = (rec: Record<string, string | number>): NvPair[] =>
  Object.entries(rec)
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([name, value]) => ({ name, value: String(value) }));

export const orderSetId = (name: string): string => `o_set_${name}`;
export const colocationSetId = (name: string): string => `c_set_${name}`;
export const alertId = (name: string): string => `a_${name}`;
export const tagId = (name: string): string => `t_${name}`;

/** Node attributes and capacities onto the node entries. */
export function nodeBlocks(t: Topology, nodes: ClusterNode[]): ClusterNode[] {
  return nodes.map((n) => {
    const src = t.nodes[n.uname];
    const out: ClusterNode = { ...n };
    if (src?.attributes) out.attributes = pairsOf(src.attributes);
    if (src?.utilization) out.utilization = pairsOf(src.utilization);
    return out;
  });
}

/**
 * A service's utilization goes on its first process primitive: a group's members add up, so one
 * member carries the service's whole share (a clone's instances each take it on their node).
 */
export function serviceUtilization(s: Service, top: Resource | undefined): void {
  if (!s.utilization || !top) return;
  const own = primitivesOf(top).filter((p) => p.source === s.pointer);
  const first: Primitive | undefined = own[0];
  if (first) first.utilization = pairsOf(s.utilization);
}

/** The service's location rules, one rsc_location each (l_<service>_rule_<i>). */
export function serviceRules(s: Service, rsc: string): Location[] {
  return (s.rules ?? []).map((r, i) => ({
    kind: 'location',
    id: locationId(rsc, `rule_${i + 1}`),
    rsc,
    rule: {
      score: r.score,
      booleanOp: r.booleanOp,
      expressions: r.expressions.map((e) => {
        if (e.date) return { date: e.date, ...(e.start ? { start: e.start } : {}), ...(e.end ? { end: e.end } : {}) };
        return { attribute: e.attribute!, operation: e.operation!, ...(e.value !== undefined ? { value: e.value } : {}) };
      }),
    },
    why: `rule ${i + 1} of service ${s.name} in the topology`,
    source: r.pointer,
  }));
}

/**
 * Whether placement must weigh capacities: Pacemaker ignores utilization under its default
 * placement-strategy (default), so a topology that writes any gets balanced (spread the load)
 * unless its properties choose.
 */
export function placementProperty(c: Cluster, t: Topology): NvPair | undefined {
  if (c.properties['placement-strategy'] !== undefined) return undefined;
  const used = Object.values(c.services).some((s) => s.utilization) || c.nodes.some((n) => t.nodes[n]?.utilization);
  if (!used) return undefined;
  return {
    name: 'placement-strategy',
    value: 'balanced',
    why: 'the topology gives capacities and utilization, which Pacemaker ignores under the default strategy; balanced places each resource where it fits and the most capacity is left',
  };
}

/** Set constraints, alerts and tags of a cluster; `top` maps a service to its top-level resource. */
export function clusterBlocks(c: Cluster, top: (service: string) => string | undefined): { sets: SetConstraint[]; alerts: AlertConfig[]; tags: TagConfig[] } {
  const refs = (id: string, list: { services: string[]; sequential: boolean }[]): ResourceSetRef[] =>
    list.map((s, i) => ({ id: `${id}-set-${i + 1}`, resources: s.services.map(top).filter((x): x is string => !!x), sequential: s.sequential }));
  const describe = (list: { services: string[] }[], sep: string) => list.map((s) => s.services.join(', ')).join(sep);
  const sets: SetConstraint[] = [
    ...c.blocks.orderSets.map(
      (o): SetConstraint => ({
        kind: 'order-set',
        id: orderSetId(o.name),
        sets: refs(orderSetId(o.name), o.sets),
        orderKind: o.kind,
        why: `order set ${o.name} of the topology: ${describe(o.sets, ' before ')}`,
        source: o.pointer,
      }),
    ),
    ...c.blocks.colocationSets.map(
      (o): SetConstraint => ({
        kind: 'colocation-set',
        id: colocationSetId(o.name),
        sets: refs(colocationSetId(o.name), o.sets),
        score: o.score,
        why: `colocation set ${o.name} of the topology: ${describe(o.sets, ' with ')}`,
        source: o.pointer,
      }),
    ),
  ];
  const alerts = c.blocks.alerts.map(
    (a): AlertConfig => ({
      id: alertId(a.name),
      path: a.path,
      select: a.select ? [...a.select].sort(compareStrings) as AlertConfig['select'] : [],
      meta: a.timeout ? [{ name: 'timeout', value: a.timeout }] : [],
      recipients: a.recipients.map((value, i) => ({ id: `${alertId(a.name)}-recipient-${i + 1}`, value })),
      source: a.pointer,
    }),
  );
  const tags = c.blocks.tags.map((g): TagConfig => ({ id: tagId(g.name), refs: g.services.map(top).filter((x): x is string => !!x), source: g.pointer }));
  return { sets, alerts, tags };
}

/**
 * The bundle of a service run in containers, holding its primitive when it has one. The
 * containers' addresses get the prefix of the topology network they are in unless the topology
 * says otherwise (Pacemaker's own default, 32, puts each address on the host as a lone /32).
 */
export function bundleResource(t: Topology, s: Service, primitive: Primitive | undefined): Bundle {
  const b = s.bundle!;
  const id = s.cib?.bundleId ?? bundleId(s.name);
  const out: Bundle = { kind: 'bundle', id, runtime: b.runtime, image: b.image, storage: [], meta: [], source: s.pointer };
  if (b.replicas !== 1) out.replicas = b.replicas;
  if (b.replicasPerHost !== undefined) out.replicasPerHost = b.replicasPerHost;
  if (b.promoted !== undefined) out.promotedMax = b.promoted;
  if (b.options !== undefined) out.options = b.options;
  if (b.network) {
    const n = b.network;
    const start = n.ipRangeStart;
    const net = start === undefined ? undefined : Object.values(t.networks).find((x) => !x.cidr.includes(':') && contains(parseCidr(x.cidr), start));
    out.network = {
      ports: n.ports.map((p, i) => ({ id: `${id}-port-${i + 1}`, ...(p.range !== undefined ? { range: p.range } : { port: p.port, ...(p.internalPort !== undefined ? { internalPort: p.internalPort } : {}) }) })),
    };
    if (start !== undefined) out.network.ipRangeStart = start;
    if (n.hostInterface !== undefined) out.network.hostInterface = n.hostInterface;
    const mask = n.hostNetmask ?? (start !== undefined ? net?.prefix : undefined);
    if (mask !== undefined) out.network.hostNetmask = mask;
    if (n.controlPort !== undefined) out.network.controlPort = n.controlPort;
  }
  out.storage = b.storage.map((m, i) => ({
    id: `${id}-storage-${i + 1}`,
    targetDir: m.target,
    ...(m.source !== undefined ? { sourceDir: m.source } : {}),
    ...(m.sourceRoot !== undefined ? { sourceDirRoot: m.sourceRoot } : {}),
    ...(m.options !== undefined ? { options: m.options } : {}),
  }));
  const meta: Record<string, string> = { ...b.meta };
  if (s.notify) meta.notify = 'true';
  out.meta = pairsOf(meta);
  if (primitive) out.primitive = primitive;
  return out;
}
