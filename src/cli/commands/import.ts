/**
 * `hactl import (--cib FILE [--corosync-conf FILE] [--sbd-config FILE] | --node NODE [--ssh-config FILE] | TOPOLOGY
 * --cluster NAME [--node NODE] [--ssh-config FILE]) [-o FILE] [--name NAME]`: a running cluster's
 * CIB (and corosync.conf, and the sbd file where there is one) as a topology (src/import). With a topology and --cluster, the cluster's
 * members are reached as the topology says (address, user, port), --node or the first member
 * that answers, and the imported topology is named after the cluster. The topology is validated
 * before it is written; nothing is written when the CIB cannot be held or the result does not
 * validate. --release names the cluster's OpenStack release and --files a saved copy of the
 * nodes' files: with them (or the live nodes' files, read over SSH) import proves which custom
 * services are catalogue services (src/import/catalog.ts). Exit 0 written (warnings on stderr), 2
 * invalid input or a CIB a topology cannot hold, 3 the cluster could not be read.
 */
import { statSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { diag, hasErrors } from '../../diagnostics.js';
import { HactlError } from '../../errors.js';
import { importCib } from '../../import/index.js';
import { isReleaseName, type NodeFiles } from '../../import/catalog.js';
import { savedTree } from '../../import/catalog-files.js';
import type { NodeState } from '../../import/catalog-ssh.js';
import { RELEASE_ALIASES, RELEASES, type ReleaseName } from '../../vocabulary.js';
import { loadTopology } from '../../load.js';
import { formatDiagnostics } from '../../report/diagnostics.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { parseCib, readSource } from './diff.js';
import type { ClusterConfig } from '../../compile/pacemaker/model.js';
import type { SshHost, Transport } from '../../remote/ssh.js';
import type { SbdConfig } from '../../import/sbd.js';

export interface ImportFlags {
  /** A topology whose cluster (--cluster) is imported. */
  topology?: string;
  cluster?: string;
  cib?: string;
  corosyncConf?: string;
  sbdConfig?: string;
  node?: string;
  sshConfig?: string;
  output?: string;
  name?: string;
  force?: boolean;
  /** Record the imported objects as hactl's in the cluster now (a live source only). */
  adopt?: boolean;
  /** The cluster's OpenStack release: its catalogue services are tried (src/import/catalog.ts). */
  release?: string;
  /** A saved copy of the nodes' files (DIR/<node>/<path>), read instead of the nodes over SSH. */
  files?: string;
}

/** Where a live CIB was read: the node, and how it was reached (for --adopt). */
interface Reach {
  node: string;
  hosts: Record<string, SshHost>;
  configFile?: string;
}

export async function importCommand(io: Io, flags: ImportFlags): Promise<ExitCode> {
  const viaTopology = flags.topology !== undefined || flags.cluster !== undefined;
  const sources = [flags.cib !== undefined, flags.node !== undefined && !viaTopology, viaTopology].filter(Boolean).length;
  if (sources !== 1 || (flags.topology === undefined) !== (flags.cluster === undefined) || (flags.cib === undefined && (flags.corosyncConf !== undefined || flags.sbdConfig !== undefined))) throw new HactlError(diag('HA5553', ''), EXIT.invalid);
  if (flags.adopt && flags.cib !== undefined) throw new HactlError(diag('HA5556', ''), EXIT.invalid);
  if (flags.release !== undefined && !isReleaseName(flags.release)) throw new HactlError(diag('HA5561', '', { release: flags.release, known: [...Object.keys(RELEASES), ...Object.keys(RELEASE_ALIASES)].join(', ') }), EXIT.invalid);
  const filesDir = flags.files !== undefined ? resolvePath(io.cwd, flags.files) : undefined;
  if (filesDir !== undefined && !statSync(filesDir, { throwIfNoEntry: false })?.isDirectory()) throw new HactlError(diag('HA5562', '', { dir: flags.files! }), EXIT.invalid);
  const configFile = flags.sshConfig !== undefined ? resolvePath(io.cwd, flags.sshConfig) : undefined;
  let reach: Reach | undefined;
  let cibText: string;
  let source: string;
  let corosync: { text: string; source: string } | undefined;
  let sbdConfig: SbdConfig | undefined;
  let name = flags.name;
  if (viaTopology) {
    ({ cibText, source, corosync, sbdConfig, reach } = await readClusterOfTopology(io, flags.topology!, flags.cluster!, flags, configFile));
    name ??= flags.cluster;
  } else if (flags.cib !== undefined) {
    source = flags.cib === '-' ? '<stdin>' : flags.cib;
    cibText = await readSource(io, flags.cib);
    if (flags.corosyncConf !== undefined) corosync = { text: await readSource(io, flags.corosyncConf), source: flags.corosyncConf };
    if (flags.sbdConfig !== undefined) sbdConfig = { text: await readSource(io, flags.sbdConfig), source: flags.sbdConfig };
  } else {
    source = `the live CIB of ${flags.node}`;
    const { queryCib, readCorosyncConf, readSbdConfig, SshTransport } = await import('../../remote/ssh.js');
    reach = { node: flags.node!, hosts: { [flags.node!]: {} }, ...(configFile !== undefined ? { configFile } : {}) };
    const transport = new SshTransport({ hosts: reach.hosts, env: io.env, ...(configFile !== undefined ? { configFile } : {}) });
    try {
      cibText = await queryCib(transport, flags.node!);
      corosync = { text: await readCorosyncConf(transport, flags.node!), source: `/etc/corosync/corosync.conf of ${flags.node}` };
      sbdConfig = await withDiskHeaders(transport, flags.node!, await readSbdConfig(transport, flags.node!));
    } finally {
      await transport.close();
    }
  }
  const cib = parseCib(cibText, source, flags.cib !== undefined ? EXIT.invalid : EXIT.remote);
  const release = flags.release as ReleaseName | undefined;
  const importWith = (files: NodeFiles | undefined) => importCib({ cib, source, ...(corosync ? { corosyncConf: corosync } : {}), ...(sbdConfig ? { sbdConfig } : {}), ...(name !== undefined ? { name } : {}), ...(release !== undefined ? { release } : {}), ...(files ? { files } : {}) });
  let result;
  if (filesDir !== undefined || !reach) result = importWith(filesDir !== undefined ? savedTree(filesDir) : undefined);
  else result = await importLive(io, reach, importWith);
  const paint = paintFor(io);
  if (result.diagnostics.length) io.stderr(formatDiagnostics(result.diagnostics, '', paint) + '\n');
  if (result.text === undefined || hasErrors(result.diagnostics)) return EXIT.invalid;
  const label = flags.output ?? '<imported>';
  const check = loadTopology(result.text, label);
  if (!check.ok) {
    io.stderr(formatDiagnostics(check.diagnostics, check.source.text, paint) + '\n');
    throw new HactlError(diag('HA5554', '', { count: check.diagnostics.filter((d) => d.severity === 'error').length }), EXIT.invalid);
  }
  if (flags.output === undefined || flags.output === '-') io.stdout(result.text);
  else {
    const { writeFileSafely } = await import('../../util/local-write.js');
    await writeFileSafely(flags.output, result.text, { cwd: io.cwd, force: !!flags.force });
    io.stderr(`${paint.ok('imported')} ${source} -> ${flags.output}\n`);
  }
  if (!flags.adopt || !reach) return EXIT.ok;
  return adopt(io, reach, cibText, check.model!.clusters[0]!);
}

/**
 * A live import: each pass says which node files and boot units the catalogue proofs need (those
 * of services whose CIB objects are proven), which are then read over SSH, read-only commands per
 * node on one connection each; the next pass proves them. Passes end when no proof asks for
 * anything not yet read (what a service writes can depend on another being typed: a few passes).
 */
async function importLive<T>(io: Io, reach: Reach, importWith: (files: NodeFiles) => T): Promise<T> {
  const { recorder, readOverSsh } = await import('../../import/catalog-ssh.js');
  const known: NodeState = { files: new Map(), meta: new Map(), units: new Map() };
  let pass = recorder(known);
  let result = importWith(pass.files);
  const asked = () => pass.wanted.files.size + pass.wanted.units.size > 0;
  if (!asked()) return result;
  const { SshTransport } = await import('../../remote/ssh.js');
  const transport = new SshTransport({ hosts: reach.hosts, env: io.env, ...(reach.configFile !== undefined ? { configFile: reach.configFile } : {}) });
  try {
    for (let round = 0; asked() && round < 4; round++) {
      await readOverSsh(transport, pass.wanted, known);
      pass = recorder(known);
      result = importWith(pass.files);
    }
  } finally {
    await transport.close();
  }
  return result;
}

/**
 * --adopt, after the topology is written: its objects recorded as hactl's in the cluster, in one
 * CIB patch against the CIB import read (Pacemaker refuses it when the configuration changed
 * since). Only a topology that compiles to exactly what runs is adopted; otherwise the first
 * apply shows the difference and adopts.
 */
async function adopt(io: Io, reach: Reach, liveText: string, cluster: ClusterConfig): Promise<ExitCode> {
  const paint = paintFor(io);
  const { toCib } = await import('../../compile/cib/index.js');
  const { adoptImported } = await import('../../apply/adopt.js');
  const { SshTransport } = await import('../../remote/ssh.js');
  const transport = new SshTransport({ hosts: reach.hosts, env: io.env, ...(reach.configFile !== undefined ? { configFile: reach.configFile } : {}) });
  try {
    const r = await adoptImported(transport, reach.node, liveText, toCib(cluster));
    if (r.kind === 'drift') {
      const what = [...new Set(r.diff.changes.filter((c) => c.managed || c.foreign).map((c) => c.parents[0] ?? c.id))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      io.stderr(formatDiagnostics([diag('HA5557', '', { count: what.length, ids: what.join(', ') })], '', paint) + '\n');
      return EXIT.finding;
    }
    if (r.kind === 'push-failed') {
      const refused = r.outcome.kind === 'refused';
      throw new HactlError(diag('HA5558', '', { node: reach.node, why: refused ? 'the configuration changed since import read it (a concurrent change is never overwritten): import again' : `${r.outcome.kind}: ${r.outcome.detail}` }), EXIT.remote);
    }
    io.stderr(`${paint.ok('adopted')} ${r.ids.length} object(s) recorded as hactl's on ${reach.node} (CIB ${r.from}, one patch): ${r.ids.join(', ')}\n`);
    return EXIT.ok;
  } finally {
    await transport.close();
  }
}

/**
 * The live CIB and corosync.conf of a topology's cluster: from --node, else from its members in
 * order until one answers (a member that is down is no reason to give up).
 */
async function readClusterOfTopology(io: Io, file: string, clusterName: string, flags: ImportFlags, configFile: string | undefined): Promise<{ cibText: string; source: string; corosync: { text: string; source: string }; sbdConfig: SbdConfig | undefined; reach: Reach }> {
  const { requireTopology } = await import('../topology.js');
  const { topology } = await requireTopology(io, file);
  const cluster = topology.clusters[clusterName];
  if (!cluster) throw new HactlError(diag('HA5101', '', { cluster: clusterName, known: Object.keys(topology.clusters).join(', ') || '(none)' }), EXIT.invalid);
  if (flags.node !== undefined && !cluster.nodes.includes(flags.node)) throw new HactlError(diag('HA5102', '', { node: flags.node, cluster: cluster.name, known: cluster.nodes.join(', ') }), EXIT.invalid);
  const { sshHostsOf } = await import('../../remote/hosts.js');
  const { queryCib, readCorosyncConf, readSbdConfig, SshTransport } = await import('../../remote/ssh.js');
  const hosts = sshHostsOf(topology, cluster.nodes);
  const transport = new SshTransport({ hosts, env: io.env, ...(configFile !== undefined ? { configFile } : {}) });
  try {
    const members = flags.node !== undefined ? [flags.node] : cluster.nodes;
    let failure: unknown;
    for (const node of members) {
      try {
        const cibText = await queryCib(transport, node);
        const text = await readCorosyncConf(transport, node);
        const sbdConfig = await withDiskHeaders(transport, node, await readSbdConfig(transport, node));
        const reach: Reach = { node, hosts, ...(configFile !== undefined ? { configFile } : {}) };
        return { cibText, source: `the live CIB of ${node} (cluster ${cluster.name} of ${file})`, corosync: { text, source: `/etc/corosync/corosync.conf of ${node}` }, sbdConfig, reach };
      } catch (e) {
        if (!(e instanceof HactlError) || node === members[members.length - 1]) throw e;
        failure = e;
        io.stderr(`${node} did not answer (${e.message.split('\n')[0]}); trying the next member\n`);
      }
    }
    throw failure;
  } finally {
    await transport.close();
  }
}

/**
 * The sbd file with its disks' headers, read on the node with dd as apply reads them (never the
 * sbd binary): msgwait is there only.
 */
async function withDiskHeaders(transport: Transport, node: string, config: SbdConfig | undefined): Promise<SbdConfig | undefined> {
  if (!config?.text) return config;
  const { sbdDevices } = await import('../../import/sbd.js');
  const { parseAssignments } = await import('../../formats/assignments.js');
  const parsed = parseAssignments(config.text);
  if (!parsed.ok) return config;
  const { decodeSbdHeader, readSbdHeaderBytes } = await import('../../apply/sbd.js');
  const headers = new Map<string, { watchdog: number; msgwait: number } | undefined>();
  for (const disk of sbdDevices(parsed.vars)) {
    const bytes = await readSbdHeaderBytes(transport, node, disk);
    headers.set(disk, bytes ? decodeSbdHeader(bytes) : undefined);
  }
  return { ...config, headers };
}
