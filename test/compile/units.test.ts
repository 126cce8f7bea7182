/**
 * Services run by the init system (systemd:, lsb:, service:): the operations Pacemaker needs for
 * them, no parameters on them, and check naming the unit to keep disabled at boot. The real tools
 * judge the compiled CIB in pacemaker.tools.test.ts (fixture units.yaml).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkServices } from '../../src/check/services.js';
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

test('check names the unit of every custom systemd/lsb service to disable at boot (HA6056)', () => {
  const found = checkServices(lowered('test/compile/fixtures/units.yaml')).findings.filter((d) => d.code === 'HA6056');
  assert.deepEqual(
    found.map((d) => `${d.pointer} ${d.hint}`),
    [
      '/clusters/web/services/cron on web1, web2: systemctl disable cron (Pacemaker starts it where it should run)',
      '/clusters/web/services/legacy on web1, web2: systemctl disable legacy-app (Pacemaker starts it where it should run)',
      '/clusters/web/services/nginx on web1, web2: systemctl disable nginx (Pacemaker starts it where it should run)',
      '/clusters/web/services/worker on web1, web2: systemctl disable app-worker@blue (Pacemaker starts it where it should run)',
    ],
  );
  // OCF services have no unit of their own to disable.
  assert.deepEqual(checkServices(lowered('fixtures/valid/plain-pacemaker.yaml')).findings.filter((d) => d.code === 'HA6056'), []);
});
