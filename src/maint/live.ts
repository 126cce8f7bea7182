/**
 * A running cluster as drain, undrain and status see it: its CIB read over SSH from the first
 * member that answers (one multiplexed connection per node, strict host keys: src/remote/ssh.ts),
 * and that one snapshot read here by Pacemaker's own crm_mon (CIB_file): node states, where each
 * resource runs, failed actions. One snapshot serves the view, the drift and the rehearsal, so
 * they never disagree about the moment they describe.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../check/runner.js';
import { promotedOn, running } from '../check/rehearsal.js';
import { HactlError, remoteFailure } from '../errors.js';
import { operationsInFlight } from '../remote/actions.js';
import type { Transport } from '../remote/ssh.js';
import { compareStrings } from '../util/compare.js';
import { parseXml } from '../xml/parse.js';
import { child, type XmlElement } from '../xml/tree.js';

export interface LiveCib {
  /** The member the CIB was read from (cibadmin --query). */
  via: string;
  text: string;
  cib: XmlElement;
}

/** Members that did not answer, with why: what status reports as unreachable. */
export interface Unreached {
  node: string;
  detail: string;
}

/**
 * The live CIB of a cluster from the first of `nodes` that answers, preferring a member whose
 * partition has quorum (a node cut off from the rest still answers, with its own stale view).
 * HA5593 (exit 3) when none answers.
 */
export async function readLiveCib(t: Transport, cluster: string, nodes: readonly string[]): Promise<LiveCib & { unreached: Unreached[] }> {
  const unreached: Unreached[] = [];
  let fallback: LiveCib | undefined;
  for (const node of nodes) {
    let text: string;
    try {
      const r = await t.exec(node, ['cibadmin', '--query']);
      if (r.exitCode !== 0) {
        unreached.push({ node, detail: `cibadmin --query exit ${r.exitCode}: ${r.stderr.trim().split('\n')[0] ?? ''}` });
        continue;
      }
      text = r.stdout;
    } catch (e) {
      if (!(e instanceof HactlError) || e.exitCode !== 3) throw e;
      unreached.push({ node, detail: e.diagnostic.message });
      continue;
    }
    const p = parseXml(text);
    if (!p.ok) {
      unreached.push({ node, detail: `its CIB does not parse: ${p.error.message}` });
      continue;
    }
    const live = { via: node, text, cib: p.root };
    if (p.root.attrs['have-quorum'] === '1' || p.root.attrs['have-quorum'] === 'true') return { ...live, unreached };
    fallback ??= live;
  }
  if (fallback) return { ...fallback, unreached };
  throw remoteFailure('HA5593', { cluster, detail: unreached.map((u) => `${u.node}: ${u.detail}`).join('; ') || 'no members' });
}

export type NodeState = 'online' | 'standby' | 'offline';

export interface FailedAction {
  node: string;
  resource: string;
  operation: string;
  /** crm_mon's status, exit status and reason, in one phrase. */
  detail: string;
}

export interface ClusterView {
  nodes: { name: string; state: NodeState }[];
  /** Primitive id -> online nodes it runs on; of promotable clones, where they are promoted. */
  running: Map<string, string[]>;
  promoted: Map<string, string[]>;
  failures: FailedAction[];
  /** Resources with an operation under way (`id Starting`, ...): the cluster has not settled while any is. */
  inFlight: string[];
}

const OPERATION = /^(.+)_(start|stop|monitor|promote|demote|migrate_to|migrate_from|notify|reload|reload-agent)_(\d+)$/;

/** crm_mon's XML (pacemaker-result), parsed and as text, as a view. */
function viewOfCrmMon(root: XmlElement, text: string): ClusterView {
  const nodes = (child(root, 'nodes')?.children ?? [])
    .filter((n) => n.name === 'node' && n.attrs.type !== 'remote' && n.attrs.type !== 'ping')
    .map((n) => ({ name: n.attrs.name!, state: (n.attrs.online !== 'true' ? 'offline' : n.attrs.standby === 'true' || n.attrs.standby_onfail === 'true' ? 'standby' : 'online') as NodeState }))
    .sort((a, b) => compareStrings(a.name, b.name));
  const failures = (child(root, 'failures')?.children ?? [])
    .filter((f) => f.name === 'failure')
    .map((f) => {
      const key = f.attrs.op_key ?? f.attrs.id ?? '';
      const m = OPERATION.exec(key);
      const reason = f.attrs.exitreason && f.attrs.exitreason !== 'none' ? `: ${f.attrs.exitreason}` : '';
      const interval = m && m[3] !== '0' ? ` every ${Number(m[3]) / 1000} s` : '';
      return {
        node: f.attrs.node ?? '',
        resource: f.attrs.rsc ?? m?.[1] ?? key,
        operation: `${f.attrs.task ?? m?.[2] ?? 'operation'}${interval}`,
        detail: `${f.attrs.status ?? 'failed'}, ${f.attrs.exitstatus ?? 'error'} (exit ${f.attrs.exitcode ?? '?'})${reason}`,
      };
    })
    .sort((a, b) => compareStrings(`${a.node} ${a.resource} ${a.operation}`, `${b.node} ${b.resource} ${b.operation}`));
  return { nodes, running: running(root), promoted: promotedOn(root), failures, inFlight: operationsInFlight(text) };
}

/** The view of a live CIB, by crm_mon run here on a copy of it (CIB_file): no second query of the cluster. */
export async function viewOf(cibText: string, cluster: string, runner: Runner, crmMon = 'crm_mon'): Promise<ClusterView> {
  const dir = await mkdtemp(join(tmpdir(), 'hactl-status-'));
  try {
    const file = join(dir, 'cib.xml');
    await writeFile(file, cibText);
    const r = await runner.run(crmMon, ['-1', '--output-as=xml', '--include=none', '--include=nodes,resources,failures'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CIB_file: file } });
    const p = parseXml(r.stdout);
    if (r.exitCode !== 0 || !p.ok) throw remoteFailure('HA5596', { cluster, detail: `exit ${r.exitCode}: ${(r.stderr || r.stdout).trim().split('\n').slice(0, 3).join(' ')}` });
    return viewOfCrmMon(p.root, r.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Primitive ids running on `node`, sorted. */
export function runningOn(running: ReadonlyMap<string, readonly string[]>, node: string): string[] {
  return [...running].filter(([, nodes]) => nodes.includes(node)).map(([id]) => id).sort(compareStrings);
}
