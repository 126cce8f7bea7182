/**
 * `bash pcs.sh --push` and `crm configure load update configure.crm` against a real 3-node
 * cluster (test/testbed instance 5: fixtures/lab.yaml moved to that instance's address block
 * 203.0.113.0/26), each on a fresh cluster: the loaded configuration is the compiled one, and
 * Pacemaker starts every resource of it, fence devices included. The lab's agents are installed,
 * so neither needs forcing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { canonicalText, normalizeConfiguration } from '../../src/compile/cib/normalize.js';
import { compile } from '../../src/compile/index.js';
import { loadTopology } from '../../src/load.js';
import type { XmlElement } from '../../src/xml/tree.js';
import { ROOT } from '../helpers/cli.js';
import { parseXmlOrThrow as parse } from '../helpers/xml.js';
import { Testbed, testbedSkip } from '../testbed/testbed.js';

const ID = 5;
const skip = testbedSkip();

/** The sections hactl owns; the cluster adds its own properties (dc-version, …) and node entries. */
function owned(cibXml: string): string {
  const conf = parse(cibXml).children.find((c) => c.name === 'configuration')!;
  const keep = conf.children.filter((c) => ['resources', 'constraints', 'rsc_defaults', 'op_defaults'].includes(c.name));
  return canonicalText(normalizeConfiguration({ name: 'configuration', attrs: {}, children: keep }));
}

function startedPrimitives(tb: Testbed): Set<string> {
  // Wait (bounded) for the cluster to settle.
  tb.settle('n1');
  const mon = parse(tb.run('n1', ['crm_mon', '--one-shot', '--output-as=xml']));
  const started = new Set<string>();
  const walk = (e: XmlElement) => {
    if (e.name === 'resource' && e.attrs.role === 'Started') started.add(e.attrs.id!);
    e.children.forEach(walk);
  };
  walk(mon);
  return started;
}

for (const form of ['pcs', 'crmsh'] as const) {
  describe(`${form === 'pcs' ? 'bash pcs.sh --push' : 'crm configure load update'} on a live cluster`, { skip: skip ?? false }, () => {
    let tb: Testbed;
    let work: string;
    let files: Record<string, string>;

    before(() => {
      work = mkdtempSync('/tmp/hactl-live-load-');
      const text = readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8').replaceAll('198.51.100.', '203.0.113.');
      const r = loadTopology(text, 'lab.yaml');
      assert.ok(r.ok && r.topology, r.diagnostics.map((d) => d.message).join('; '));
      files = Object.fromEntries(compile(r.model!, ['cib', 'crmsh', 'pcs']).map((a) => [a.path.replace(/^clusters\/lab\//, ''), a.content]));
      tb = Testbed.up({ id: ID, nodes: 3 });
      tb.waitOnline();
    });
    after(() => {
      tb?.down();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('loads exactly the compiled configuration, and the cluster starts all of it', () => {
      // /tmp is shared with the nodes.
      const file = join(work, form === 'pcs' ? 'pcs.sh' : 'configure.crm');
      writeFileSync(file, files[form === 'pcs' ? 'pcs.sh' : 'configure.crm']!);
      const load = form === 'pcs' ? tb.exec('n1', ['bash', file, '--push']) : tb.exec('n1', ['crm', 'configure', 'load', 'update', file]);
      assert.equal(load.code, 0, load.stdout + load.stderr);

      assert.equal(owned(tb.run('n1', ['cibadmin', '--query'])), owned(files['cib.xml']!));
      assert.equal(tb.run('n1', ['crm_attribute', '--type', 'crm_config', '--name', 'stonith-enabled', '--query', '--quiet']).trim(), 'true');

      const started = startedPrimitives(tb);
      const primitives = [...files['cib.xml']!.matchAll(/<primitive id="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(primitives.length >= 6);
      for (const p of primitives) assert.ok(started.has(p), `${p} is not started:\n${tb.run('n1', ['crm_mon', '--one-shot', '-r'])}`);
    });
  });
}
