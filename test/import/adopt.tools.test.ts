/**
 * `hactl import --adopt` (src/apply/adopt.ts) on a CIB file with Pacemaker's own tools (CIB_file):
 * an imported topology that is what runs is recorded as hactl's in one patch, after which apply
 * would have nothing to write; a configuration change since import read the CIB refuses the
 * patch (nothing recorded); a topology that differs from what runs is not adopted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { adoptImported } from '../../src/apply/adopt.js';
import { recordDiffers } from '../../src/apply/cib.js';
import { toCib } from '../../src/compile/cib/index.js';
import { diffCibs, hactlOwnership } from '../../src/diff/index.js';
import { importCib } from '../../src/import/index.js';
import { loadTopology } from '../../src/load.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { localTransport } from '../apply/local.js';
import { needTools } from '../helpers/spawn.js';
import { twoNodeCorosync } from './roundtrip.js';
import { parseXmlOrThrow as xml } from '../helpers/xml.js';

const COROSYNC = twoNodeCorosync('lab');

const CRM = `property cib-bootstrap-options: stonith-enabled=false
primitive p_ip_api IPaddr2 params ip=198.51.100.10 cidr_netmask=24 op monitor interval=10s timeout=20s
primitive p_web ocf:pacemaker:Dummy op monitor interval=20s timeout=30s
primitive p_db ocf:pacemaker:Dummy
group g_db p_db
colocation c_web_with_ip_api inf: p_web p_ip_api
`;

describe('import --adopt on a CIB file', { skip: needTools(['crm', 'cibadmin', 'crm_diff', 'crm_verify']) }, () => {
  let dir: string;
  let base: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hactl-adopt-import-'));
    const file = join(dir, 'base.xml');
    writeFileSync(file, spawnSync('cibadmin', ['--empty'], { encoding: 'utf8' }).stdout);
    const env = { ...process.env, CIB_file: file, CIB_shadow_dir: dir };
    for (const [id, uname] of [['1', 'n1'], ['2', 'n2']]) assert.equal(spawnSync('cibadmin', ['--create', '--scope', 'nodes', '--xml-text', `<node id="${id}" uname="${uname}"/>`], { env }).status, 0);
    writeFileSync(join(dir, 'conf.crm'), CRM);
    const c = spawnSync('crm', ['-F', 'configure', 'load', 'update', join(dir, 'conf.crm')], { encoding: 'utf8', env });
    assert.equal(c.status, 0, c.stderr);
    base = readFileSync(file, 'utf8');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The imported topology's compiled CIB, after `edit` of the topology text. */
  function compiledImport(liveText: string, edit?: (text: string) => string): XmlElement {
    const r = importCib({ cib: xml(liveText), source: 'test', corosyncConf: { text: COROSYNC, source: 'corosync.conf' } });
    assert.ok(r.text, JSON.stringify(r.diagnostics));
    const loaded = loadTopology(edit ? edit(r.text) : r.text, 'imported.yaml');
    assert.ok(loaded.model, JSON.stringify(loaded.diagnostics));
    return toCib(loaded.model.clusters[0]!);
  }

  it('records exactly the compiled objects in one patch; apply then has nothing to write', async () => {
    const file = join(dir, 'adopt.xml');
    writeFileSync(file, base);
    const compiled = compiledImport(base);
    const r = await adoptImported(localTransport({ CIB_file: file }), 'local', base, compiled);
    assert.equal(r.kind, 'adopted', JSON.stringify(r));
    assert.ok(r.kind === 'adopted' && r.ids.includes('p_ip_api') && r.ids.includes('g_db') && r.ids.includes('c_web_with_ip_api'));
    const after = readFileSync(file, 'utf8');
    assert.match(after, /name="hactl-owned" value="[^"]*c_web_with_ip_api[^"]*g_db[^"]*p_ip_api[^"]*p_web/);
    const live = xml(after);
    assert.equal(recordDiffers(live, compiled), false, 'the record apply would write is there');
    const d = diffCibs(compiled, live, hactlOwnership(live));
    assert.ok(d.ok && !d.diff.drift, 'no drift');
  });

  it('a configuration change since the read refuses the patch: nothing recorded', async () => {
    const file = join(dir, 'concurrent.xml');
    writeFileSync(file, base);
    const compiled = compiledImport(base);
    // An operator's change between import's read and its patch.
    const m = spawnSync('crm_attribute', ['--type', 'crm_config', '--name', 'cluster-recheck-interval', '--update', '7min'], { encoding: 'utf8', env: { ...process.env, CIB_file: file } });
    assert.equal(m.status, 0, m.stderr);
    const r = await adoptImported(localTransport({ CIB_file: file }), 'local', base, compiled);
    assert.equal(r.kind === 'push-failed' && r.outcome.kind, 'refused', JSON.stringify(r));
    const after = readFileSync(file, 'utf8');
    assert.doesNotMatch(after, /hactl-owned/);
    assert.match(after, /name="cluster-recheck-interval" value="7min"/, "the operator's change stays");
  });

  it('a topology that differs from what runs is not adopted, and nothing is sent', async () => {
    const t = localTransport();
    const doc = (text: string) => {
      const d = parseDocument(text);
      d.setIn(['clusters', 'lab', 'services', 'web', 'cib', 'meta'], { 'resource-stickiness': '5' });
      return d.toString();
    };
    const r = await adoptImported(t, 'local', base, compiledImport(base, doc));
    assert.equal(r.kind, 'drift');
    assert.ok(r.kind === 'drift' && r.diff.changes.some((c) => c.id === 'p_web'));
    assert.deepEqual(t.calls, []);
  });
});
