/**
 * `hactl import --node` on a real 3-node cluster (test/testbed instance 5) configured by hand with
 * crmsh in the OpenStack HA Guide's style (p_ip_api, g_mysql, cl_haproxy, c_…, o_…, l_…): the
 * imported topology compiles to what runs (diff: no drift), its first apply changes no resource,
 * constraint or file (only hactl's ownership record is written) and the second changes nothing at
 * all (same epoch); a topology without one imported service removes only that one; an object
 * made by hand after the import is left alone. (adopt.cluster.test.ts covers a `crm resource
 * stop` surviving and objects that differ from the topology.)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { hactl, ROOT } from '../helpers/cli.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 5;
const skip = testbedSkip();

/** What an operator following the HA Guide types into crmsh (no hactl involved). */
const HA_GUIDE = `property cib-bootstrap-options: stonith-enabled=true dc-deadtime=5s cluster-recheck-interval=5min
rsc_defaults rsc-options: resource-stickiness=100 migration-threshold=3
op_defaults op-options: timeout=60s
primitive st_n1 stonith:fence_dummy params pcmk_host_list=n1 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s timeout=20s
primitive st_n2 stonith:fence_dummy params pcmk_host_list=n2 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s timeout=20s
primitive st_n3 stonith:fence_dummy params pcmk_host_list=n3 pcmk_host_check=static-list pcmk_host_argument=none status_file=/run/fence_dummy.status op monitor interval=60s timeout=20s
location l_st_n1 st_n1 -inf: n1
location l_st_n2 st_n2 -inf: n2
location l_st_n3 st_n3 -inf: n3
primitive p_ip_api IPaddr2 params ip=203.0.113.50 cidr_netmask=26 nic=eth0 op monitor interval=10s timeout=20s
primitive p_fs_mysql ocf:pacemaker:Dummy op monitor interval=20s timeout=40s
primitive p_mysql ocf:pacemaker:Dummy op monitor interval=20s timeout=30s
group g_mysql p_fs_mysql p_mysql
primitive p_haproxy ocf:pacemaker:Dummy op monitor interval=10s timeout=20s
clone cl_haproxy p_haproxy meta interleave=true
primitive p_memcached ocf:pacemaker:Dummy op monitor interval=30s timeout=30s
colocation c_mysql_with_ip_api inf: g_mysql p_ip_api
order o_ip_api_before_mysql Mandatory: p_ip_api g_mysql
`;

/** Resources and constraints, canonical. */
function objects(cibXml: string): string {
  const conf = parse(cibXml).children.find((c) => c.name === 'configuration')!;
  const keep = conf.children.filter((c) => ['resources', 'constraints', 'rsc_defaults', 'op_defaults', 'fencing-topology'].includes(c.name));
  return canonicalText(normalizeConfiguration({ name: 'configuration', attrs: {}, children: keep }));
}

/** The configuration without hactl's ownership record, canonical. */
function configuration(cibXml: string): string {
  const conf = parse(cibXml).children.find((c) => c.name === 'configuration')!;
  const crm = conf.children.find((c) => c.name === 'crm_config');
  if (crm) crm.children = crm.children.filter((s) => s.attrs.id !== 'hactl-ownership');
  return canonicalText(normalizeConfiguration(conf));
}

describe('hactl import of a cluster configured by hand with crmsh', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let imported: string;
  const apply = (file: string, ...extra: string[]) => hactl(['apply', file, '--all', '--ssh-config', tb.sshConfig, ...extra]);
  const cib = () => tb.run('n1', ['cibadmin', '--query']);
  const epochOf = (text: string) => /<cib [^>]*\bepoch="(\d+)"/.exec(text)![1];
  const owned = (text: string) => /name="hactl-owned" value="([^"]*)"/.exec(text)?.[1];

  before(() => {
    work = mkdtempSync('/tmp/hactl-import-live-');
    // Only to bring the testbed's corosync up (its corosync.conf and key); the Pacemaker
    // configuration is the operator's, below.
    const lab = join(work, 'lab.yaml');
    const doc = parseDocument(readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8').replaceAll('198.51.100.', '203.0.113.'));
    writeFileSync(lab, doc.toString());
    assert.equal(hactl(['keygen', join(work, 'authkey')]).code, 0);
    const c = hactl(['compile', lab, '-o', join(work, 'out')]);
    assert.equal(c.code, 0, c.stderr);
    tb = Testbed.up({ id: ID, nodes: 3, corosyncConf: join(work, 'out', 'nodes', 'n1', 'etc', 'corosync', 'corosync.conf'), authkey: join(work, 'authkey') });
    tb.waitOnline(120);
    writeFileSync(join(work, 'ha-guide.crm'), HA_GUIDE);
    const load = tb.exec('n1', ['crm', 'configure', 'load', 'update', join(work, 'ha-guide.crm')]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
    tb.run('n1', ['crm_resource', '--wait', '--timeout', '120s']);
    imported = join(work, 'imported.yaml');
  });
  after(() => {
    tb?.down();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('imports the live CIB and corosync.conf over SSH: ids kept, nodes and links typed, no drift', () => {
    const r = hactl(['import', '--node', 'n1', '--ssh-config', tb.sshConfig, '-o', imported]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning|error/);
    const text = readFileSync(imported, 'utf8');
    assert.match(text, /^name: lab$/m);
    assert.match(text, /management: 203\.0\.113\.0\/24 {2}# ring0_addr of corosync\.conf/);
    assert.match(text, /n2:\n {4}roles: \[controller\][^\n]*\n {4}addresses: \{ management: 203\.0\.113\.12 \}\n {4}nodeid: 2 /);
    // Typed resources keep their ids under cib:, raw ones in their XML.
    for (const id of ['g_mysql', 'c_mysql_with_ip_api', 'o_ip_api_before_mysql', 'l_st_n1', 'st_n1']) assert.match(text, new RegExp(`id="${id}"`));
    assert.match(text, /memcached:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}cib: [^\n]*\n {10}id: p_memcached\n/);
    assert.match(text, /id: p_haproxy\n[\s\S]*?clone_id: cl_haproxy\n/);
    assert.match(text, /ip-api:\n {8}agent: "ocf:heartbeat:IPaddr2"\n {8}params:\n {10}cidr_netmask: "26"\n {10}ip: 203\.0\.113\.50\n {10}nic: eth0\n {8}cib: [^\n]*\n {10}id: p_ip_api\n/);
    assert.match(text, /properties:\n {6}cluster-recheck-interval: 5min\n {6}dc-deadtime: 5s\n/);
    const d = hactl(['diff', imported, '--cluster', 'lab', '--node', 'n1', '--ssh-config', tb.sshConfig]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
  });

  it('the first apply changes no object (only the ownership record), the second nothing at all', () => {
    const before = cib();
    const r = apply(imported, '--yes');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /adopts \(records as hactl's; they already match the topology\): [^\n]*cl_haproxy[^\n]*g_mysql[^\n]*p_ip_api/);
    const after = cib();
    assert.equal(objects(after), objects(before), 'no resource, constraint or default changed');
    // The whole configuration apart from the record (nodes, properties, defaults included).
    assert.equal(configuration(after), configuration(before), `epoch ${epochOf(before)} -> ${epochOf(after)}:\n${r.stdout}`);
    assert.match(owned(after)!, /c_mysql_with_ip_api .*cl_haproxy .*g_mysql .*p_ip_api/);
    const epoch = epochOf(after);
    const again = apply(imported, '--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.equal(epochOf(cib()), epoch, 'second apply: CIB epoch unchanged');
  });

  it('a topology without one imported service removes only that one; an object made by hand after the import stays', () => {
    tb.run('n1', ['crm', 'configure', 'primitive', 'p_handmade', 'ocf:pacemaker:Dummy']);
    const doc = parseDocument(readFileSync(imported, 'utf8'));
    assert.ok(doc.deleteIn(['clusters', 'lab', 'services', 'memcached']), 'memcached is a typed service');
    const smaller = join(work, 'smaller.yaml');
    writeFileSync(smaller, doc.toString());
    const before = cib();
    const r = apply(smaller, '--yes', '--allow-disruption');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = cib();
    assert.doesNotMatch(after.slice(0, after.indexOf('<status')), /id="p_memcached"/);
    assert.match(after, /id="p_handmade"/);
    assert.doesNotMatch(owned(after)!, /p_memcached|p_handmade/);
    const rest = (x: string) => objects(x.replace(/<primitive id="p_memcached"[\s\S]*?<\/primitive>/, '').replace(/<primitive id="p_handmade"[^>]*\/>|<primitive id="p_handmade"[\s\S]*?<\/primitive>/, ''));
    assert.equal(rest(after), rest(before));
  });
});
