import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hactl, hactlIn } from '../helpers/cli.js';

test('the reference deployment validates with no diagnostics', async () => {
  const r = await hactlIn(['validate', 'fixtures/pixelpark.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^ok fixtures\/pixelpark\.yaml\n$/);
});

test('--json gives machine-readable diagnostics with positions', async () => {
  const r = await hactlIn(['validate', '--json', '-'], { input: 'name: x\nnetworks: {management: 10.0.0.0/8}\nnodes: {}\n' });
  assert.equal(r.code, 2);
  const out = JSON.parse(r.stdout) as { ok: boolean; diagnostics: { code: string; line: number; column: number; pointer: string }[] };
  assert.equal(out.ok, false);
  assert.deepEqual(out.diagnostics.map((d) => [d.code, d.pointer, d.line, d.column]), [['HA2009', '/nodes', 3, 8]]);
});

test('a missing file is exit 2 with HA1002 and no made-up position, never a stack trace', () => {
  const r = hactl(['validate', 'no/such/file.yaml']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^no\/such\/file\.yaml: error HA1002: cannot read no\/such\/file\.yaml: no such file \(ENOENT\)\n/);
  assert.doesNotMatch(r.stderr, /:1:1|\n  at \//);
  assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/);
});

test('bad usage exits 2; bare hactl prints the help as usage (exit 2), --version and --help stay 0', () => {
  assert.equal(hactl(['validate']).code, 2);
  assert.equal(hactl(['no-such-command']).code, 2);
  const bare = hactl([]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /^Usage: hactl \[options\] \[command\]/);
  assert.match(bare.stderr, /\n  compile \[options\] <topology>/);
  assert.equal(hactl(['--version']).code, 0);
  assert.equal(hactl(['--help']).code, 0);
});

test('hactl schema prints the topology schema', async () => {
  const r = await hactlIn(['schema']);
  assert.equal(r.code, 0);
  const schema = JSON.parse(r.stdout) as { $schema: string; title: string };
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('an inline secret value (under secrets: or as a fence password) is refused without being echoed, text or JSON', () => {
  for (const json of [[], ['--json']]) {
    const r = hactl(['validate', ...json, 'fixtures/invalid/secret-value-inline/topology.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stdout + r.stderr, /HA2007[\s\S]*HA2011/);
    assert.doesNotMatch(r.stdout + r.stderr, /Sup3r|S3cr3t/);
    assert.match(r.stdout + r.stderr, /\{ env: VARIABLE \} or \{ file: path\/to\/file \}/);
  }
});
