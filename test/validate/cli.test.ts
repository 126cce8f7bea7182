import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hactl } from '../helpers/cli.js';

test('the reference deployment validates with no diagnostics', () => {
  const r = hactl(['validate', 'fixtures/pixelpark.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^ok fixtures\/pixelpark\.yaml\n$/);
});

test('--json gives machine-readable diagnostics with positions', () => {
  const r = hactl(['validate', '--json', '-'], { input: 'name: x\nnetworks: {management: 10.0.0.0/8}\nnodes: {}\n' });
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string; line: number; column: number; pointer: string }[] };
  assert.equal(out.ok, false);
  assert.deepEqual(out.diagnostics.map((d) => [d.code, d.pointer, d.line, d.column]), [['HA2009', '/nodes', 3, 8]]);
});

test('a missing file is exit 2 with HA1002, never a stack trace', () => {
  const r = hactl(['validate', 'no/such/file.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /HA1002: cannot read no\/such\/file\.yaml: ENOENT/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/);
});

test('bad usage exits 2', () => {
  assert.equal(hactl(['validate']).code, 2);
  assert.equal(hactl(['no-such-command']).code, 2);
});

test('hactl schema prints the topology schema', () => {
  const r = hactl(['schema']);
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout) as { $schema: string; title: string };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});
