/**
 * bin/hactl.js as a process: what only a real process shows (the exit status, stdin, output the
 * shim hands on, a bug's stack). Every other CLI test runs the CLI in process (helpers/cli.ts).
 * Needs `npm run build`: the shim runs the built bundle.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { BIN, ROOT, hactl } from '../helpers/cli.js';
import { runCommand } from '../helpers/spawn.js';

before(() => assert.ok(existsSync(join(ROOT, 'dist', 'cli', 'main.js')), 'dist/ is missing: run npm run build first'));

test('--version prints the package version and exits 0', () => {
  const r = hactl(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);
});

test('exit 0 for a valid topology, 2 with placed diagnostics for an invalid one', () => {
  const ok = hactl(['validate', 'fixtures/pixelpark.yaml']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, 'ok fixtures/pixelpark.yaml\n');
  const bad = hactl(['validate', 'fixtures/invalid/havana-quantum-name/topology.yaml']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, readFileSync(join(ROOT, 'fixtures/invalid/havana-quantum-name/expected.txt'), 'utf8'));
});

test("'-' reads the topology from stdin", () => {
  const r = hactl(['validate', '--json', '-'], { input: readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8') });
  assert.equal(r.code, 0, r.stderr);
  assert.equal((JSON.parse(r.stdout) as { ok: boolean }).ok, true);
});

test('exit 1 for drift', () => {
  const r = hactl(['diff', '--from', 'test/diff/golden/from.xml', '--live', 'test/diff/golden/live.xml']);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /^drift: /m);
});

test('a bug exits 4 with its stack', () => {
  // The bug is injected before the shim runs: JSON.stringify throws, as a bug in the CLI would.
  const inject = 'data:text/javascript,JSON.stringify=()=>{throw new TypeError("injected bug")}';
  const r = runCommand(process.execPath, ['--import', inject, BIN, 'validate', '--json', 'fixtures/pixelpark.yaml'], { env: { NO_COLOR: '1' } });
  assert.equal(r.code, 4, r.stdout + r.stderr);
  assert.match(r.stderr, /internal error.*TypeError: injected bug\n\s+at /s);
});

test('validate, compile, diff and the other commands start from their bundle and a code cache V8 accepts (a refused one only makes every start slower)', () => {
  // Records, before the shim runs, what V8 said of the cached data it was given, for which bundle,
  // and how much of it there was (which cache file it came from).
  const spy = `data:text/javascript,${encodeURIComponent(
    'import vm from "node:vm"; import { basename } from "node:path"; const S = vm.Script; vm.Script = class extends S { constructor(s, o) { super(s, o); ' +
      'const said = o?.cachedData === undefined ? "none" : this.cachedDataRejected ? "rejected" : "accepted"; ' +
      'process.on("exit", () => process._rawDebug(`cache: ${said} ${basename(o?.filename ?? "")} ${o?.cachedData?.length}`)); } };',
  )}`;
  const out = mkdtempSync(join(tmpdir(), 'hactl-bin-'));
  try {
    const runs: [string[], string, string][] = [
      [['validate', 'fixtures/pixelpark.yaml'], 'hactl-validate.cjs', 'hactl-validate.cache'],
      [['compile', 'fixtures/pixelpark.yaml', '-o', join(out, 'ref')], 'hactl-compile.cjs', 'hactl-compile.cache'],
      [['diff', '--from', 'test/diff/golden/from.xml', '--live', 'test/diff/golden/live.xml'], 'hactl.cjs', 'hactl-diff.cache'],
      [['--version'], 'hactl.cjs', 'hactl.cache'],
    ];
    for (const [args, bundle, cache] of runs) {
      const r = runCommand(process.execPath, ['--import', spy, BIN, ...args], { env: { NO_COLOR: '1' } });
      assert.ok(r.code === 0 || r.code === 1, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
      // The cache file holds a 32-byte header (the bundle's stamp) before V8's data.
      assert.match(r.stderr, new RegExp(`^cache: accepted ${bundle.replace('.', '\\.')} ${statSync(join(ROOT, 'dist', cache)).size - 32}$`, 'm'), args.join(' '));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
