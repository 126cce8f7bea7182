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
import { runBounded } from '../util/pool.js';
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

/** Primitive ids running anywhere (any instance) per the status of a simulated CIB. */
function runningOf(cib: XmlElement): Set<string> {
  const out = new Set<string>();
  for (const ns of child(cib, 'status')?.children ?? []) {
    if (ns.name !== 'node_state' || ns.attrs.crmd !== 'online' || ns.attrs.in_ccm !== 'true') continue;
    for (const r of child(child(ns, 'lrm') ?? ns, 'lrm_resources')?.children ?? []) {
      const ops = r.children.filter((o) => o.name === 'lrm_rsc_op' && o.attrs.operation !== 'notify').sort((a, b) => Number(a.attrs['call-id']) - Number(b.attrs['call-id']));
      const last = ops[ops.length - 1];
      if (!last) continue;
      const rc = last.attrs['rc-code'];
      const up = (['start', 'monitor', 'migrate_from', 'promote', 'demote'].includes(last.attrs.operation ?? '') && rc === '0') || (last.attrs.operation === 'monitor' && rc === '8');
      if (up) out.add(r.attrs.id!.replace(/:\d+$/, ''));
    }
  }
  return out;
}

export interface CibCheckOptions {
  runner: Runner;
  crmSimulate?: string;
  concurrency?: number;
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
  const crmSimulate = opts.crmSimulate ?? 'crm_simulate';
  const dir = await mkdtemp(join(tmpdir(), 'hactl-check-cib-'));
  try {
    // A CIB read from a cluster carries its status: the rehearsal starts from every node online.
    const bare: XmlElement = { ...cib, children: [...cib.children.filter((c) => c.name !== 'status'), { name: 'status', attrs: {}, children: [] }] };
    const input = join(dir, 'input.xml');
    await writeFile(input, serializeXml(bare));
    const simulate = async (args: string[], out: string): Promise<XmlElement> => {
      const r = await opts.runner.run(crmSimulate, [...args, '-O', out], { env: { ...process.env, CIB_shadow_dir: dir } as Record<string, string> });
      if (r.exitCode !== 0) throw remoteFailure('HA6040', { detail: `${crmSimulate} ${args.join(' ')} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(0, 5).join(' ')}` });
      const p = parseXml(await readFile(out, 'utf8'));
      if (!p.ok) throw new Error(`crm_simulate wrote a CIB that does not parse: ${p.error.message}`);
      return p.root;
    };
    const settledFile = join(dir, 'settled.xml');
    const settled = await simulate(['-x', input, '-S', '--quorum', 'true', ...nodes.flatMap((n) => ['--node-up', n])], settledFile);
    const before = runningOf(settled);
    report.running = [...before].sort(compareStrings);
    const sets: string[][] = nodes.map((n) => [n]);
    if (nodes.length >= 3) for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) sets.push([nodes[i]!, nodes[j]!]);
    const results = await runBounded(sets.map((failed, i) => ({ failed, i })), opts.concurrency ?? 2, async ({ failed, i }): Promise<CibScenario> => {
      const quorate = (nodes.length - failed.length) * 2 > nodes.length;
      const after = await simulate(['-x', settledFile, '-S', '--quorum', String(quorate), ...failed.flatMap((n) => ['--node-fail', n])], join(dir, `after-${i}.xml`));
      const now = runningOf(after);
      return { failed, quorate, lost: [...before].filter((r) => !now.has(r)).sort(compareStrings) };
    });
    for (const r of results) {
      if (r.status === 'failed') throw r.error;
      if (r.status !== 'ok') continue;
      report.scenarios.push(r.value);
      // Without quorum the cluster stops by design (no-quorum-policy): not a finding of its own.
      if (r.value.quorate && r.value.lost.length) findings.push(diag('HA6104', '', { nodes: r.value.failed.join(' and '), resources: r.value.lost.join(', ') }));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return report;
}
