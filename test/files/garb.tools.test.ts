/**
 * The Galera arbitrator's /etc/default/garb (test/compile/fixtures/galera-arbiter.yaml, and the
 * same topology on IPv6): read back by bash as Debian's garb-systemd reads it (sourced, then its
 * values put into garbd's command line through eval), and compared with the members' Galera
 * drop-ins read by python3's strict configparser: the same member addresses as their
 * wsrep_cluster_address, the same group as their wsrep_cluster_name.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import type { Manifest } from '../../src/compile/files/manifest.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseIni } from './helpers.js';

const skip = needTools(['bash', 'python3']);
const tmp = mkdtempSync(join(tmpdir(), 'hactl-garb-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURE = 'test/compile/fixtures/galera-arbiter.yaml';
const V4 = readFileSync(join(ROOT, FIXTURE), 'utf8');
// The management network on IPv6: members, arbiter and VIP (the BMCs stay on IPv4).
const V6 = V4.replace('management: 198.51.100.0/26', 'management: 2001:db8:0:1::/64').replace(/management: 198\.51\.100\.(\d+)/g, 'management: 2001:db8:0:1::$1').replace('address: 198.51.100.10 }', 'address: 2001:db8:0:1::10 }');

function compile(text: string): { files: Map<string, string>; manifest: Manifest } {
  const r = loadTopology(text, FIXTURE);
  assert.ok(r.ok && r.model, r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n'));
  const artifacts = emitNodeFiles(r.model);
  return {
    files: new Map(artifacts.map((a) => [a.path, a.content])),
    manifest: JSON.parse(artifacts.find((a) => a.path === 'manifest.json')!.content) as Manifest,
  };
}

/**
 * What garbd is started with: garb-systemd (galera-arbitrator-4 26.4, Debian 12) sources the file,
 * builds `-a gcomm://${GALERA_NODES// /,} -g '$GALERA_GROUP' -o '$GALERA_OPTIONS'` and evals it.
 */
const WRAPPER = `set -eu
. "$1"
OPTIONS="-a gcomm://\${GALERA_NODES// /,}"
[ -n "\${GALERA_GROUP:-}" ] && OPTIONS="$OPTIONS -g '$GALERA_GROUP'"
[ -n "\${GALERA_OPTIONS:-}" ] && OPTIONS="$OPTIONS -o '$GALERA_OPTIONS'"
eval printf '%s\\\\n' $OPTIONS
`;

for (const [name, text, members, arbiter] of [
  ['IPv4', V4, ['198.51.100.11', '198.51.100.12'], '198.51.100.40'],
  ['IPv6', V6, ['[2001:db8:0:1::11]', '[2001:db8:0:1::12]'], '[2001:db8:0:1::40]'],
] as const) {
  test(`${name}: garbd gets the members' wsrep addresses and cluster name, as the members' galera.cnf has them`, { skip }, () => {
    const c = compile(text);
    const garb = c.files.get('nodes/arbiter/etc/default/garb');
    assert.ok(garb, 'no /etc/default/garb on the arbiter');
    for (const n of ['ctl1', 'ctl2']) assert.equal(c.files.get(`nodes/${n}/etc/default/garb`), undefined, `${n} runs galera: no arbiter there`);
    const path = join(tmp, `${name}.garb`);
    writeFileSync(path, garb);
    const r = runCommand('env', ['-i', 'bash', '-c', WRAPPER, 'garb-systemd', path]);
    assert.equal(r.code, 0, r.stderr);
    const argv = r.stdout.trimEnd().split('\n');
    assert.deepEqual(argv, ['-a', `gcomm://${members.join(',')}`, '-g', 'controllers', '-o', `gmcast.listen_addr=tcp://${arbiter}:4567`]);

    const drops = ['ctl1', 'ctl2'].map((n) => {
      const p = join(tmp, `${name}-${n}.cnf`);
      writeFileSync(p, c.files.get(`nodes/${n}/etc/mysql/mariadb.conf.d/60-hactl-galera.cnf`)!);
      return p;
    });
    const ini = parseIni(drops);
    for (const p of drops) {
      const g = ini[p]!['galera']!;
      assert.equal(g['wsrep_cluster_address'], argv[1], 'the arbiter joins the group the members list');
      assert.equal(g['wsrep_cluster_name'], argv[3], 'a node of another cluster name is refused');
      assert.ok(argv[1]!.includes(g['wsrep_node_address']!.includes(':') ? `[${g['wsrep_node_address']}]` : g['wsrep_node_address']!));
    }

    // apply installs it, restarts garb on a change, and enables the unit at boot.
    const entry = c.manifest.files.find((f) => f.node === 'arbiter' && f.path === '/etc/default/garb');
    assert.deepEqual(entry?.onChange, { kind: 'restart', service: 'garb' });
    assert.deepEqual(c.manifest.units.filter((u) => u.unit === 'garb'), [{ node: 'arbiter', unit: 'garb', state: 'enabled', services: ['galera'] }]);
  });
}
