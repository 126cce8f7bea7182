/**
 * `hactl import` round trip: for a CIB C, import C -> validate (no error) -> compile -> the diff of
 * the compiled CIB against C reports no drift. Over every CIB of Pacemaker's own test corpus
 * (counted by where the trip stops and why), and over CIBs that crmsh and pcs build from their own
 * syntax. A secret in the CIB never reaches the topology or the output.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';
import { roundTrip } from './roundtrip.js';

const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'pacemaker-cts');
const SECRET = 's3cr3t-Value';

/**
 * Why each way a corpus CIB is not held is left so (the report prints it beside the count):
 * whether the topology's format cannot hold such a cluster, or hactl does not hold it yet.
 */
const WHY: [RegExp, string][] = [
  [/no corosync nodeid/, 'format: Pacemaker 2 runs on corosync 2+ only, whose members have their corosync nodeid as CIB node id; uuids (heartbeat) and names (cman, the corosync 1 plugin) are ids of stacks Pacemaker 2 dropped, and 32-bit address-derived ids are beyond the 16-bit ids of corosync 3 knet, which hactl writes'],
  [/twice in its utilization|#health|attribute score/, 'nodes: a name in two sets of a node (which wins depends on their order), #-attribute names and node scores are not held yet'],
  [/HA3015/, 'format: one member (TripleO test clusters with remote nodes): a topology cluster has two or more'],
  [/configuration a topology has no place for/, 'format: <cib remote-tls-port/remote-clear-port> opens the CIB manager to the network; the topology holds no such setting'],
  [/not a CIB/, 'input: crm_verify\'s deliberately broken files'],
  [/HA3017/, 'refused on purpose: fencing on (the default) without any fence device, a cluster that starts nothing (crm_verify errs)'],
  [/HA3180/, 'catalogue: node-health-red=-INFINITY is Pacemaker\'s own default but the option is typed integer'],
  [/drift: changed resources/, 'secrets: the passwords are lrm:// in the topology; the cluster holds them once `cibsecret set` has run'],
];

const COROSYNC = `totem {
  version: 2
  cluster_name: ha-guide
  transport: knet
}
nodelist {
  node {
    ring0_addr: 198.51.100.11
    ring1_addr: 203.0.113.11
    name: n1
    nodeid: 1
  }
  node {
    ring0_addr: 198.51.100.12
    ring1_addr: 203.0.113.12
    name: n2
    nodeid: 2
  }
}
quorum {
  provider: corosync_votequorum
  two_node: 1
}
`;

/** An OpenStack-HA-Guide-style configuration in crmsh's syntax. */
const CRM = `node 1: n1 attributes rack=r1
node 2: n2 attributes rack=r2
primitive p_ip_api IPaddr2 params ip=198.51.100.10 cidr_netmask=24 op monitor interval=10s timeout=20s
primitive p_mysql ocf:pacemaker:Dummy op monitor interval=20s timeout=30s
primitive p_fs_mysql ocf:pacemaker:Dummy
group g_mysql p_fs_mysql p_mysql
primitive p_haproxy ocf:pacemaker:Dummy op monitor interval=10s
primitive p_mysql_repl ocf:heartbeat:mysql params replication_user=repl replication_passwd=${SECRET} op monitor interval=30s timeout=30s
clone cl_haproxy p_haproxy meta interleave=true
primitive p_galera ocf:pacemaker:Stateful op monitor interval=10s role=Promoted op monitor interval=11s role=Unpromoted
clone ms_galera p_galera meta promotable=true promoted-max=1 notify=true
primitive st_n1 stonith:fence_ipmilan params ip=198.51.100.201 username=admin password=${SECRET} lanplus=1 pcmk_host_list=n1 op monitor interval=60s
primitive st_n2 stonith:fence_ipmilan params ip=198.51.100.202 username=admin password=${SECRET} pcmk_host_list=n2 op monitor interval=60s
primitive st_pdu stonith:fence_apc_snmp params ip=198.51.100.240 username=apc password=${SECRET} pcmk_host_map="n1:1;n2:2" op monitor interval=120s timeout=30s meta failure-timeout=10min
primitive st_lister stonith:fence_apc_snmp params ip=198.51.100.241 username=apc password=${SECRET}
location l_st_n1 st_n1 -inf: n1
location l_st_n2 st_n2 -inf: n2
colocation c_mysql_with_ip_api inf: g_mysql p_ip_api
order o_ip_api_before_mysql Mandatory: p_ip_api g_mysql
location l_mysql_rack g_mysql rule 100: rack eq r1
fencing_topology n1: st_n1 st_pdu n2: st_n2 st_pdu
tag t_db g_mysql ms_galera
property cib-bootstrap-options: stonith-enabled=true no-quorum-policy=stop cluster-recheck-interval=5min
rsc_defaults rsc-options: resource-stickiness=200 migration-threshold=2
op_defaults op-options: timeout=45s
alert a_log "/usr/share/pacemaker/alerts/alert_file.sh.sample" to /var/log/pcmk-alerts.log
`;

/** The same kind of configuration in pcs's syntax (pcs -f on a CIB file). */
const PCS = [
  ['property', 'set', 'stonith-enabled=false', 'cluster-recheck-interval=2min'],
  ['resource', 'defaults', 'update', 'resource-stickiness=100'],
  ['resource', 'create', 'p_ip_api', 'ocf:heartbeat:IPaddr2', 'ip=198.51.100.10', 'cidr_netmask=24', '--no-default-ops'],
  ['resource', 'create', 'p_web', 'ocf:pacemaker:Dummy', '--group', 'g_web'],
  ['resource', 'create', 'p_worker', 'ocf:pacemaker:Dummy', 'clone', 'interleave=true'],
  ['resource', 'create', 'p_db', 'ocf:pacemaker:Stateful', 'promotable', 'promoted-max=1'],
  ['constraint', 'colocation', 'add', 'g_web', 'with', 'p_ip_api', 'INFINITY', 'id=c_web_with_ip_api'],
  ['constraint', 'order', 'p_ip_api', 'then', 'g_web', 'id=o_ip_api_before_web'],
  ['constraint', 'location', 'g_web', 'prefers', 'n1=50'],
  ['tag', 'create', 't_web', 'g_web', 'p_ip_api'],
];

/** Fencing in pcs's syntax: IPMI devices of the nodes kept off them, a PDU for both, levels. */
const PCS_FENCING = [
  ['stonith', 'create', 'st_n1', 'fence_ipmilan', 'ip=198.51.100.201', 'username=admin', `password=${SECRET}`, 'lanplus=1', 'pcmk_host_list=n1'],
  ['stonith', 'create', 'st_n2', 'fence_ipmilan', 'ip=198.51.100.202', 'username=admin', `password=${SECRET}`, 'lanplus=1', 'pcmk_host_list=n2'],
  ['stonith', 'create', 'st_pdu', 'fence_apc_snmp', 'ip=198.51.100.240', 'username=apc', `password=${SECRET}`, 'pcmk_host_map=n1:1;n2:2', 'meta', 'failure-timeout=10min'],
  ['constraint', 'location', 'st_n1', 'avoids', 'n1'],
  ['constraint', 'location', 'st_n2', 'avoids', 'n2'],
  ['stonith', 'level', 'add', '1', 'n1', 'st_n1'],
  ['stonith', 'level', 'add', '2', 'n1', 'st_pdu'],
  ['stonith', 'level', 'add', '1', 'n2', 'st_n2'],
  ['stonith', 'level', 'add', '2', 'n2', 'st_pdu'],
];

function emptyCib(dir: string, name: string): string {
  const f = join(dir, name);
  const r = spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  writeFileSync(f, r.stdout);
  for (const [id, uname] of [['1', 'n1'], ['2', 'n2']]) {
    const n = spawnSync('cibadmin', ['--create', '--scope', 'nodes', '--xml-text', `<node id="${id}" uname="${uname}"/>`], { encoding: 'utf8', env: { ...process.env, CIB_file: f } });
    assert.equal(n.status, 0, n.stderr);
  }
  return f;
}

/** What `cibsecret set RSC PARAM` leaves in the CIB: the reference, the value on the nodes. */
function secretsMoved(cib: string): string {
  return cib.replaceAll(`value="${SECRET}"`, 'value="lrm://"');
}

describe('hactl import round trip', { skip: needTools(['crm', 'pcs', 'cibadmin']) }, () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'hactl-import-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("over Pacemaker's test corpus: every CIB either round-trips or is refused with a reason; the counts", { skip: !existsSync(CORPUS) && 'no corpus' }, () => {
    const counts = new Map<string, number>();
    let total = 0;
    let held = 0;
    let typed = 0;
    let fencesTyped = 0;
    let fencesRaw = 0;
    const started = process.cpuUsage();
    for (const sub of ['scheduler', 'cli']) {
      for (const f of readdirSync(join(CORPUS, sub)).filter((x) => x.endsWith('.xml')).sort()) {
        total++;
        const text = readFileSync(join(CORPUS, sub, f), 'utf8');
        const r = roundTrip(text, f);
        if (r.ok) {
          held++;
          typed += /^ {4}services:\n((?: {6}.*\n)*)/m.exec(r.text)?.[1]?.match(/^ {6}[a-z]/gm)?.length ?? 0;
          fencesTyped += (/^ {4}fence_devices:\n((?: {6}.*\n)*)/m.exec(r.text)?.[1]?.match(/^ {6}[a-z]/gm)?.length ?? 0) + (r.text.match(/^ {4}fencing:\n {6}agent:/gm)?.length ?? 0);
          fencesRaw += r.text.match(/<primitive [^>]*class="stonith"/g)?.length ?? 0;
          // Nothing of a password-like parameter's value in the CIB reaches the topology.
          for (const m of text.matchAll(/name="(passw(or)?d|secret)" value="([^"]+)"/g)) assert.ok(m[3] === 'lrm://' || !r.text.includes(`"${m[3]}"`), `${f}: ${m[1]}`);
          continue;
        }
        const key = `${r.stage}: ${r.category}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    const cpu = (process.cpuUsage(started).user + process.cpuUsage(started).system) / 1e6;
    const report = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${String(n).padStart(4)}  ${k}\n        ${WHY.find(([re]) => re.test(k))?.[1] ?? 'NOT EXPLAINED'}`);
    console.log(`corpus round trip: ${total} CIBs, ${held} round-tripped (${typed} resources typed; fence devices: ${fencesTyped} typed, ${fencesRaw} raw), ${total - held} not (${cpu.toFixed(1)} s CPU)\n${report.join('\n')}`);
    assert.equal(total, 864);
    // Today's figure: a change that holds more raises it (and this number with it); one that holds less fails here.
    assert.ok(held >= 228, `${held} round-tripped`);
    // Several property or defaults sets, sets with scores or rules, options Pacemaker 2.1 does not
    // know, remote node entries and nodes with several attribute sets are held now (raw sets,
    // merged node sets): they refused 198 CIBs first, and fencing-enabled 37 more.
    for (const k of counts.keys()) assert.doesNotMatch(k, /property sets|has … sets|rule on its|HA3036|HA3182|of type remote|instance_attributes sets/, k);
    // Every way a CIB is not held is a known one, with its reason in the report.
    for (const k of counts.keys()) assert.ok(WHY.some(([re]) => re.test(k)), `unexplained: ${k}`);
    // Of the resources of the CIBs that round-trip, the typed ones (custom services, clones).
    assert.ok(typed >= 665, `${typed} resources typed`);
    // Fence devices typed as the topology's fencing (fence_devices, a node's fencing); the raw rest
    // fence what their agent lists, or name hosts in a form hactl would write otherwise (was 0 typed and 174 raw;
    // 66 and 108 of the 198 held before node names as hosts call themselves brought 30 more CIBs).
    assert.ok(fencesTyped >= 72, `${fencesTyped} fence devices typed`);
    assert.ok(fencesRaw <= 128, `${fencesRaw} fence devices raw`);
    // Drift after a clean import is a defect of import, except for secrets moved to lrm:// (which
    // the cluster holds only after `cibsecret set`).
    for (const [k, n] of counts) if (k.startsWith('diff:')) assert.match(k, /drift: changed resources/, `${n} × ${k}`);
  });

  it('over a CIB crmsh builds from its syntax (HA-Guide ids): no drift once the secrets are moved, and no secret in the output', async () => {
    const cib = emptyCib(dir, 'crm.xml');
    writeFileSync(join(dir, 'conf.crm'), CRM);
    const c = spawnSync('crm', ['-F', 'configure', 'load', 'update', join(dir, 'conf.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: cib, CIB_shadow_dir: dir } });
    assert.equal(c.status, 0, c.stderr);
    writeFileSync(join(dir, 'corosync.conf'), COROSYNC);
    const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the password is printed nowhere');
    // A raw fence device's password goes to lrm:// (a device fencing what its agent lists has no typed form).
    assert.match(r.stderr, /HA5552: st_lister parameter password holds a secret[\s\S]*cibsecret set st_lister password VALUE/);
    assert.match(r.stdout, /# st_lister: fences the hosts its agent lists \(no pcmk_host_list or pcmk_host_map\)/);
    // Typed fence devices' passwords are secrets read from the environment, never read or printed.
    for (const [rsc, secret] of [['st_n1', 'n1-fence-password'], ['st_n2', 'n2-fence-password'], ['st_pdu', 'pdu-password']] as const) {
      assert.match(r.stderr, new RegExp(`HA5555: ${rsc} parameter password holds a secret: the topology reads it from secret ${secret}, environment variable HACTL_${secret.toUpperCase().replaceAll('-', '_')}`));
    }
    assert.doesNotMatch(r.stderr, /HA5552: st_(n1|n2|pdu) /);
    // The fencing is the topology's own: n1's device (hactl's form: lanplus, kept off n1) as its
    // node's fencing; st_n2 (no lanplus, which hactl would add) and the PDU as fence_devices; the
    // levels written out with crmsh's ids.
    assert.match(r.stdout, /^ {2}n1:\n(?: {4}.*\n)*? {4}fencing:\n {6}agent: fence_ipmilan\n {6}address: 198\.51\.100\.201\n {6}username: admin\n {6}lanplus: true\n {6}params:\n {8}password: \{ secret: n1-fence-password \}[^\n]*\n {6}cib: [^\n]*\n {8}id: st_n1\n {8}operations:\n {10}- \{ name: monitor, interval: 60s \}\n {8}location_id: l_st_n1 /m);
    assert.match(r.stdout, /^ {4}fencing:\n {6}enabled: true\n {6}levels: [^\n]*\n {8}n1: \[\[n1\], \[pdu\]\]\n {8}n2: \[\[n2-fence\], \[pdu\]\]\n {6}level_ids:\n {8}n1: \[fencing, fencing-0\]\n {8}n2: \[fencing-1, fencing-2\]\n/m);
    assert.match(r.stdout, /^ {6}n2-fence:\n {8}agent: fence_ipmilan\n[\s\S]*? {8}ports: \{ n2: n2 \}\n {8}cib: [^\n]*\n {10}id: st_n2\n[\s\S]*? {10}host_list: true/m);
    assert.match(r.stdout, /^ {6}pdu:\n {8}agent: fence_apc_snmp\n {8}address: 198\.51\.100\.240\n {8}username: apc\n {8}params:\n {10}password: \{ secret: pdu-password \}[^\n]*\n {8}ports: \{ n1: "1", n2: "2" \}\n {8}cib: [^\n]*\n {10}id: st_pdu\n {10}operations:\n {12}- \{ name: monitor, interval: 120s, timeout: 30s \}\n {10}meta: \{ failure-timeout: 10min \}\n/m);
    assert.doesNotMatch(r.stdout, /<primitive id="st_(n1|n2|pdu)"|<rsc_location id="l_st_n1"|<fencing-level/);
    // A typed resource's secret takes the topology's route: a secret read from the environment.
    assert.match(r.stderr, /HA5555: p_mysql_repl parameter replication_passwd holds a secret: the topology reads it from secret mysql-repl-replication-passwd, environment variable HACTL_MYSQL_REPL_REPLICATION_PASSWD/);
    assert.match(r.stdout, /^secrets:\n {2}mysql-repl-replication-passwd: \{ env: HACTL_MYSQL_REPL_REPLICATION_PASSWD \}/m);
    assert.match(r.stdout, /replication_passwd: \{ secret: mysql-repl-replication-passwd \}/);
    for (const typed of [/nodeid: 1 /, /links: \[management, ring1\]/, /management: 198\.51\.100\.0\/24/, /resource-stickiness: "200"/, /op_defaults:\n {6}timeout: 45s/, /priority-fencing-delay: null/]) assert.match(r.stdout, typed);
    // Typed resources keep their ids, operations and meta attributes; the rest stays raw with a reason.
    assert.match(r.stdout, /vips:\n {6}api: {2}# p_ip_api[^\n]*\n {8}network: management\n {8}address: 198\.51\.100\.10\n {8}cib: [^\n]*\n {10}operations:\n {12}- \{ name: monitor, interval: 10s, timeout: 20s \}/);
    assert.match(r.stdout, /haproxy:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}mode: active-active\n {8}cib: [^\n]*\n {10}id: p_haproxy\n {10}operations:\n {12}- \{ name: monitor, interval: 10s \}\n {10}clone_id: cl_haproxy\n {10}clone_meta: \{ interleave: "true" \}/);
    assert.match(r.stdout, /galera:\n {8}agent: "ocf:pacemaker:Stateful"\n {8}mode: promotable\n {8}promoted: 1\n {8}notify: true\n/);
    // A group is the custom service of its last primitive, the members before it kept under cib:.
    // Its colocation with and order after the VIP are the pair a service with `vip:` derives, with its ids.
    assert.match(r.stdout, /\n {6}mysql:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}# from the constraints c_mysql_with_ip_api, o_ip_api_before_mysql\n {8}vip: api\n {8}cib: [^\n]*\n {10}id: p_mysql\n {10}operations:\n {12}- \{ name: monitor, interval: 20s, timeout: 30s \}\n {10}group_id: g_mysql\n {10}group_members: [^\n]*\n {12}- id: p_fs_mysql\n {14}agent: "ocf:pacemaker:Dummy"\n {14}operations: \[\]\n/);
    assert.doesNotMatch(r.stdout, /<primitive id="p_ip_api"|<clone id="cl_haproxy"|<clone id="ms_galera"|<group id="g_mysql"|id="c_mysql_with_ip_api"|id="o_ip_api_before_mysql"/);
    assert.match(r.stdout, /<rsc_location id="l_mysql_rack" rsc="g_mysql">/);
    const topo = join(dir, 'crm.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'crm-out');
    assert.equal((await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs'])).code, 0);
    const compiled = join(out, 'clusters', 'ha-guide', 'cib.xml');
    const before = await hactlIn(['diff', '--from', compiled, '--live', cib]);
    assert.equal(before.code, 1, 'the inline passwords differ until they are moved');
    assert.match(before.stdout, /params password/);
    const moved = join(dir, 'crm-moved.xml');
    writeFileSync(moved, secretsMoved(readFileSync(cib, 'utf8')));
    const d = await hactlIn(['diff', '--from', compiled, '--live', moved]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    // The imported topology's pcs form builds the same configuration again (raw objects through
    // cibadmin on the same file).
    const again = join(dir, 'pcs-again.xml');
    writeFileSync(again, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const p = spawnSync('bash', [join(out, 'clusters', 'ha-guide', 'pcs.sh'), again], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const a = await hactlIn(['diff', '--from', again, '--live', moved]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    // And its crmsh form too (the raw group's primitives as xml statements, the group in crmsh's syntax).
    const crmAgain = emptyCib(dir, 'crm-again.xml');
    const l = spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'ha-guide', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: crmAgain, CIB_shadow_dir: dir } });
    assert.equal(l.status, 0, l.stderr);
    const ca = await hactlIn(['diff', '--from', crmAgain, '--live', moved]);
    assert.equal(ca.code, 0, ca.stdout + ca.stderr);
    // crmsh has no `xml` for fencing levels: they are in its fencing_topology statement.
    const crm = readFileSync(join(out, 'clusters', 'ha-guide', 'configure.crm'), 'utf8');
    assert.match(crm, /^fencing_topology n1: st_n1 st_pdu \\\n\tn2: st_n2 st_pdu$/m);
    assert.doesNotMatch(crm, /xml <fencing-level/);
  });

  it('over a CIB pcs builds from its syntax: no drift', () => {
    const cib = emptyCib(dir, 'pcs.xml');
    for (const argv of PCS) {
      const p = spawnSync('pcs', ['-f', cib, ...argv], { encoding: 'utf8' });
      assert.equal(p.status, 0, `pcs ${argv.join(' ')}: ${p.stderr}`);
    }
    const r = roundTrip(readFileSync(cib, 'utf8'), 'pcs.xml', COROSYNC);
    assert.ok(r.ok, JSON.stringify(r));
    assert.match(r.text, /fencing: \{ enabled: false, reason: "imported: the CIB sets stonith-enabled=false" \}/);
    assert.match(r.text, /rsc_defaults:\n {6}resource-stickiness: "100"\n {4}op_defaults: \{\}/);
  });

  it('over a CIB pcs builds with a group, a bundle and the constraints typed services derive: typed, crm_verify accepts the compiled CIB, no drift, and its pcs form builds it again', async () => {
    const cib = emptyCib(dir, 'pcs-typed.xml');
    for (const argv of [
      ...PCS,
      ['resource', 'create', 'p_ip_pub', 'ocf:heartbeat:IPaddr2', 'ip=198.51.100.20', 'cidr_netmask=24', '--no-default-ops'],
      ['resource', 'bundle', 'create', 'web-bundle', 'container', 'podman', 'image=localhost/web:1', 'replicas=2', 'network', 'control-port=3121', 'port-map', 'id=web-bundle-port-1', 'port=80', 'storage-map', 'id=web-bundle-storage-1', 'source-dir=/srv/www', 'target-dir=/var/www', 'options=ro', '--force'],
      ['resource', 'create', 'web-rsc', 'ocf:pacemaker:Dummy', 'bundle', 'web-bundle', '--no-default-ops'],
      ['constraint', 'colocation', 'add', 'p_ip_pub', 'with', 'web-bundle', 'INFINITY', 'id=c_ip_pub_with_web-bundle'],
      ['constraint', 'order', 'start', 'web-bundle', 'then', 'start', 'p_ip_pub', 'kind=Optional', 'id=o_web-bundle_before_ip_pub'],
    ]) {
      const p = spawnSync('pcs', ['-f', cib, ...argv], { encoding: 'utf8' });
      assert.equal(p.status, 0, `pcs ${argv.join(' ')}: ${p.stderr}`);
    }
    writeFileSync(join(dir, 'corosync.conf'), COROSYNC);
    const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    // pcs's group (its Mandatory order after and colocation with the VIP) and bundle (the Optional pair of several replicas).
    assert.match(r.stdout, /\n {6}web:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}# from the constraints c_web_with_ip_api, o_ip_api_before_web\n {8}vip: api\n[^]*?group_id: g_web\n/);
    assert.match(r.stdout, /\n {6}web-bundle:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}# from the constraints c_ip_pub_with_web-bundle, o_web-bundle_before_ip_pub\n {8}vip: pub\n {8}bundle:\n {10}runtime: podman\n[^]*?bundle_id: web-bundle\n/);
    assert.doesNotMatch(r.stdout, /<bundle|<group|id="c_web_with_ip_api"|id="o_web-bundle_before_ip_pub"/);
    const topo = join(dir, 'pcs-typed.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'pcs-typed-out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,pcs']);
    assert.equal(c.code, 0, c.stderr);
    const compiled = join(out, 'clusters', 'ha-guide', 'cib.xml');
    const v = spawnSync('crm_verify', ['-x', compiled], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    const d = await hactlIn(['diff', '--from', compiled, '--live', cib]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    // pcs.sh creates the node entries itself on a CIB file.
    const again = join(dir, 'pcs-typed-again.xml');
    writeFileSync(again, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const p = spawnSync('bash', [join(out, 'clusters', 'ha-guide', 'pcs.sh'), again], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const a = await hactlIn(['diff', '--from', again, '--live', cib]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
  });

  it("over fencing pcs builds (devices, locations, levels): typed as the topology's own fencing, no drift once the secrets are moved, pcs builds it again", async () => {
    const cib = emptyCib(dir, 'pcs-fencing.xml');
    for (const argv of PCS_FENCING) {
      const p = spawnSync('pcs', ['-f', cib, ...argv], { encoding: 'utf8' });
      assert.equal(p.status, 0, `pcs ${argv.join(' ')}: ${p.stderr}`);
    }
    writeFileSync(join(dir, 'corosync.conf'), COROSYNC);
    const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the password is printed nowhere');
    assert.equal(r.stderr.match(/HA5555: st_(n1|n2|pdu) parameter password/g)?.length, 3);
    // Nothing of the fencing is raw: both nodes' devices, the PDU, the locations and the levels are typed.
    assert.doesNotMatch(r.stdout, /^ {4}raw_cib:/m);
    assert.match(r.stdout, / {4}fencing:\n {6}agent: fence_ipmilan\n[\s\S]*? {8}location_id: location-st_n1-n1--INFINITY /);
    assert.match(r.stdout, / {8}n1: \[\[n1\], \[pdu\]\]\n {8}n2: \[\[n2\], \[pdu\]\]\n {6}level_ids:\n {8}n1: \[fl-n1-1, fl-n1-2\]\n {8}n2: \[fl-n2-1, fl-n2-2\]\n/);
    const topo = join(dir, 'pcs-fencing.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'pcs-fencing-out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(c.code, 0, c.stderr);
    const compiled = join(out, 'clusters', 'ha-guide', 'cib.xml');
    const v = spawnSync('crm_verify', ['-V', '--xml-file', compiled], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
    const moved = join(dir, 'pcs-fencing-moved.xml');
    writeFileSync(moved, secretsMoved(readFileSync(cib, 'utf8')));
    const d = await hactlIn(['diff', '--from', compiled, '--live', moved]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    // The pcs form gives the same again, level ids and all (a kept id goes in with cibadmin).
    const again = join(dir, 'pcs-fencing-again.xml');
    writeFileSync(again, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const p = spawnSync('bash', [join(out, 'clusters', 'ha-guide', 'pcs.sh'), again], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const a = await hactlIn(['diff', '--from', again, '--live', moved]);
    assert.equal(a.code, 0, a.stdout + a.stderr);
    // An operator's `pcs stonith disable` is runtime state: named in a comment, not typed into cib.meta.
    const s = spawnSync('pcs', ['-f', moved, 'stonith', 'disable', 'st_pdu'], { encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    const t = roundTrip(readFileSync(moved, 'utf8'), 'pcs-fencing-disabled.xml', COROSYNC);
    assert.ok(t.ok, JSON.stringify(t));
    assert.match(t.text, /^ {8}# runtime state in the cluster, an operator's: apply keeps it, the topology holds none: target-role=Stopped\n {8}cib: [^\n]*\n {10}id: st_pdu\n/m);
    assert.doesNotMatch(t.text, /meta: \{[^}]*target-role/);
  });

  it('node names as pcs-built clusters have them (FQDN, capitals): imported as written, no drift, and crmsh and pcs build the compiled form again', async () => {
    const names = ['ctl1.example.com', 'Ctl2.Example.COM'] as const;
    const cib = join(dir, 'fqdn.xml');
    writeFileSync(cib, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    names.forEach((uname, i) => {
      const n = spawnSync('cibadmin', ['--create', '--scope', 'nodes', '--xml-text', `<node id="${i + 1}" uname="${uname}"/>`], { encoding: 'utf8', env: { ...process.env, CIB_file: cib } });
      assert.equal(n.status, 0, n.stderr);
    });
    for (const argv of [
      ['stonith', 'create', 'st_ctl1', 'fence_ipmilan', 'ip=198.51.100.201', 'username=admin', 'password=lrm://', 'lanplus=1', `pcmk_host_list=${names[0]}`],
      ['stonith', 'create', 'st_ctl2', 'fence_ipmilan', 'ip=198.51.100.202', 'username=admin', 'password=lrm://', 'lanplus=1', `pcmk_host_list=${names[1]}`],
      ['constraint', 'location', 'st_ctl1', 'avoids', names[0]],
      ['constraint', 'location', 'st_ctl2', 'avoids', names[1]],
      ['stonith', 'level', 'add', '1', names[1], 'st_ctl2'],
      ['stonith', 'level', 'add', '1', names[0], 'st_ctl1'],
      ['resource', 'create', 'p_web', 'ocf:pacemaker:Dummy', '--no-default-ops'],
      ['constraint', 'location', 'p_web', 'prefers', `${names[1]}=50`],
    ]) {
      const p = spawnSync('pcs', ['-f', cib, ...argv], { encoding: 'utf8' });
      assert.equal(p.status, 0, `pcs ${argv.join(' ')}: ${p.stderr}`);
    }
    writeFileSync(join(dir, 'fqdn-corosync.conf'), COROSYNC.replace('name: n1', `name: ${names[0]}`).replace('name: n2', `name: ${names[1]}`));
    const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'fqdn-corosync.conf')]);
    assert.equal(r.code, 0, r.stderr);
    // Kept as written, case and all; the nodes' own fencing and levels typed under their names.
    assert.match(r.stdout, /^ {2}Ctl2\.Example\.COM:\n {4}roles: \[controller\][^\n]*\n {4}addresses: \{ management: 198\.51\.100\.12, ring1: 203\.0\.113\.12 \}\n {4}nodeid: 2 /m);
    assert.match(r.stdout, /^ {4}nodes: \[Ctl2\.Example\.COM, ctl1\.example\.com\]$/m);
    assert.match(r.stdout, /^ {8}Ctl2\.Example\.COM: \[\[Ctl2\.Example\.COM\]\]$/m);
    assert.doesNotMatch(r.stdout, /<primitive id="st_ctl|<fencing-level/);
    const topo = join(dir, 'fqdn.yaml');
    writeFileSync(topo, r.stdout);
    const out = join(dir, 'fqdn-out');
    const c = await hactlIn(['compile', topo, '-o', out, '--format', 'cib,crmsh,pcs']);
    assert.equal(c.code, 0, c.stderr);
    const compiled = join(out, 'clusters', 'ha-guide', 'cib.xml');
    const v = spawnSync('crm_verify', ['-V', '--xml-file', compiled], { encoding: 'utf8' });
    assert.doesNotMatch(v.stdout + v.stderr, /error|Errors found/i);
    const d = await hactlIn(['diff', '--from', compiled, '--live', cib]);
    assert.equal(d.code, 0, d.stdout + d.stderr);
    const again = join(dir, 'fqdn-pcs-again.xml');
    writeFileSync(again, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const p = spawnSync('bash', [join(out, 'clusters', 'ha-guide', 'pcs.sh'), again], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    assert.equal((await hactlIn(['diff', '--from', again, '--live', cib])).code, 0);
    const crmAgain = join(dir, 'fqdn-crm-again.xml');
    writeFileSync(crmAgain, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const l = spawnSync('crm', ['configure', 'load', 'update', join(out, 'clusters', 'ha-guide', 'configure.crm')], { encoding: 'utf8', env: { ...process.env, CIB_file: crmAgain, CIB_shadow_dir: dir } });
    assert.equal(l.status, 0, l.stderr);
    // crmsh's fencing_topology names the levels itself (it has no syntax for their ids): they are
    // the only difference, the same levels under crmsh's ids, targets and devices as written.
    const ca = await hactlIn(['diff', '--from', crmAgain, '--live', cib]);
    assert.match(ca.stdout, /drift: 4 object\(s\) differ \(2 only live, 2 only in the reference, 0 changed\)/);
    const objects = ca.stdout.split('\n').filter((line) => /^ {2}[-+~] /.test(line));
    assert.deepEqual(objects.map((line) => line.replace(/ fencing-level \S+ /, ' fencing-level ID ')).sort(), [
      '  + fencing-level ID  Ctl2.Example.COM level 1: st_ctl2',
      '  + fencing-level ID  ctl1.example.com level 1: st_ctl1',
      '  - fencing-level ID  Ctl2.Example.COM level 1: st_ctl2',
      '  - fencing-level ID  ctl1.example.com level 1: st_ctl1',
    ]);
    // Two nodes whose names differ only in case are one node to Pacemaker: refused, nothing written.
    const twice = join(dir, 'case.xml');
    writeFileSync(twice, readFileSync(cib, 'utf8').replace(`uname="${names[0]}"`, `uname="${names[1].toLowerCase()}"`));
    const x = await hactlIn(['import', '--cib', twice]);
    assert.equal(x.code, 2);
    assert.match(x.stderr, /HA5550: the CIB cannot be held in a topology: node Ctl2\.Example\.COM has the name of node ctl2\.example\.com but for case/);
  });

  it('refuses a CIB it cannot hold, writing nothing, and a usage without one source', async () => {
    const cib = join(dir, 'heartbeat.xml');
    writeFileSync(cib, '<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0"><configuration><crm_config/><nodes><node id="2f1a-uuid" uname="n1"/></nodes><resources/><constraints/></configuration><status/></cib>');
    const out = join(dir, 'refused.yaml');
    const r = await hactlIn(['import', '--cib', cib, '-o', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /HA5550: the CIB cannot be held in a topology: node n1 has the id "2f1a-uuid", which is no corosync nodeid/);
    assert.ok(!existsSync(out), 'nothing written');
    const ok = join(dir, 'small.xml');
    writeFileSync(ok, '<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.0"><configuration><crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="false"/></cluster_property_set></crm_config><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources/><constraints/></configuration><status/></cib>');
    const w = await hactlIn(['import', '--cib', ok]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /warning HA5551: no corosync.conf: node addresses are unknown/);
    assert.match(w.stdout, /management: 198\.51\.100\.0\/24 {2}# PLACEHOLDER/);
    const p3 = join(dir, 'pacemaker3.xml');
    writeFileSync(p3, readFileSync(ok, 'utf8').replace('name="stonith-enabled"', 'name="fencing-enabled"'));
    // Pacemaker 3's name for stonith-enabled: kept raw in hactl's own set, with a warning.
    const v = await hactlIn(['import', '--cib', p3]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /warning HA5560: cluster property fencing-enabled \(set o\) is no option of Pacemaker 2\.1/);
    assert.match(v.stdout, /fencing: \{ enabled: false, reason: "imported: the CIB sets fencing-enabled=false" \}[\s\S]*raw_cib:\n[^\n]*\n[^\n]*\n {6}crm_config: \|\n {8}<cluster_property_set id="cib-bootstrap-options">\n {10}<nvpair id="o-s" name="fencing-enabled" value="false"\/>/);
    const u = await hactlIn(['import']);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /HA5553/);
    // A topology's cluster: named, existing, with --node one of its members; never beside --cib.
    const lab = join(ROOT, 'fixtures', 'lab.yaml');
    for (const [argv, code] of [
      [[lab], /HA5553/],
      [[lab, '--cluster', 'lab', '--cib', ok], /HA5553/],
      [['--cluster', 'lab', '--node', 'n1'], /HA5553/],
      [['--node', 'n1', '--sbd-config', ok], /HA5553/],
      [[lab, '--cluster', 'nope'], /HA5101: cluster "nope" is not in the topology/],
      [[lab, '--cluster', 'lab', '--node', 'zz'], /HA5102: node "zz" is not a member of cluster "lab"/],
      [['--cib', ok, '--adopt'], /HA5556: --adopt records ownership in a running cluster/],
    ] as const) {
      const x = await hactlIn(['import', ...argv]);
      assert.equal(x.code, 2, argv.join(' '));
      assert.match(x.stderr, code);
    }
    const bad = join(dir, 'bad-corosync.conf');
    writeFileSync(bad, 'totem {\n  version: 2\n');
    const b = await hactlIn(['import', '--cib', ok, '--corosync-conf', bad]);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /HA2020: .*bad-corosync.conf is not a corosync.conf hactl can read: line 3: section totem is not closed/);
  });
});
