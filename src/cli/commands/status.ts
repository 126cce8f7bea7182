/**
 * `hactl status TOPOLOGY [--cluster C] [--json]` (src/maint/status.ts): per cluster, live over SSH,
 * the nodes, where each service runs, failed actions, drift in one line and whether the cluster
 * survives one more node failure. Exit 0 healthy, 1 a finding, 2 bad usage, 3 a cluster that no
 * member of answers (the others are still reported).
 */
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { execaRunner, positionFindings } from '../../check/index.js';
import { formatFindings } from '../../check/format.js';
import { diag } from '../../diagnostics.js';
import { HactlError } from '../../errors.js';
import { clusterStatus, type ClusterStatus } from '../../maint/status.js';
import { sshHostsOf } from '../../remote/hosts.js';
import { SshTransport, type SshOptions } from '../../remote/ssh.js';
import { diagnosticsToJson } from '../../report/diagnostics.js';
import { terminalSafe } from '../../report/terminal.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { requireTopology } from '../topology.js';

export const STATUS_SCHEMA_ID = 'https://hactl.dev/schemas/status.schema.json';

export interface StatusFlags {
  cluster?: string;
  json?: boolean;
  sshConfig?: string;
}

function exitOf(s: ClusterStatus): ExitCode {
  if (!s.reachable) return EXIT.remote;
  return s.findings.some((d) => d.severity === 'error') ? EXIT.finding : EXIT.ok;
}

/** The --json document (schemas/status.schema.json). */
export function statusJsonOf(file: string, clusters: ClusterStatus[], code: ExitCode): unknown {
  return {
    $schema: STATUS_SCHEMA_ID,
    version: 1,
    topology: file,
    ok: code === EXIT.ok,
    exitCode: code,
    clusters: clusters.map((s) => ({
      cluster: s.cluster,
      reachable: s.reachable,
      via: s.via ?? null,
      unreached: s.unreached,
      error: s.error ? diagnosticsToJson([s.error])[0] : null,
      quorum: s.quorum ?? null,
      nodes: s.nodes ?? [],
      services: s.services ?? [],
      failedActions: s.failedActions ?? [],
      drift: s.drift ?? null,
      survivesOneMoreFailure: s.survives ?? null,
      scenarios: s.scenarios ?? [],
      findings: diagnosticsToJson(s.findings),
    })),
  };
}

function clusterText(s: ClusterStatus, p: ReturnType<typeof paintFor>): string[] {
  if (!s.reachable) return [p.bold(`cluster ${s.cluster}: ${p.error('UNREACHABLE')}`), `  ${terminalSafe(s.error!.message)}`, ''];
  const out = [p.bold(`cluster ${s.cluster} (read from ${s.via}; quorum: ${s.quorum ? 'yes' : 'NO'})`)];
  out.push(`  nodes: ${s.nodes!.map((n) => `${n.name} ${n.state === 'offline' ? p.error('offline') : n.state}`).join(', ')}`);
  for (const u of s.unreached) out.push(`  (${u.node} did not answer: ${terminalSafe(u.detail)})`);
  out.push('  services:');
  const width = Math.max(...s.services!.map((x) => x.service.length));
  for (const x of s.services!) {
    const where = x.resources.map((r) => `${r.id} ${r.nodes.length ? `on ${r.nodes.join(', ')}` : 'STOPPED'}${r.promoted?.length ? ` (promoted on ${r.promoted.join(', ')})` : ''}`).join('; ');
    out.push(`    ${x.service.padEnd(width)}  ${x.up ? x.nodes.join(', ') : p.error('DOWN')}  [${where}]`);
  }
  out.push(`  failed actions: ${s.failedActions!.length ? '' : 'none'}`);
  for (const f of s.failedActions!) out.push(`    ${f.node}: ${f.operation} of ${f.resource}: ${terminalSafe(f.detail)}`);
  const d = s.drift!;
  out.push(`  drift: ${d.count ? `${d.count} object(s) differ (${d.added} only live, ${d.removed} only in the topology, ${d.changed} changed)` : 'none'}`);
  out.push(`  survives one more node failure: ${s.survives ? p.ok('yes') : p.error('no')}`);
  out.push('');
  return out;
}

export async function statusCommand(io: Io, file: string, flags: StatusFlags): Promise<ExitCode> {
  const { topology, model, result } = await requireTopology(io, file);
  let names = Object.keys(topology.clusters).sort();
  if (flags.cluster !== undefined) {
    if (!topology.clusters[flags.cluster]) throw new HactlError(diag('HA5101', '', { cluster: flags.cluster, known: names.join(', ') || '(none)' }), EXIT.invalid);
    names = [flags.cluster];
  }
  const o: SshOptions = { hosts: sshHostsOf(topology), env: io.env };
  if (flags.sshConfig) o.configFile = resolvePath(io.cwd, flags.sshConfig);
  const transport = new SshTransport(o);
  const clusters: ClusterStatus[] = [];
  try {
    const opts = { runner: execaRunner(), concurrency: availableParallelism(), ...(io.env.HACTL_CRM_SIMULATE ? { crmSimulate: io.env.HACTL_CRM_SIMULATE } : {}) };
    for (const name of names) {
      const s = await clusterStatus(model, name, transport, opts);
      // Placed at the topology's lines, as check's findings are.
      clusters.push({ ...s, findings: positionFindings(result.source, s.findings) });
    }
  } finally {
    await transport.close();
  }
  const codes = clusters.map(exitOf);
  const code: ExitCode = codes.includes(EXIT.remote) ? EXIT.remote : codes.includes(EXIT.finding) ? EXIT.finding : EXIT.ok;
  if (flags.json) {
    io.stdout(JSON.stringify(statusJsonOf(file, clusters, code), null, 2) + '\n');
    return code;
  }
  const p = paintFor(io);
  const out: string[] = [];
  for (const s of clusters) out.push(...clusterText(s, p));
  const findings = clusters.flatMap((s) => s.findings);
  if (findings.length) out.push(formatFindings(findings, result.source.text, p));
  const unreachable = clusters.filter((s) => !s.reachable).map((s) => s.cluster);
  out.push(
    code === EXIT.ok
      ? `${p.ok('healthy')} ${file}: ${clusters.length} cluster(s)`
      : `${p.error('not healthy')} ${file}: ${findings.length} finding(s)${unreachable.length ? `; unreachable: ${unreachable.join(', ')}` : ''}`,
  );
  io.stdout(out.join('\n') + '\n');
  return code;
}
