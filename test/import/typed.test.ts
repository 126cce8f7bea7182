/**
 * Typed import of resources, in process: each CIB is imported, validated, compiled and diffed
 * against itself (roundtrip.ts); the tests say which resources became typed and which stayed raw
 * with what reason. The crmsh and pcs forms of the same shapes are in import.tools.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { roundTrip, twoNodeCorosync } from './roundtrip.js';

const COROSYNC = twoNodeCorosync('lab', { twoNode: true });

/** A two-node CIB, fencing off, holding these resources and constraints. */
function cib(resources: string, constraints = ''): string {
  return `<cib admin_epoch="0" epoch="1" num_updates="0" validate-with="pacemaker-3.7"><configuration><crm_config><cluster_property_set id="o"><nvpair id="o-s" name="stonith-enabled" value="false"/></cluster_property_set></crm_config><nodes><node id="1" uname="n1"/><node id="2" uname="n2"/></nodes><resources>${resources}</resources><constraints>${constraints}</constraints></configuration><status/></cib>`;
}

const prim = (id: string, type = 'Dummy', inner = '') => `<primitive id="${id}" class="ocf" provider="${type === 'Filesystem' || type === 'IPaddr2' ? 'heartbeat' : 'pacemaker'}" type="${type}">${inner}</primitive>`;
const mon = (id: string, interval = '10s') => `<operations><op id="${id}-monitor-${interval}" name="monitor" interval="${interval}" timeout="20s"/></operations>`;
const params = (id: string, p: Record<string, string>) => `<instance_attributes id="${id}-ia">${Object.entries(p).map(([k, v]) => `<nvpair id="${id}-ia-${k}" name="${k}" value="${v}"/>`).join('')}</instance_attributes>`;

function trip(text: string): string {
  const r = roundTrip(text, 'test.xml', COROSYNC);
  assert.ok(r.ok, JSON.stringify(r, null, 1));
  return r.text;
}

describe('typed import of groups', () => {
  it('a HA-Guide-style group (filesystem, IP, service) is the custom service of its last primitive, the others kept in order with ids, params, operations and meta', () => {
    const fs = prim('p_fs_mysql', 'Filesystem', params('p_fs_mysql', { device: '/dev/drbd0', directory: '/var/lib/mysql', fstype: 'xfs' }) + mon('p_fs_mysql', '20s'));
    const ip = prim('p_ip_mysql', 'IPaddr2', params('p_ip_mysql', { ip: '198.51.100.50', cidr_netmask: '24' }) + '<meta_attributes id="p_ip_mysql-meta"><nvpair id="p_ip_mysql-meta-s" name="resource-stickiness" value="50"/></meta_attributes>');
    const svc = prim('p_mysql', 'Dummy', mon('p_mysql', '30s'));
    const text = trip(cib(`<group id="g_mysql"><meta_attributes id="g_mysql-meta"><nvpair id="g_mysql-meta-t" name="resource-stickiness" value="100"/></meta_attributes>${fs}${ip}${svc}</group>`));
    assert.match(
      text,
      /\n {6}mysql:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}cib: [^\n]*\n {10}id: p_mysql\n {10}operations:\n {12}- \{ name: monitor, interval: 30s, timeout: 20s \}\n {10}group_id: g_mysql\n {10}group_meta: \{ resource-stickiness: "100" \}\n {10}group_members: {2}# started in this order, before p_mysql\n {12}- id: p_fs_mysql\n {14}agent: "ocf:heartbeat:Filesystem"\n {14}params: \{ device: \/dev\/drbd0, directory: \/var\/lib\/mysql, fstype: xfs \}\n {14}operations:\n {16}- \{ name: monitor, interval: 20s, timeout: 20s \}\n {12}- id: p_ip_mysql\n {14}agent: "ocf:heartbeat:IPaddr2"\n {14}params: \{ cidr_netmask: "24", ip: 198\.51\.100\.50 \}\n {14}operations: \[\]\n {14}meta: \{ resource-stickiness: "50" \}\n/,
    );
    assert.doesNotMatch(text, /^ {4}raw_cib:/m);
  });

  it('a group of one primitive stays a group; a clone of a group is an active-active service', () => {
    const text = trip(cib(`<group id="grp_web">${prim('web')}</group><clone id="cl_workers"><meta_attributes id="cl_workers-meta"><nvpair id="cl_workers-meta-i" name="interleave" value="true"/></meta_attributes><group id="g_workers">${prim('w1')}${prim('w2', 'Stateful')}</group></clone>`));
    assert.match(text, /\n {6}web:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}cib: [^\n]*\n {10}id: web\n {10}operations: \[\]\n {10}group_id: grp_web\n {6}[a-z]/);
    assert.match(text, /\n {6}workers:\n {8}agent: "ocf:pacemaker:Stateful"\n {8}mode: active-active\n {8}cib: [^\n]*\n {10}id: w2\n {10}operations: \[\]\n {10}group_id: g_workers\n {10}group_members: [^\n]*\n {12}- id: w1\n[\s\S]*clone_id: cl_workers\n {10}clone_meta: \{ interleave: "true" \}/);
    assert.doesNotMatch(text, /^ {4}raw_cib:/m);
  });

  it('a group that holds what a topology cannot (a member secret, an operation with on-fail) stays raw, with the reason', () => {
    const secret = prim('p_db', 'Dummy', params('p_db', { password: 'hunter2' }));
    const onFail = prim('p_q', 'Dummy', '<operations><op id="p_q-m" name="monitor" interval="10s" on-fail="block"/></operations>');
    const r = roundTrip(cib(`<group id="g_db">${secret}${prim('p_app')}</group><group id="g_q">${onFail}${prim('p_r')}</group>`), 'test.xml', COROSYNC);
    // The one difference: the password, which the cluster holds only after `cibsecret set`.
    assert.ok(!r.ok && r.stage === 'diff' && /"path":"params password","from":"lrm:\/\/"/.test(r.detail), JSON.stringify(r));
    const text = r.text!;
    assert.match(text, /# g_db: has a member p_db whose parameter password holds a secret: a group member's parameters are written as they are\n/);
    assert.match(text, /# g_q: has an operation with on-fail \(monitor 10s\)\n/);
    assert.match(text, /<nvpair id="p_db-ia-password" name="password" value="lrm:\/\/"\/>/);
    assert.doesNotMatch(text, /hunter2/);
    assert.doesNotMatch(text, /^ {4}services:/m);
  });
});

describe('typed import of constraints', () => {
  const vip = prim('p_ip_api', 'IPaddr2', params('p_ip_api', { ip: '198.51.100.10', cidr_netmask: '24' }));
  const mysql = `<group id="g_mysql">${prim('p_fs_mysql', 'Filesystem', params('p_fs_mysql', { device: '/dev/drbd0', directory: '/var/lib/mysql', fstype: 'xfs' }))}${prim('p_mysql')}</group>`;
  const web = `<clone id="cl_web">${prim('p_web')}</clone>`;
  const db = `<clone id="ms_db"><meta_attributes id="ms_db-meta"><nvpair id="ms_db-meta-p" name="promotable" value="true"/></meta_attributes>${prim('p_db', 'Stateful')}</clone>`;
  const rule = (id: string, rsc: string, score: string, exprs: string, op = ' boolean-op="and"') => `<rsc_location id="${id}" rsc="${rsc}"><rule id="${id}-rule" score="${score}"${op}>${exprs}</rule></rsc_location>`;
  const expr = (id: string, attribute: string, operation: string, value?: string) => `<expression id="${id}" attribute="${attribute}" operation="${operation}"${value !== undefined ? ` value="${value}"` : ''}/>`;

  it("a service's VIP pair, Optional orders after other services, its node list and its location rules, with the ids a typed service derives, become vip, after, nodes and rules", () => {
    const constraints = [
      '<rsc_colocation id="c_mysql_with_ip_api" rsc="g_mysql" with-rsc="p_ip_api" score="INFINITY"/>',
      '<rsc_order id="o_ip_api_before_mysql" first="p_ip_api" then="g_mysql" kind="Mandatory"/>',
      '<rsc_order id="o_ms_db_before_web" first="ms_db" first-action="promote" then="cl_web" kind="Optional"/>',
      '<rsc_order id="o_mysql_before_web" first="g_mysql" then="cl_web" kind="Optional"/>',
      rule('l_web_nodes', 'cl_web', '-INFINITY', expr('e1', '#uname', 'ne', 'n1') + expr('e2', '#uname', 'ne', 'n2')),
      rule('l_mysql_rule_1', 'g_mysql', '100', expr('r1', 'rack', 'eq', 'r1') + expr('r2', 'ssd', 'defined'), ' boolean-op="or"'),
      rule('l_mysql_rule_2', 'g_mysql', '-INFINITY', '<date_expression id="d1" operation="in_range" start="2026-12-24" end="2026-12-27"/>'),
    ];
    const text = trip(cib(vip + mysql + web + db, constraints.join('')));
    assert.match(text, /\n {6}mysql:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}# from the constraints c_mysql_with_ip_api, o_ip_api_before_mysql, l_mysql_rule_1, l_mysql_rule_2\n {8}vip: api\n {8}rules:\n {10}- \{ score: 100, boolean: or, expressions: \[\{ attribute: rack, operation: eq, value: r1 \}, \{ attribute: ssd, operation: defined \}\] \}\n {10}- \{ score: "-INFINITY", boolean: and, expressions: \[\{ date: in_range, start: "2026-12-24", end: "2026-12-27" \}\] \}\n/);
    assert.match(text, /\n {6}web:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}mode: active-active\n {8}# from the constraints o_mysql_before_web, o_ms_db_before_web, l_web_nodes\n {8}nodes: \[n1, n2\]\n {8}after: \[mysql, db\]\n/);
    assert.doesNotMatch(text, /^ {4}raw_cib:/m);
  });

  it('a promotable service and a clone reached at a VIP: the colocation on the promoted instance and the order after promotion; the Optional pair of a clone', () => {
    const pub = prim('p_ip_pub', 'IPaddr2', params('p_ip_pub', { ip: '198.51.100.20', cidr_netmask: '24' }));
    const constraints = [
      '<rsc_colocation id="c_ip_api_with_ms_db" rsc="p_ip_api" with-rsc="ms_db" with-rsc-role="Promoted" score="INFINITY"/>',
      '<rsc_order id="o_ms_db_before_ip_api" first="ms_db" first-action="promote" then="p_ip_api" kind="Mandatory"/>',
      '<rsc_colocation id="c_ip_pub_with_web" rsc="p_ip_pub" with-rsc="cl_web" score="INFINITY"/>',
      '<rsc_order id="o_web_before_ip_pub" first="cl_web" then="p_ip_pub" kind="Optional"/>',
    ];
    const text = trip(cib(vip + pub + web + db, constraints.join('')));
    assert.match(text, /\n {6}db:\n {8}agent: "ocf:pacemaker:Stateful"\n {8}mode: promotable\n {8}# from the constraints c_ip_api_with_ms_db, o_ms_db_before_ip_api\n {8}vip: api\n/);
    assert.match(text, /\n {6}web:\n[^]*?\n {8}vip: pub\n/);
    assert.doesNotMatch(text, /^ {4}raw_cib:/m);
  });

  it('constraints of another form or id stay raw, and so does the half of a pair whose other half is not derived: the round trip holds', () => {
    const constraints = [
      // The order a typed service derives with its VIP is Mandatory: an Optional one is not it.
      '<rsc_colocation id="c_mysql_with_ip_api" rsc="g_mysql" with-rsc="p_ip_api" score="INFINITY"/>',
      '<rsc_order id="o_ip_api_before_mysql" first="p_ip_api" then="g_mysql" kind="Optional"/>',
      // A Mandatory order after a service is no `after:` (which derives Optional).
      '<rsc_order id="o_mysql_before_web" first="g_mysql" then="cl_web" kind="Mandatory"/>',
      // Not the derived id.
      '<rsc_location id="location-web" rsc="cl_web" node="n1" score="50"/>',
      // A rule with a score attribute, and a node list that names a node outside the cluster.
      '<rsc_location id="l_mysql_rule_1" rsc="g_mysql"><rule id="x" score-attribute="weight"><expression id="x1" attribute="rack" operation="eq" value="r1"/></rule></rsc_location>',
      rule('l_web_nodes', 'cl_web', '-INFINITY', expr('e1', '#uname', 'ne', 'n9')),
    ];
    const text = trip(cib(vip + mysql + web, constraints.join('')));
    assert.doesNotMatch(text, /# from the constraints/);
    for (const id of ['c_mysql_with_ip_api', 'o_ip_api_before_mysql', 'o_mysql_before_web', 'location-web', 'l_mysql_rule_1', 'l_web_nodes']) assert.match(text, new RegExp(`^ {8}<rsc_[a-z]+ id="${id}"`, 'm'), id);
  });

  it('a claim the compiled CIB would not match exactly is dropped: a node-list rule without boolean-op is kept as it runs', () => {
    const text = trip(cib(web, rule('l_web_nodes', 'cl_web', '-INFINITY', expr('e1', '#uname', 'ne', 'n1'), '')));
    // Its form is the derived one, but hactl writes boolean-op="and": compiled, it would differ.
    assert.doesNotMatch(text, /nodes: \[n1\]/);
    assert.match(text, /^ {8}<rsc_location id="l_web_nodes" rsc="cl_web">\n {10}<rule id="l_web_nodes-rule" score="-INFINITY">/m);
  });
});

describe('typed import of bundles', () => {
  it("a promotable podman bundle (Pacemaker's test form) is a custom service with bundle:, its id under cib.bundle_id", () => {
    const text = trip(
      cib(
        '<bundle id="bundle-a"><meta_attributes id="bundle-a-meta"><nvpair id="bundle-a-meta-t" name="container-attribute-target" value="host"/></meta_attributes><podman image="localhost/pcmktest" replicas="3" promoted-max="1"/><network control-port="3121"/>' +
          '<primitive id="bundle-a-rsc" class="ocf" provider="pacemaker" type="Stateful"><operations><op id="m15" name="monitor" interval="15s" timeout="15s" role="Promoted"/><op id="m16" name="monitor" interval="16s" timeout="16s" role="Unpromoted"/></operations></primitive></bundle>',
      ),
    );
    assert.match(
      text,
      /\n {6}bundle-a:\n {8}agent: "ocf:pacemaker:Stateful"\n {8}bundle:\n {10}runtime: podman\n {10}image: localhost\/pcmktest\n {10}replicas: 3\n {10}promoted: 1\n {10}network: \{ control_port: 3121 \}\n {10}meta: \{ container-attribute-target: host \}\n {8}cib: [^\n]*\n {10}id: bundle-a-rsc\n {10}operations:\n {12}- \{ name: monitor, interval: 15s, timeout: 15s, role: Promoted \}\n {12}- \{ name: monitor, interval: 16s, timeout: 16s, role: Unpromoted \}\n {10}bundle_id: bundle-a\n/,
    );
    assert.doesNotMatch(text, /mode:|^ {4}raw_cib:/m);
  });

  it('a docker bundle with addresses, published ports and host directories (mapping ids as hactl derives them), and one running its image alone', () => {
    const web =
      '<bundle id="web-bundle"><docker image="registry.example.com/web:1.4" replicas="2" options="--log-driver=journald"/><network ip-range-start="198.51.100.60" host-netmask="24" host-interface="eth0"><port-mapping id="web-bundle-port-1" port="80" internal-port="8080"/><port-mapping id="web-bundle-port-2" range="9000-9010"/></network>' +
      '<storage><storage-mapping id="web-bundle-storage-1" source-dir="/srv/www" target-dir="/var/www/html" options="ro"/><storage-mapping id="web-bundle-storage-2" source-dir-root="/var/log/bundles" target-dir="/var/log/httpd"/></storage>' +
      `${prim('web-rsc', 'Dummy', mon('web-rsc'))}</bundle>`;
    const text = trip(cib(web + '<bundle id="b_cache"><podman image="cache:1"/></bundle>'));
    assert.match(
      text,
      /\n {6}web-bundle:\n {8}agent: "ocf:pacemaker:Dummy"\n {8}bundle:\n {10}runtime: docker\n {10}image: "registry\.example\.com\/web:1\.4"\n {10}replicas: 2\n {10}options: "--log-driver=journald"\n {10}network: \{ ip_range_start: 198\.51\.100\.60, host_interface: eth0, host_netmask: 24, ports: \[\{ port: 80, internal_port: 8080 \}, \{ range: "9000-9010" \}\] \}\n {10}storage:\n {12}- \{ source: \/srv\/www, target: \/var\/www\/html, options: ro \}\n {12}- \{ source_root: \/var\/log\/bundles, target: \/var\/log\/httpd \}\n {8}cib: [^\n]*\n {10}id: web-rsc\n/,
    );
    assert.match(text, /\n {6}cache:\n {8}bundle:\n {10}runtime: podman\n {10}image: "cache:1"\n {8}cib: \{ bundle_id: b_cache \}/);
    assert.doesNotMatch(text, /^ {4}raw_cib:/m);
  });

  it('a bundle whose mapping ids or address range a topology would derive otherwise stays raw, with the reason', () => {
    const text = trip(
      cib(
        '<bundle id="httpd-bundle"><docker image="httpd"/><network control-port="3121"><port-mapping id="httpd-port" port="80"/></network></bundle>' +
          '<bundle id="db-bundle"><docker image="db" replicas="2"/><network ip-range-start="198.51.100.70"/></bundle>',
      ),
    );
    assert.match(text, /# httpd-bundle: names its port mapping httpd-port, not httpd-bundle-port-1 as hactl does\n/);
    assert.match(text, /# db-bundle: starts an address range without host-netmask, where hactl writes the network prefix\n/);
  });
});

describe('typed import of credentials', () => {
  it('a credential already stored as a CIB secret (lrm://) is typed as a secret reference, which compiles to the same lrm://', () => {
    const r = roundTrip(cib(prim('p_app', 'Dummy', params('p_app', { passwd: 'lrm://', state: '/run/app' }) + mon('p_app'))), 'test.xml', COROSYNC);
    assert.ok(r.ok, r.ok ? '' : `${r.stage}: ${r.category}: ${r.detail}`);
    assert.match(r.text, /^ {10}passwd: \{ secret: app-passwd \}/m);
    assert.match(r.text, /^ {2}app-passwd: \{ env: HACTL_APP_PASSWD \}/m);
    assert.doesNotMatch(r.text, /^ +raw_cib:/m);
  });
});
