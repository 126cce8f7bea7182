/**
 * Catalogue services on import (src/import/catalog.ts), offline: a CIB and a saved tree of node
 * files compiled from a topology of the current profile's building blocks (HAProxy carrying a VIP,
 * memcached) import back as those catalogue services with --release and --files, and the
 * imported topology compiles to the same CIB (no drift) and the same node files, byte for byte.
 * One file that differs, one missing, one CIB object that differs, no release, no files, a boot
 * unit apply would mask (Galera's mariadb) whose state a saved tree does not tell: the service
 * stays custom, with a comment saying which file, object or unit, or what import lacks.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../src/compile/index.js';
import { declaredNodeTokens, diffCibs, ownedIdsOf } from '../../src/diff/index.js';
import { loadTopology } from '../../src/load.js';
import { parseXml } from '../../src/xml/parse.js';
import { hactlIn } from '../helpers/cli.js';

const topology = (services: string) => `name: lab
openstack: { release: "2025.1" }
networks:
  management: 203.0.113.0/24
nodes:
  n1: { roles: [controller], addresses: { management: 203.0.113.11 }, nodeid: 1 }
  n2: { roles: [controller], addresses: { management: 203.0.113.12 }, nodeid: 2 }
  n3: { roles: [controller], addresses: { management: 203.0.113.13 }, nodeid: 3 }
clusters:
  lab:
    nodes: [n1, n2, n3]
    links: [management]
    fencing: { enabled: false, reason: "an offline test of import only" }
    vips:
      internal: { network: management, address: 203.0.113.50 }
    services:
${services}`;
const TOPOLOGY = topology('      haproxy: { vip: internal }\n      memcached: {}\n');

/** Compiles a topology in process: its CIB and every node file by `node/path`. */
function compiled(text: string): { cib: string; files: Map<string, string> } {
  const r = loadTopology(text, 'catalog.yaml');
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message} ${d.pointer}`).join('\n'));
  const files = new Map<string, string>();
  let cib = '';
  for (const a of compile(r.model, ['cib', 'files'])) {
    if (a.node) files.set(`${a.node.node}${a.node.target}`, a.content);
    else if (a.path.endsWith('/cib.xml')) cib = a.content;
  }
  return { cib, files };
}

/** A service's block in the imported topology, up to the next service or section. */
function block(text: string, name: string): string {
  const m = new RegExp(`\\n {6}${name}:[^\\n]*\\n(( {8}[^\\n]*|)\\n)*`).exec(text);
  assert.ok(m, `no service ${name} in\n${text}`);
  return m[0];
}

describe('import types catalogue services when their CIB objects and node files are proven', () => {
  let dir: string;
  let source: { cib: string; files: Map<string, string> };
  const cibFile = () => join(dir, 'cib.xml');
  const corosync = () => join(dir, 'corosync.conf');
  /** Writes the saved tree DIR/<node>/<path>, with some files changed (undefined: left out). */
  function tree(name: string, change: Record<string, string | undefined> = {}): string {
    const root = join(dir, name);
    for (const [key, content] of source.files) {
      const body = key in change ? change[key] : content;
      if (body === undefined) continue;
      mkdirSync(dirname(join(root, key)), { recursive: true });
      writeFileSync(join(root, key), body);
    }
    return root;
  }
  const run = (...extra: string[]) => hactlIn(['import', '--cib', cibFile(), '--corosync-conf', corosync(), ...extra]);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-import-catalog-'));
    source = compiled(TOPOLOGY);
    writeFileSync(cibFile(), source.cib);
    writeFileSync(corosync(), source.files.get('n1/etc/corosync/corosync.conf')!);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the nodes as compiled: haproxy and memcached are the catalogue services; the topology compiles to the same CIB and node files', async () => {
    const r = await run('--release', '2025.1', '--files', tree('same'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^openstack: \{ release: "2025\.1" \} {2}# from --release: no CIB records it$/m);
    assert.match(block(r.stdout, 'memcached'), /^\n {6}memcached: \{\} {2}# the catalogue service: its CIB objects \(ids kept\) and node files are what runs\n$/);
    // HAProxy's VIP: the colocation and order it derives, claimed from the CIB.
    assert.match(block(r.stdout, 'haproxy'), /^\n {6}haproxy: {2}# the catalogue service[^\n]*\n {8}# from the constraints c_ip_internal_with_haproxy, o_haproxy_before_ip_internal\n {8}vip: internal\n$/);
    assert.doesNotMatch(r.stdout, /^ +agent:|^ {4}raw_cib:/m);
    const back = compiled(r.stdout);
    const live = parseXml(source.cib);
    const mine = parseXml(back.cib);
    assert.ok(live.ok && mine.ok);
    const d = diffCibs(mine.root, live.root, { name: 'adopted', recorded: new Set(ownedIdsOf(mine.root)), nodePairs: new Set(declaredNodeTokens(mine.root)), intent: new Map(), ownsExtra: () => true });
    assert.ok(d.ok && !d.diff.drift && d.diff.changes.length === 0, JSON.stringify(d));
    assert.deepEqual([...back.files.keys()].sort(), [...source.files.keys()].sort());
    for (const [key, content] of source.files) assert.equal(back.files.get(key), content, key);
  });

  it('one file that differs or is missing keeps its service custom, with a comment naming the file and node', async () => {
    const memcached = source.files.get('n2/etc/memcached.conf')!;
    const r = await run('--release', '2025.1', '--files', tree('changed', { 'n2/etc/memcached.conf': memcached.replace('-c 4096', '-c 1024'), 'n3/etc/haproxy/haproxy.cfg': undefined }));
    assert.equal(r.code, 0, r.stderr);
    const m = block(r.stdout, 'memcached');
    assert.match(m, /^\n {6}memcached:\n {8}# not the catalogue service memcached: \/etc\/memcached\.conf on n2 differs from the one it writes \(the saved files in [^)]*changed\)\n {8}agent: "systemd:memcached"\n {8}mode: active-active\n/);
    assert.match(m, /\n {10}id: p_memcached\n[\s\S]*clone_id: cl_memcached\n/);
    assert.match(block(r.stdout, 'haproxy'), /^\n {6}haproxy:\n {8}# not the catalogue service haproxy: it writes \/etc\/haproxy\/haproxy\.cfg on n3, which n3 does not have \(the saved files in [^)]*\)\n {8}agent: "systemd:haproxy"\n/);
    assert.doesNotMatch(r.stdout, /^openstack:/m);
    // What stays custom compiles to what runs too.
    assert.ok(loadTopology(r.stdout, 'x').ok);
    const one = await run('--release', '2025.1', '--files', tree('changed2', { 'n2/etc/memcached.conf': memcached.replace('-c 4096', '-c 1024') }));
    assert.match(block(one.stdout, 'haproxy'), /^\n {6}haproxy: {2}# the catalogue service/);
    assert.match(block(one.stdout, 'memcached'), /^\n {6}memcached:\n {8}# not the catalogue service memcached: /);
    assert.match(one.stdout, /^openstack: \{ release: "2025\.1" \}/m);
  });

  it('a CIB object that differs from the catalogue service keeps it custom, naming the object', async () => {
    writeFileSync(join(dir, 'cib2.xml'), source.cib.replace('id="p_memcached-monitor-interval-30s" name="monitor" interval="30s" timeout="30s"', 'id="p_memcached-monitor-interval-30s" name="monitor" interval="30s" timeout="40s"'));
    const r = await hactlIn(['import', '--cib', join(dir, 'cib2.xml'), '--corosync-conf', corosync(), '--release', 'epoxy', '--files', tree('same2')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(block(r.stdout, 'memcached'), /^\n {6}memcached:\n {8}# not the catalogue service memcached: typed so, it would compile primitive p_memcached \(other than the cluster has it\)\n {8}agent: "systemd:memcached"\n/);
    assert.match(r.stdout, /^openstack: \{ release: epoxy \}/m);
  });

  it('without --release or without the files: custom services, each comment saying what import needs', async () => {
    const noRelease = await run('--files', tree('same3'));
    assert.equal(noRelease.code, 0, noRelease.stderr);
    assert.doesNotMatch(noRelease.stdout, /^openstack:/m);
    for (const [name, agent] of [['haproxy', 'systemd:haproxy'], ['memcached', 'systemd:memcached']]) {
      assert.match(block(noRelease.stdout, name!), new RegExp(`^\\n {6}${name}:\\n {8}# runs ${agent}, the agent of the catalogue service ${name} of releases 2024\\.1, 2024\\.2, 2025\\.1, 2025\\.2: import tries that service only with --release RELEASE \\(no CIB records the release\\)\\n`));
    }
    const noFiles = await run('--release', '2025.1');
    assert.equal(noFiles.code, 0, noFiles.stderr);
    assert.match(block(noFiles.stdout, 'memcached'), /# not the catalogue service memcached: it writes \/etc\/memcached\.conf on n1, which import did not read \(import --node\/--cluster reads the nodes' files, --files DIR a saved copy\)\n/);
    assert.doesNotMatch(noFiles.stdout, /^openstack:/m);
  });

  it('Galera: its CIB objects and galera.cnf are the catalogue\'s, but apply would mask mariadb, whose state a saved tree does not tell: custom', async () => {
    const galera = compiled(topology('      galera: {}\n'));
    const at = join(dir, 'galera');
    mkdirSync(at);
    writeFileSync(join(at, 'cib.xml'), galera.cib);
    for (const [key, content] of galera.files) {
      mkdirSync(dirname(join(at, 'tree', key)), { recursive: true });
      writeFileSync(join(at, 'tree', key), content);
    }
    const r = await hactlIn(['import', '--cib', join(at, 'cib.xml'), '--corosync-conf', corosync(), '--release', '2025.1', '--files', join(at, 'tree')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(block(r.stdout, 'galera'), /^\n {6}galera:\n {8}# not the catalogue service galera: apply would leave the unit mariadb masked on n1, whose boot-time state import did not read \(import --node\/--cluster reads it\)\n {8}agent: "ocf:heartbeat:galera"\n {8}mode: promotable\n/);
  });

  it('refuses a release hactl does not know and --files that is no directory', async () => {
    const r = await run('--release', 'juno');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /error HA5561: --release juno is no release hactl writes for/);
    const f = await run('--files', join(dir, 'none'));
    assert.equal(f.code, 2);
    assert.match(f.stderr, /error HA5562: --files [^ ]*none is no directory/);
  });
});
