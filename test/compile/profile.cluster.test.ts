/**
 * What of the current profile runs on the test cluster without OpenStack (instance 1; fixture
 * test/compile/fixtures/live-profile.yaml, applied by hactl apply over SSH): an HAProxy
 * clone carrying the API VIP, a real haproxy on every node bound `transparent` to the VIP (as
 * hactl's haproxy.cfg is) and forwarding to a backend on every node, and a promotable
 * ocf:pacemaker:Stateful standing in for Galera / the OVN databases, with its VIP colocated with
 * the promoted instance and started after the promote. The node holding both the promoted instance
 * and the API VIP is crashed: a survivor is promoted, the database VIP follows it, the API VIP
 * moves to another haproxy, and HAProxy's health checks stop sending clients to the dead backend.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { XmlElement } from '../../src/xml/tree.js';
import { hactl, ROOT } from '../helpers/cli.js';
import { waitUntil } from '../helpers/wait.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { down, upForApply } from '../testbed/lab.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 1;
const skip = testbedSkip();
/** The fixture's haproxy command line names this directory (/tmp is shared with the nodes). */
const WORK = '/tmp/hactl-live-profile-1';
const API_VIP = '198.51.100.50';
const DB_VIP = '198.51.100.51';
const NODES = ['n1', 'n2', 'n3'];
const ADDRESS: Record<string, string> = { n1: '198.51.100.11', n2: '198.51.100.12', n3: '198.51.100.13' };

/** The listen section hactl's haproxy.cfg template writes for an HTTP API, at one VIP. */
const HAPROXY_CFG = `global
    maxconn 200

defaults
    mode http
    retries 3
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    timeout check 2s

listen api
    bind ${API_VIP}:80 transparent
    option httpchk GET /
    balance roundrobin
${NODES.map((n) => `    server ${n} ${ADDRESS[n]}:8080 check inter 1s rise 1 fall 2`).join('\n')}
`;

/** Nodes where a clone's primitive runs in a role, from crm_mon's XML. */
function placed(tb: Testbed, node: string, id: string, role?: string): string[] {
  const mon = parse(tb.run(node, ['crm_mon', '--one-shot', '--output-as=xml']));
  const out: string[] = [];
  const walk = (e: XmlElement) => {
    if (e.name === 'resource' && (e.attrs.id === id || e.attrs.id?.startsWith(`${id}:`)) && e.attrs.active === 'true' && (!role || e.attrs.role === role)) {
      for (const n of e.children) if (n.name === 'node') out.push(n.attrs.name!);
    }
    e.children.forEach(walk);
  };
  walk(mon);
  return out.sort();
}

/** Which backend answers at the API VIP (each serves a page naming its node), or an error. */
async function ask(): Promise<string> {
  try {
    const r = await fetch(`http://${API_VIP}/`, { signal: AbortSignal.timeout(3000) });
    return r.ok ? (await r.text()).trim() : `HTTP ${r.status}`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

async function answers(count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(await ask());
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('current profile on a live cluster: HAProxy clone with its VIP, promotable with the VIP on the promoted instance', { skip: skip ?? false }, () => {
  let tb: Testbed;
  let work: string;
  let topo: string;

  before(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    writeFileSync(join(WORK, 'haproxy.cfg'), HAPROXY_CFG);
    ({ tb, work, topo } = upForApply({ id: ID, name: 'live-profile', topology: readFileSync(join(ROOT, 'test/compile/fixtures/live-profile.yaml'), 'utf8') }));
    // The backends, outside the cluster: a page naming the node on port 8080 of its address.
    for (const n of NODES) {
      mkdirSync(join(WORK, n));
      writeFileSync(join(WORK, n, 'index.html'), `${n}\n`);
      tb.run(n, ['sh', '-c', `nohup python3 -m http.server 8080 --bind ${ADDRESS[n]} --directory ${WORK}/${n} >/dev/null 2>&1 &`]);
    }
    // Listening before haproxy starts checking them (fall 2, 1 s apart): python3 starts slowly on a
    // loaded machine, and a backend marked down at the start is missing from the roundrobin below.
    for (const n of NODES) waitUntil(`backend on ${n} listening`, () => tb.exec(n, ['bash', '-c', `exec 3<>/dev/tcp/${ADDRESS[n]}/8080`]).code === 0, 60);
    const r = hactl(['apply', topo, '--all', '--yes', '--ssh-config', tb.sshConfig]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    tb.settle('n1');
  });
  after(() => {
    down({ tb, work });
    rmSync(WORK, { recursive: true, force: true });
  });

  it('settles: haproxy on every node, the API VIP answers through it from every backend, one promoted instance holds the database VIP', async () => {
    // Stateful's promotion score goes through pacemaker-attrd and can reach the CIB after the
    // transition that started the instances is over (crm_resource --wait returned in between).
    waitUntil(() => `nothing promoted with the database VIP:\n${tb.run('n1', ['crm_mon', '--one-shot', '-r'])}`, () => placed(tb, 'n1', 'p_db', 'Promoted').length > 0 && placed(tb, 'n1', 'p_ip_db').length > 0, 120, 1000);
    assert.deepEqual(placed(tb, 'n1', 'p_proxy'), NODES);
    assert.equal(placed(tb, 'n1', 'p_db', 'Promoted').length, 1);
    assert.deepEqual(placed(tb, 'n1', 'p_ip_db'), placed(tb, 'n1', 'p_db', 'Promoted'));
    assert.equal(placed(tb, 'n1', 'p_ip_api').length, 1);
    const seen = await answers(9);
    assert.deepEqual([...new Set(seen)].sort(), NODES, seen.join(', '));
  });

  it('crashing the promoted node (with the API VIP moved there) promotes a survivor, the database VIP follows it, the API VIP moves to another haproxy', async () => {
    const [primary] = placed(tb, 'n1', 'p_db', 'Promoted');
    assert.ok(primary);
    // Put the API VIP on the same node, so that one crash moves both. crm_resource refuses to
    // move a resource to the node it already runs on ("Requested item already exists").
    if (placed(tb, 'n1', 'p_ip_api')[0] !== primary) {
      tb.run('n1', ['crm_resource', '--move', '--resource', 'p_ip_api', '--node', primary]);
      tb.settle('n1', 60);
    }
    assert.deepEqual(placed(tb, 'n1', 'p_ip_api'), [primary]);

    tb.crash(primary);
    const survivor = NODES.find((n) => n !== primary)!;
    let promoted: string[] = [];
    for (let i = 0; i < 60 && !(promoted.length === 1 && promoted[0] !== primary && placed(tb, survivor, 'p_ip_db').length === 1); i++) {
      await sleep(1000);
      promoted = placed(tb, survivor, 'p_db', 'Promoted');
    }
    tb.settle(survivor, 60);
    promoted = placed(tb, survivor, 'p_db', 'Promoted');
    assert.equal(promoted.length, 1, tb.run(survivor, ['crm_mon', '--one-shot', '-r']));
    assert.notEqual(promoted[0], primary);
    assert.deepEqual(placed(tb, survivor, 'p_ip_db'), promoted, 'the database VIP follows the new promoted instance');
    assert.match(tb.run(promoted[0]!, ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`inet ${DB_VIP.replaceAll('.', '\\.')}/26`));
    const api = placed(tb, survivor, 'p_ip_api');
    assert.equal(api.length, 1);
    assert.notEqual(api[0], primary);
    assert.deepEqual(placed(tb, survivor, 'p_proxy'), NODES.filter((n) => n !== primary));
    // HAProxy's checks (every second, down after two failures) drop the dead backend.
    let seen: string[] = [];
    for (let i = 0; i < 15; i++) {
      seen = await answers(6);
      if (seen.every((s) => NODES.includes(s) && s !== primary)) break;
      await sleep(1000);
    }
    assert.deepEqual([...new Set(seen)].sort(), NODES.filter((n) => n !== primary), seen.join(', '));
  });
});
