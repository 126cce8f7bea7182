/**
 * The Galera arbitrator in check (test/compile/fixtures/galera-arbiter.yaml: two controllers,
 * garbd on the qnetd host): its vote counts toward Galera's majority in HA6120/HA6121 and in the
 * availability estimate; an arbiter in a failure domain with a member is HA6151; a compiled garb
 * file that does not match the members' galera.cnf, or a garb unit not enabled, is HA6152.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { estimateAvailability } from '../../src/check/availability.js';
import { scenariosOf } from '../../src/check/rehearsal.js';
import { clusterStories } from '../../src/check/story.js';
import { checkServices, compiledOutput, type CompiledOutput } from '../../src/check/services.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURE = 'test/compile/fixtures/galera-arbiter.yaml';
const TEXT = readFileSync(join(ROOT, FIXTURE), 'utf8');

function load(edit: (s: string) => string = (s) => s): Lowered {
  const r = loadTopology(edit(TEXT), FIXTURE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  return r.model;
}

const once = (from: string, to: string) => (s: string) => {
  assert.equal(s.split(from).length, 2, `one ${from}`);
  return s.replace(from, to);
};
const noArbiter = once('galera: { arbiter: arbiter }', 'galera: {}');
const codes = (t: Lowered, out: CompiledOutput = compiledOutput(t)) =>
  checkServices(t, out)
    .findings.filter((d) => /^HA61(2[01]|5\d)$/.test(d.code))
    .map((d) => `${d.code} ${d.pointer}`);

test('two members and an arbiter keep a majority through one failure: no HA6120; without the arbiter HA6120 names one', () => {
  assert.deepEqual(codes(load()), []);
  const bare = load(noArbiter);
  const d = checkServices(bare, compiledOutput(bare)).findings.filter((x) => x.code === 'HA6120');
  assert.deepEqual(d.map((x) => x.pointer), ['/clusters/controllers/services/galera']);
  assert.match(d[0]!.message, /majority of its 2 members \(ctl1, ctl2\) up/);
  assert.match(d[0]!.hint ?? '', /keep 2 and name an arbiter \(arbiter: NODE, garbd on a node that does not run galera\)/);
});

test('the estimate counts the arbiter: one member down keeps galera up, a member and the arbiter down do not', () => {
  const path = (t: Lowered) => estimateAvailability(t).paths.find((p) => p.service === 'galera')!;
  const withArbiter = path(load());
  const without = path(load(noArbiter));
  const singles = (p: typeof withArbiter) => p.cutSets.filter((c) => !/ \+ /.test(c.label)).map((c) => c.label);
  assert.deepEqual(singles(without), ['ctl1 down', 'ctl2 down']);
  assert.deepEqual(singles(withArbiter), []);
  const labels = withArbiter.cutSets.map((c) => c.label);
  assert.ok(labels.includes('arbiter + ctl1 down') && labels.includes('arbiter + ctl2 down'), labels.join('; '));
  assert.ok(withArbiter.availability > without.availability);
});

test('the rehearsal fails an arbiter outside the cluster alone and with each member; the qnetd host is not failed twice', () => {
  // Here the arbiter is the qnetd host: its scenarios are the quorum device's.
  assert.deepEqual(scenariosOf(load().topology.clusters.controllers!), [['ctl1'], ['ctl2'], ['arbiter'], ['arbiter', 'ctl1'], ['arbiter', 'ctl2']]);
  const apart = load(
    (s) =>
      once('  arbiter:\n    roles: [qnetd]\n', '  garb1:\n    roles: [network]\n    addresses: { management: 198.51.100.41 }\n  arbiter:\n    roles: [qnetd]\n')(s).replace('galera: { arbiter: arbiter }', 'galera: { arbiter: garb1 }'),
  );
  assert.deepEqual(scenariosOf(apart.topology.clusters.controllers!), [['ctl1'], ['ctl2'], ['arbiter'], ['arbiter', 'ctl1'], ['arbiter', 'ctl2'], ['garb1'], ['garb1', 'ctl1'], ['garb1', 'ctl2']]);
});

test('HA6151: an arbiter in the rack of one of two members falls with it; one rack for all, or a rack of its own, is no finding', () => {
  const racks = (a: string, b: string, arb: string) => (s: string) =>
    s
      .replace('    addresses: { management: 198.51.100.11, ipmi: 198.51.100.201 }\n', `$&    attributes: { rack: ${a} }\n`)
      .replace('    addresses: { management: 198.51.100.12, ipmi: 198.51.100.202 }\n', `$&    attributes: { rack: ${b} }\n`)
      .replace('    addresses: { management: 198.51.100.40 }\n', `$&    attributes: { rack: ${arb} }\n`);
  const t = load(racks('r1', 'r2', 'r1'));
  const d = checkServices(t, compiledOutput(t)).findings.filter((x) => x.code === 'HA6151');
  assert.deepEqual(d.map((x) => `${x.severity} ${x.pointer}`), ['warning /clusters/controllers/services/galera/arbiter']);
  assert.match(d[0]!.message, /shares rack r1 with ctl1: .* leaves 1 of 3 votes/);
  assert.deepEqual(codes(load(racks('r1', 'r2', 'r3'))), []);
  assert.deepEqual(codes(load(racks('r1', 'r1', 'r1'))), []);
  // Attributes that are no failure domain are not read as one.
  assert.deepEqual(codes(load((s) => racks('r1', 'r2', 'r1')(s).replaceAll('rack:', 'disk:'))), []);
});

test('HA6152: a garb file planted with another group or member list, a missing one, and a garb unit not enabled', () => {
  const t = load();
  const good = compiledOutput(t);
  const path = 'nodes/arbiter/etc/default/garb';
  const planted = (edit: (o: CompiledOutput) => void): string[] => {
    const out: CompiledOutput = { ...good, files: new Map(good.files), units: [...good.units] };
    edit(out);
    return checkServices(t, out).findings.filter((d) => d.code === 'HA6152').map((d) => d.message);
  };
  assert.deepEqual(planted(() => undefined), []);
  const group = planted((o) => o.files.set(path, good.files.get(path)!.replace('GALERA_GROUP="controllers"', 'GALERA_GROUP="galera"')));
  assert.equal(group.length, 1);
  assert.match(group[0]!, /names GALERA_GROUP="galera" where ctl1's wsrep_cluster_name is controllers; names GALERA_GROUP="galera" where ctl2's/);
  const nodes = planted((o) => o.files.set(path, good.files.get(path)!.replace('GALERA_NODES="198.51.100.11,198.51.100.12"', 'GALERA_NODES="198.51.100.11"')));
  assert.match(nodes[0]!, /names GALERA_NODES="198\.51\.100\.11" where ctl1's wsrep_cluster_address lists 198\.51\.100\.11,198\.51\.100\.12/);
  assert.match(planted((o) => o.files.delete(path))[0]!, /^\/etc\/default\/garb of arbiter arbiter \(garbd of galera\) is not compiled/);
  assert.match(planted((o) => (o.units = o.units.filter((u) => u.unit !== 'garb')))[0]!, /is not started at boot \(unit garb not enabled\)/);
});

test("the quorum story gives Galera's votes with the arbiter's", () => {
  assert.deepEqual(clusterStories(load())[0]!.ownQuorum, ['galera: 2 member(s) (ctl1, ctl2) + garbd on arbiter: 3 votes, 2 needed, survives 1 failure(s)']);
  assert.deepEqual(clusterStories(load(noArbiter))[0]!.ownQuorum, ['galera: 2 member(s) (ctl1, ctl2): 2 votes, 2 needed, survives 0 failure(s)']);
});
