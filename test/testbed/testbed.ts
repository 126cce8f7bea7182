/**
 * The test cluster (testbed.sh) for TypeScript tests: start one, run commands in its nodes, crash
 * and restart nodes, and always tear it down (t.after, plus a process exit handler for a test
 * run that dies). Tests that need it call `testbedSkip()` first: it says why they cannot run here
 * (not root, a tool missing), so a skipped run is never mistaken for a passing one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mustRunUnderCi } from '../helpers/spawn.js';
import { sleepMs } from '../helpers/wait.js';

export const TESTBED_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'testbed.sh');

const TOOLS = ['/usr/sbin/corosync', '/usr/sbin/pacemakerd', '/usr/sbin/sshd', '/usr/bin/ssh', '/usr/bin/nsenter', '/usr/bin/unshare', '/usr/sbin/cibadmin'];

function reasonToSkip(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root for network, mount and UTS namespaces (CI runs these tests as root)';
  const missing = TOOLS.filter((t) => !existsSync(t));
  if (missing.length) return `needs ${missing.join(', ')} (bash .ci/install-deps)`;
  const ip = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (ip.status !== 0) return `cannot use network namespaces: ${ip.stderr.trim()}`;
  return undefined;
}

/**
 * Why the test cluster cannot run here, or undefined when it can. Under CI (CI set, as .ci/run
 * does) a reason is an error instead: CI must run these tests, never skip them quietly.
 */
export function testbedSkip(): string | undefined {
  const tier = process.env.HACTL_TEST_TIER;
  if (tier && tier !== 'cluster') throw new Error(`the ${tier} tier brings up no test cluster: name this file *.cluster.test.ts`);
  return mustRunUnderCi(reasonToSkip());
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestbedOptions {
  /** Instance 1-8 (address block, names); tests running side by side use different ones. */
  id: number;
  nodes: number;
  corosyncConf?: string;
  authkey?: string;
  /** Start only namespaces and sshd (no corosync/pacemaker). */
  noCluster?: boolean;
  /** IPv6 only: 2001:db8:<id>::/64, bridge ::1, node i at ::(10+i), VIPs from ::50. */
  ipv6?: boolean;
}

const live = new Set<Testbed>();
process.on('exit', () => {
  for (const t of live) t.down();
});

export class Testbed {
  readonly state: string;
  readonly sshConfig: string;
  readonly nodes: string[];
  private readonly env: NodeJS.ProcessEnv;

  private constructor(readonly id: number, n: number) {
    this.env = { ...process.env, HACTL_TESTBED_ID: String(id), HACTL_TESTBED_QUIET: '1', HACTL_TESTBED_OWNER: String(process.pid) };
    this.state = `/tmp/hactl-testbed-${id}`;
    this.sshConfig = join(this.state, 'ssh_config');
    this.nodes = Array.from({ length: n }, (_, i) => `n${i + 1}`);
  }

  /**
   * Brings a fresh instance up, tearing down a leftover of the same id first, unless another
   * live process (a test run elsewhere) owns it: then this fails and says so.
   */
  static up(opts: TestbedOptions): Testbed {
    const t = new Testbed(opts.id, opts.nodes);
    t.must(['down', '--stale']);
    live.add(t);
    const args = ['up', String(opts.nodes)];
    if (opts.corosyncConf) args.push('--corosync-conf', opts.corosyncConf);
    if (opts.authkey) args.push('--authkey', opts.authkey);
    if (opts.noCluster) args.push('--no-cluster');
    if (opts.ipv6) args.push('--ipv6');
    t.must(args);
    return t;
  }

  /** Runs testbed.sh with this instance's id. */
  script(args: string[], input?: string): RunResult {
    const r = spawnSync('bash', [TESTBED_SCRIPT, ...args], { env: this.env, input: input ?? '', encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  must(args: string[], input?: string): string {
    const r = this.script(args, input);
    if (r.code !== 0) throw new Error(`testbed.sh ${args.join(' ')} failed (${r.code}): ${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Runs a command inside a node. */
  exec(node: string, argv: string[], input?: string): RunResult {
    return this.script(['exec', node, ...argv], input);
  }

  /** Runs a command inside a node and insists on success. */
  run(node: string, argv: string[], input?: string): string {
    return this.must(['exec', node, ...argv], input);
  }

  address(node: string): string {
    return this.setting(`ADDR_${node}`);
  }

  /** One line of `testbed.sh env` (SUBNET, BRIDGE, BRIDGE_ADDR, FAMILY, ...). */
  setting(name: string): string {
    const env = this.must(['env']);
    const m = new RegExp(`^${name}=(.*)$`, 'm').exec(env);
    if (!m) throw new Error(`no ${name} in testbed.sh env`);
    return m[1]!;
  }

  /** Waits until every running node sees every running node online with a DC. */
  waitOnline(timeoutSeconds = 90): void {
    this.must(['wait', String(timeoutSeconds)]);
  }

  /**
   * Waits until the cluster has settled as `node` sees it: nothing left to schedule and nothing
   * under way. `crm_resource --wait` alone is not that in Pacemaker 2.1.5 (fixed in 2.1.7): it
   * returns once nothing new is planned, while a start or stop already begun still runs (crm_mon
   * shows it Starting or Stopping, active and "running on" its node); on a slow machine a test
   * then reads a half-made state. Throws after `seconds`, as crm_resource --wait's timeout does.
   */
  settle(node = 'n1', seconds = 120): void {
    const end = Date.now() + seconds * 1000;
    for (;;) {
      this.run(node, ['crm_resource', '--wait', `--timeout=${Math.max(1, Math.ceil((end - Date.now()) / 1000))}s`]);
      const mon = this.run(node, ['crm_mon', '--one-shot', '--output-as=xml']);
      // A resource with an operation in flight has the operation's -ing form as its role.
      const busy = [...mon.matchAll(/<resource id="([^"]+)"[^>]*\brole="([^"]*ing\b[^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
      if (!busy.length) return;
      if (Date.now() >= end) throw new Error(`the cluster did not settle on ${node} within ${seconds} s: ${busy.join(', ')}`);
      sleepMs(500);
    }
  }

  crash(node: string): void {
    this.must(['crash', node]);
  }

  restart(node: string): void {
    this.must(['restart', node]);
  }

  down(): void {
    if (!live.has(this)) return;
    live.delete(this);
    this.script(['down']);
  }
}
