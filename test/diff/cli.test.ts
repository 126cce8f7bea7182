/** `hactl diff` as a command: modes, exit codes, text and JSON, colour, masking, bad input. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toCib } from '../../src/compile/cib/index.js';
import { loadTopology } from '../../src/load.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { hactlIn, ROOT } from '../helpers/cli.js';

const LAB = join(ROOT, 'fixtures', 'lab.yaml');
let dir: string;
let compiled: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hactl-diff-cli-'));
  const t = loadTopology(readFileSync(LAB, 'utf8'), LAB);
  assert.ok(t.topology);
  compiled = serializeXml(toCib(t.model!.clusters.find((c) => c.name === 'lab')!));
  writeFileSync(join(dir, 'compiled.xml'), compiled);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('hactl diff TOPOLOGY --cluster --live', () => {
  it('exits 0 with no drift when the live CIB is what the topology compiles to (with cluster noise)', async () => {
    const live = compiled
      .replace('epoch="1"', 'epoch="42" cib-last-written="Tue Nov 24 14:40:03 2026" update-origin="n2" have-quorum="1" dc-uuid="2"')
      .replace('<status/>', '<status><node_state id="1" uname="n1"/></status>')
      .replace('name="dc-deadtime" value="5s"/>', 'name="dc-deadtime" value="5s"/><nvpair id="dcv" name="dc-version" value="2.1.5"/>');
    const r = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', file('live-same.xml', live)]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^no drift$/m);
  });

  it('exits 1 with the drift, and shows an operator constraint as unmanaged; reads stdin', async () => {
    const live = compiled.replace('value="198.51.100.50"', 'value="198.51.100.60"').replace('</constraints>', '<rsc_location id="cli-ban-p_web-on-n1" rsc="p_web" node="n1" score="-INFINITY"/></constraints>');
    const r = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', '-'], { input: live });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^--- compiled .*lab\.yaml \(cluster lab\)$/m);
    // The live CIB records no ownership (no apply made it): the object is someone else's, said so.
    assert.match(r.stdout, /^resources\n {2}~ primitive p_ip_vip {2}ocf:heartbeat:IPaddr2 {2}\(not recorded as hactl's: apply changes it only with --adopt\)\n {6}~ params ip: "198\.51\.100\.50" -> "198\.51\.100\.60"$/m);
    assert.match(r.stdout, /^unmanaged .*\n {2}\+ rsc_location cli-ban-p_web-on-n1 {2}p_web -INFINITY on n1$/m);
    assert.match(r.stdout, /^drift: 1 object\(s\) differ .*; 1 unmanaged$/m);
  });

  it('prints JSON with --json', async () => {
    const live = compiled.replace(/<primitive id="p_extra-ip"[\s\S]*?<\/primitive>/, '');
    const r = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', file('live-json.xml', live), '--json']);
    assert.equal(r.code, 1);
    const j = JSON.parse(r.stdout);
    assert.equal(j.drift, true);
    assert.deepEqual(j.counts, { added: 0, removed: 1, changed: 0, unmanaged: 0 });
    assert.equal(j.changes[0].id, 'p_extra-ip');
    assert.equal(j.changes[0].kind, 'removed');
  });

  it('colours only on a terminal: never when piped, never with NO_COLOR', async () => {
    const live = file('live-colour.xml', compiled.replace('value="198.51.100.50"', 'value="198.51.100.61"'));
    const piped = await hactlIn(['diff', LAB, '--cluster', 'lab', '--live', live], { env: { NO_COLOR: '', FORCE_COLOR: '' } });
    assert.equal(piped.code, 1);
    assert.doesNotMatch(piped.stdout, /\u001b\[/);
    // On a terminal: colour, unless NO_COLOR is set.
    const onTerminal = (env: Record<string, string>) => hactlIn(['diff', LAB, '--cluster', 'lab', '--live', live], { tty: true, env: { TERM: 'xterm', ...env } });
    const tty = await onTerminal({ NO_COLOR: '' });
    assert.equal(tty.code, 1);
    assert.match(tty.stdout, /\u001b\[33m~ primitive p_ip_vip/);
    const noColor = await onTerminal({ NO_COLOR: '1' });
    assert.equal(noColor.code, 1);
    assert.doesNotMatch(noColor.stdout + noColor.stderr, /\u001b\[/);
  });

  it('refuses bad usage and bad input with exit 2 and a catalogued code', async () => {
    const cases: [string[], RegExp, string?][] = [
      [['diff', LAB, '--cluster', 'lab'], /HA5104/],
      [['diff', LAB, '--cluster', 'lab', '--node', 'n1', '--live', '-'], /HA5104/],
      [['diff', LAB, '--live', join(dir, 'compiled.xml')], /HA5105/],
      [['diff', LAB, '--cluster', 'nope', '--live', join(dir, 'compiled.xml')], /HA5101: cluster "nope" is not in the topology\n {2}hint: clusters of this topology: lab/],
      [['diff', LAB, '--cluster', 'lab', '--node', 'n9'], /HA5102: node "n9" is not a member of cluster "lab"/],
      [['diff', LAB, '--cluster', 'lab', '--live', join(dir, 'missing.xml')], /HA5001: cannot read .*missing\.xml: ENOENT/],
      [['diff', LAB, '--cluster', 'lab', '--live', '-'], /^<stdin>:2:8: error HA5002: <stdin> is not well-formed XML: <\/b> closes <a>/, '<cib>\n  <a></b>\n</cib>'],
      [['diff', LAB, '--cluster', 'lab', '--live', '-'], /^<stdin>:1:1: error HA5002: .*DOCTYPE declaration is not allowed/, '<!DOCTYPE cib [<!ENTITY x "y">]><cib/>'],
      [['diff', LAB, '--cluster', 'lab', '--live', '-'], /HA5003: live CIB \(stdin\) is not a CIB: the root element is <status>/, '<status/>'],
      [['diff', '--from', join(dir, 'compiled.xml')], /HA5106/],
      [['diff', LAB, '--from', join(dir, 'compiled.xml'), '--live', join(dir, 'compiled.xml')], /HA5106/],
    ];
    for (const [args, re, input] of cases) {
      const r = await hactlIn(args, input === undefined ? {} : { input });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, re, args.join(' '));
      assert.equal(r.stdout, '');
    }
  });

  it('exits 2 for an invalid topology, with its diagnostics', async () => {
    const bad = file('bad.yaml', readFileSync(LAB, 'utf8').replace('name: lab', 'name: Lab!'));
    const r = await hactlIn(['diff', bad, '--cluster', 'lab', '--live', join(dir, 'compiled.xml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error HA2/);
  });
});

describe('hactl diff --from A --live B', () => {
  it('compares two saved CIBs, masks secrets, and exits 1 on drift', async () => {
    const a = file('a.xml', compiled.replace('name="status_file" value="/run/fence_dummy.status"/>', 'name="status_file" value="/run/fence_dummy.status"/><nvpair id="pw1" name="passwd" value="s3cret-old"/>'));
    const b = file('b.xml', compiled.replace('name="status_file" value="/run/fence_dummy.status"/>', 'name="status_file" value="/run/fence_dummy.status"/><nvpair id="pw1" name="passwd" value="s3cret-new"/>'));
    for (const extra of [[], ['--json']]) {
      const r = await hactlIn(['diff', '--from', a, '--live', b, ...extra]);
      assert.equal(r.code, 1, r.stderr);
      assert.doesNotMatch(r.stdout + r.stderr, /s3cret/);
      assert.match(r.stdout, /\*\*\*\*\*\*\*\*/);
    }
    assert.equal((await hactlIn(['diff', '--from', a, '--live', a])).code, 0);
  });

  it('exits 2 for a missing --ssh-config file', async () => {
    const r = await hactlIn(['diff', LAB, '--cluster', 'lab', '--node', 'n1', '--ssh-config', join(dir, 'nope')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HA5208/);
  });
});
