/**
 * Every compiled corosync.conf passes `corosync -t` when checked as its own node: a network
 * namespace holding that node's addresses (corosync finds the local node by address), a private
 * mount namespace where /etc/corosync holds a throw-away test authkey (crypto is on, and -t reads
 * the key). Namespaces are named hactl-files-*; addresses are only ever 198.51.100.0/24 and
 * 203.0.113.0/24, on a veth pair that lives entirely inside the namespace (no route out).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { corosyncFacts, parseCorosyncConf } from '../../src/import/corosync.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { compileFixture, FIXTURES, loadFixture } from './helpers.js';
import { needTools, runCommand } from '../helpers/spawn.js';

const skip = needTools(['corosync', 'ip', 'unshare'], { root: 'network and mount namespaces' });

const TEST_NETS = /^(198\.51\.100|203\.0\.113)\.\d+$/;
let tmp = '';
const created: string[] = [];

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'hactl-files-corosync-'));
  mkdirKey(join(tmp, 'etc-corosync'));
});

after(() => {
  for (const ns of created) runCommand('ip', ['netns', 'delete', ns]);
  rmSync(tmp, { recursive: true, force: true });
});

function mkdirKey(dir: string): void {
  runCommand('mkdir', ['-p', dir]);
  // A random test key: corosync -t only checks that it can read one of the right size.
  writeFileSync(join(dir, 'authkey'), randomBytes(256), { mode: 0o400 });
}

/** A namespace with the given addresses on a veth inside it; returns its name. */
function namespaceWith(name: string, addresses: string[]): string {
  const ns = `hactl-files-${name}`.slice(0, 30);
  runCommand('ip', ['netns', 'delete', ns]);
  const step = (args: string[]) => {
    const r = runCommand('ip', args);
    assert.equal(r.code, 0, `ip ${args.join(' ')}: ${r.stderr}`);
  };
  step(['netns', 'add', ns]);
  created.push(ns);
  step(['-n', ns, 'link', 'set', 'lo', 'up']);
  step(['-n', ns, 'link', 'add', 'hf0', 'type', 'veth', 'peer', 'name', 'hf1']);
  for (const a of addresses) {
    assert.match(a, TEST_NETS, `refusing to configure ${a}: test addresses are 198.51.100.0/24 and 203.0.113.0/24 only`);
    step(['-n', ns, 'addr', 'add', `${a}/32`, 'dev', 'hf0']);
  }
  step(['-n', ns, 'link', 'set', 'hf0', 'up']);
  step(['-n', ns, 'link', 'set', 'hf1', 'up']);
  return ns;
}

function corosyncTest(ns: string, conf: string): { code: number; stderr: string } {
  const script = 'mount -n --bind "$1" /etc/corosync && exec corosync -t -c "$2"';
  const r = runCommand('ip', ['netns', 'exec', ns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', join(tmp, 'etc-corosync'), conf]);
  return { code: r.code, stderr: r.stderr };
}

// lab: the test cluster's topology, without an authkey (crypto off).
for (const name of [...FIXTURES, 'lab']) {
  test(`${name}: every member's corosync.conf passes corosync -t as that node`, { skip }, () => {
    const t = loadFixture(name);
    const compiled = compileFixture(name);
    let checked = 0;
    for (const c of Object.values(t.clusters)) {
      for (const member of c.nodes) {
        const conf = join(tmp, `${name}-${member}.conf`);
        writeFileSync(conf, compiled.files.get(`nodes/${member}/etc/corosync/corosync.conf`)!);
        const ns = namespaceWith(`${name.slice(0, 6)}-${member}`, c.links.map((l) => t.nodes[member]!.addresses[l]!));
        const r = corosyncTest(ns, conf);
        assert.equal(r.code, 0, `corosync -t for ${member}: ${r.stderr}`);
        checked++;
      }
    }
    assert.ok(checked >= 2);
  });
}

test('qdevice: every member passes corosync -t with quorum.device (model net) and without two_node', { skip }, () => {
  const file = 'test/compile/fixtures/qdevice.yaml';
  const r = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file);
  assert.ok(r.ok && r.model);
  const t = r.model.topology;
  const files = new Map(emitNodeFiles(r.model).map((a) => [a.path, a.content]));
  let checked = 0;
  for (const c of Object.values(t.clusters)) {
    for (const member of c.nodes) {
      const text = files.get(`nodes/${member}/etc/corosync/corosync.conf`)!;
      assert.match(text, /device \{\n\s+model: net\n/);
      assert.match(text, /host: 198\.51\.100\.40\n/, 'the arbiter at its management address');
      assert.doesNotMatch(text, /two_node/, 'two_node and a quorum device exclude each other');
      const conf = join(tmp, `qdevice-${member}.conf`);
      writeFileSync(conf, text);
      const ns = namespaceWith(`qd-${member}`, c.links.map((l) => t.nodes[member]!.addresses[l]!));
      const res = corosyncTest(ns, conf);
      assert.equal(res.code, 0, `corosync -t for ${member}: ${res.stderr}`);
      checked++;
    }
  }
  assert.equal(checked, 6);
  // ffsplit needs the device's one vote written out, lms computes members - 1 when none is.
  assert.match(files.get('nodes/db1/etc/corosync/corosync.conf')!, /votes: 1\n[\s\S]*algorithm: ffsplit\n\s+tie_breaker: 1\n/);
  assert.doesNotMatch(files.get('nodes/app1/etc/corosync/corosync.conf')!, /votes:/);
  assert.equal(
    files.get('nodes/arbiter/etc/default/corosync-qnetd')!.split('\n').filter((l) => l.startsWith('COROSYNC_QNETD_OPTIONS=')).join(),
    'COROSYNC_QNETD_OPTIONS="-s on -p 5403"',
  );
});

test('node names as hosts call themselves (FQDN, capitals, a leading digit, an underscore): corosync -t passes as each member, and the nodelist names them as written', { skip }, () => {
  const file = 'test/compile/fixtures/host-names.yaml';
  const r = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  const t = r.model.topology;
  const files = new Map(emitNodeFiles(r.model).map((a) => [a.path, a.content]));
  const c = t.clusters.edge!;
  assert.deepEqual(c.nodes, ['ctl1.example.com', 'Ctl2.Example.COM', '18db_3.example.com']);
  for (const [i, member] of c.nodes.entries()) {
    const text = files.get(`nodes/${member}/etc/corosync/corosync.conf`)!;
    const parsed = parseCorosyncConf(text);
    assert.ok(parsed.ok);
    // Names kept as written; ids from the host label's number (ctl1.example.com -> 1).
    assert.deepEqual(corosyncFacts(parsed.root).nodes.map((n) => [n.name, n.nodeid]), [['ctl1.example.com', 1], ['Ctl2.Example.COM', 2], ['18db_3.example.com', 3]]);
    const conf = join(tmp, `hostnames-${i}.conf`);
    writeFileSync(conf, text);
    const ns = namespaceWith(`hn-${i}`, c.links.map((l) => t.nodes[member]!.addresses[l]!));
    const res = corosyncTest(ns, conf);
    assert.equal(res.code, 0, `corosync -t for ${member}: ${res.stderr}`);
  }
});

test('corosync -t fails where the node is not in the nodelist (the check can fail)', { skip }, () => {
  const compiled = compileFixture('pixelpark');
  const conf = join(tmp, 'foreign.conf');
  writeFileSync(conf, compiled.files.get('nodes/net1/etc/corosync/corosync.conf')!);
  // ctl1's address, checking the network cluster's file: no node of that nodelist is local.
  const ns = namespaceWith('foreign', ['198.51.100.11']);
  const r = corosyncTest(ns, conf);
  // 8: corosync's exit code for a configuration it refuses (the file logs to syslog only, so the
  // reason, "No valid name found for local host", is not on stderr).
  assert.equal(r.code, 8);
});
