/**
 * `hactl import` on a real 3-node cluster (test/testbed instance 5) configured by hand with crmsh
 * in the OpenStack HA Guide's style (p_ip_api, g_mysql, cl_haproxy, c_…, o_…, l_…): imported over
 * SSH (--node, and TOPOLOGY --cluster from a topology saying where the cluster runs: the same
 * text), it compiles to what runs (diff: no drift); `--adopt` records the imported objects as
 * hactl's at import time in one CIB patch, so the first apply leaves the CIB as it is (same epoch;
 * it writes only hactl's /etc/hosts block);
 * a topology without one imported service removes only that one; an object made by hand after
 * the import is left alone. (adopt.cluster.test.ts covers a `crm resource stop` surviving and
 * objects that differ from the topology.)
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { hactl } from '../helpers/cli.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { down, epochOf, labTopology, upForApply, type Lab } from '../testbed/lab.js';
import { testbedSkip } from '../testbed/testbed.js';

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
  let lab: Lab;
  let imported: string;
  const apply = (file: string, ...extra: string[]) => hactl(['apply', file, '--all', '--ssh-config', lab.tb.sshConfig, ...extra]);
  const cib = () => lab.tb.run('n1', ['cibadmin', '--query']);
  const owned = (text: string) => /name="hactl-owned" value="([^"]*)"/.exec(text)?.[1];

  before(() => {
    // The lab topology only brings the testbed's corosync up (its corosync.conf and key) and says
    // where the cluster runs; the Pacemaker configuration is the operator's, below.
    // The key reaches the testbed only: the topology names none, as the imported one will not.
    lab = upForApply({ id: ID, name: 'import-live', topology: labTopology('lab.yaml', 1, ID), authkey: true });
    writeFileSync(join(lab.work, 'ha-guide.crm'), HA_GUIDE);
    const load = lab.tb.exec('n1', ['crm', 'configure', 'load', 'update', join(lab.work, 'ha-guide.crm')]);
    assert.equal(load.code, 0, load.stdout + load.stderr);
    lab.tb.settle('n1');
    imported = join(lab.work, 'imported.yaml');
  });
  after(() => down(lab));

  it('imports the live CIB and corosync.conf over SSH (--node, and a topology with --cluster): ids kept, typed where exact, no drift', () => {
    const r = hactl(['import', '--node', 'n1', '--ssh-config', lab.tb.sshConfig, '-o', imported]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stderr, /warning|error/);
    const text = readFileSync(imported, 'utf8');
    assert.match(text, /^name: lab$/m);
    assert.match(text, /management: 203\.0\.113\.0\/24 {2}# ring0_addr of corosync\.conf/);
    assert.match(text, /n2:\n {4}roles: \[controller\][^\n]*\n {4}addresses: \{ management: 203\.0\.113\.12 \}\n {4}nodeid: 2 /);
    // Typed resources keep their ids under cib:, raw ones in their XML (p_ip_api is no VIP of the
    // topology's network, so the constraints with it are no service's vip: either).
    for (const id of ['c_mysql_with_ip_api', 'o_ip_api_before_mysql']) assert.match(text, new RegExp(`id="${id}"`));
    assert.match(text, /\n {6}mysql:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}cib: [^\n]*\n {10}id: p_mysql\n[\s\S]*?group_id: g_mysql\n {10}group_members: [^\n]*\n {12}- id: p_fs_mysql\n/);
    // Each node's fence device, banned from its node, is the node's own fencing (ids kept); no levels.
    for (const n of ['n1', 'n2', 'n3']) {
      assert.match(text, new RegExp(`^ {2}${n}:\\n(?: {4}.*\\n)*? {4}fencing:\\n {6}agent: fence_dummy\\n[\\s\\S]*? {8}id: st_${n}\\n[\\s\\S]*? {8}location_id: l_st_${n} `, 'm'));
      assert.doesNotMatch(text, new RegExp(`id="(l_)?st_${n}"`));
    }
    assert.match(text, /^ {4}fencing:\n {6}enabled: true\n {6}levels: \{\}/m);
    assert.match(text, /memcached:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}cib: [^\n]*\n {10}id: p_memcached\n/);
    assert.match(text, /id: p_haproxy\n[\s\S]*?clone_id: cl_haproxy\n/);
    assert.match(text, /ip-api:\n {8}agent: "ocf:heartbeat:IPaddr2"\n {8}params:\n {10}cidr_netmask: "26"\n {10}ip: 203\.0\.113\.50\n {10}nic: eth0\n {8}cib: [^\n]*\n {10}id: p_ip_api\n/);
    assert.match(text, /properties:\n {6}cluster-recheck-interval: 5min\n {6}dc-deadtime: 5s\n/);
    const d = hactl(['diff', imported, '--cluster', 'lab', '--node', 'n1', '--ssh-config', lab.tb.sshConfig]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    // The same cluster found through the lab topology (its members' addresses): the same topology.
    const viaTopology = hactl(['import', lab.topo, '--cluster', 'lab', '--ssh-config', lab.tb.sshConfig]);
    assert.equal(viaTopology.code, 0, viaTopology.stderr);
    const body = (s: string) => s.slice(s.indexOf('\n') + 1);
    assert.match(viaTopology.stdout, /^# Imported by hactl import from the live CIB of n1 \(cluster lab of /);
    assert.equal(body(viaTopology.stdout), body(text));
  });

  it('import --adopt records ownership in one patch at import time; the first apply after it leaves the CIB as it is (epoch unchanged)', () => {
    const before = cib();
    const r = hactl(['import', lab.topo, '--cluster', 'lab', '--ssh-config', lab.tb.sshConfig, '--adopt', '-o', imported, '--force']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /adopted \d+ object\(s\) recorded as hactl's on n1 \(CIB 0\.\d+\.\d+, one patch\): [^\n]*cl_haproxy[^\n]*g_mysql[^\n]*p_ip_api/);
    const adopted = cib();
    // The import wrote (apply's push: the patch's target epoch is one up, and the CIB manager
    // counts the patched configuration once more, 7 -> 9 as for an apply's push).
    assert.ok(Number(epochOf(adopted)) > Number(epochOf(before)), 'the record was written at import time');
    // The whole configuration apart from the record (nodes, properties, defaults included).
    assert.equal(configuration(adopted), configuration(before));
    assert.match(owned(adopted)!, /c_mysql_with_ip_api .*cl_haproxy .*g_mysql .*p_ip_api/);
    // The first apply writes hactl's /etc/hosts block (a node file, no CIB change).
    const first = apply(imported, '--yes');
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.doesNotMatch(first.stdout, /adopts/);
    assert.equal(epochOf(cib()), epochOf(adopted), `first apply after the import: CIB epoch unchanged\n${first.stdout}`);
    assert.equal(objects(cib()), objects(before), 'no resource, constraint or default changed');
    const again = apply(imported, '--yes');
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /nothing to do/);
    assert.equal(epochOf(cib()), epochOf(adopted), 'second apply: CIB epoch unchanged');
  });

  it('a topology without one imported service removes only that one; an object made by hand after the import stays', () => {
    lab.tb.run('n1', ['crm', 'configure', 'primitive', 'p_handmade', 'ocf:pacemaker:Dummy']);
    const doc = parseDocument(readFileSync(imported, 'utf8'));
    assert.ok(doc.deleteIn(['clusters', 'lab', 'services', 'memcached']), 'memcached is a typed service');
    const smaller = join(lab.work, 'smaller.yaml');
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
