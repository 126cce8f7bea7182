/**
 * The SSH transport: argument building and quoting (against a real shell), and commands run on
 * real test-cluster nodes (instance 4, sshd only): stdin, exit codes, strict host keys, refused
 * logins, connection sharing and its cleanup.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { queryCib, quoteCommand, RemoteError, SshTransport, sshArgv } from '../../src/remote/ssh.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait.js';

const OPTS = { strict: 'yes' as const, connectTimeout: 5 };

function codeOf(e: unknown): string {
  assert.ok(e instanceof RemoteError, String(e));
  return e.diagnostic.code;
}

describe('quoting and arguments', () => {
  it('quotes any argument vector so that a POSIX shell gets back exactly those words', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.oneof(fc.constantFrom(...` '"\\$\`;&|<>(){}*?[]~#!\n\t-=%`), fc.string({ minLength: 1, maxLength: 1 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })) }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 6 }), (words) => {
        const script = `set -- ${quoteCommand(words)}; for a; do printf '%s\\0' "$a"; done`;
        const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(r.stdout.split('\0').slice(0, -1), words);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('builds a fixed argument vector: batch mode, strict host keys, the node after --', () => {
    const argv = sshArgv('n1', ['cibadmin', '--query'], { address: '198.51.100.11', user: 'root', port: 22 }, { ...OPTS, configFile: '/x/ssh_config', controlPath: '/d/%C' });
    assert.deepEqual(argv.slice(0, 2), ['-F', '/x/ssh_config']);
    for (const o of ['BatchMode=yes', 'StrictHostKeyChecking=yes', 'ControlMaster=auto', 'ControlPath=/d/%C', 'HostName=198.51.100.11', 'ForwardAgent=no']) assert.ok(argv.includes(o), o);
    assert.deepEqual(argv.slice(-3), ['--', 'n1', 'cibadmin --query']);
  });

  it('refuses node names, addresses, users and ports that could be read as something else', () => {
    const bad: [string, Parameters<typeof sshArgv>[2]][] = [
      ['-oProxyCommand=touch /tmp/x', {}],
      ['n1 n2', {}],
      ['', {}],
      ['n1', { address: '-oProxyCommand=x' }],
      ['n1', { address: '1.2.3.4; true' }],
      ['n1', { user: '-l' }],
      ['n1', { user: 'root@x' }],
      ['n1', { port: 0 }],
      ['n1', { port: 1.5 }],
    ];
    for (const [node, host] of bad) {
      assert.throws(() => sshArgv(node, ['true'], host, OPTS), (e) => codeOf(e) === 'HA5201', JSON.stringify([node, host]));
    }
    assert.throws(() => sshArgv('n1', [], {}, OPTS), (e) => codeOf(e) === 'HA5201');
    assert.throws(() => quoteCommand(['a\0b']), (e) => codeOf(e) === 'HA5201');
  });
});

describe('the ssh client process (a stand-in ssh that logs what it gets)', () => {
  // A stand-in for ssh: logs its argv and environment; `-O exit` ends the "master" (a background
  // process that holds the client's stdout, as a ControlMaster does); a command `hang` leaves that
  // holder behind and never answers, like a node that stopped answering without a reset.
  let d: string;
  let fake: string;
  before(() => {
    d = mkdtempSync(join(tmpdir(), 'hactl-fake-ssh-'));
    fake = join(d, 'ssh');
    writeFileSync(
      fake,
      `#!/bin/sh
printf '%s\\n' "$*" >> ${d}/argv
env >> ${d}/env
case " $* " in *" -O exit "*) [ -f ${d}/holder ] && kill "$(cat ${d}/holder)" 2>/dev/null; exit 0 ;; esac
case "$*" in *" hang") sleep 300 & echo $! > ${d}/holder; exec sleep 300 ;; esac
echo ok
`,
      { mode: 0o755 },
    );
  });
  after(() => {
    const holder = (() => { try { return readFileSync(join(d, 'holder'), 'utf8').trim(); } catch { return ''; } })();
    if (holder) spawnSync('kill', [holder]);
    rmSync(d, { recursive: true, force: true });
  });

  it('sets keepalives, and a timed-out command ends, with its shared master told to exit (security M1)', { timeout: 30_000 }, async () => {
    const t = new SshTransport({ ssh: fake, timeoutMs: 1500 });
    const t0 = Date.now();
    await assert.rejects(t.exec('n1', ['hang']), (e) => codeOf(e) === 'HA5206');
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    const argv = readFileSync(join(d, 'argv'), 'utf8');
    assert.match(argv, /ServerAliveInterval=5 -o ServerAliveCountMax=3/);
    assert.match(argv, /-O exit n1/);
    const holder = readFileSync(join(d, 'holder'), 'utf8').trim();
    const state = () => { try { return readFileSync(`/proc/${holder}/stat`, 'utf8').split(') ')[1]![0]!; } catch { return 'gone'; } };
    // The stand-in's `-O exit` sent SIGTERM and returned: on a busy machine the holder may not have
    // run yet to die of it. What counts is that it goes, and soon.
    waitUntil(() => `the process holding the pipes is gone (state ${state()})`, () => state() === 'gone' || state() === 'Z', 5, 50);
    await t.close();
  });

  it('uses one control directory for concurrent first connections, and removes it on close (security M9)', async () => {
    writeFileSync(join(d, 'argv'), '');
    const t = new SshTransport({ ssh: fake });
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6'];
    await Promise.all(nodes.map((n) => t.exec(n, ['true'])));
    const dirs = new Set([...readFileSync(join(d, 'argv'), 'utf8').matchAll(/ControlPath=(\S+)\/%C/g)].map((m) => m[1]!));
    assert.equal(dirs.size, 1, [...dirs].join(' '));
    const [cdir] = [...dirs];
    assert.ok(existsSync(cdir!));
    await t.close();
    assert.equal(existsSync(cdir!), false, 'control directory removed');
    const exits = readFileSync(join(d, 'argv'), 'utf8').split('\n').filter((l) => l.includes('-O exit'));
    assert.deepEqual(exits.map((l) => l.split(' ').pop()).sort(), nodes, 'every master told to exit');
  });

  it('gives the ssh client a minimal environment: no HACTL_* secret variables (security m14)', async () => {
    writeFileSync(join(d, 'env'), '');
    const t = new SshTransport({ ssh: fake, env: { PATH: '/usr/bin:/bin', HOME: '/root', HACTL_SERVICE_PASSWORD: 'Svc-S3cret', LC_ALL: 'C' } });
    await t.exec('n1', ['true']);
    await t.close();
    const env = readFileSync(join(d, 'env'), 'utf8');
    assert.ok(!env.includes('Svc-S3cret'), env);
    assert.match(env, /^HOME=\/root$/m);
  });
});

describe('terminal escapes from a node (security m7)', () => {
  it('never reach the terminal: hactl diff --node prints a node\'s hostile stderr with escapes defused', () => {
    const d = mkdtempSync(join(tmpdir(), 'hactl-fake-ssh-'));
    try {
      // A "node" whose cibadmin fails with a title change, a screen clear, a colour and a bidi override.
      writeFileSync(join(d, 'ssh'), `#!/bin/sh\nprintf '\\033]0;OWNED-TITLE\\007\\033[2J\\033[1;32mALL GOOD \\342\\200\\256 no drift\\n' >&2\nexit 1\n`, { mode: 0o755 });
      writeFileSync(join(d, 'ssh_config'), '');
      const r = spawnSync(process.execPath, [BIN, 'diff', join(ROOT, 'fixtures', 'lab2.yaml'), '--cluster', 'lab', '--node', 'n1', '--ssh-config', join(d, 'ssh_config')], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${d}:${process.env.PATH}`, NO_COLOR: '1' },
      });
      assert.equal(r.status, 3, r.stderr);
      assert.match(r.stderr, /HA5205/);
      assert.match(r.stderr, /ALL GOOD/);
      assert.ok(!/[\u001b\u0007\u202e]/.test(r.stderr), JSON.stringify(r.stderr));
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

const skip = testbedSkip();

describe('SSH to test-cluster nodes', { skip: skip ?? false }, () => {
  let tb: Testbed;
  before(() => {
    tb = Testbed.up({ id: 4, nodes: 2, noCluster: true });
  });
  after(() => tb?.down());

  it('runs a command with data on stdin and hands back its output and exit code', async () => {
    const t = new SshTransport({ configFile: tb.sshConfig });
    try {
      const r = await t.exec('n2', ['sh', '-c', 'cat; printf "%s|" "$@"; exit 7', 'sh', "it's", '$HOME', 'a b'], 'data on stdin\n');
      assert.deepEqual(r, { stdout: `data on stdin\nit's|$HOME|a b|`, stderr: '', exitCode: 7 });
      assert.equal((await t.exec('n1', ['hostname'])).stdout, 'n1\n');
    } finally {
      await t.close();
    }
  });

  it('connects to the topology address, user and port, shares one connection per node, and cleans up', async () => {
    const controlDirs = () => new Set(readdirSync('/tmp').filter((d) => d.startsWith('hactl-ssh-')).map((d) => `/tmp/${d}`));
    const earlier = controlDirs();
    // Logins n1's sshd accepted, from its own log: the nodes share the machine's PID namespace, so
    // counting sshd processes counted every sshd here, the earlier test's closing sessions included.
    const logins = () => (readFileSync(join(tb.state, 'n1', 'sshd.log'), 'utf8').match(/Accepted publickey for root from /g) ?? []).length;
    const first = logins();
    const t = new SshTransport({ configFile: tb.sshConfig, hosts: { n1: { address: tb.address('n1'), user: 'root', port: 22 } } });
    await t.exec('n1', ['true']);
    assert.equal(logins(), first + 1, 'the first command logs in once');
    // The control socket lives in a private directory of its own.
    const mine = [...controlDirs()].filter((d) => !earlier.has(d));
    assert.equal(mine.length, 1);
    assert.equal(readdirSync(mine[0]!).length, 1);
    assert.equal(statSync(mine[0]!).mode & 0o777, 0o700);
    for (let i = 0; i < 5; i++) await t.exec('n1', ['true']);
    assert.equal(logins(), first + 1, 'five more commands opened no new connection');
    await t.close();
    for (const d of mine) assert.throws(() => statSync(d));
  });

  it('refuses a node whose host key is not known (HA5203), and a login without the key (HA5204)', async () => {
    const noKnown = `${tb.state}/ssh_config_unknown`;
    writeFileSync(noKnown, readFileSync(tb.sshConfig, 'utf8').replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${tb.state}/empty_known_hosts`));
    writeFileSync(`${tb.state}/empty_known_hosts`, '');
    const t = new SshTransport({ configFile: noKnown });
    await assert.rejects(t.exec('n1', ['true']), (e) => codeOf(e) === 'HA5203');
    await t.close();
    const noKey = `${tb.state}/ssh_config_nokey`;
    spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${tb.state}/other_key`]);
    writeFileSync(noKey, readFileSync(tb.sshConfig, 'utf8').replace(/IdentityFile .*/, `IdentityFile ${tb.state}/other_key`));
    const u = new SshTransport({ configFile: noKey });
    await assert.rejects(u.exec('n1', ['true']), (e) => codeOf(e) === 'HA5204');
    await u.close();
  });

  it('reports a failing remote command as HA5205 with its exit code', async () => {
    const t = new SshTransport({ configFile: tb.sshConfig });
    // No cluster runs in this instance, so cibadmin cannot reach a CIB.
    await assert.rejects(queryCib(t, 'n1'), (e) => codeOf(e) === 'HA5205' && /cibadmin --query` on n1 failed with exit code/.test((e as Error).message));
    await t.close();
  });
});
