/**
 * IPv6 end to end in the files (test/compile/fixtures/ipv6.yaml: the current profile on
 * 2001:db8::/32 only): goldens of every node file; `corosync -t` as each member in a namespace
 * holding its IPv6 addresses (and refusing ip_version ipv4, so the ip_version line matters);
 * haproxy -c, strict configparser and ceph-conf read the files back; and wherever an address and a
 * port or path are joined, the IPv6 literal is in brackets (an unbracketed 2001:db8:10::10:5000 is
 * itself an address, of another host).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { loadTopology } from '../../src/load.js';
import { contains, parseCidr } from '../../src/util/ip.js';
import { ROOT } from '../helpers/cli.js';
import { expectGoldenTree, expectNoStaleGoldens } from '../helpers/golden.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseIni } from './helpers.js';

const skip = needTools(['corosync', 'ip', 'unshare', 'haproxy', 'python3', 'ceph-conf'], { root: 'network and mount namespaces' });
const FILE = 'test/compile/fixtures/ipv6.yaml';
const GOLDEN = join(ROOT, 'test', 'files', 'golden-ipv6');
const TEST_NET = parseCidr('2001:db8::/32');
const tmp = mkdtempSync(join(tmpdir(), 'hactl-ipv6-'));
const namespaces: string[] = [];
after(() => {
  for (const ns of namespaces) runCommand('ip', ['netns', 'delete', ns]);
  rmSync(tmp, { recursive: true, force: true });
});

const r = loadTopology(readFileSync(join(ROOT, FILE), 'utf8'), FILE);
const t = r.model?.topology;
const artifacts = r.ok && r.model ? emitNodeFiles(r.model) : [];
const files = new Map(artifacts.map((a) => [a.path, a.content]));
const fileOf = (node: string, target: string): string => files.get(`nodes/${node}${target}`) ?? assert.fail(`no ${target} on ${node}`);

function write(rel: string, content: string): string {
  const p = join(tmp, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
}

test('the IPv6 fixture validates and its node files match the goldens', () => {
  assert.ok(r.ok, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`)));
  expectGoldenTree(GOLDEN, artifacts);
  expectNoStaleGoldens(GOLDEN);
});

test('every IPv6 literal joined with a port or a path is bracketed', () => {
  const known = new Set([...Object.values(t!.nodes).flatMap((n) => Object.values(n.addresses)), ...Object.values(t!.clusters).flatMap((c) => Object.values(c.vips).map((v) => v.address))]);
  let bracketed = 0;
  for (const [path, text] of files) {
    for (const m of text.matchAll(/(\[?)(2001:db8:[0-9a-f:]*)(\]?)(\/\d+)?/g)) {
      const [, open, literal, close, prefix] = m;
      if (open && close) {
        bracketed++;
        continue;
      }
      // Unbracketed: only an address standing alone (a bind address, ring0_addr) or a network.
      assert.ok(prefix || known.has(literal!), `${path}: ${literal} is no address of the topology: a port joined to an IPv6 literal without brackets?`);
    }
  }
  assert.ok(bracketed > 100, `only ${bracketed} bracketed literals`);
  assert.match(fileOf('ctl1', '/etc/keystone/keystone.conf.d/60-hactl.conf'), /^memcache_servers = inet6:\[2001:db8:10::11\]:11211,inet6:\[2001:db8:10::12\]:11211,inet6:\[2001:db8:10::13\]:11211$/m);
});

test('corosync -t accepts each member with ip_version ipv6 in a namespace holding its IPv6 addresses, and refuses ip_version ipv4', { skip }, () => {
  const key = join(tmp, 'etc-corosync');
  mkdirSync(key, { recursive: true });
  writeFileSync(join(key, 'authkey'), randomBytes(256), { mode: 0o400 });
  const check = (ns: string, conf: string) => runCommand('ip', ['netns', 'exec', ns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', 'mount -n --bind "$1" /etc/corosync && exec corosync -t -c "$2"', 'sh', key, conf]);
  const c = t!.clusters.controllers!;
  for (const member of c.nodes) {
    const ns = `hactl-v6-${member}`;
    runCommand('ip', ['netns', 'delete', ns]);
    const step = (args: string[]) => {
      const res = runCommand('ip', args);
      assert.equal(res.code, 0, `ip ${args.join(' ')}: ${res.stderr}`);
    };
    step(['netns', 'add', ns]);
    namespaces.push(ns);
    step(['-n', ns, 'link', 'set', 'lo', 'up']);
    step(['-n', ns, 'link', 'add', 'hv0', 'type', 'veth', 'peer', 'name', 'hv1']);
    for (const a of c.links.map((l) => t!.nodes[member]!.addresses[l]!)) {
      assert.ok(contains(TEST_NET, a), `refusing to configure ${a}: IPv6 test addresses are in 2001:db8::/32 only`);
      step(['-n', ns, 'addr', 'add', `${a}/128`, 'dev', 'hv0', 'nodad']);
    }
    step(['-n', ns, 'link', 'set', 'hv0', 'up']);
    step(['-n', ns, 'link', 'set', 'hv1', 'up']);
    const text = fileOf(member, '/etc/corosync/corosync.conf');
    assert.match(text, /^ {4}ip_version: ipv6$/m);
    const ok = check(ns, write(`${member}.conf`, text));
    assert.equal(ok.code, 0, `corosync -t for ${member}: ${ok.stderr}`);
    const v4 = check(ns, write(`${member}-v4.conf`, text.replace('ip_version: ipv6', 'ip_version: ipv4')));
    assert.equal(v4.code, 8, 'with ip_version ipv4 corosync cannot use the IPv6 ring addresses');
  }
});

test('haproxy -c, strict configparser and ceph-conf read the IPv6 files', { skip }, () => {
  const cfg = fileOf('ctl1', '/etc/haproxy/haproxy.cfg');
  const h = runCommand('haproxy', ['-c', '-f', write('haproxy.cfg', cfg)]);
  assert.equal(h.code, 0, h.stderr + h.stdout);
  assert.match(cfg, /bind \[2001:db8:10::10\]:5000 transparent/);
  assert.match(cfg, /server ctl2 \[2001:db8:10::12\]:5000 check/);
  const dropins = [...files.keys()].filter((p) => p.startsWith('nodes/ctl1/') && p.includes('.conf.d/'));
  assert.ok(dropins.length >= 5);
  const ini = parseIni(dropins.map((p) => write(p, files.get(p)!)));
  const nova = ini[join(tmp, 'nodes/ctl1/etc/nova/nova.conf.d/60-hactl.conf')]!;
  assert.match(nova.DEFAULT!.transport_url!, /^rabbit:\/\/openstack:\{\{secret:rabbitmq\|url\|oslo\}\}@\[2001:db8:10::11\]:5672,/);
  assert.match(nova.api_database!.connection!, /@\[2001:db8:10::10\]\/nova_api$/);
  const ceph = write('ceph.conf', fileOf('ctl1', '/etc/ceph/ceph.conf'));
  const look = (key: string) => runCommand('ceph-conf', ['-c', ceph, '--lookup', key]).stdout.trim();
  assert.equal(look('mon_host'), '[2001:db8:20::75],[2001:db8:20::76],[2001:db8:20::77]');
  assert.equal(look('ms_bind_ipv6'), 'true');
  assert.equal(look('ms_bind_ipv4'), 'false');
});
