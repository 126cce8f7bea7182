/**
 * check on a bare CIB (`hactl check --cib FILE`, or the live one with `--node NODE`): what can be
 * proven about a running cluster without its topology. The static rules that a CIB alone can
 * decide (fencing, quorum policy), and the failure rehearsal on Pacemaker's own scheduler:
 * crm_simulate brings every node of the CIB online and lets the cluster settle, then fails each
 * node (and each pair, in clusters of three or more, where the rest keeps quorum) and compares
 * what runs anywhere before and after. What a CIB cannot say (networks, corosync links, where a
 * fence device gets its power, what a service needs) is listed, not guessed.
 */
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';
import { remoteFailure } from '../errors.js';
import { isFalse } from '../diff/rules.js';
import { compareStrings } from '../util/compare.js';
import { runBounded, valuesOrThrow } from '../util/pool.js';
import { parseXml } from '../xml/parse.js';
import { serializeXml } from '../xml/serialize.js';
import { child, configurationOf, type XmlElement } from '../xml/tree.js';
import type { Runner } from './runner.js';

export interface CibScenario {
  /** The nodes that fail together. */
  failed: string[];
  /** Whether the remaining nodes keep quorum (a majority of the CIB's nodes). */
  quorate: boolean;
  /** Resources (primitive ids) that ran somewhere before and run nowhere after. */
  lost: string[];
}

export interface CibCheckReport {
  nodes: string[];
  findings: Diagnostic[];
  /** Resources running once the cluster settled with every node online. */
  running: string[];
  scenarios: CibScenario[];
  /** What a CIB cannot tell; the topology's check can. */
  unknown: string[];
}

export const UNKNOWN_WITHOUT_TOPOLOGY = [
  'corosync links and networks: whether one switch or NIC failure splits the cluster (a topology lists links per network)',
  'quorum options in corosync.conf (two_node, wait_for_all, a quorum device): the rehearsal assumes a plain majority',
  'where each fence device gets its power: a BMC dies with its node, a PDU does not (HA6015 needs the fence device catalogue)',
  'what each service needs besides Pacemaker: shared state, a VIP its clients reach, boot-time units, files on the nodes',
  'failure rates and repair times: no availability estimate against an SLA',
];


function property(conf: XmlElement, name: string): string | undefined {
  for (const set of child(conf, 'crm_config')?.children ?? []) for (const nv of set.children) if (nv.name === 'nvpair' && nv.attrs.name === name) return nv.attrs.value;
  return undefined;
}

function hasStonith(e: XmlElement): boolean {
  if (e.name === 'primitive' && e.attrs.class === 'stonith') return true;
  return e.children.some(hasStonith);
}

/** The static rules a CIB alone decides. */
export function cibStaticFindings(cib: XmlElement): Diagnostic[] {
  const conf = configurationOf(cib);
  if (!conf) return [];
  const out: Diagnostic[] = [];
  const stonith = property(conf, 'stonith-enabled');
  if (stonith !== undefined && isFalse(stonith)) out.push(diag('HA6101', '', { why: 'stonith-enabled=false' }));
  else if (!hasStonith(child(conf, 'resources') ?? { name: 'resources', attrs: {}, children: [] })) out.push(diag('HA6101', '', { why: 'no fence device (no stonith resource)' }));
  if (property(conf, 'no-quorum-policy') === 'ignore') out.push(diag('HA6102', ''));
  return out;
}

/** Node names of the CIB's <nodes> that are cluster members (not remote nodes). */
export function cibNodes(cib: XmlElement): string[] {
  const nodes = child(configurationOf(cib) ?? cib, 'nodes')?.children ?? [];
  return nodes
    .filter((n) => n.name === 'node' && n.attrs.uname && (n.attrs.type === undefined || n.attrs.type === 'member' || n.attrs.type === 'normal'))
    .map((n) => n.attrs.uname!)
    .sort(compareStrings);
}

/** Whether a node_state is a member online in the cluster's partition. */
function onlineState(ns: XmlElement): boolean {
  return ns.name === 'node_state' && ns.attrs.crmd === 'online' && ns.attrs.in_ccm === 'true';
}

/**
 * Primitive id (clone instance numbers dropped) -> online nodes it is active on, per the operation
 * history of a CIB's status: a resource counts where its newest operation left it running.
 */
export function placementOf(cib: XmlElement): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ns of child(cib, 'status')?.children ?? []) {
    if (!onlineState(ns)) continue;
    for (const r of child(child(ns, 'lrm') ?? ns, 'lrm_resources')?.children ?? []) {
      const ops = r.children.filter((o) => o.name === 'lrm_rsc_op' && o.attrs.operation !== 'notify').sort((a, b) => Number(a.attrs['call-id']) - Number(b.attrs['call-id']));
      const last = ops[ops.length - 1];
      if (!last) continue;
      const rc = last.attrs['rc-code'];
      const up = (['start', 'monitor', 'migrate_from', 'promote', 'demote'].includes(last.attrs.operation ?? '') && rc === '0') || (last.attrs.operation === 'monitor' && rc === '8');
      if (!up) continue;
      const id = r.attrs.id!.replace(/:\d+$/, '');
      out.set(id, [...new Set([...(out.get(id) ?? []), ns.attrs.uname ?? ns.attrs.id!])].sort(compareStrings));
    }
  }
  return out;
}

/** Primitive ids running anywhere (any instance) per the status of a simulated CIB. */
function runningOf(cib: XmlElement): Set<string> {
  return new Set(placementOf(cib).keys());
}

/** Members online in a CIB's status. */
export function onlineNodes(cib: XmlElement): string[] {
  const members = new Set(cibNodes(cib));
  return (child(cib, 'status')?.children ?? []).filter((ns) => onlineState(ns) && members.has(ns.attrs.uname ?? '')).map((ns) => ns.attrs.uname!).sort(compareStrings);
}

type Simulate = (args: string[], out: string) => Promise<XmlElement>;

/** crm_simulate runs in a private shadow directory, each writing its resulting CIB to `out` and returning it parsed. */
async function withSimulator<T>(opts: CibCheckOptions, work: (simulate: Simulate, dir: string) => Promise<T>): Promise<T> {
  const crmSimulate = opts.crmSimulate ?? 'crm_simulate';
  const dir = await mkdtemp(join(tmpdir(), 'hactl-check-cib-'));
  try {
    const simulate: Simulate = async (args, out) => {
      const r = await opts.runner.run(crmSimulate, [...args, '-O', out], { env: { ...process.env, CIB_shadow_dir: dir } as Record<string, string> });
      if (r.exitCode !== 0) throw remoteFailure('HA6040', { detail: `${crmSimulate} ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' ')}` });
      const p = parseXml(await readFile(out, 'utf8'));
      if (!p.ok) throw new Error(`crm_simulate wrote a CIB that does not parse: ${p.error.message}`);
      return p.root;
    };
    return await work(simulate, dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface CibCheckOptions {
  runner: Runner;
  crmSimulate?: string;
  concurrency?: number;
}

/**
 * Each set of nodes failing on the settled CIB (crm_simulate --node-fail, quorum as `quorate`
 * says for the members left online): what ran before and runs nowhere after.
 */
async function failures(simulate: Simulate, dir: string, settled: XmlElement, settledFile: string, sets: string[][], quorate: (up: string[]) => boolean, concurrency: number): Promise<CibScenario[]> {
  const before = runningOf(settled);
  const online = onlineNodes(settled);
  const results = await runBounded(sets.map((failed, i) => ({ failed, i })), concurrency, async ({ failed, i }): Promise<CibScenario> => {
    const q = quorate(online.filter((n) => !failed.includes(n)));
    const after = await simulate(['-x', settledFile, '-S', '--quorum', String(q), ...failed.flatMap((n) => ['--node-fail', n])], join(dir, `after-${i}.xml`));
    const now = runningOf(after);
    return { failed, quorate: q, lost: [...before].filter((r) => !now.has(r)).sort(compareStrings) };
  });
  return valuesOrThrow(results);
}

/** Static rules and the rehearsal on a bare CIB. */
export async function checkCib(cib: XmlElement, opts: CibCheckOptions): Promise<CibCheckReport> {
  const findings = cibStaticFindings(cib);
  const nodes = cibNodes(cib);
  const report: CibCheckReport = { nodes, findings, running: [], scenarios: [], unknown: [...UNKNOWN_WITHOUT_TOPOLOGY] };
  if (!nodes.length) {
    findings.push(diag('HA6103', ''));
    return report;
  }
  await withSimulator(opts, async (simulate, dir) => {
    // A CIB read from a cluster carries its status: the rehearsal starts from every node online.
    const bare: XmlElement = { ...cib, children: [...cib.children.filter((c) => c.name !== 'status'), { name: 'status', attrs: {}, children: [] }] };
    const input = join(dir, 'input.xml');
    await writeFile(input, serializeXml(bare));
    const settledFile = join(dir, 'settled.xml');
    const settled = await simulate(['-x', input, '-S', '--quorum', 'true', ...nodes.flatMap((n) => ['--node-up', n])], settledFile);
    report.running = [...runningOf(settled)].sort(compareStrings);
    const sets: string[][] = nodes.map((n) => [n]);
    if (nodes.length >= 3) for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) sets.push([nodes[i]!, nodes[j]!]);
    report.scenarios = await failures(simulate, dir, settled, settledFile, sets, (up) => up.length * 2 > nodes.length, opts.concurrency ?? 2);
    for (const s of report.scenarios) {
      // Without quorum the cluster stops by design (no-quorum-policy): not a finding of its own.
      if (s.quorate && s.lost.length) findings.push(diag('HA6104', '', { nodes: s.failed.join(' and '), resources: s.lost.join(', ') }));
    }
  });
  return report;
}

export interface LiveRehearsalOptions extends CibCheckOptions {
  /** Nodes to put in standby before anything else (the preview of a drain). */
  standby?: string[];
  /** Whether these members, online, keep quorum (default: a majority of the CIB's nodes). */
  quorate?: (up: string[]) => boolean;
}

export interface LiveRehearsal {
  /** The CIB's members, and those online in its status. */
  nodes: string[];
  online: string[];
  /** Primitive id -> nodes it runs on: as the status says, and once the cluster settled (after the standby asked for). */
  live: Record<string, string[]>;
  settled: Record<string, string[]>;
  /** Running in the live status, running nowhere once settled (the standby stops them). */
  stopped: string[];
  /** One more failure of each online member, from the settled state. */
  scenarios: CibScenario[];
  /** Nothing stopped, and every scenario keeps quorum and loses nothing. */
  survives: boolean;
}

/** A CIB with the permanent node attribute standby=on for `nodes` (the node entries hactl never owns). */
export function withStandby(cib: XmlElement, nodes: readonly string[]): XmlElement {
  if (!nodes.length) return cib;
  const mark = (n: XmlElement): XmlElement => {
    if (n.name !== 'node' || !nodes.includes(n.attrs.uname ?? '')) return n;
    const setId = `nodes-${n.attrs.id}`;
    const nv: XmlElement = { name: 'nvpair', attrs: { id: `${setId}-standby`, name: 'standby', value: 'on' }, children: [] };
    const sets = n.children.filter((c) => c.name === 'instance_attributes');
    const kept = n.children.filter((c) => c.name !== 'instance_attributes');
    const first = sets[0] ?? { name: 'instance_attributes', attrs: { id: setId }, children: [] };
    const rest = sets.slice(1).map((set) => ({ ...set, children: set.children.filter((c) => c.attrs.name !== 'standby') }));
    return { ...n, children: [...kept, { ...first, children: [...first.children.filter((c) => c.attrs.name !== 'standby'), nv] }, ...rest] };
  };
  const map = (e: XmlElement): XmlElement => (e.name === 'nodes' ? { ...e, children: e.children.map(mark) } : e.name === 'cib' || e.name === 'configuration' ? { ...e, children: e.children.map(map) } : e);
  return map(cib);
}

const record = (m: Map<string, string[]>): Record<string, string[]> => Object.fromEntries([...m].sort(([a], [b]) => compareStrings(a, b)));

/**
 * The rehearsal on a live CIB as it is (the status kept: a crashed node stays down): the cluster
 * settles, with `standby` nodes drained first, then each online member fails in turn. What a
 * drain needs to know before it starts, and what status reports as "survives one more failure".
 */
export async function rehearseLive(cib: XmlElement, opts: LiveRehearsalOptions): Promise<LiveRehearsal> {
  const nodes = cibNodes(cib);
  const quorate = opts.quorate ?? ((up: string[]) => up.length * 2 > nodes.length);
  const live = placementOf(cib);
  return withSimulator(opts, async (simulate, dir) => {
    const input = join(dir, 'input.xml');
    await writeFile(input, serializeXml(withStandby(cib, opts.standby ?? [])));
    const settledFile = join(dir, 'settled.xml');
    const settled = await simulate(['-x', input, '-S'], settledFile);
    const online = onlineNodes(settled);
    const after = placementOf(settled);
    // Fence devices are not counted as lost: one banned from its own target has nowhere to run
    // only when every other node is down or in standby, and its target is then the last node
    // running anything. Whether every node can be fenced is for the static rules (HA6101).
    const fence = new Set<string>();
    const walk = (e: XmlElement): void => {
      if (e.name === 'primitive' && e.attrs.class === 'stonith' && e.attrs.id) fence.add(e.attrs.id);
      e.children.forEach(walk);
    };
    walk(child(configurationOf(cib) ?? cib, 'resources') ?? cib);
    const stopped = [...live.keys()].filter((r) => !after.has(r) && !fence.has(r)).sort(compareStrings);
    const all = online.length ? await failures(simulate, dir, settled, settledFile, online.map((n) => [n]), quorate, opts.concurrency ?? 2) : [];
    const scenarios = all.map((s) => ({ ...s, lost: s.lost.filter((r) => !fence.has(r)) }));
    const survives = online.length > 0 && quorate(online) && !stopped.length && scenarios.every((s) => s.quorate && !s.lost.length);
    return { nodes, online, live: record(live), settled: record(after), stopped, scenarios, survives };
  });
}
