/**
 * Security review M5: a name that is also a property of Object.prototype (`constructor`) must be
 * an undefined reference like any other name, never resolve to Object's prototype members (which
 * gave `ring0_addr: [object Object]` in corosync.conf, or exit 4).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseDocument } from 'yaml';
import { hactlIn, ROOT } from '../helpers/cli.js';

const LAB = readFileSync(join(ROOT, 'fixtures', 'lab.yaml'), 'utf8');

function edited(edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const doc = parseDocument(LAB);
  edit(doc);
  return doc.toString();
}

const CASES: [string, string, (doc: ReturnType<typeof parseDocument>) => void][] = [
  ['links: [constructor]', '/clusters/lab/links/0', (d) => d.setIn(['clusters', 'lab', 'links'], d.createNode(['constructor']))],
  ['vip network: constructor', '/clusters/lab/vips/vip/network', (d) => d.setIn(['clusters', 'lab', 'vips', 'vip', 'network'], 'constructor')],
  ['service vip: constructor', '/clusters/lab/services/web/vip', (d) => d.setIn(['clusters', 'lab', 'services', 'web', 'vip'], 'constructor')],
  ['after: [constructor]', '/clusters/lab/services/web/after/0', (d) => d.setIn(['clusters', 'lab', 'services', 'web', 'after'], d.createNode(['constructor']))],
  ['cluster nodes: [.., constructor]', '/clusters/lab/nodes/3', (d) => d.setIn(['clusters', 'lab', 'nodes'], d.createNode(['n1', 'n2', 'n3', 'constructor']))],
  ['addresses: {constructor: …}', '/nodes/n1/addresses/constructor', (d) => d.setIn(['nodes', 'n1', 'addresses', 'constructor'], '198.51.100.14')],
  ['ssh network: constructor', '/ssh/network', (d) => d.setIn(['ssh', 'network'], 'constructor')],
];

for (const [what, pointer, edit] of CASES) {
  test(`${what}: an undefined-reference error at ${pointer} (exit 2), in validate and compile`, async () => {
    const text = edited(edit);
    for (const cmd of [['validate', '-', '--json'], ['compile', '-', '-o', '/nonexistent/never-written']]) {
      const r = await hactlIn(cmd, { input: text });
      assert.equal(r.code, 2, `${cmd[0]}: exit ${r.code}\n${r.stdout}${r.stderr}`);
      assert.ok(!(r.stdout + r.stderr).includes('[object'), `${cmd[0]} printed an object: ${r.stdout}${r.stderr}`);
      if (cmd[0] === 'validate') {
        const out = JSON.parse(r.stdout) as { diagnostics: { code: string; pointer: string; message: string }[] };
        const d = out.diagnostics.find((x) => x.pointer === pointer);
        assert.ok(d && /^HA30\d\d$/.test(d.code) && d.message.includes('constructor'), JSON.stringify(out.diagnostics));
      }
    }
  });
}

test('apply --node constructor: not a node of the topology (HA5503, exit 2), nothing contacted', async () => {
  const r = await hactlIn(['apply', join(ROOT, 'fixtures', 'lab.yaml'), '--node', 'constructor', '--dry-run']);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /HA5503/);
});

test('diff --cluster constructor: no such cluster (HA5101, exit 2)', async () => {
  const r = await hactlIn(['diff', join(ROOT, 'fixtures', 'lab.yaml'), '--cluster', 'constructor', '--live', join(ROOT, 'fixtures', 'lab.yaml')]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /HA5101/);
  assert.ok(!r.stderr.includes('Object'));
});
