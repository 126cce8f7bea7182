/**
 * Saved plans without a cluster: the keyed digests computed by the real node script on a local
 * shell (temp files, a temp key path), what the document holds and does not hold, and each way a
 * saved plan is refused. The CIB side (HA5575) and carrying a plan out are in the live test
 * (saved-plan.cluster.test.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { comparePlans, desiredState, keyedDigest, makePlan, parseSavedPlan, savedPlanOf, topologyDigest, type Desired, type SavedPlan } from '../../src/apply/index.js';
import { HactlError } from '../../src/errors.js';
import { loadTopology } from '../../src/load.js';
import { SecretStore } from '../../src/secrets/index.js';
import type { Transport } from '../../src/remote/ssh.js';
import { parseDocument } from 'yaml';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { localTransport } from './local.js';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
let dir: string;
before(() => {
  dir = mkdtempSync('/tmp/hactl-saved-plan-');
});
after(() => rmSync(dir, { recursive: true, force: true }));

const topology = () => loadTopology(readFileSync(join(ROOT, 'fixtures', 'lab2.yaml'), 'utf8'), 'lab2.yaml').topology!;
const me = () => spawnSync('id', ['-un'], { encoding: 'utf8' }).stdout.trim();
const grp = () => spawnSync('id', ['-gn'], { encoding: 'utf8' }).stdout.trim();

/** A desired state of two files on the node "local": one holding the password, one without secrets. */
function desiredWith(d: string, password: string, debug = 'false'): Desired {
  const secrets = new SecretStore();
  secrets.set('db', Buffer.from(password));
  const display = `[database]\nconnection = mysql://nova:<secret:db>@198.51.100.5/nova\ndebug = ${debug}\n`;
  const file = (name: string, content: string, disp: string | undefined, names: string[]) => ({
    node: 'local', path: join(d, name), owner: me(), group: grp(), mode: '0640', install: 'file' as const, content: Buffer.from(content), display: disp, secrets: names, services: [], onChange: { kind: 'none' as const },
  });
  return {
    secrets,
    cibs: new Map(),
    files: [file('nova.conf', display.replace('<secret:db>', password), display, ['db']), file('plain.conf', 'plain\n', 'plain\n', [])],
  };
}

async function saveFor(d: string, desired: Desired, keyPath: string): Promise<SavedPlan> {
  const transport = localTransport();
  const { plan, payload } = await makePlan({ topology: topology(), desired, nodes: ['local'], transport, concurrency: 1 });
  return savedPlanOf({ plan, payload, desired, transport, concurrency: 1, hactlVersion: '0.1.0', topologyFile: join(d, 'lab2.yaml'), adopt: false, keyPath });
}

function refusal(code: string, exit: number) {
  return (e: unknown) => {
    assert.ok(e instanceof HactlError, String(e));
    assert.equal(e.diagnostic.code, code, e.diagnostic.message);
    assert.equal(e.exitCode, exit);
    return true;
  };
}

describe('saved plans: keyed digests, no secret, refusals', () => {
  it('records files by digests keyed with a per-node random key, never a value or a plain checksum', async () => {
    const d = join(dir, 'doc');
    spawnSync('mkdir', ['-p', d]);
    const old = '[database]\nconnection = mysql://nova:0ld-Passw0rd@198.51.100.5/nova\ndebug = false\n';
    writeFileSync(join(d, 'nova.conf'), old);
    const keyPath = join(d, 'key', 'digest.key');
    const desired = desiredWith(d, 'N3w-Passw0rd');
    const saved = await saveFor(d, desired, keyPath);
    // The key: made on first use, 32 random bytes, readable by its owner only.
    const key = readFileSync(keyPath);
    assert.equal(key.length, 32);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const nova = saved.files.find((f) => f.path.endsWith('nova.conf'))!;
    assert.equal(nova.change, 'update');
    assert.equal(nova.was, keyedDigest(key, Buffer.from(old)));
    assert.equal(nova.write, keyedDigest(key, desired.files[0]!.content));
    assert.deepEqual(nova.secrets, ['db']);
    const plain = saved.files.find((f) => f.path.endsWith('plain.conf'))!;
    assert.deepEqual([plain.change, plain.was, plain.write], ['create', null, keyedDigest(key, Buffer.from('plain\n'))]);
    // Nothing in the document lets a reader test a guess: no value, no plain sha256 of a value or
    // of a file, old or new, and not the key.
    const text = JSON.stringify(saved);
    for (const s of ['0ld-Passw0rd', 'N3w-Passw0rd', sha('0ld-Passw0rd'), sha('N3w-Passw0rd'), sha(old), sha(desired.files[0]!.content), sha('plain\n'), key.toString('hex')]) {
      assert.ok(!text.includes(s), `${s} is in the saved plan`);
    }
    // The document is one the schema accepts, and a second key path gives other digests.
    assert.deepEqual(parseSavedPlan(text, 'plan.json'), JSON.parse(text));
    const other = await saveFor(d, desired, join(d, 'key2', 'digest.key'));
    assert.notEqual(other.files.find((f) => f.path.endsWith('nova.conf'))!.was, nova.was);
    // The topology digest names what the topology asks for, not the secret values.
    assert.equal(topologyDigest(desiredWith(d, 'Other-Passw0rd')), topologyDigest(desired));
    assert.notEqual(topologyDigest(desiredWith(d, 'N3w-Passw0rd', 'true')), topologyDigest(desired));
  });

  it('holds while nothing changed, and refuses a changed node file (exit 3), a changed secret (exit 2), a new key (exit 3)', async () => {
    const d = join(dir, 'cmp');
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(d, 'nova.conf'), 'old\n');
    const keyPath = join(d, 'key', 'digest.key');
    const saved = await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath);
    comparePlans(saved, await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath));
    // Another secret value: the same topology, other content to write.
    const rotated = await saveFor(d, desiredWith(d, 'R0tated-Passw0rd'), keyPath);
    assert.throws(() => comparePlans(saved, rotated), refusal('HA5577', 2));
    // An edit on the node after the plan.
    writeFileSync(join(d, 'nova.conf'), 'edited\n');
    const edited = await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath);
    assert.throws(() => comparePlans(saved, edited), refusal('HA5576', 3));
    // A file that appeared since.
    writeFileSync(join(d, 'plain.conf'), 'plain\n');
    writeFileSync(join(d, 'nova.conf'), 'old\n');
    const appeared = await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath);
    assert.throws(() => comparePlans(saved, appeared), (e: unknown) => refusal('HA5576', 3)(e) && /plain\.conf changed since the plan was made \(it was absent and exists now\)/.test((e as HactlError).diagnostic.message));
    rmSync(join(d, 'plain.conf'));
    // The node's key replaced: digests cannot be compared any more.
    rmSync(keyPath);
    const rekeyed = await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath);
    assert.throws(() => comparePlans(saved, rekeyed), refusal('HA5578', 3));
    // The same files and CIB, but what the plan shows moved on (here: a resource placement).
    const same = await saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath);
    const shifted = { ...same, plan: { ...same.plan, impact: [{ cluster: 'lab', node: 'n1', resources: [], fencing: [], running: { p_web: ['n2'] } }] } };
    assert.throws(() => comparePlans(same, shifted), (e: unknown) => refusal('HA5579', 3)(e) && /its impact differs from the saved plan's/.test((e as HactlError).diagnostic.message));
    // A key file that is not a 32-byte key: the node cannot key its digests.
    writeFileSync(keyPath, 'short');
    await assert.rejects(saveFor(d, desiredWith(d, 'N3w-Passw0rd'), keyPath), (e: unknown) => refusal('HA5580', 3)(e) && /is not a 32-byte key/.test((e as HactlError).diagnostic.message));
  });

  it('apply --plan: usage and the checks made before any node is contacted (exit 2, nothing contacted)', async () => {
    const d = join(dir, 'cli');
    spawnSync('mkdir', ['-p', d]);
    const lab2 = join(ROOT, 'fixtures', 'lab2.yaml');
    const doc = (over: Partial<SavedPlan>) => ({
      $schema: 'https://hactl.dev/schemas/plan.schema.json', format: 1, hactl: '0.1.0', topology: { name: 'lab2', file: lab2, digest: '0'.repeat(64) }, nodes: ['n1'], adopt: false, keys: [], clusters: [], files: [],
      plan: { topology: 'lab2', nodes: ['n1'], files: [], unchangedFiles: 0, nodeActions: [], units: [], corosync: [], cib: [], impact: [], resources: [] }, disruptions: [], ...over,
    });
    const write = (name: string, v: unknown) => {
      writeFileSync(join(d, name), typeof v === 'string' ? v : JSON.stringify(v));
      return join(d, name);
    };
    const cases: [string[], string, RegExp][] = [
      [['apply'], 'HA5582', /needs a topology file, or --plan FILE/],
      [['apply', '--plan', write('a.json', doc({})), '--all'], 'HA5574', /--all cannot be given with it/],
      [['apply', '--plan', write('b.json', doc({})), '--dry-run'], 'HA5574', /--dry-run cannot be given/],
      [['apply', '--plan', join(d, 'missing.json')], 'HA5570', /cannot read the saved plan .*ENOENT/],
      [['apply', '--plan', write('c.json', '{"not": "json"')], 'HA5571', /is not a saved hactl plan: not JSON/],
      [['apply', '--plan', write('d.json', { ...doc({}), files: [{ node: 'n1', path: '/etc/x', change: 'update', was: 'secret', write: null, secrets: [] }] })], 'HA5571', /\/files\/0\/was/],
      [['apply', '--plan', write('e.json', doc({ hactl: '0.0.9' }))], 'HA5572', /saved by hactl 0\.0\.9 \(plan format 1\); this is hactl 0\.1\.0/],
      [['apply', '--plan', write('f.json', doc({ format: 2 }))], 'HA5572', /plan format 2/],
      [['apply', '--plan', write('g.json', doc({}))], 'HA5573', /is not the one the plan was made from/],
    ];
    const schema = await hactlIn(['schema', '--name', 'plan']);
    assert.equal(schema.code, 0, schema.stderr);
    assert.equal((JSON.parse(schema.stdout) as { $id: string }).$id, 'https://hactl.dev/schemas/plan.schema.json');
    for (const [args, code, re] of cases) {
      const r = await hactlIn(args, { cwd: d });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`error ${code}: `), r.stderr);
      assert.match(r.stderr, re);
    }
  });
});

/** The local shell, recording what goes to the node and what comes back. */
function recording(): { t: Transport; sent: string[]; got: string[] } {
  const inner = localTransport();
  const sent: string[] = [];
  const got: string[] = [];
  return {
    sent,
    got,
    t: {
      async exec(node, command, stdin) {
        sent.push(command.join(' '), stdin ?? '');
        const r = await inner.exec(node, command, stdin);
        got.push(r.stdout, r.stderr);
        return r;
      },
      close: async () => {},
    },
  };
}

describe('secret values compared on the node (dry run with and without the secrets)', () => {
  it('a file whose only change is a secret value shows as changed (secret): no value travels either way', async () => {
    const d = join(dir, 'only-secret');
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(d, 'nova.conf'), '[database]\nconnection = mysql://nova:0ld-Passw0rd@198.51.100.5/nova\ndebug = false\n');
    writeFileSync(join(d, 'plain.conf'), 'plain\n');
    spawnSync('chmod', ['0640', join(d, 'nova.conf'), join(d, 'plain.conf')]);
    const { t, sent, got } = recording();
    const { plan } = await makePlan({ topology: topology(), desired: desiredWith(d, 'N3w-Passw0rd'), nodes: ['local'], transport: t, concurrency: 1 });
    const nova = plan.files.find((f) => f.path.endsWith('nova.conf'))!;
    assert.deepEqual([nova.change, nova.differs, nova.secretOnly, nova.diff], ['update', ['content'], true, ['(only secret values changed; not shown)']]);
    assert.equal(plan.files.find((f) => f.path.endsWith('plain.conf'))!.change, 'unchanged');
    const { formatPlan } = await import('../../src/apply/index.js');
    assert.ok(formatPlan(plan).some((l) => /nova\.conf {2}\(update content: changed \(secret\);/.test(l.text)), formatPlan(plan).map((l) => l.text).join('\n'));
    // Neither value went to the node or came back from it, in any form.
    for (const v of ['0ld-Passw0rd', 'N3w-Passw0rd', sha('0ld-Passw0rd'), sha('N3w-Passw0rd')]) {
      assert.ok(!sent.some((x) => x.includes(v)), `${v} was sent to the node`);
      assert.ok(!got.some((x) => x.includes(v)), `${v} came back from the node`);
    }
    // The same value on the node: unchanged, and a structural change beside it is shown with labels.
    writeFileSync(join(d, 'nova.conf'), '[database]\nconnection = mysql://nova:N3w-Passw0rd@198.51.100.5/nova\ndebug = true\n');
    const again = await makePlan({ topology: topology(), desired: desiredWith(d, 'N3w-Passw0rd'), nodes: ['local'], transport: localTransport(), concurrency: 1 });
    const f2 = again.plan.files.find((f) => f.path.endsWith('nova.conf'))!;
    assert.equal(f2.secretOnly, undefined);
    assert.deepEqual(f2.diff.filter((l) => /^[-+ ]/.test(l)), [' [database]', ' connection = mysql://nova:<secret:db>@198.51.100.5/nova', '-debug = true', '+debug = false']);
  });

  it('without the secret: a dry run compares what holds no secret, names what it could not compare, writes nothing', async () => {
    const d = join(dir, 'without');
    spawnSync('mkdir', ['-p', d]);
    writeFileSync(join(d, 'nova.conf'), '[database]\nconnection = mysql://nova:0ld-Passw0rd@198.51.100.5/nova\ndebug = true\n');
    writeFileSync(join(d, 'key'), 'S3cret-key-value');
    spawnSync('chmod', ['0640', join(d, 'nova.conf')]);
    spawnSync('chmod', ['0600', join(d, 'key')]);
    const display = '[database]\nconnection = mysql://nova:<secret:db>@198.51.100.5/nova\ndebug = false\n';
    const file = (name: string, disp: string | undefined, mode: string) => ({
      node: 'local', path: join(d, name), owner: me(), group: grp(), mode, install: 'file' as const, content: Buffer.from(disp ?? ''), unavailable: ['db'], display: disp, secrets: ['db'], services: [], onChange: { kind: 'none' as const },
    });
    const desired = { secrets: new SecretStore(), cibs: new Map(), files: [file('nova.conf', display, '0640'), file('key', undefined, '0600'), file('absent', undefined, '0600')] };
    const { t, got } = recording();
    const { plan, payload } = await makePlan({ topology: topology(), desired, nodes: ['local'], transport: t, concurrency: 1 });
    const by = (n: string) => plan.files.find((f) => f.path === join(d, n))!;
    assert.deepEqual(by('nova.conf').diff.filter((l) => /^[-+ ]/.test(l)), [' [database]', ' connection = mysql://nova:<secret:db>@198.51.100.5/nova', '-debug = true', '+debug = false']);
    assert.deepEqual([by('key').change, by('key').unverified], ['unchanged', ['db']]);
    assert.deepEqual([by('absent').change, by('absent').diff], ['create', ['(secret content; its value is not available to this run)']]);
    assert.equal(payload.content.size, 0, 'nothing of a file without its values is ever to be written');
    assert.ok(!got.some((x) => x.includes('0ld-Passw0rd') || x.includes('S3cret-key-value')), 'no old value left the node');
    const { formatPlan } = await import('../../src/apply/index.js');
    const text = formatPlan(plan).map((l) => l.text).join('\n');
    assert.match(text, /secret values not compared \(not available to this run\): 3 file\(s\)/);
    assert.match(text, new RegExp(`\\? local:${join(d, 'key')} {2}\\(<secret:db>\\)`));
  });

  it('desiredState for a dry run: a secret that cannot be resolved is warning HA5581, not problem HA5501', async () => {
    const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab2.yaml'), 'utf8'));
    doc.set('secrets', { 'corosync-key': { file: 'no-such-authkey' } });
    doc.setIn(['clusters', 'lab', 'authkey'], 'corosync-key');
    const loaded = loadTopology(doc.toString(), join(dir, 'lab2.yaml'));
    const source = { env: {}, cwd: dir, readFile: (p: string) => Promise.resolve(readFileSync(p)) };
    const strict = await desiredState(loaded.model!, source);
    assert.deepEqual(strict.problems.map((p) => p.code), ['HA5501']);
    assert.equal(strict.desired, undefined);
    const dry = await desiredState(loaded.model!, source, { withoutMissingSecrets: true });
    assert.deepEqual([dry.problems, dry.warnings.map((w) => `${w.code} ${w.args.secret}`)], [[], ['HA5581 corosync-key']]);
    // An unset environment variable is as absent as a missing file; a present but unusable file is not.
    doc.set('secrets', { 'corosync-key': { env: 'HACTL_TEST_UNSET_AUTHKEY' } });
    const fromEnv = await desiredState(loadTopology(doc.toString(), join(dir, 'lab2.yaml')).model!, source, { withoutMissingSecrets: true });
    assert.deepEqual(fromEnv.warnings.map((w) => `${w.code} ${w.args.detail}`), ['HA5581 environment variable HACTL_TEST_UNSET_AUTHKEY is not set']);
    doc.set('secrets', { 'corosync-key': { file: '/dev/null' } });
    const device = await desiredState(loadTopology(doc.toString(), join(dir, 'lab2.yaml')).model!, source, { withoutMissingSecrets: true });
    assert.deepEqual(device.problems.map((p) => p.code), ['HA5501']);
    const keys = dry.desired!.files.filter((f) => f.path === '/etc/corosync/authkey');
    assert.deepEqual(keys.map((f) => [f.node, f.unavailable, f.content.length]), [['n1', ['corosync-key'], 0], ['n2', ['corosync-key'], 0], ['n3', ['corosync-key'], 0]]);
  });
});

