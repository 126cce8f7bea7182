/**
 * Node-scoped secrets (review C5): what apply would install on each node, with every secret set to
 * a distinct value, is scanned for every value. A node holds a secret when one of its files
 * contains it (whatever the encoding apply applied), and a node may hold only the secrets of the
 * services it runs: no compute node holds a database password, the admin token or Horizon's key;
 * no storage node holds an OpenStack secret.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { desiredState } from '../../src/apply/index.js';
import { purposeOwners, secretPurposes } from '../../src/catalog/index.js';
import { placements, secretFor } from '../../src/compile/files/facts.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from '../helpers/cli.js';
import { secretSources } from '../helpers/secrets.js';

const TOPOLOGIES = ['fixtures/pixelpark.yaml', 'fixtures/havana.yaml', 'fixtures/three-controllers.yaml', 'fixtures/current.yaml', 'fixtures/valid/remote-nodes.yaml', 'test/compile/fixtures/remote.yaml', 'test/compile/fixtures/cib-secrets.yaml'];

/** Every node's secrets, found by value in what apply would install there. */
async function held(rel: string): Promise<{ model: Lowered; byNode: Map<string, string[]> }> {
  const r = loadTopology(readFileSync(join(ROOT, rel), 'utf8'), rel);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const t = r.model.topology;
  // A distinct value per secret; keys get 256 distinct-looking bytes, texts a marker no file holds otherwise.
  const value = (name: string) => (t.clusters && Object.values(t.clusters).some((c) => c.authkey === name) ? Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 31 + name.length * 7 + name.charCodeAt(0)) % 256)) : Buffer.from(`VALUE-of-${name}-7f3c`));
  const got = await desiredState(r.model, secretSources(r.model, value));
  assert.deepEqual(got.problems, []);
  const byNode = new Map<string, Set<string>>();
  for (const n of Object.keys(t.nodes)) byNode.set(n, new Set());
  for (const f of got.desired!.files) {
    for (const s of Object.values(t.secrets)) {
      const v = value(s.name);
      const text = v.toString();
      // Encodings apply uses: oslo doubles '$', url percent-encodes; the markers have neither.
      if (f.content.includes(v) || f.content.toString('latin1').includes(text)) byNode.get(f.node)!.add(s.name);
    }
  }
  return { model: r.model, byNode: new Map([...byNode].map(([n, s]) => [n, [...s].sort()])) };
}

test('pixelpark: each node holds exactly the secrets its own files need', async () => {
  const { byNode } = await held('fixtures/pixelpark.yaml');
  const controller = ['cinder-db', 'cinder-keystone', 'corosync-controllers', 'glance-db', 'glance-keystone', 'horizon-db', 'horizon-secret-key', 'ipmi', 'keystone-admin-token', 'keystone-ca-cert', 'keystone-db', 'keystone-signing-cert', 'keystone-signing-key', 'metadata-proxy', 'networking-db', 'networking-keystone', 'nova-db', 'nova-keystone', 'rabbitmq'];
  const network = ['corosync-network', 'ipmi', 'metadata-proxy', 'networking-keystone', 'rabbitmq'];
  const compute = ['networking-keystone', 'rabbitmq'];
  assert.deepEqual(Object.fromEntries(byNode), {
    ctl1: controller,
    ctl2: controller,
    net1: network,
    net2: network,
    stor1: [],
    stor2: [],
    stor3: [],
    cmp1: compute,
    cmp2: compute,
    cmp3: compute,
  });
});

for (const rel of TOPOLOGIES) {
  test(`${rel}: a node holds a service's secrets only where it runs that service (compute: rabbitmq and the networking account; storage: none)`, async () => {
    const { model, byNode } = await held(rel);
    const t = model.topology;
    const runs = placements(t);
    // Secrets every node with an OpenStack file may hold: the broker, nova's networking account and
    // (current profile) nova's account for Placement.
    const shared = new Set(['rabbitmq', 'networking-keystone', 'placement-keystone']);
    const listing: string[] = [];
    for (const [node, secrets] of byNode) {
      listing.push(`${node}: ${secrets.join(' ') || '-'}`);
      const n = t.nodes[node]!;
      const mine = new Set((runs.get(node) ?? []).map((p) => p.key));
      for (const p of secretPurposes()) {
        const s = secretFor(t, p.id);
        if (!s || !secrets.includes(s.name)) continue;
        // Every family's entry that declares the purpose (keystone-db: keystone and keystone-current).
        const owners = purposeOwners(p.id).map((e) => e.key);
        // nova-api answers the metadata agent: nova's controllers hold the metadata secret too.
        const allowed = owners.some((k) => mine.has(k)) || shared.has(p.id) || (p.id === 'metadata-proxy' && mine.has('nova'));
        assert.ok(allowed, `${node} (${n.roles.join(', ')}) holds ${p.id} of ${owners.join('/')} but runs ${[...mine].join(', ') || 'no catalogue service'}`);
      }
      if (!mine.size) {
        const openstack = secrets.filter((s) => secretPurposes().some((p) => secretFor(t, p.id)?.name === s));
        assert.ok(openstack.every((s) => shared.has(s)), `${node} runs no service and holds ${openstack.join(', ')}`);
        if (!n.roles.includes('compute')) assert.deepEqual(openstack, [], `${node} (${n.roles.join(', ')}) holds OpenStack secrets`);
      }
      // Secrets of agent parameters (CIB secrets) only where a resource using them may run.
      for (const c of Object.values(t.clusters)) {
        const runners = new Map<string, Set<string>>();
        const add = (rec: Record<string, string> | undefined, nodes: readonly string[]) => {
          for (const s of Object.values(rec ?? {})) for (const m of nodes) (runners.get(s) ?? runners.set(s, new Set()).get(s)!).add(m);
        };
        for (const s of Object.values(c.services)) add(s.secretParams, s.nodes);
        for (const d of Object.values(c.fenceDevices)) add(d.secretParams, c.nodes);
        for (const m of c.nodes) add(t.nodes[m]?.fencing?.secretParams, c.nodes.filter((x) => x !== m));
        for (const [s, where] of runners) if (secrets.includes(s) && !where.has(node)) assert.fail(`${node} holds ${s}, which no resource it may run reads`);
      }
      // Cluster keys only on their cluster's members and remote nodes.
      for (const c of Object.values(t.clusters)) {
        if (!c.authkey || !secrets.includes(c.authkey)) continue;
        const mineKey = Object.values(t.clusters).some((x) => x.authkey === c.authkey && (x.nodes.includes(node) || x.remoteNodes.includes(node)));
        assert.ok(mineKey, `${node} holds ${c.authkey}`);
      }
    }
    assert.ok(listing.length > 0, listing.join('\n'));
  });
}
