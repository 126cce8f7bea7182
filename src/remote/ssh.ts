/**
 * Running commands on cluster nodes over the system `ssh` client. The client does what it is good
 * at (keys, agents, ProxyJump, the operator's ssh_config); hactl pins down what must not vary:
 * batch mode (never a password prompt), strict host key checking, connection multiplexing through
 * a private control directory, and commands that are fixed argument vectors quoted by one
 * function, with any data on stdin, so nothing read from a topology or a CIB reaches a remote shell
 * unquoted.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { diag, type Diagnostic } from '../diagnostics.js';
import { HactlError } from '../errors.js';
import { parseIp } from '../util/ip.js';
import { shellJoin } from '../util/shell.js';

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** How commands reach nodes; the SSH transport is one, tests and apply may bring others. */
export interface Transport {
  /**
   * Runs `command` (an argument vector, quoted for the remote shell here) on `node`, with `stdin`
   * as its standard input. Resolves with the remote exit code, whatever it is; rejects with a
   * RemoteError when the node cannot be reached.
   */
  exec(node: string, command: readonly string[], stdin?: string): Promise<ExecResult>;
  /** Ends shared connections and removes private state. */
  close(): Promise<void>;
}

/**
 * A failure to reach or use a node, as a catalogued diagnostic: exit 3, except a refused value or
 * a missing ssh config file, which are bad input (exit 2).
 */
export class RemoteError extends HactlError {
  constructor(diagnostic: Diagnostic) {
    super(diagnostic, diagnostic.code === 'HA5201' || diagnostic.code === 'HA5208' ? 2 : 3);
  }
}

/** How to reach one node; unset fields come from the ssh config. */
export interface SshHost {
  address?: string;
  user?: string;
  port?: number;
}

export interface SshOptions {
  /** Passed to ssh as `-F FILE`. */
  configFile?: string;
  /** Per node: address, user, port (from the topology). */
  hosts?: Record<string, SshHost>;
  /** 'yes' (default) refuses unknown hosts; 'accept-new' records new ones but still refuses changed keys. */
  strictHostKeyChecking?: 'yes' | 'accept-new';
  /** Seconds to wait for a connection (default 10). */
  connectTimeout?: number;
  /** Milliseconds a command may run (default 120000). */
  timeoutMs?: number;
  /** The ssh binary (default `ssh` on PATH). */
  ssh?: string;
  /**
   * Environment the ssh client's own needs are taken from: only the variables ssh uses (HOME,
   * USER, PATH, the agent socket, locale, Kerberos) reach it, never the rest (HACTL_* secret
   * variables would otherwise be one SendEnv line away from a node). Default: a standard PATH only.
   */
  env?: Record<string, string | undefined>;
  /** Seconds between keepalives on a shared connection, and how many may go unanswered (default 5 and 3). */
  serverAlive?: { interval: number; count: number };
}

/** The variables an ssh client needs from its environment; everything else is withheld. */
const SSH_ENV = /^(HOME|USER|LOGNAME|PATH|SHELL|TMPDIR|SSH_AUTH_SOCK|SSH_ASKPASS|DISPLAY|LANG|LC_[A-Z]+|KRB5CCNAME|KRB5_CONFIG)$/;

export function sshEnv(env: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin' };
  for (const [k, v] of Object.entries(env ?? {})) if (v !== undefined && SSH_ENV.test(k)) out[k] = v;
  return out;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,252}$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;

function refuse(what: string, value: string, reason: string): never {
  throw new RemoteError(diag('HA5201', '', { what, value: JSON.stringify(value).slice(1, -1), reason }));
}

/**
 * The one function that turns a node, its connection settings and a command into ssh's argument
 * vector. Every value is validated (a node or address can never be read as an option) and every
 * command word is single-quoted for the remote shell.
 */
export function sshArgv(node: string, command: readonly string[], host: SshHost, opts: { configFile?: string; controlPath?: string; strict: 'yes' | 'accept-new'; connectTimeout: number; serverAlive?: { interval: number; count: number } }): string[] {
  if (!NAME.test(node)) refuse('node name', node, 'letters, digits, ".", "_" and "-" only, not starting with "-"');
  const argv: string[] = [];
  if (opts.configFile) argv.push('-F', opts.configFile);
  argv.push('-o', 'BatchMode=yes', '-o', `StrictHostKeyChecking=${opts.strict}`, '-o', `ConnectTimeout=${opts.connectTimeout}`);
  argv.push('-o', 'ForwardAgent=no', '-o', 'ForwardX11=no', '-o', 'ClearAllForwardings=yes', '-o', 'RequestTTY=no');
  // Keepalives: a node that stops answering without a reset (a pulled cable, a frozen kernel)
  // ends the connection, shared master included, after interval x count seconds instead of never.
  const alive = opts.serverAlive ?? { interval: 5, count: 3 };
  argv.push('-o', `ServerAliveInterval=${alive.interval}`, '-o', `ServerAliveCountMax=${alive.count}`);
  if (opts.controlPath) argv.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${opts.controlPath}`, '-o', 'ControlPersist=60');
  if (host.address !== undefined) {
    // ssh takes an IPv6 literal as HostName without brackets (the port goes in -p).
    if (parseIp(host.address) === undefined && !NAME.test(host.address)) refuse('address', host.address, 'an IPv4 or IPv6 address or a host name');
    argv.push('-o', `HostName=${host.address}`);
  }
  if (host.user !== undefined) {
    if (!USER.test(host.user)) refuse('user', host.user, 'a POSIX user name');
    argv.push('-l', host.user);
  }
  if (host.port !== undefined) {
    if (!Number.isInteger(host.port) || host.port < 1 || host.port > 65535) refuse('port', String(host.port), 'an integer 1-65535');
    argv.push('-p', String(host.port));
  }
  if (!command.length) refuse('command', '', 'empty');
  argv.push('--', node, quoteCommand(command));
  return argv;
}

/** An argument vector for the remote shell: refused if a word holds a NUL (no shell can pass one), else shellJoin. */
export function quoteCommand(command: readonly string[]): string {
  const nul = command.find((w) => w.includes('\0'));
  if (nul !== undefined) refuse('command word', nul, 'contains a NUL byte');
  return shellJoin(command);
}

function firstLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('Warning: Permanently added'));
  return lines.slice(-3).join(' ') || 'no message';
}

/** Classifies ssh's own failure (exit 255) from what it printed. */
function connectionError(node: string, stderr: string): RemoteError {
  const detail = firstLine(stderr);
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No (ED25519|RSA|ECDSA)? ?host key is known/i.test(stderr)) return new RemoteError(diag('HA5203', '', { node, detail }));
  if (/Permission denied|Too many authentication failures/i.test(stderr)) return new RemoteError(diag('HA5204', '', { node, detail }));
  return new RemoteError(diag('HA5202', '', { node, detail }));
}

export class SshTransport implements Transport {
  /**
   * One private control directory per transport (mode 0700 from mkdtemp, so no other user can
   * reach our connections). The promise is what is kept, so concurrent first calls share one
   * directory instead of racing to make one each.
   */
  private controlDir: Promise<string> | undefined;
  private readonly used = new Set<string>();

  constructor(private readonly opts: SshOptions = {}) {}

  private async controlPath(): Promise<string> {
    this.controlDir ??= mkdtemp(join(tmpdir(), 'hactl-ssh-'));
    return join(await this.controlDir, '%C');
  }

  private async argv(node: string, command: readonly string[]): Promise<string[]> {
    if (this.opts.configFile) {
      const s = await stat(this.opts.configFile).catch(() => undefined);
      if (!s?.isFile()) throw new RemoteError(diag('HA5208', '', { file: this.opts.configFile }));
    }
    const o: Parameters<typeof sshArgv>[3] = {
      controlPath: await this.controlPath(),
      strict: this.opts.strictHostKeyChecking ?? 'yes',
      connectTimeout: this.opts.connectTimeout ?? 10,
    };
    if (this.opts.serverAlive) o.serverAlive = this.opts.serverAlive;
    if (this.opts.configFile) o.configFile = this.opts.configFile;
    return sshArgv(node, command, this.opts.hosts?.[node] ?? {}, o);
  }

  async exec(node: string, command: readonly string[], stdin?: string): Promise<ExecResult> {
    const argv = await this.argv(node, command);
    this.used.add(node);
    const timeout = this.opts.timeoutMs ?? 120_000;
    const child = execa(this.opts.ssh ?? 'ssh', argv, {
      input: stdin ?? '',
      reject: false,
      stripFinalNewline: false,
      maxBuffer: 512 * 1024 * 1024,
      env: sshEnv(this.opts.env),
      extendEnv: false,
    });
    // On timeout, killing the client is not enough: a mux client hands its stdio to the shared
    // master, which keeps the pipes open, so the client's output never ends. The master is told to
    // exit (ending every session on it), and the command counts as timed out once the client is
    // gone, whether or not its pipes ever close.
    let timer: NodeJS.Timeout | undefined;
    let expired = false;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        child.kill('SIGKILL');
        void this.exitMaster(node).finally(() => resolve('timeout'));
      }, timeout);
    });
    let r;
    try {
      r = await Promise.race([child, timedOut]);
    } catch (e) {
      if (!expired) throw new RemoteError(diag('HA5207', '', { detail: (e as Error).message }));
      r = 'timeout' as const;
    } finally {
      clearTimeout(timer);
    }
    if (r === 'timeout' || expired) {
      child.catch(() => undefined);
      throw new RemoteError(diag('HA5206', '', { node, seconds: Math.round(timeout / 1000) }));
    }
    if (r.failed && r.exitCode === undefined) {
      if ((r as { code?: string }).code === 'ENOENT') throw new RemoteError(diag('HA5207', '', { detail: 'ssh not found' }));
      throw new RemoteError(diag('HA5207', '', { detail: r.shortMessage ?? 'unknown error' }));
    }
    if (r.exitCode === 255) throw connectionError(node, String(r.stderr));
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
  }

  /** Ends the shared master connection of a node; harmless when it is already gone. */
  private async exitMaster(node: string): Promise<void> {
    const argv = await this.argv(node, ['true']).catch(() => undefined);
    if (!argv) return;
    const i = argv.indexOf('--');
    await execa(this.opts.ssh ?? 'ssh', [...argv.slice(0, i), '-O', 'exit', node], { reject: false, timeout: 10_000, env: sshEnv(this.opts.env), extendEnv: false });
  }

  async close(): Promise<void> {
    if (!this.controlDir) return;
    const dir = this.controlDir;
    try {
      await Promise.all([...this.used].map((node) => this.exitMaster(node)));
    } finally {
      this.used.clear();
      this.controlDir = undefined;
      const path = await dir.catch(() => undefined);
      if (path) await rm(path, { recursive: true, force: true });
    }
  }
}

/** Runs a command on a node through any transport and insists on exit code 0; its stdout. */
export async function runChecked(transport: Transport, node: string, command: readonly string[], stdin?: string): Promise<string> {
  const r = await transport.exec(node, command, stdin);
  if (r.exitCode !== 0) throw new RemoteError(diag('HA5205', '', { node, command: command.join(' '), code: r.exitCode, detail: firstLine(r.stderr) }));
  return r.stdout;
}

/** Reads the live CIB of a node (`cibadmin --query`), as XML text. */
export function queryCib(transport: Transport, node: string): Promise<string> {
  return runChecked(transport, node, ['cibadmin', '--query']);
}

/**
 * Reads a node's sbd file: /etc/default/sbd (Debian) or /etc/sysconfig/sbd (RPM distributions),
 * whichever exists; undefined when neither does (sbd is not installed). With both, `path` is
 * undefined and `paths` names them: which one sbd reads is its unit's choice, not import's.
 */
export async function readSbdConfig(transport: Transport, node: string): Promise<{ text: string; source: string; path?: string; paths: string[] } | undefined> {
  const paths = ['/etc/default/sbd', '/etc/sysconfig/sbd'];
  const found = (await runChecked(transport, node, ['sh', '-c', 'for f in "$@"; do if [ -f "$f" ]; then printf "%s\\n" "$f"; fi; done', 'hactl-sbd', ...paths])).split('\n').filter((p) => paths.includes(p));
  if (found.length !== 1) return found.length ? { text: '', source: `${found.join(' and ')} of ${node}`, paths: found } : undefined;
  const path = found[0]!;
  return { text: await runChecked(transport, node, ['cat', path]), source: `${path} of ${node}`, path, paths: found };
}

/** Reads a node's corosync.conf, as text. */
export function readCorosyncConf(transport: Transport, node: string): Promise<string> {
  return runChecked(transport, node, ['cat', '/etc/corosync/corosync.conf']);
}
