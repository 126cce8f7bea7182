/**
 * `hactl apply` against a real 3-node cluster (test/testbed, instance 2 = fixtures/lab2.yaml plus
 * a corosync authkey secret). The cluster is brought up from hactl's own corosync.conf and
 * authkey; apply then pushes the compiled configuration, a second apply changes nothing, a
 * concurrent CIB change is never lost, killed processes leave no partial file, unknown or changed
 * host keys stop apply before anything is sent, and a crash of the VIP holder moves the VIP.
 * Timings are printed (never asserted).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { desiredState, executePlan, makePlan, sshHostsOf, spliceBlock } from '../../src/apply/index.js';
import { loadTopology } from '../../src/load.js';
import type { Topology } from '../../src/model/types.js';
import type { Lowered } from '../../src/lower/index.js';
import { probeFiles, writeRemoteFile, sha256, TEMP_MARK } from '../../src/remote/files.js';
import { SshTransport } from '../../src/remote/ssh.js';
import { BIN, hactl, hactlIn } from '../helpers/cli.js';
import { runCommand } from '../helpers/spawn.js';
import { waitUntil } from '../helpers/wait.js';
import { down, labTopology, upForApply, withAuthkey } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';
import { validateApplyJson } from './apply-json.js';

const ID = 2;
const skip = testbedSkip();
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('hactl apply against a live cluster', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topoFile: string;
  let topology: Topology;
  let model: Lowered;
  const apply = (...extra: string[]) => {
    const t0 = Date.now();
    const r = hactl(['apply', topoFile, '--all', '--ssh-config', tb.sshConfig, ...extra]);
    return { ...r, ms: Date.now() - t0 };
  };
  const stat = (node: string, paths: string[]) => tb.run(node, ['stat', '-c', '%n %i %Y.%y', ...paths]);
  const epochOf = (node: string) => /<cib [^>]*\bepoch="(\d+)"/.exec(tb.run(node, ['cibadmin', '--query']))![1];
  const transport = () => new SshTransport({ hosts: sshHostsOf(topology), configFile: tb.sshConfig });
  const loadDesired = async () => {
    const r = await desiredState(model, { env: process.env, cwd: work, readFile: (p) => readFile(p) });
    assert.ok(r.desired, JSON.stringify(r.problems));
    return r.desired;
  };

  before(() => {
    // fixtures/lab2.yaml with a corosync authkey kept in a secret file next to the topology; the
    // cluster's corosync.conf and authkey come from hactl itself.
    const t0 = Date.now();
    ({ tb, work, topo: topoFile } = upForApply({ id: ID, name: 'apply-live', topology: labTopology('lab2.yaml', 2, ID, withAuthkey), authkey: true }));
    console.log(`# test cluster up from hactl's corosync.conf and authkey, 3 nodes online: ${Date.now() - t0} ms`);
    const loaded = loadTopology(readFileSync(topoFile, 'utf8'), topoFile);
    assert.ok(loaded.ok && loaded.topology, JSON.stringify(loaded.diagnostics));
    topology = loaded.topology;
    model = loaded.model!;
    const confs = ['n1', 'n2', 'n3'].map((n) => readFileSync(join(work, 'out', 'nodes', n, 'etc', 'corosync', 'corosync.conf'), 'utf8'));
    assert.ok(confs.every((x) => x === confs[0]), 'every member gets the same corosync.conf');
  });
  after(() => down({ tb, work }));

  it('runs the cluster the topology describes (corosync.conf and authkey from hactl)', () => {
    const conf = readFileSync(join(work, 'out', 'nodes', 'n1', 'etc', 'corosync', 'corosync.conf'));
    const key = readFileSync(join(work, 'authkey'));
    assert.equal(key.length, 256);
    for (const n of tb.nodes) {
      assert.equal(tb.run(n, ['sha256sum', '/etc/corosync/corosync.conf']).split(' ')[0], sha(conf));
      assert.equal(tb.run(n, ['sha256sum', '/etc/corosync/authkey']).split(' ')[0], sha(key));
      assert.match(tb.run(n, ['corosync-cmapctl', '-g', 'totem.crypto_cipher']), /aes256/);
    }
    assert.match(tb.run('n1', ['crm_mon', '-1']), /Online: \[ n1 n2 n3 \]/);
  });

  it('applies the compiled configuration: every resource runs and hactl diff finds no drift', () => {
    const dry = apply('--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /CIB of cluster lab .*object\(s\) to change/);
    const r = apply('--yes');
    console.log(`# first apply (3 nodes, /etc/hosts block + CIB push): ${r.ms} ms`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /lab: pushed \d+\.\d+\.\d+ -> \d+\.\d+\.\d+/);
    assert.match(r.stdout, /apply finished/);
    // Every resource started (a clone on every node).
    let mon = '';
    waitUntil(
      () => `not every resource started:\n${mon}`,
      () => {
        mon = tb.run('n1', ['crm_mon', '-1', '--output-as=xml']);
        const resources = [...mon.matchAll(/<resource id="([^"]+)"[^>]*role="([^"]+)"[^>]*active="(true|false)"/g)];
        return resources.length >= 9 && resources.every((m) => m[2] === 'Started' && m[3] === 'true');
      },
      60,
      500,
    );
    for (const id of ['p_ip_vip', 'p_web', 'p_extra-ip', 'st_n1', 'st_n2', 'st_n3']) assert.match(mon, new RegExp(`<resource id="${id}"[^>]*role="Started"`));
    assert.equal((mon.match(/<resource id="p_probe"[^>]*role="Started"/g) ?? []).length, 3);
    const d = hactl(['diff', topoFile, '--cluster', 'lab', '--node', 'n2', '--ssh-config', tb.sshConfig]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    assert.match(d.stdout, /^no drift$/m);
  });

  it('a second apply writes nothing: same inodes, mtimes and CIB epoch', () => {
    const files = ['/etc/hosts', '/etc/corosync/corosync.conf', '/etc/corosync/authkey'];
    const before = tb.nodes.map((n) => stat(n, files));
    const epoch = epochOf('n1');
    const r = apply('--yes');
    console.log(`# second apply (nothing to do): ${r.ms} ms`);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing to do/);
    assert.deepEqual(tb.nodes.map((n) => stat(n, files)), before);
    assert.equal(epochOf('n1'), epoch);
    for (const n of tb.nodes) assert.equal(tb.run(n, ['sh', '-c', `ls -a /etc /etc/corosync | grep -c -F '${TEMP_MARK}' || true`]).trim(), '0');
  });

  it('refuses to act without a terminal unless --yes is given', () => {
    const stale = spliceBlock(tb.run('n2', ['cat', '/etc/hosts']), '# BEGIN hactl\n198.51.100.99 pending\n# END hactl\n');
    tb.run('n2', ['sh', '-c', 'cat > /etc/hosts'], stale);
    const r = apply();
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stdout, /~ n2:\/etc\/hosts/);
    assert.match(r.stderr, /HA5506/);
    assert.equal(tb.run('n2', ['cat', '/etc/hosts']), stale);
    assert.equal(apply('--yes').code, 0);
  });

  it('reloads corosync once for a reloadable change, and only with every member selected', () => {
    const conf = tb.run('n1', ['cat', '/etc/corosync/corosync.conf']);
    tb.run('n1', ['sh', '-c', 'cat > /etc/corosync/corosync.conf'], conf.replace('to_syslog: yes', 'to_syslog: no'));
    const partial = hactl(['apply', topoFile, '--node', 'n1', '--yes', '--ssh-config', tb.sshConfig]);
    assert.equal(partial.code, 2, partial.stdout + partial.stderr);
    assert.match(partial.stderr, /select n2, n3 as well/);
    const r = apply('--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /corosync of cluster lab: reload \(corosync-cfgtool -R/);
    assert.match(r.stdout, /logging\.to_syslog: no -> yes \(reloadable\)/);
    assert.match(r.stdout, /corosync reloaded/);
    assert.equal(tb.run('n1', ['cat', '/etc/corosync/corosync.conf']), conf);
    assert.match(tb.run('n1', ['crm_mon', '-1']), /Online: \[ n1 n2 n3 \]/);
  });

  it('stops at the first failing node: a file edited after the plan is not overwritten, later nodes are not started', async () => {
    const stale = (n: string) => spliceBlock(tb.run(n, ['cat', '/etc/hosts']), `# BEGIN hactl\n198.51.100.99 stale-${n}\n# END hactl\n`);
    for (const n of tb.nodes) tb.run(n, ['sh', '-c', 'cat > /etc/hosts'], stale(n));
    const desired = await loadDesired();
    const t = transport();
    try {
      const { plan, payload } = await makePlan({ topology, desired, nodes: tb.nodes, transport: t, concurrency: 1 });
      assert.equal(plan.files.filter((f) => f.change === 'update').length, 3);
      // An operator edits n1's file between the plan and the write.
      const edited = `${tb.run('n1', ['cat', '/etc/hosts'])}10.9.9.9 operator\n`;
      tb.run('n1', ['sh', '-c', 'cat > /etc/hosts'], edited);
      const before = tb.nodes.slice(1).map((n) => stat(n, ['/etc/hosts']));
      const report = await executePlan({ transport: t, plan, payload, secrets: desired.secrets, concurrency: 1 });
      assert.equal(report.ok, false);
      assert.deepEqual(report.nodes.map((n) => n.result), ['failed', 'skipped', 'skipped']);
      assert.match(report.nodes[0]!.error!, /changed on the node after the plan was made/);
      assert.equal(tb.run('n1', ['cat', '/etc/hosts']), edited);
      assert.deepEqual(tb.nodes.slice(1).map((n) => stat(n, ['/etc/hosts'])), before, 'n2 and n3 untouched');
    } finally {
      await t.close();
    }
    assert.equal(apply('--yes').code, 0);
  });

  it('never loses a concurrent change to an object it is changing: the push is refused and apply stops with a conflict', async () => {
    // Drift to repair: the colocation removed on the cluster.
    tb.run('n1', ['cibadmin', '--delete', '--xml-text', '<rsc_colocation id="c_web_with_ip_vip"/>']);
    const desired = await loadDesired();
    const t = transport();
    try {
      const { plan, payload } = await makePlan({ topology, desired, nodes: tb.nodes, transport: t, concurrency: 3 });
      assert.ok(plan.cib[0]!.drift);
      let injected = 0;
      const report = await executePlan({
        transport: t,
        plan,
        payload,
        secrets: desired.secrets,
        concurrency: 3,
        hooks: {
          // An operator recreates the same constraint, differently, between hactl's read and push.
          beforePush: async () => {
            injected++;
            tb.run('n2', ['cibadmin', '--create', '-o', 'constraints', '--xml-text', '<rsc_colocation id="c_web_with_ip_vip" rsc="p_web" with-rsc="p_ip_vip" score="500"/>']);
          },
        },
      });
      assert.equal(injected, 1);
      assert.equal(report.ok, false);
      assert.equal(report.clusters[0]!.cib, 'conflict');
      assert.match(report.clusters[0]!.error!, /conflict in cluster lab: constraints c_web_with_ip_vip changed/);
      // The operator's change stands.
      assert.match(tb.run('n1', ['cibadmin', '--query', '--scope', 'constraints']), /id="c_web_with_ip_vip"[^>]*score="500"/);
    } finally {
      await t.close();
    }
  });

  it('retries a push refused because of an unrelated change, keeping that change', async () => {
    const desired = await loadDesired();
    const t = transport();
    try {
      const { plan, payload } = await makePlan({ topology, desired, nodes: tb.nodes, transport: t, concurrency: 3 });
      assert.ok(plan.cib[0]!.drift, 'the score 500 left by the previous test is drift');
      const report = await executePlan({
        transport: t,
        plan,
        payload,
        secrets: desired.secrets,
        concurrency: 3,
        hooks: {
          beforePush: async (_c, _n, attempt) => {
            if (attempt === 1) tb.run('n3', ['crm_attribute', '--type', 'crm_config', '--name', 'hactl-test-operator', '--update', 'kept']);
          },
        },
      });
      assert.equal(report.ok, true, JSON.stringify(report));
      assert.equal(report.clusters[0]!.cib, 'pushed');
      assert.equal(report.clusters[0]!.attempts, 2);
      assert.match(tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'hactl-test-operator', '--query']), /value=kept/);
      assert.match(tb.run('n1', ['cibadmin', '--query', '--scope', 'constraints']), /id="c_web_with_ip_vip"[^>]*score="INFINITY"/);
    } finally {
      await t.close();
    }
  });

  it('a new authkey reaches every member with a full corosync restart (through the service-action hook)', () => {
    assert.equal(hactl(['keygen', join(work, 'authkey')]).code, 2, 'keygen refuses to overwrite');
    assert.equal(hactl(['keygen', join(work, 'authkey'), '--force']).code, 0);
    const key = readFileSync(join(work, 'authkey'));
    // A full restart interrupts everything the cluster runs: not without consent.
    const before = tb.nodes.map((n) => tb.run(n, ['sha256sum', '/etc/corosync/authkey']));
    const refused = apply('--yes');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /HA5531: the plan interrupts running services \(restart corosync on n1, n2, n3 at once\); nothing was changed/);
    assert.match(refused.stdout, /1\. restart corosync on n1, n2, n3 at once: interrupts corosync, pacemaker, .*p_web/);
    assert.deepEqual(tb.nodes.map((n) => tb.run(n, ['sha256sum', '/etc/corosync/authkey'])), before);
    const r = apply('--yes', '--allow-disruption');
    console.log(`# apply of a new authkey (3 files, full corosync restart): ${r.ms} ms`);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /FULL RESTART of every member at once/);
    assert.match(r.stdout, /corosync restarted together on n1, n2, n3/);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(key.toString('base64').slice(0, 16).replace(/[+/]/g, '.')));
    for (const n of tb.nodes) assert.equal(tb.run(n, ['sha256sum', '/etc/corosync/authkey']).split(' ')[0], sha(key));
    tb.waitOnline(120);
    assert.match(apply('--yes').stdout, /nothing to do/);
  });

  it('never leaves a partial file when the hactl process is killed during apply', async () => {
    const desired = await loadDesired();
    const block = (n: string) => desired.files.find((f) => f.node === n && f.path === '/etc/hosts')!.content.toString('utf8');
    // Spread over a whole apply (about 1 s of planning, then the writes and the CIB read).
    const delays = [300, 700, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1700, 2000, 2400];
    const seen = { old: 0, new: 0, finished: 0 };
    for (const [round, delay] of delays.entries()) {
      // Each round starts from a node file that differs from the plan: a stale block.
      const olds = new Map<string, string>();
      for (const n of tb.nodes) {
        const stale = spliceBlock(tb.run(n, ['cat', '/etc/hosts']), `# BEGIN hactl\n198.51.100.99 stale-${round}\n# END hactl\n`);
        tb.run(n, ['sh', '-c', 'cat > /etc/hosts'], stale);
        olds.set(n, stale);
      }
      // Its own process group, so the kill takes hactl and its ssh clients down together, as a
      // crash of the operator's machine would.
      const child = spawn(process.execPath, [BIN, 'apply', topoFile, '--all', '--yes', '--ssh-config', tb.sshConfig], { stdio: 'ignore', detached: true, env: { ...process.env, NO_COLOR: '1' } });
      const exited = new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, delay));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (e) {
        // ESRCH: this apply had already finished (a kill after the end is no kill).
        if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
        seen.finished++;
      }
      await exited;
      for (const n of tb.nodes) {
        const now = tb.run(n, ['cat', '/etc/hosts']);
        const wanted = spliceBlock(olds.get(n)!, block(n));
        assert.ok(now === olds.get(n) || now === wanted, `${n}: /etc/hosts is neither the old nor the new content after a kill at ${delay} ms`);
        seen[now === wanted ? 'new' : 'old']++;
      }
    }
    console.log(`# hactl and its ssh clients killed at ${delays.join(', ')} ms (${seen.finished} runs had finished before): node files found old ${seen.old} times, new ${seen.new} times, never partial`);
    const r = apply('--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const n of tb.nodes) {
      assert.equal(tb.run(n, ['sh', '-c', `ls -a /etc | grep -c -F '${TEMP_MARK}' || true`]).trim(), '0', `${n}: temp files left in /etc`);
      assert.equal(tb.run(n, ['cat', '/etc/hosts']), spliceBlock(tb.run(n, ['cat', '/etc/hosts']), block(n)));
    }
  });

  it('never leaves a partial file when the remote writer is killed; the next probe removes its temp file', async () => {
    const t = transport();
    const path = '/var/tmp/hactl-kill/big.conf';
    const a = Buffer.from(randomBytes(6 * 1024 * 1024).toString('base64'));
    const b = Buffer.from(randomBytes(6 * 1024 * 1024).toString('base64'));
    const states = { old: 0, new: 0, temps: 0 };
    try {
      await writeRemoteFile(t, 'n2', { path, owner: 'root', group: 'root', mode: '0640', content: a, was: undefined });
      let current = a;
      for (const delay of [100, 250, 400, 600, 800, 1000, 1300]) {
        const next = current === a ? b : a;
        const write = writeRemoteFile(t, 'n2', { path, owner: 'root', group: 'root', mode: '0640', content: next, was: sha256(current) }).then(
          () => 'done',
          (e: Error) => e.message,
        );
        await new Promise((r) => setTimeout(r, delay));
        // SIGKILL the writer's shell on n2 (found by its argv[0], in n2's network namespace only).
        tb.run('n2', ['sh', '-c', 'self=$(readlink /proc/self/ns/net); for p in $(pgrep -f "^sh -c .* hactl-writ[e] /var/tmp"); do [ "$(readlink /proc/$p/ns/net)" = "$self" ] && kill -9 $p; done; true']);
        await write;
        const sum = tb.run('n2', ['sha256sum', path]).split(' ')[0];
        assert.ok(sum === sha256(current) || sum === sha256(next), `partial file after a kill at ${delay} ms`);
        if (sum === sha256(next)) {
          states.new++;
          current = next;
        } else states.old++;
        states.temps += Number(tb.run('n2', ['sh', '-c', `ls -a /var/tmp/hactl-kill | grep -c -F '${TEMP_MARK}' || true`]).trim());
        const probed = await probeFiles(t, 'n2', [path]);
        assert.equal(probed.get(path)?.kind, 'file');
        assert.equal(tb.run('n2', ['sh', '-c', `ls -a /var/tmp/hactl-kill | grep -c -F '${TEMP_MARK}' || true`]).trim(), '0', 'the probe removes a dead writer’s temp file');
      }
      console.log(`# remote writer killed 7 times: target old ${states.old}, new ${states.new}, temp files left by the kill and removed by the next probe: ${states.temps}`);
    } finally {
      tb.run('n2', ['rm', '-rf', '/var/tmp/hactl-kill']);
      await t.close();
    }
  });

  it('stops before anything is sent when a host key is unknown or changed', () => {
    // A pending change on n1, so that apply would write if it got that far.
    const stale = spliceBlock(tb.run('n1', ['cat', '/etc/hosts']), '# BEGIN hactl\n198.51.100.99 pending\n# END hactl\n');
    tb.run('n1', ['sh', '-c', 'cat > /etc/hosts'], stale);
    const before = stat('n1', ['/etc/hosts']);
    const known = readFileSync(join(tb.state, 'known_hosts'), 'utf8');
    const other = join(work, 'other_key');
    rmSync(other, { force: true });
    rmSync(`${other}.pub`, { force: true });
    const kg = runCommand('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    assert.equal(kg.code, 0, kg.stderr);
    const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    const cases: [string, string][] = [
      ['changed', known.split('\n').map((l) => (l.startsWith('n2,') ? `${l.split(' ')[0]} ${otherKey}` : l)).join('\n')],
      ['unknown', known.split('\n').filter((l) => !l.startsWith('n3,')).join('\n')],
    ];
    for (const [what, hosts] of cases) {
      const hostsFile = join(work, `known_hosts.${what}`);
      writeFileSync(hostsFile, hosts);
      const config = join(work, `ssh_config.${what}`);
      writeFileSync(config, readFileSync(tb.sshConfig, 'utf8').replace(/UserKnownHostsFile .*/, `UserKnownHostsFile ${hostsFile}`));
      const r = hactl(['apply', topoFile, '--all', '--yes', '--ssh-config', config]);
      assert.equal(r.code, 3, `${what}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /HA5203: the host key of n[23] is unknown or does not match/);
      assert.match(r.stderr, /nothing was changed/);
      assert.doesNotMatch(r.stdout, /Plan for/);
      assert.equal(stat('n1', ['/etc/hosts']), before, `${what}: n1 was written to`);
    }
    assert.equal(apply('--yes').code, 0);
  });

  it('a parameter change of a running clone: the plan names the restart, the gate holds it, then one node at a time', async () => {
    const doc = parseDocument(readFileSync(topoFile, 'utf8'));
    // `state` is the one parameter of Dummy that is not reloadable: a change restarts (`fake` would reload).
    doc.setIn(['clusters', 'lab', 'services', 'probe', 'params'], { state: '/run/hactl-rolled.state' });
    writeFileSync(topoFile, doc.toString());
    const dry = apply('--dry-run');
    assert.equal(dry.code, 0, dry.stdout + dry.stderr);
    assert.match(dry.stdout, /what Pacemaker does when this lands \(crm_simulate on n1, live status\):\n {4}restart p_probe one node at a time: n1, then n2, then n3 {2}\(resource definition change\)/);
    const epoch = epochOf('n1');
    const refused = apply('--yes', '--json');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /HA5531: the plan interrupts running services \(restart p_probe one node at a time: n1, then n2, then n3\)/);
    assert.equal(epochOf('n1'), epoch, 'nothing pushed');
    const doc2 = JSON.parse(refused.stdout) as { status: string; disruptions: { what: string }[] };
    assert.deepEqual(validateApplyJson(doc2), []);
    assert.equal(doc2.status, 'refused');
    assert.deepEqual(doc2.disruptions.map((d) => d.what), ['restart p_probe one node at a time: n1, then n2, then n3']);

    const t0 = Math.floor(Date.now() / 1000);
    const child = spawn(process.execPath, [BIN, 'apply', topoFile, '--all', '--yes', '--allow-disruption', '--ssh-config', tb.sshConfig], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    let code: number | null | undefined;
    child.on('exit', (c) => (code = c));
    // While it runs: how many instances of the clone are started (never fewer than two of three).
    let fewest = 3;
    let samples = 0;
    while (code === undefined) {
      const mon = tb.run('n2', ['crm_mon', '-1', '--output-as=xml']);
      fewest = Math.min(fewest, (mon.match(/<resource id="p_probe"[^>]*role="Started"[^>]*active="true"/g) ?? []).length);
      samples++;
      await new Promise((r) => setTimeout(r, 150));
    }
    console.log(`# rolling restart of p_probe: ${(Date.now() / 1000 - t0).toFixed(1)} s, ${samples} samples, fewest instances started at once: ${fewest}`);
    assert.equal(code, 0, out);
    assert.ok(fewest >= 2, `an instance of p_probe was stopped while another was down (${fewest} started at once)`);
    // The cluster's history: each node's instance started anew after the apply began, in order.
    const status = tb.run('n1', ['cibadmin', '--query', '--scope', 'status']);
    const started = tb.nodes.map((n) => {
      const state = new RegExp(`<node_state [^>]*uname="${n}"[\\s\\S]*?</node_state>`).exec(status)![0];
      const op = /<lrm_rsc_op [^>]*id="p_probe_last_0"[^>]*>/.exec(state)![0];
      assert.match(op, /operation="start"/);
      return Number(/last-rc-change="(\d+)"/.exec(op)![1]);
    });
    assert.ok(started.every((s) => s >= t0), `every instance restarted: ${started.join(', ')} (apply began ${t0})`);
    assert.deepEqual([...started].sort((a, b) => a - b), started, `restarted in node order: ${started.join(', ')}`);
    assert.match(tb.run('n1', ['crm_resource', '--resource', 'p_probe', '--get-parameter', 'state']), /hactl-rolled/);
    for (const n of tb.nodes) assert.equal(tb.run(n, ['sh', '-c', 'test -e /run/hactl-rolled.state && echo running']).trim(), 'running', `${n} runs the new instance`);
    assert.doesNotMatch(tb.run('n1', ['cibadmin', '--query']), /hactl-rolling/);
    assert.match(apply('--dry-run').stdout, /nothing to do/);
  });

  it('a dropped service: the plan says it stops, nothing is pushed without --allow-disruption, with it it stops; adding it back needs no consent', async () => {
    const original = readFileSync(topoFile, 'utf8');
    const doc = parseDocument(original);
    doc.deleteIn(['clusters', 'lab', 'services', 'extra-ip']);
    writeFileSync(topoFile, doc.toString());
    const where = /running on: (n\d)/.exec(tb.run('n1', ['crm_resource', '--locate', '--resource', 'p_extra-ip']))![1]!;
    const epoch = epochOf('n1');
    const refused = apply('--yes');
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stdout, new RegExp(`stop p_extra-ip on ${where}`));
    assert.match(refused.stderr, new RegExp(`HA5531: the plan interrupts running services \\(stop p_extra-ip on ${where}\\)`));
    assert.equal(epochOf('n1'), epoch, 'nothing pushed');
    assert.match(tb.run('n1', ['crm_resource', '--locate', '--resource', 'p_extra-ip']), /running on/);
    // On a terminal, --yes alone is not consent to a disruption: the prompt names it, and "no" changes nothing.
    const asked = await hactlIn(['apply', topoFile, '--all', '--yes', '--ssh-config', tb.sshConfig], { tty: true, answer: 'no' });
    assert.equal(asked.code, 0, asked.stdout + asked.stderr);
    assert.match(asked.stderr, new RegExp(`This plan interrupts running services: stop p_extra-ip on ${where}\\. Type "yes" to apply it with this disruption: `));
    assert.match(asked.stderr, /not applied/);
    assert.equal(epochOf('n1'), epoch, 'nothing pushed');
    const r = apply('--yes', '--allow-disruption');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    waitUntil('p_extra-ip still runs', () => !/<resource id="p_extra-ip"/.test(tb.run('n1', ['crm_mon', '-1', '--output-as=xml'])), 60, 500);
    // Back: a start only, which goes through with --yes alone.
    writeFileSync(topoFile, original);
    const back = apply('--yes');
    assert.equal(back.code, 0, back.stdout + back.stderr);
    assert.match(back.stdout, /start p_extra-ip on n\d/);
    assert.match(back.stdout, /no running service is stopped, restarted or moved, and no node is fenced/);
    waitUntil('p_extra-ip did not start again', () => /<resource id="p_extra-ip"[^>]*role="Started"/.test(tb.run('n1', ['crm_mon', '-1', '--output-as=xml'])), 60, 500);
  });

  it('moves the VIP when its node crashes (time measured, not asserted)', () => {
    const vip = topology.clusters.lab!.vips.vip!.address;
    const route = runCommand('ip', ['route', 'get', vip]).stdout;
    assert.match(route, new RegExp(` dev hatb${ID} `), `the VIP must route via the test bridge: ${route}`);
    const ping = () => runCommand('ping', ['-c', '1', '-W', '1', '-n', vip]).code === 0;
    waitUntil('the VIP never answered', ping, 60);
    const where = tb.run('n1', ['crm_resource', '--locate', '--resource', 'p_ip_vip']);
    const holder = /running on: (n\d)/.exec(where)![1]!;
    const t0 = Date.now();
    tb.crash(holder);
    // The crashed node's address is gone at once (eth0 down); wait for the VIP to answer again.
    waitUntil('the VIP did not come back', ping, 120, 100);
    const ms = Date.now() - t0;
    const other = tb.nodes.find((n) => n !== holder)!;
    const now = /running on: (n\d)/.exec(tb.run(other, ['crm_resource', '--locate', '--resource', 'p_ip_vip']))![1];
    console.log(`# VIP ${vip} failover after crashing ${holder}: answered ping again after ${ms} ms, now on ${now} (default corosync token)`);
    assert.notEqual(now, holder);
    tb.restart(holder);
    tb.waitOnline(120);
  });
});
