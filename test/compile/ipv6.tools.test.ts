/**
 * pcs on the IPv6 fixture (test/compile/fixtures/ipv6.yaml), without the whole pacemaker.tools
 * run: every command of the compiled pcs.sh that carries an IPv6 literal (the IPaddr2 VIPs with
 * their /64, the IPMI fence devices, the remote nodes' server, the ping clone's host_list, the OVN
 * databases' master_ip) runs with `pcs -f` on an empty CIB, and each resource it makes is the
 * one hactl's cib.xml holds (compared as pacemaker.tools compares whole CIBs). pcs splits its
 * `name=value` words at the first `=` and takes the colons of an IPv6 value as they are; this
 * checks that nothing on the way (quoting, a value with spaces) changes them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { el, type XmlElement } from '../../src/xml/tree.js';
import { serializeXml } from '../../src/xml/serialize.js';
import { ROOT } from '../helpers/cli.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';

const skip = needTools(['pcs', 'cibadmin']);
const FILE = 'test/compile/fixtures/ipv6.yaml';
const work = mkdtempSync(join(tmpdir(), 'hactl-ipv6-pcs-'));
after(() => rmSync(work, { recursive: true, force: true }));

const loaded = loadTopology(readFileSync(join(ROOT, FILE), 'utf8'), FILE);
const artifacts = loaded.ok && loaded.model ? compile(loaded.model, ['cib', 'pcs']) : [];
const fileOf = (name: string) => artifacts.find((a) => a.path === `clusters/controllers/${name}`)?.content ?? assert.fail(`no clusters/controllers/${name}`);

const resourcesOf = (cibXml: string): XmlElement[] =>
  parse(cibXml).children.find((c) => c.name === 'configuration')!.children.find((c) => c.name === 'resources')!.children;
const canonical = (e: XmlElement) => canonicalText(normalizeConfiguration(el('configuration', {}, [el('resources', {}, [e])])));

test('every pcs command carrying an IPv6 address builds with pcs -f the resource hactl\'s CIB holds', { skip }, () => {
  assert.ok(loaded.ok, JSON.stringify(loaded.diagnostics.map((d) => `${d.code} ${d.message}`)));
  const lines = fileOf('pcs.sh').split('\n');
  const command = /^run(_for_agent \S+)? /;
  const first = lines.findIndex((l) => command.test(l));
  assert.ok(first > 0, 'pcs.sh has a prelude and commands');
  const v6 = lines.filter((l) => command.test(l) && l.includes('2001:db8:'));
  // The resources of hactl's CIB that hold an IPv6 literal anywhere: the ones to compare.
  const expected = resourcesOf(fileOf('cib.xml')).filter((r) => serializeXml(r).includes('2001:db8:'));
  assert.deepEqual(
    expected.map((r) => r.attrs.id).sort(),
    ['cl_ovn-dbs', 'cl_ping_management', 'cmp1', 'cmp2', 'p_ip_internal', 'p_ip_ovn', 'p_ip_public', 'st_cmp1', 'st_cmp2', 'st_ctl1', 'st_ctl2', 'st_ctl3'],
  );
  assert.equal(v6.length, expected.length, v6.join('\n'));

  const script = join(work, 'pcs-ipv6.sh');
  writeFileSync(script, [...lines.slice(0, first), ...v6, ''].join('\n'));
  const cibFile = join(work, 'pcs.xml');
  writeFileSync(cibFile, execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' }));
  const r = runCommand('bash', [script, cibFile], { timeoutMs: 300_000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.doesNotMatch(r.stdout + r.stderr, /deprecat/i);

  const built = new Map(resourcesOf(readFileSync(cibFile, 'utf8')).map((e) => [e.attrs.id!, e]));
  assert.deepEqual([...built.keys()].sort(), expected.map((e) => e.attrs.id).sort());
  for (const e of expected) assert.equal(canonical(built.get(e.attrs.id!)!), canonical(e), e.attrs.id);
  // The addresses themselves, as pcs wrote them.
  assert.match(serializeXml(built.get('p_ip_internal')!), /name="ip" value="2001:db8:10::10"[\s\S]*name="cidr_netmask" value="64"|name="cidr_netmask" value="64"[\s\S]*name="ip" value="2001:db8:10::10"/);
  assert.match(serializeXml(built.get('cl_ping_management')!), /name="host_list" value="2001:db8:10::31 2001:db8:10::32 2001:db8:10::33"/);
});
