/**
 * The CLI: commander commands over the library. Each command's module is imported only when that
 * command runs, so start-up pays for what it uses.
 */
import { HACTL_VERSION } from '../version.js';
import { Command, CommanderError, Option } from 'commander';
import { EXIT, type ExitCode } from './exit.js';
import type { Io } from './io.js';

export async function run(argv: string[], io: Io): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = new Command('hactl')
    .description('Compile, check and apply highly available OpenStack clouds on Pacemaker/Corosync and Ceph.')
    .version(HACTL_VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();

  program
    .command('validate')
    .description('check a topology against the schema and the HA rules; every problem as file:line:col')
    .argument('<topology>', "topology YAML file ('-' for stdin)")
    .option('--json', 'print diagnostics as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const { validateCommand } = await import('./commands/validate.js');
      code = await validateCommand(io, file, opts);
    });

  program
    .command('schema')
    .description('print the topology JSON Schema (for editors: # yaml-language-server: $schema=...)')
    .addOption(new Option('--name <name>', 'which schema').choices(['topology', 'manifest', 'apply', 'plan', 'status']).default('topology'))
    .option('--write <file>', 'save it to FILE (next to your topology) instead of printing it')
    .option('--force', 'with --write: replace an existing file')
    .action(async (opts: { name: string; write?: string; force?: boolean }) => {
      const { schemaCommand } = await import('./commands/schema.js');
      code = await schemaCommand(io, opts.name, opts);
    });

  program
    .command('compile')
    .description('compile a topology: per cluster a CIB, crmsh and pcs scripts; per node its files; a manifest')
    .argument('<topology>', 'topology YAML file')
    .requiredOption('-o, --output <dir>', 'output directory: a new or empty one, or an earlier hactl output (replaced atomically)')
    .option('--format <list>', 'comma-separated targets to emit: cib, crmsh, pcs, files (default: all)')
    .option('--force', 'replace a non-empty directory hactl did not make (never the current directory, the topology\'s, or a link)')
    .action(async (file: string, opts: { output: string; format?: string; force?: boolean }) => {
      const { compileCommand } = await import('./commands/compile.js');
      code = await compileCommand(io, file, opts);
    });

  program
    .command('diff')
    .description('semantic diff of the compiled CIB against a live one (over SSH or saved), or of two saved CIBs')
    .argument('[topology]', "topology YAML file ('-' for stdin)")
    .option('--cluster <name>', 'the cluster of the topology to compare')
    .option('--node <node>', 'read the live CIB from this node over SSH (cibadmin --query)')
    .option('--live <file>', "a saved live CIB ('-' for stdin)")
    .option('--from <file>', 'compare the saved CIB FILE (instead of a topology) with --live')
    .option('--ssh-config <file>', 'ssh client configuration, passed to ssh as -F FILE')
    .option('--json', 'print the diff as JSON')
    .option('--impact', 'also show what Pacemaker does when the change lands (crm_simulate on the live status)')
    .action(async (file: string | undefined, opts: { cluster?: string; node?: string; live?: string; from?: string; sshConfig?: string; json?: boolean; impact?: boolean }) => {
      const { diffCommand } = await import('./commands/diff.js');
      code = await diffCommand(io, file, opts);
    });

  program
    .command('apply')
    .description('make the nodes match the topology: files and the CIB over SSH (plan, confirm, act)')
    .argument('[topology]', 'topology YAML file (with --plan: the one the plan names, unless given)')
    .option('--node <node...>', 'apply to these nodes (repeatable)')
    .option('--all', 'apply to every node of the topology')
    .option('--dry-run', 'print the plan and stop')
    .option('--yes', 'act without asking (needed when there is no terminal)')
    .option('--allow-disruption', 'carry out a plan that stops, restarts or moves a running service, or fences a node')
    .option('--json', 'print the plan and the result as one JSON document (schemas/apply.schema.json)')
    .option('--concurrency <n>', 'nodes worked on at once (default 8)')
    .option('--ssh-config <file>', 'ssh client configuration, passed to ssh as -F FILE')
    .option('--adopt', "take over objects with the topology's ids that hactl did not make, where they differ (shown in the plan)")
    .option('--plan-out <file>', 'write the plan to FILE (no secret values; schemas/plan.schema.json) and stop')
    .option('--plan <file>', 'carry out a saved plan exactly, refused when the cluster or a node file changed since it was made')
    .action(async (file: string | undefined, opts: { node?: string[]; all?: boolean; dryRun?: boolean; yes?: boolean; allowDisruption?: boolean; json?: boolean; concurrency?: string; sshConfig?: string; adopt?: boolean; planOut?: string; plan?: string }) => {
      const { applyCommand } = await import('./commands/apply.js');
      code = await applyCommand(io, file, opts);
    });

  program
    .command('keygen')
    .description('write a new corosync authkey (256 random bytes, mode 0600) for a cluster\'s authkey secret')
    .argument('<file>', 'where to write the key')
    .option('--force', 'replace an existing file')
    .action(async (file: string, opts: { force?: boolean }) => {
      const { keygenCommand } = await import('./commands/keygen.js');
      code = await keygenCommand(io, file, opts);
    });

  program
    .command('check')
    .description('prove the HA claims: single points of failure, failure rehearsal with crm_simulate, availability vs sla')
    .argument('[topology]', "topology YAML file ('-' for stdin)")
    .option('--cib <file>', "check a saved CIB without a topology ('-' for stdin)")
    .option('--node <node>', 'check the live CIB of this node without a topology (cibadmin --query over SSH)')
    .option('--ssh-config <file>', 'with --node: ssh client configuration, passed to ssh as -F FILE')
    .option('--json', 'print the report as JSON (for CI)')
    .option('--no-rehearsal', 'skip the crm_simulate rehearsal (static analysis and estimate only)')
    .option('--strict', 'warnings are findings too (exit 1)')
    .option('--verbose', 'every resource action of every scenario and the arithmetic of every path')
    .action(async (file: string | undefined, opts: { json?: boolean; rehearsal?: boolean; strict?: boolean; verbose?: boolean; cib?: string; node?: string; sshConfig?: string }) => {
      if (opts.cib !== undefined || opts.node !== undefined || file === undefined) {
        const { checkCibCommand } = await import('./commands/check-cib.js');
        code = await checkCibCommand(io, file, opts);
        return;
      }
      const { checkCommand } = await import('./commands/check.js');
      code = await checkCommand(io, file, opts);
    });

  program
    .command('drain')
    .description('take a node out of service: rehearse the live cluster without it, put it in standby, wait until nothing runs there, report what moved')
    .argument('<topology>', 'topology YAML file')
    .requiredOption('--node <node>', 'the node to drain')
    .option('--wait <seconds>', 'how long to wait for the node to empty (default 300)')
    .option('--force', 'drain even when the rest of the cluster would not survive one more failure')
    .option('--ssh-config <file>', 'ssh client configuration, passed to ssh as -F FILE')
    .action(async (file: string, opts: { node: string; wait?: string; force?: boolean; sshConfig?: string }) => {
      const { drainCommand } = await import('./commands/drain.js');
      code = await drainCommand(io, file, opts);
    });

  program
    .command('undrain')
    .description('bring a drained node back: clear its standby, wait until the cluster settles, report what returned')
    .argument('<topology>', 'topology YAML file')
    .requiredOption('--node <node>', 'the node to bring back')
    .option('--wait <seconds>', 'how long to wait for the cluster to settle (default 300)')
    .option('--ssh-config <file>', 'ssh client configuration, passed to ssh as -F FILE')
    .action(async (file: string, opts: { node: string; wait?: string; sshConfig?: string }) => {
      const { undrainCommand } = await import('./commands/drain.js');
      code = await undrainCommand(io, file, opts);
    });

  program
    .command('status')
    .description('per cluster, live over SSH: nodes, where each service runs, failed actions, drift, and whether it survives one more node failure')
    .argument('<topology>', 'topology YAML file')
    .option('--cluster <name>', 'only this cluster of the topology')
    .option('--json', 'print the status as JSON (schemas/status.schema.json)')
    .option('--ssh-config <file>', 'ssh client configuration, passed to ssh as -F FILE')
    .action(async (file: string, opts: { cluster?: string; json?: boolean; sshConfig?: string }) => {
      const { statusCommand } = await import('./commands/status.js');
      code = await statusCommand(io, file, opts);
    });

  program
    .command('import')
    .description("write a running cluster's CIB (and corosync.conf) as a topology that compiles back to it")
    .argument('[topology]', 'with --cluster: a topology saying where the cluster runs (its members, addresses, SSH settings)')
    .option('--cib <file>', "a saved CIB (cibadmin --query; '-' for stdin)")
    .option('--corosync-conf <file>', 'with --cib: the cluster\'s corosync.conf (node addresses, links, quorum device)')
    .option('--sbd-config <file>', "with --cib: a member's sbd file (/etc/default/sbd or /etc/sysconfig/sbd: SBD's disks and timeouts)")
    .option('--node <node>', 'read the live CIB, corosync.conf and sbd file of this node over SSH (with --cluster: this member)')
    .option('--cluster <name>', "with a topology: read the live CIB and corosync.conf of this cluster's first member that answers")
    .option('--ssh-config <file>', 'with --node or --cluster: ssh client configuration, passed to ssh as -F FILE')
    .option('--name <name>', 'name of the cluster in the topology (default: corosync\'s cluster_name)')
    .option('-o, --output <file>', 'write the topology here instead of stdout')
    .option('--force', 'overwrite the output file')
    .option('--adopt', "with --node or --cluster: record the imported objects as hactl's in the cluster now (one CIB patch; only when the topology compiles to exactly what runs)")
    .option('--release <release>', "the cluster's OpenStack release (no CIB records it): its catalogue services are tried")
    .option('--files <dir>', "a saved copy of the nodes' files (DIR/<node>/<path>) to prove catalogue services' files with, instead of reading them over SSH")
    .action(async (topology: string | undefined, opts: { cib?: string; corosyncConf?: string; sbdConfig?: string; node?: string; cluster?: string; sshConfig?: string; name?: string; output?: string; force?: boolean; adopt?: boolean; release?: string; files?: string }) => {
      const { importCommand } = await import('./commands/import.js');
      code = await importCommand(io, { ...opts, ...(topology !== undefined ? { topology } : {}) });
    });

  program
    .command('graph')
    .description("a cluster's resources and constraints as a graph (Graphviz DOT, or SVG rendered in-process)")
    .argument('<topology>', "topology YAML file ('-' for stdin)")
    .option('--cluster <name>', 'the cluster to draw (default: every cluster; SVG needs one)')
    .addOption(new Option('--format <format>', 'output format').choices(['dot', 'svg']).default('dot'))
    .option('-o, --output <file>', 'write to FILE instead of stdout (refused if it exists)')
    .option('--force', 'replace an existing output file')
    .action(async (file: string, opts: { cluster?: string; format?: string; output?: string; force?: boolean }) => {
      const { graphCommand } = await import('./commands/graph.js');
      code = await graphCommand(io, file, opts);
    });

  program
    .command('report')
    .description('one self-contained HTML page: topology map, resource graphs, failure rehearsal matrix, findings, availability vs sla')
    .argument('<topology>', "topology YAML file ('-' for stdin)")
    .requiredOption('-o, --output <file>', 'the HTML file to write (refused if it exists)')
    .option('--no-rehearsal', 'skip the crm_simulate rehearsal')
    .option('--force', 'replace an existing output file')
    .action(async (file: string, opts: { output: string; rehearsal?: boolean; force?: boolean }) => {
      const { reportCommand } = await import('./commands/report.js');
      code = await reportCommand(io, file, opts);
    });

  if (argv.length === 0) {
    // No command is a usage error: scripts that call hactl with a missing argument must not pass.
    io.stderr(program.helpInformation());
    return EXIT.invalid;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.ok;
      return EXIT.invalid;
    }
    // Loaded only on this path (the command that threw has loaded errors.js already): the error
    // printer and its colours cost start-up time that a success never needs.
    const { HactlError } = await import('../errors.js');
    if (e instanceof HactlError) {
      const { printError } = await import('./failure.js');
      printError(io, e.diagnostic);
      return e.exitCode;
    }
    io.stderr(`hactl: internal error (a bug; please report it): ${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
  return code;
}
