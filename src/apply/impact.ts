/**
 * What a plan will do to running services, before anything is pushed.
 *
 * The CIB part comes from Pacemaker's own scheduler: the candidate CIB (the live CIB with hactl's
 * objects replaced, status section included) is simulated with `crm_simulate` on the node the
 * CIB was read from, so the scheduler of the cluster's own Pacemaker version decides. The live
 * CIB is simulated too, and actions the cluster would take anyway (a pending recovery) are not
 * charged to the change. Node actions (a restarted service, a corosync restart) and Pacemaker
 * restarts after file changes are added from the plan, in the order apply runs them, with what
 * each interrupts.
 */
import { running, simulatedActions, type Action } from '../check/rehearsal.js';
import { remoteFailure } from '../errors.js';
import type { Transport } from '../remote/ssh.js';
import { compareStrings } from '../util/compare.js';
import { parseXml } from '../xml/parse.js';
import { serializeXml } from '../xml/serialize.js';
import { child, type XmlElement } from '../xml/tree.js';
import type { Plan } from './plan.js';

/** One thing the scheduler will do to one resource (instances of a clone taken together). */
export interface ResourceImpact {
  /** start, stop, restart, move, migrate, recover, promote, demote, reload, … (crm_simulate's names). */
  action: string;
  /** The primitive (a clone's instances are reported under their primitive). */
  resource: string;
  /** Nodes it happens on (a move: the node it leaves). */
  nodes: string[];
  /** Of a move or migration. */
  from?: string;
  to?: string;
  reason?: string;
  /** A clone's restart that apply rolls out one node at a time, in the order of `nodes`. */
  rolling?: boolean;
}

export interface FenceImpact {
  node: string;
  action: string;
  reason?: string;
}

export interface ClusterImpact {
  cluster: string;
  /** The node the simulation ran on (the one the CIB was read from). */
  node: string;
  resources: ResourceImpact[];
  fencing: FenceImpact[];
  /** What runs where now (primitive -> nodes), from the live status. */
  running: Record<string, string[]>;
}

/** One step of the plan that interrupts something, in the order apply takes it. */
export interface Disruption {
  /** The phase of apply: node (after its files), corosync, cib (the push), restart (through Pacemaker). */
  phase: 'node' | 'corosync' | 'cib' | 'restart';
  cluster?: string;
  node?: string;
  /** What happens, e.g. `restart p_web on n1`, `stop p_web on n1`, `fence n2`. */
  what: string;
  /** What is interrupted by it. */
  interrupts: string[];
}

/**
 * Simulates a CIB (stdin) offline on a node and prints crm_simulate's XML result. The shadow
 * directory is a private temporary one: nothing the cluster uses is read or written.
 */
export const SIMULATE_SCRIPT = `set -u
d=$(mktemp -d "\${TMPDIR:-/tmp}/hactl-impact.XXXXXX") || exit 12
trap 'rm -rf -- "$d"' EXIT
cat > "$d/cib.xml"
CIB_shadow_dir=$d crm_simulate --xml-file "$d/cib.xml" --simulate --output-as=xml
`;

async function simulate(t: Transport, node: string, cib: string): Promise<XmlElement> {
  const r = await t.exec(node, ['sh', '-c', SIMULATE_SCRIPT, 'hactl-impact'], cib);
  const parsed = parseXml(r.stdout);
  if (r.exitCode !== 0 || !parsed.ok) {
    throw remoteFailure('HA5530', { node, detail: `crm_simulate exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' ')}` });
  }
  return parsed.root;
}

/** A resource's or a node's action; crm_simulate's pseudo actions are not the operator's concern. */
function actionsOf(out: XmlElement): Action[] {
  return simulatedActions(out).filter((a) => a.kind !== 'other');
}

const keyOf = (a: Action) => [a.kind, a.action, a.resource, a.node ?? '', a.from ?? '', a.to ?? ''].join('\u0000');

/** `p_probe:2` -> `p_probe`: a clone instance is reported under its primitive. */
function primitiveOf(resource: string): string {
  return resource.replace(/:\d+$/, '');
}

/**
 * The scheduler's actions caused by the change: those of the candidate that the live CIB alone
 * would not take, clone instances merged per primitive and action.
 */
export function impactOf(cluster: string, node: string, liveOut: XmlElement, candidateOut: XmlElement): ClusterImpact {
  const already = new Set(actionsOf(liveOut).map(keyOf));
  const caused = actionsOf(candidateOut).filter((a) => !already.has(keyOf(a)));
  const fencing: FenceImpact[] = caused
    .filter((a) => a.kind === 'node' && a.node)
    .map((a) => ({ node: a.node!, action: a.action, ...(a.reason ? { reason: a.reason } : {}) }))
    .sort((a, b) => compareStrings(a.node, b.node));
  const merged = new Map<string, ResourceImpact>();
  const resources: ResourceImpact[] = [];
  for (const a of caused) {
    if (a.kind !== 'resource') continue;
    const resource = primitiveOf(a.resource);
    const where = a.node ?? a.from;
    if (a.to !== undefined) {
      // A move is from one node to another: each instance's stays its own line.
      const x: ResourceImpact = { action: a.action, resource, nodes: where ? [where] : [], to: a.to, ...(a.from ? { from: a.from } : {}), ...(a.reason ? { reason: a.reason } : {}) };
      resources.push(x);
      continue;
    }
    const k = `${a.action}\u0000${resource}`;
    const m = merged.get(k);
    if (m) {
      if (where && !m.nodes.includes(where)) m.nodes.push(where);
      continue;
    }
    const x: ResourceImpact = { action: a.action, resource, nodes: where ? [where] : [], ...(a.reason ? { reason: a.reason } : {}) };
    merged.set(k, x);
    resources.push(x);
  }
  for (const r of resources) r.nodes.sort(compareStrings);
  resources.sort((a, b) => compareStrings(a.resource, b.resource) || compareStrings(a.action, b.action) || compareStrings(a.nodes.join(','), b.nodes.join(',')));
  const now = running(child(liveOut, 'cluster_status') ?? { name: 'cluster_status', attrs: {}, children: [] });
  const runningNow: Record<string, string[]> = {};
  for (const [id, nodes] of [...now].sort((a, b) => compareStrings(a[0], b[0]))) if (nodes.length) runningNow[id] = nodes;
  return { cluster, node, resources, fencing, running: runningNow };
}

/** Simulates the live CIB and the candidate (if the CIB changes) on `node` and returns what the change causes. */
export async function simulateImpact(t: Transport, cluster: string, node: string, liveText: string, candidate: XmlElement | undefined): Promise<ClusterImpact> {
  const liveOut = await simulate(t, node, liveText);
  // Without a CIB change there is nothing to charge to it; the live status still says what runs where.
  const candidateOut = candidate ? await simulate(t, node, serializeXml(candidate, { declaration: true })) : liveOut;
  return impactOf(cluster, node, liveOut, candidateOut);
}

/** Scheduler actions that leave a running resource: they interrupt what it serves. */
const DISRUPTIVE = new Set(['stop', 'restart', 'move', 'migrate', 'recover', 'demote']);

function describe(r: ResourceImpact): string {
  if (r.to !== undefined) return `${r.action} ${r.resource} ${r.from ?? r.nodes[0] ?? '?'} -> ${r.to}`;
  if (r.rolling) return `${r.action} ${r.resource} one node at a time: ${r.nodes.join(', then ')}`;
  return `${r.action} ${r.resource}${r.nodes.length ? ` on ${r.nodes.join(', ')}` : ''}`;
}

export function describeResourceImpact(r: ResourceImpact): string {
  return describe(r);
}

/** Resources running on `node` now, per the live status of its cluster. */
function runningOn(impact: ClusterImpact | undefined, node: string): string[] {
  if (!impact) return [];
  return Object.entries(impact.running)
    .filter(([, nodes]) => nodes.includes(node))
    .map(([id]) => id);
}

/** What a CIB change interrupts: the scheduler's stops, restarts, moves, demotions and fencing. */
export function impactDisruptions(i: ClusterImpact): Disruption[] {
  const out: Disruption[] = [];
  for (const r of i.resources) {
    if (!DISRUPTIVE.has(r.action)) continue;
    out.push({ phase: 'cib', cluster: i.cluster, what: describe(r), interrupts: [r.resource] });
  }
  for (const f of i.fencing) out.push({ phase: 'cib', cluster: i.cluster, node: f.node, what: `fence (${f.action}) ${f.node}`, interrupts: [f.node, ...runningOn(i, f.node)] });
  return out;
}

/**
 * Every step of the plan that interrupts a running service, in apply's order: services
 * restarted on the nodes after their files, corosync restarts (a member's Pacemaker stops with
 * it, and with it whatever runs there), the CIB push's stops, restarts, moves, demotions and
 * fencing, then restarts through Pacemaker after file changes.
 */
export function disruptionsOf(plan: Plan): Disruption[] {
  const out: Disruption[] = [];
  const impactOfCluster = new Map(plan.impact.map((i) => [i.cluster, i]));
  for (const a of plan.nodeActions) {
    if (a.kind !== 'restart') continue;
    out.push({ phase: 'node', node: a.node, what: `restart ${a.target} on ${a.node}`, interrupts: [a.target] });
  }
  for (const c of plan.corosync) {
    if (c.kind === 'reload') continue;
    const impact = impactOfCluster.get(c.cluster);
    if (c.kind === 'full-restart') {
      out.push({ phase: 'corosync', cluster: c.cluster, what: `restart corosync on ${c.nodes.join(', ')} at once`, interrupts: ['corosync', 'pacemaker', ...Object.keys(impact?.running ?? {})] });
      continue;
    }
    for (const n of c.nodes) out.push({ phase: 'corosync', cluster: c.cluster, node: n, what: `restart corosync on ${n}`, interrupts: ['corosync', 'pacemaker', ...runningOn(impact, n)] });
  }
  for (const i of plan.impact) out.push(...impactDisruptions(i));
  for (const r of plan.resources) {
    const where = impactOfCluster.get(r.cluster)?.running[r.resource] ?? [];
    out.push({ phase: 'restart', cluster: r.cluster, what: `restart ${r.resource}${where.length ? ` on ${where.join(', ')}` : ''}`, interrupts: [r.resource] });
  }
  return out;
}
