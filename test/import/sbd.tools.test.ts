/**
 * SBD on import, with the real tools and never the sbd binary (nothing here opens a watchdog):
 * `hactl import --cib --sbd-config` -> compile -> the compiled /etc/default/sbd, sourced by bash,
 * sets every variable to what the file read means (sbd's defaults for what it leaves out, as the
 * installed package's own /etc/default/sbd documents them); crm_verify accepts the compiled CIB and
 * `diff` finds no drift. The file is read over the transport as over SSH (the local one here).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readSbdConfig } from '../../src/remote/ssh.js';
import { localTransport } from '../apply/local.js';
import { hactlIn } from '../helpers/cli.js';
import { needTools, runCommand } from '../helpers/spawn.js';
import { twoNodeCorosync } from './roundtrip.js';
import { DISK, sbdCib, sbdFile, STONITH_SBD } from './sbd-fixtures.js';

const PACKAGED = '/etc/default/sbd';
const skip = needTools(['bash', 'crm_verify']) || (!existsSync(PACKAGED) && 'no sbd package (its /etc/default/sbd documents the defaults)');

/** sbd's defaults, from the `## Default:` line above each variable of the packaged file. */
function packagedDefaults(): Map<string, string> {
  const out = new Map<string, string>();
  let pending: string | undefined;
  for (const line of readFileSync(PACKAGED, 'utf8').split('\n')) {
    const d = /^## Default: (.*)$/.exec(line);
    if (d) pending = d[1]!.trim().replace(/^"(.*)"$/, '$1');
    const v = /^#?(SBD_[A-Z_]+)=/.exec(line);
    if (v && pending !== undefined) {
      out.set(v[1]!, pending);
      pending = undefined;
    }
  }
  return out;
}

/** Every SBD_* variable a file sets once sourced by bash, the unset ones at their default. */
function effective(file: string, defaults: Map<string, string>): Record<string, string> {
  const names = [...defaults.keys()].sort();
  const r = runCommand('env', ['-i', 'bash', '-c', `set -eu; . "$1"; for v in ${names.join(' ')}; do printf '%s=%s\\n' "$v" "\${!v-<unset>}"; done`, 'effective', file]);
  assert.equal(r.code, 0, r.stderr);
  const out: Record<string, string> = {};
  for (const line of r.stdout.trim().split('\n')) {
    const [k, ...v] = line.split('=');
    const value = v.join('=');
    out[k!] = value === '<unset>' ? defaults.get(k!)! : value;
  }
  return out;
}

/** The CIB with every node online and quorum (the compiled one has an empty status). */
function online(cib: string): string {
  const status = [...cib.matchAll(/<node id="([^"]+)" uname="([^"]+)"/g)].map(([, id, uname]) => `<node_state id="${id}" uname="${uname}" in_ccm="true" crmd="online" join="member" expected="member"><lrm id="${id}"><lrm_resources/></lrm></node_state>`).join('');
  return cib.replace(/<status\/>|<status>[\s\S]*?<\/status>/, `<status>${status}</status>`).replace('<cib ', '<cib have-quorum="1" ');
}

describe('hactl import --sbd-config', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hactl-import-sbd-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const defaults = skip ? new Map<string, string>() : packagedDefaults();

  for (const [name, file] of [
    ['a file as the package ships it, with the disk', sbdFile({ SBD_DEVICE: `"${DISK}"` })],
    ['a short file leaving the defaults out', `SBD_DEVICE=${DISK}\nSBD_WATCHDOG_TIMEOUT=10\n`],
  ] as const) {
    it(`${name}: the compiled /etc/default/sbd sets what it means; crm_verify accepts the compiled CIB; no drift`, async () => {
      const cib = join(dir, 'cib.xml');
      writeFileSync(cib, sbdCib(2, { 'priority-fencing-delay': '15s' }, STONITH_SBD));
      writeFileSync(join(dir, 'corosync.conf'), twoNodeCorosync('lab', { twoNode: true }));
      const read = join(dir, 'sbd');
      writeFileSync(read, file);
      const r = await hactlIn(['import', '--cib', cib, '--corosync-conf', join(dir, 'corosync.conf'), '--sbd-config', read]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^ {4}sbd: /m);
      assert.match(r.stderr, /HA5565: msgwait of the SBD disks \/dev\/disk\/by-id\/wwn-\S+ was not read/);
      const topo = join(dir, 'sbd.yaml');
      writeFileSync(topo, r.stdout);
      const out = join(dir, 'out');
      rmSync(out, { recursive: true, force: true });
      const c = await hactlIn(['compile', topo, '-o', out]);
      assert.equal(c.code, 0, c.stderr);
      for (const n of ['n1', 'n2']) {
        const compiledFile = join(out, 'nodes', n, 'etc', 'default', 'sbd');
        assert.ok(existsSync(compiledFile), `no /etc/default/sbd for ${n}`);
        assert.deepEqual(effective(compiledFile, defaults), effective(read, defaults));
      }
      const compiled = join(out, 'clusters', 'lab', 'cib.xml');
      // Both members online with quorum, as test/compile/sbd.tools does: no error and no warning.
      const on = join(dir, 'online.xml');
      writeFileSync(on, online(readFileSync(compiled, 'utf8')));
      const v = runCommand('crm_verify', ['-V', '-x', on]);
      assert.equal(`${v.stdout}${v.stderr}`, '');
      assert.equal(v.code, 0);
      const d = await hactlIn(['diff', '--from', compiled, '--live', cib]);
      assert.equal(d.code, 0, d.stdout + d.stderr);
    });
  }

  it('read over the transport: the node\'s one sbd file, with its path (here the packaged /etc/default/sbd)', async () => {
    const t = localTransport();
    const r = await readSbdConfig(t, 'local');
    assert.ok(r);
    assert.equal(r.path, PACKAGED);
    assert.equal(r.source, `${PACKAGED} of local`);
    assert.equal(r.text, readFileSync(PACKAGED, 'utf8'));
  });
});
