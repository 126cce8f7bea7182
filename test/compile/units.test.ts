/**
 * Services run by the init system (systemd:, lsb:, service:): the operations Pacemaker needs for
 * them, no parameters on them, and their units disabled at boot by apply (the manifest's units). The real tools
 * judge the compiled CIB in pacemaker.tools.test.ts (fixture units.yaml).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { bootUnitOf } from '../../src/catalog/unit-agents.js';
import { checkServices, compiledOutput } from '../../src/check/services.js';
import { primitivesOf, type Primitive } from '../../src/compile/pacemaker/model.js';
import { loadTopology } from '../../src/load.js';
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from '../helpers/cli.js';

function lowered(file: string, edit: (s: string) => string = (s) => s): Lowered {
  const r = loadTopology(edit(readFileSync(join(ROOT, file), 'utf8')), file);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.pointer} ${d.message}`).join('\n'));
  return r.model;
}

const prims = (t: Lowered, cluster: string): Map<string, Primitive> =>
  new Map(t.clusters.find((c) => c.name === cluster)!.resources.flatMap(primitivesOf).map((p) => [p.id, p]));
const ops = (p: Primitive) => p.ops.map((o) => `${o.name} ${o.interval} ${o.timeout}`);

test('systemd units get 100s start, stop and monitor timeouts; init scripts 60s; neither takes parameters', () => {
  const web = prims(lowered('test/compile/fixtures/units.yaml'), 'web');
  for (const id of ['p_nginx', 'p_worker', 'p_cron']) assert.deepEqual(ops(web.get(id)!), ['start 0s 100s', 'stop 0s 100s', 'monitor 30s 100s'], id);
  assert.deepEqual(ops(web.get('p_legacy')!), ['start 0s 60s', 'stop 0s 60s', 'monitor 30s 30s']);
  assert.deepEqual(web.get('p_worker')!.type, 'app-worker@blue');
  for (const id of ['p_nginx', 'p_worker', 'p_cron', 'p_legacy']) assert.deepEqual(web.get(id)!.params, [], id);
});

test('an active/active systemd unit is an interleaved clone', () => {
  const t = lowered('test/compile/fixtures/units.yaml');
  const clone = t.clusters[0]!.resources.find((r) => r.id === 'cl_worker');
  assert.equal(clone?.kind, 'clone');
  assert.deepEqual(clone.meta, [{ name: 'interleave', value: 'true' }]);
});

test("a catalogue service's topology params reach its OCF processes only, never its init scripts", () => {
  const t = lowered('fixtures/pixelpark.yaml', (s) => s.replace('nova: { mode: active-passive, vip: api }', 'nova: { mode: active-passive, vip: api, params: { debug: "true" } }'));
  const controllers = prims(t, 'controllers');
  assert.deepEqual(controllers.get('p_nova-conductor')!.params, []);
  assert.ok(controllers.get('p_nova-api')!.params.some((p) => p.name === 'debug'));
});

test('the manifest lists every custom unit to disable at boot; a manifest without them is HA6055', () => {
  const model = lowered('test/compile/fixtures/units.yaml', (s) => s.replace('"systemd:nginx"', '"systemd:nginx.service"'));
  const out = compiledOutput(model);
  // Pacemaker starts these through their units, so they are disabled (masked, it could not start them).
  const custom = out.units.filter((u) => u.state === 'disabled').map((u) => `${u.node} ${u.unit} ${u.services.join(',')}`);
  assert.deepEqual(custom, [
    'web1 app-worker@blue worker',
    'web1 cron cron',
    'web1 legacy-app legacy',
    'web1 nginx nginx',
    'web2 app-worker@blue worker',
    'web2 cron cron',
    'web2 legacy-app legacy',
    'web2 nginx nginx',
  ]);
  assert.deepEqual(checkServices(model, out).findings.filter((d) => d.code === 'HA6055'), []);
  const without = checkServices(model, { ...out, units: out.units.filter((u) => u.unit !== 'legacy-app') }).findings.filter((d) => d.code === 'HA6055');
  assert.deepEqual(without.map((d) => `${d.pointer} ${d.hint}`), ['/clusters/web list them in the manifest\'s units (hactl compile does for every catalogue service), or before the cluster manages them, on web1, web2: systemctl disable legacy-app']);
  // OCF services have no unit of their own; a socket unit is not a boot service.
  assert.deepEqual(compiledOutput(lowered('fixtures/valid/plain-pacemaker.yaml')).units, []);
  assert.equal(bootUnitOf('systemd:app.socket'), undefined);
  assert.equal(bootUnitOf('ocf:heartbeat:IPaddr2'), undefined);
});

test('a unit name an option parser could take (leading - or .) is refused', () => {
  const r = loadTopology(readFileSync(join(ROOT, 'test/compile/fixtures/units.yaml'), 'utf8').replace('"lsb:legacy-app"', '"lsb:-f"'), 'units.yaml');
  assert.equal(r.ok, false);
  assert.ok(r.diagnostics.some((d) => d.code === 'HA2005' && d.pointer === '/clusters/web/services/legacy/agent'), r.diagnostics.map((d) => `${d.code} ${d.pointer}`).join('\n'));
});
