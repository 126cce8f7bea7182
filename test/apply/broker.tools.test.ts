/**
 * HA review C4, the rest: apply's RabbitMQ account step against a real broker (Debian 12's
 * rabbitmq-server 3.10) started in a network namespace of its own, with the real rabbitmqctl. A
 * `rabbitmqctl` first on PATH records every command line it is given, then runs the real one: the
 * password must never be among them (ps would show it). Also the desired state of the reference
 * topologies: which broker, which node name, and HA5541 for a password rabbitmqctl would read
 * differently.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { parseDocument } from 'yaml';
import { desiredState } from '../../src/apply/index.js';
import { brokerSteps, probeBroker, reconcileBroker, type BrokerRequest } from '../../src/remote/broker.js';
import type { ExecResult, Transport } from '../../src/remote/ssh.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { secretSources } from '../helpers/secrets.js';
import { needTools } from '../helpers/spawn.js';

const NS = `hactl-broker-${process.pid}`;
const NODENAME = 'rabbit@localhost';
const PASSWORD = 'Br0ker-pass-7f3c';
const REQ: BrokerRequest = { user: 'openstack', vhost: '/', permissions: { configure: '.*', write: '.*', read: '.*' }, nodename: NODENAME };
const skip = needTools(['rabbitmqctl', 'rabbitmq-server', 'ip', 'su']);

/** Runs commands inside the broker's namespace, with the recording rabbitmqctl first on PATH. */
function nsTransport(bin: string): Transport & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async exec(_node: string, command: readonly string[], stdin?: string): Promise<ExecResult> {
      calls.push([...command]);
      const r = await execa('ip', ['netns', 'exec', NS, 'env', `PATH=${bin}:${process.env.PATH ?? ''}`, ...command], { input: stdin ?? '', reject: false, stripFinalNewline: false });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    },
    async close() {},
  };
}

const ctl = (...args: string[]) => spawnSync('ip', ['netns', 'exec', NS, 'rabbitmqctl', '-n', NODENAME, ...args], { encoding: 'utf8', input: '' });

describe('RabbitMQ account on a real broker (HA review C4)', { skip, timeout: 240_000 }, () => {
  let dir = '';
  let bin = '';
  let t: ReturnType<typeof nsTransport>;
  let server: ReturnType<typeof spawn> | undefined;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-broker-'));
    chmodSync(dir, 0o755);
    bin = join(dir, 'bin');
    mkdirSync(bin);
    const uid = Number(spawnSync('id', ['-u', 'rabbitmq'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'rabbitmq'], { encoding: 'utf8' }).stdout.trim());
    for (const d of ['mnesia', 'log']) {
      mkdirSync(join(dir, d));
      chownSync(join(dir, d), uid, gid);
    }
    writeFileSync(join(bin, 'rabbitmqctl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${join(dir, 'argv.log')}\nexec /usr/sbin/rabbitmqctl "$@"\n`);
    chmodSync(join(bin, 'rabbitmqctl'), 0o755);
    assert.equal(spawnSync('ip', ['netns', 'add', NS]).status, 0);
    spawnSync('ip', ['netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
    // As the OCF agent starts it: the node name and the Mnesia base from the environment.
    const env = `RABBITMQ_NODENAME=${NODENAME} RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE=${dir}/mnesia RABBITMQ_LOG_BASE=${dir}/log RABBITMQ_PID_FILE=${dir}/mnesia/pid`;
    server = spawn('ip', ['netns', 'exec', NS, 'su', 'rabbitmq', '-s', '/bin/sh', '-c', `${env} exec /usr/lib/rabbitmq/bin/rabbitmq-server`], { stdio: 'ignore' });
    for (let i = 0; i < 120 && ctl('-q', 'status').status !== 0; i++) await new Promise((r) => setTimeout(r, 1000));
    assert.equal(ctl('-q', 'status').status, 0, 'the broker did not start');
    t = nsTransport(bin);
  });

  after(() => {
    // Every process of the namespace is this test's (the broker, its epmd): ended by pid.
    const pids = spawnSync('ip', ['netns', 'pids', NS], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    for (const p of pids) spawnSync('kill', ['-TERM', p]);
    server?.kill('SIGTERM');
    spawnSync('sh', ['-c', 'sleep 2']);
    for (const p of spawnSync('ip', ['netns', 'pids', NS], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)) spawnSync('kill', ['-KILL', p]);
    spawnSync('ip', ['netns', 'delete', NS]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a fresh broker: the plan reads add_user and set_permissions; apply makes them; the second time nothing is done', async () => {
    const before = await probeBroker(t, 'ctl1', REQ, PASSWORD);
    assert.deepEqual([before.state, before.user, before.permissions, before.vhost], ['running', 'absent', 'differs', 'present']);
    assert.deepEqual(brokerSteps(before), ['add_user', 'set_permissions']);
    assert.deepEqual((await reconcileBroker(t, 'ctl1', REQ, PASSWORD)).did, ['add_user', 'set_permissions']);
    assert.match(ctl('-s', 'list_users').stdout, /^openstack\t\[\]$/m);
    assert.equal(ctl('-s', 'list_user_permissions', 'openstack').stdout, '/\t.*\t.*\t.*\n');
    assert.equal(spawnSync('ip', ['netns', 'exec', NS, 'rabbitmqctl', '-n', NODENAME, '-q', 'authenticate_user', 'openstack'], { input: `${PASSWORD}\n` }).status, 0);
    const again = await probeBroker(t, 'ctl1', REQ, PASSWORD);
    assert.deepEqual([again.user, again.password, again.permissions], ['present', 'ok', 'ok']);
    assert.deepEqual(brokerSteps(again), []);
    assert.deepEqual((await reconcileBroker(t, 'ctl1', REQ, PASSWORD)).did, []);
  });

  it('a rotated secret changes the password; permissions someone narrowed are set back; a dry run without the secret leaves the password alone', async () => {
    const next = `${PASSWORD}-rotated`;
    assert.deepEqual(brokerSteps(await probeBroker(t, 'ctl1', REQ, next)), ['change_password']);
    assert.deepEqual((await reconcileBroker(t, 'ctl1', REQ, next)).did, ['change_password']);
    const auth = (pw: string) => spawnSync('ip', ['netns', 'exec', NS, 'rabbitmqctl', '-n', NODENAME, '-q', 'authenticate_user', 'openstack'], { input: `${pw}\n` }).status;
    assert.deepEqual([auth(next), auth(PASSWORD) !== 0], [0, true]);
    assert.equal(ctl('set_permissions', '-p', '/', 'openstack', '^$', '.*', '.*').status, 0);
    const dry = await probeBroker(t, 'ctl1', REQ, undefined);
    assert.deepEqual([dry.password, brokerSteps(dry)], ['unchecked', ['set_permissions']]);
    assert.deepEqual((await reconcileBroker(t, 'ctl1', REQ, next)).did, ['set_permissions']);
    assert.equal(ctl('-s', 'list_user_permissions', 'openstack').stdout, '/\t.*\t.*\t.*\n');
  });

  it('a broker that does not answer (epmd knows no such node) is state down, and nothing is done', async () => {
    const other = { ...REQ, nodename: 'other@localhost' };
    assert.deepEqual(await probeBroker(t, 'ctl1', other, PASSWORD), { state: 'down' });
    assert.deepEqual(await reconcileBroker(t, 'ctl1', other, PASSWORD), { state: 'down', did: [] });
  });

  it('no password was ever on a command line: not in the scripts hactl ran, not in rabbitmqctl\'s arguments', () => {
    const argv = readFileSync(join(dir, 'argv.log'), 'utf8');
    assert.match(argv, /^-n rabbit@localhost -q add_user -- openstack$/m);
    assert.match(argv, /^-n rabbit@localhost -q change_password -- openstack$/m);
    assert.ok(!argv.includes(PASSWORD), argv);
    assert.ok(t.calls.length > 0 && t.calls.every((c) => !c.some((a) => a.includes(PASSWORD))));
  });
});

describe('the broker accounts a topology asks apply for', () => {
  async function brokersOf(rel: string, rabbitValue: string) {
    const r = loadTopology(readFileSync(join(ROOT, rel), 'utf8'), rel);
    assert.ok(r.ok && r.model);
    const authkeys = new Set(Object.values(r.model.topology.clusters).map((c) => c.authkey));
    return desiredState(r.model, secretSources(r.model, (name) => (authkeys.has(name) ? Buffer.alloc(256, 7) : Buffer.from(name === 'rabbitmq' ? rabbitValue : `VALUE-of-${name}-7f3c`))));
  }

  it('pixelpark: user openstack on p_rabbitmq, talking to the agent\'s rabbit@localhost; current: the clone\'s broker under its default name', async () => {
    const pp = await brokersOf('fixtures/pixelpark.yaml', 'Rabbit-pass-1234');
    assert.deepEqual(pp.problems, []);
    assert.deepEqual(
      pp.desired!.brokers!.map((b) => [b.cluster, b.service, b.resource, b.secret, b.request.nodename, b.request.user, b.request.vhost, b.password]),
      [['controllers', 'rabbitmq', 'p_rabbitmq', 'rabbitmq', 'rabbit@localhost', 'openstack', '/', 'Rabbit-pass-1234']],
    );
    const cur = await brokersOf('fixtures/current.yaml', 'Rabbit-pass-1234');
    assert.deepEqual(cur.problems, []);
    assert.deepEqual(cur.desired!.brokers!.map((b) => [b.resource, b.request.nodename]), [['p_rabbitmq', '']]);
  });

  it('a secret only the broker account reads is used (no HA3953)', () => {
    const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab2.yaml'), 'utf8'));
    doc.set('openstack', { release: 'grizzly' });
    doc.set('secrets', { rabbitmq: { env: 'HACTL_TEST_RABBIT' } });
    doc.setIn(['clusters', 'lab', 'services'], { rabbitmq: { vip: 'vip' } });
    const r = loadTopology(doc.toString(), 'broker.yaml');
    assert.ok(r.ok, r.diagnostics.map((d) => d.code).join(' '));
    assert.deepEqual(r.diagnostics.map((d) => d.code), []);
  });

  it('HA5541: a password rabbitmqctl would read differently from stdin (blanks at its ends, a second line)', async () => {
    for (const [value, why] of [
      [' Rabbit-pass-1234', /begins or ends with a blank/],
      ['Rabbit-pass-1234\nsecond line', /line break/],
    ] as const) {
      const r = await brokersOf('fixtures/pixelpark.yaml', value);
      assert.equal(r.desired, undefined);
      const p = r.problems.filter((x) => x.code === 'HA5541');
      assert.deepEqual(p.map((x) => [x.args.secret, x.args.user]), [['rabbitmq', 'openstack']]);
      assert.match(p[0]!.args.why!, why);
    }
  });
});
