/**
 * SBD, offline only: the sbd binary is never run and no watchdog device is opened. crm_verify and
 * crm_simulate judge the compiled CIBs (disk-based with a fence_sbd device, watchdog-only with
 * stonith-watchdog-timeout), crmsh and pcs build the same CIB in a private mount namespace where
 * /usr/sbin/sbd is a stub that records any call (fence_sbd and the tools must not reach it), and
 * /etc/default/sbd is sourced by `sh -u` there. Goldens pin the output.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { expectGoldenTree, expectNoStaleGoldens } from '../helpers/golden.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';

const skip = needTools(['crm_verify', 'crm_simulate', 'cibadmin', 'crm', 'pcs', 'unshare', 'mount'], { root: 'a private mount namespace hiding /usr/sbin/sbd' });
const FIXTURE = 'test/compile/fixtures/sbd.yaml';
const GOLDEN = join(ROOT, 'test', 'compile', 'golden');
const work = mkdtempSync(join(tmpdir(), 'hactl-sbd-'));
after(() => rmSync(work, { recursive: true, force: true }));

const r = loadTopology(readFileSync(join(ROOT, FIXTURE), 'utf8'), FIXTURE);
const artifacts = r.ok && r.model ? compile(r.model, ['cib', 'crmsh', 'pcs', 'files']) : [];
const file = (path: string): string => artifacts.find((a) => a.path === path)?.content ?? assert.fail(`${path} not compiled`);
const canonical = (xml: string): string => canonicalText(normalizeConfiguration(parse(xml)));

/** The CIB as the running cluster holds it: members online with quorum, and for watchdog-only SBD the have-watchdog Pacemaker sets when sbd runs. */
function online(cib: string, watchdog: boolean): string {
  const nodes = [...cib.matchAll(/<node id="([^"]+)" uname="([^"]+)"/g)];
  const status = nodes.map(([, id, uname]) => `<node_state id="${id}" uname="${uname}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${id}"><lrm_resources/></lrm></node_state>`).join('');
  let out = cib.replace(/<status\/>|<status>[\s\S]*?<\/status>/, `<status>${status}</status>`).replace('<cib ', '<cib have-quorum="1" ');
  if (watchdog) out = out.replace('<cluster_property_set id="cib-bootstrap-options">', '<cluster_property_set id="cib-bootstrap-options"><nvpair id="cib-bootstrap-options-have-watchdog" name="have-watchdog" value="true"/>');
  return out;
}

/** A stub in place of /usr/sbin/sbd for the commands of `script`: it records calls and fails. */
function withoutSbd(script: string, args: string[], env: Record<string, string> = {}): { code: number; out: string; calls: string } {
  const dir = mkdtempSync(join(work, 'ns-'));
  const stub = join(dir, 'sbd');
  const calls = join(dir, 'calls');
  writeFileSync(stub, `#!/bin/sh\necho "sbd $*" >> ${calls}\nexit 1\n`);
  chmodSync(stub, 0o755);
  // Without the sbd package there is nothing to hide (fence_sbd then fails on its own).
  const wrapped = `if [ -e /usr/sbin/sbd ]; then mount --bind "$HACTL_SBD_STUB" /usr/sbin/sbd && cmp -s "$HACTL_SBD_STUB" /usr/sbin/sbd || { echo "no stub in place of sbd" >&2; exit 90; }; fi\n${script}`;
  const res = runCommand('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', wrapped, 'sh', ...args], { env: { ...env, HACTL_SBD_STUB: stub } });
  return { code: res.code, out: `${res.stdout}${res.stderr}`, calls: existsSync(calls) ? readFileSync(calls, 'utf8') : '' };
}

describe('SBD (offline)', { skip }, () => {
  test('the fixture is valid and the goldens match (clusters and the sbd file of each node)', () => {
    assert.ok(r.ok, JSON.stringify(r.diagnostics.map((d) => `${d.code} ${d.message}`)));
    const kept = artifacts.filter((a) => a.path.startsWith('clusters/') || a.path.endsWith('/etc/default/sbd'));
    expectGoldenTree(join(GOLDEN, 'sbd'), kept);
  });

  test('disk-based: fence_sbd on every disk, IPMI first then SBD, stonith-timeout above msgwait; no watchdog property', () => {
    const pg = file('clusters/postgres/cib.xml');
    assert.match(pg, /<primitive id="st_sbd" class="stonith" type="fence_sbd">/);
    assert.match(pg, /name="devices" value="\/dev\/disk\/by-id\/wwn-0x6001405aaaaaaaaaaaaaaaaaaaaaaaa01"/);
    assert.deepEqual([...pg.matchAll(/<fencing-level id="[^"]+" target="([^"]+)" index="(\d)" devices="([^"]+)"\/>/g)].map((m) => m.slice(1).join(' ')), ['db1 1 st_db1', 'db1 2 st_sbd', 'db2 1 st_db2', 'db2 2 st_sbd']);
    assert.match(pg, /name="stonith-timeout" value="60s"/);
    assert.doesNotMatch(pg, /stonith-watchdog-timeout|have-watchdog/);
    const fs = file('clusters/files/cib.xml');
    assert.match(fs, /name="devices" value="[^"]+01,[^"]+02,[^"]+03"/);
    // msgwait 30s: 20% above it is 36s, still under Pacemaker's 60s.
    assert.match(fs, /name="stonith-timeout" value="60s"/);
    // SBD is the only device: nothing to order, no fencing topology.
    assert.doesNotMatch(fs, /fencing-topology/);
  });

  test('watchdog-only: stonith-watchdog-timeout twice SBD_WATCHDOG_TIMEOUT, no fence device, have-watchdog left to Pacemaker', () => {
    const apps = file('clusters/apps/cib.xml');
    assert.match(apps, /name="stonith-watchdog-timeout" value="20s"/);
    assert.doesNotMatch(apps, /class="stonith"|have-watchdog/);
    assert.match(file('nodes/app1/etc/default/sbd'), /^SBD_WATCHDOG_TIMEOUT=10$/m);
    assert.doesNotMatch(file('nodes/app1/etc/default/sbd'), /SBD_DEVICE/);
    const units = (JSON.parse(file('manifest.json')) as { units: { node: string; unit: string; state: string }[] }).units.filter((u) => u.unit === 'sbd');
    assert.deepEqual(units.map((u) => `${u.node} ${u.state}`), ['app1 enabled', 'app2 enabled', 'app3 enabled', 'db1 enabled', 'db2 enabled', 'fs1 enabled', 'fs2 enabled', 'fs3 enabled']);
    // A change of the sbd file restarts corosync node by node: apply compares what it assigns.
    const installs = (JSON.parse(file('manifest.json')) as { files: { path: string; install: string }[] }).files.filter((f) => f.path === '/etc/default/sbd').map((f) => f.install);
    assert.ok(installs.length === 8 && installs.every((i) => i === 'assignments'), installs.join(' '));
  });

  for (const cluster of ['postgres', 'apps', 'files']) {
    describe(`cluster ${cluster}`, () => {
      const dir = join(work, cluster);
      mkdirSync(dir, { recursive: true });
      const cib = () => file(`clusters/${cluster}/cib.xml`);
      const diskless = cluster === 'apps';

      test('crm_verify: no error and no warning with every member online', () => {
        const on = join(dir, 'online.xml');
        writeFileSync(on, online(cib(), diskless));
        const v = runCommand('crm_verify', ['-V', '-x', on]);
        assert.equal(`${v.stdout}${v.stderr}`, '');
        assert.equal(v.code, 0);
        if (!diskless) {
          const raw = join(dir, 'cib.xml');
          writeFileSync(raw, cib());
          const rv = runCommand('crm_verify', ['-V', '-x', raw]);
          assert.doesNotMatch(`${rv.stdout}${rv.stderr}`, /error/i);
        }
      });

      test('crm_simulate: everything starts; a lost member is fenced and its services move to a survivor', () => {
        const shadow = mkdtempSync(join(dir, 'shadow-'));
        const env = { CIB_shadow_dir: shadow };
        const on = join(dir, 'sim-online.xml');
        writeFileSync(on, online(cib(), diskless));
        const settled = join(dir, 'settled.xml');
        const s = runCommand('crm_simulate', ['-S', '-x', on, '-O', settled], { env });
        assert.equal(s.code, 0, s.stderr);
        const members = [...cib().matchAll(/<node id="[^"]+" uname="([^"]+)"/g)].map((m) => m[1]!);
        for (const node of members) {
          const f = runCommand('crm_simulate', ['-S', '-x', settled, '--node-fail', node, '--output-as=xml'], { env });
          assert.equal(f.code, 0, f.stderr);
          assert.match(f.stdout, new RegExp(`<node_action task="(reboot|Fence \\(reboot\\))" node="${node}"`), f.stdout);
          const revised = parse(f.stdout).children.find((c) => c.name === 'revised_cluster_status')!;
          const where = new Map<string, string[]>();
          const walk = (e: (typeof revised)): void => {
            if (e.name === 'resource' && e.attrs.active === 'true') where.set(e.attrs.id!, e.children.filter((n) => n.name === 'node').map((n) => n.attrs.name!));
            e.children.forEach(walk);
          };
          walk(revised);
          for (const [id, nodes] of where) {
            if (id.startsWith('st_') && id !== 'st_sbd') continue; // a BMC device of the survivor's own may only run on the lost node
            assert.ok(nodes.length && !nodes.includes(node), `${id} on ${nodes.join(',')} after ${node} failed`);
          }
          if (!diskless) assert.ok(where.get('st_sbd')?.length, `fence_sbd runs on a survivor after ${node} failed`);
        }
      });

      test('crmsh and pcs build the same CIB, and nothing calls sbd', () => {
        const crmFile = join(dir, 'crm.xml');
        const pcsFile = join(dir, 'pcs.xml');
        const empty = execFileSync('cibadmin', ['--empty'], { encoding: 'utf8' });
        writeFileSync(crmFile, empty);
        writeFileSync(pcsFile, empty);
        writeFileSync(join(dir, 'configure.crm'), file(`clusters/${cluster}/configure.crm`));
        writeFileSync(join(dir, 'pcs.sh'), file(`clusters/${cluster}/pcs.sh`));
        const res = withoutSbd('CIB_file="$1" crm -F configure load update "$2" && bash "$3" "$4"', [crmFile, join(dir, 'configure.crm'), join(dir, 'pcs.sh'), pcsFile]);
        assert.equal(res.code, 0, res.out);
        assert.equal(res.calls, '', 'sbd was called');
        assert.equal(canonical(readFileSync(crmFile, 'utf8')), canonical(cib()));
        assert.equal(canonical(readFileSync(pcsFile, 'utf8')), canonical(cib()));
      });
    });
  }

  test('/etc/default/sbd: sourced by sh -u, it sets what sbd reads and nothing runs', () => {
    for (const node of ['db1', 'app1', 'fs1']) {
      const conf = join(work, `sbd-${node}`);
      writeFileSync(conf, file(`nodes/${node}/etc/default/sbd`));
      const res = withoutSbd('env -i PATH=/nonexistent /bin/sh -u -c \'. "$1" && printf "%s|%s|%s|%s|%s\\n" "${SBD_DEVICE-}" "$SBD_WATCHDOG_DEV" "$SBD_WATCHDOG_TIMEOUT" "$SBD_PACEMAKER" "$SBD_STARTMODE"\' sh "$1"', [conf]);
      assert.equal(res.code, 0, res.out);
      assert.equal(res.calls, '');
      const s = r.model!.topology.clusters[r.model!.topology.nodes[node]!.cluster!]!.sbd!;
      assert.equal(res.out.trim(), `${s.devices.join(';')}|/dev/watchdog|${s.watchdogTimeout}|yes|${s.startmode}`);
    }
  });

  test('no stale goldens under test/compile/golden', () => expectNoStaleGoldens(GOLDEN));
});
