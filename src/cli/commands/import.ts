/**
 * `hactl import (--cib FILE [--corosync-conf FILE] | --node NODE [--ssh-config FILE]) [-o FILE]
 * [--name NAME]`: a running cluster's CIB (and corosync.conf) as a topology (src/import). The
 * topology is validated before it is written; nothing is written when the CIB cannot be held or
 * the result does not validate. Exit 0 written (warnings on stderr), 2 invalid input or a CIB a
 * topology cannot hold, 3 the node could not be read.
 */
import { resolve as resolvePath } from 'node:path';
import { diag, hasErrors } from '../../diagnostics.js';
import { HactlError } from '../../errors.js';
import { importCib } from '../../import/index.js';
import { loadTopology } from '../../load.js';
import { formatDiagnostics } from '../../report/diagnostics.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { paintFor } from '../paint.js';
import { parseCib, readSource } from './diff.js';

export interface ImportFlags {
  cib?: string;
  corosyncConf?: string;
  node?: string;
  sshConfig?: string;
  output?: string;
  name?: string;
  force?: boolean;
}

export async function importCommand(io: Io, flags: ImportFlags): Promise<ExitCode> {
  if ((flags.cib === undefined) === (flags.node === undefined) || (flags.node !== undefined && flags.corosyncConf !== undefined)) throw new HactlError(diag('HA5553', ''), EXIT.invalid);
  let cibText: string;
  let source: string;
  let corosync: { text: string; source: string } | undefined;
  if (flags.cib !== undefined) {
    source = flags.cib === '-' ? '<stdin>' : flags.cib;
    cibText = await readSource(io, flags.cib);
    if (flags.corosyncConf !== undefined) corosync = { text: await readSource(io, flags.corosyncConf), source: flags.corosyncConf };
  } else {
    source = `the live CIB of ${flags.node}`;
    const { queryCib, readCorosyncConf, SshTransport } = await import('../../remote/ssh.js');
    const transport = new SshTransport({ hosts: { [flags.node!]: {} }, env: io.env, ...(flags.sshConfig !== undefined ? { configFile: resolvePath(io.cwd, flags.sshConfig) } : {}) });
    try {
      cibText = await queryCib(transport, flags.node!);
      corosync = { text: await readCorosyncConf(transport, flags.node!), source: `/etc/corosync/corosync.conf of ${flags.node}` };
    } finally {
      await transport.close();
    }
  }
  const cib = parseCib(cibText, source, flags.cib !== undefined ? EXIT.invalid : EXIT.remote);
  const result = importCib({ cib, source, ...(corosync ? { corosyncConf: corosync } : {}), ...(flags.name !== undefined ? { name: flags.name } : {}) });
  const paint = paintFor(io);
  if (result.diagnostics.length) io.stderr(formatDiagnostics(result.diagnostics, '', paint) + '\n');
  if (result.text === undefined || hasErrors(result.diagnostics)) return EXIT.invalid;
  const label = flags.output ?? '<imported>';
  const check = loadTopology(result.text, label);
  if (!check.ok) {
    io.stderr(formatDiagnostics(check.diagnostics, check.source.text, paint) + '\n');
    throw new HactlError(diag('HA5554', '', { count: check.diagnostics.filter((d) => d.severity === 'error').length }), EXIT.invalid);
  }
  if (flags.output === undefined || flags.output === '-') {
    io.stdout(result.text);
    return EXIT.ok;
  }
  const { writeFileSafely } = await import('../../util/local-write.js');
  await writeFileSafely(flags.output, result.text, { cwd: io.cwd, force: !!flags.force });
  io.stderr(`${paint.ok('imported')} ${source} -> ${flags.output}\n`);
  return EXIT.ok;
}
