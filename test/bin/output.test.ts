/**
 * What bin/hactl.js writes, as bytes, wherever its stdout goes: hactl writes descriptors 1 and 2
 * itself (src/cli/io.ts), handing a write that fails to Node's stream. Each case compares with the
 * CLI run in process. Needs `npm run build`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BIN, ROOT, hactlIn } from '../helpers/cli.js';

const env = { ...process.env, NO_COLOR: '1' };
const work = mkdtempSync(join(tmpdir(), 'hactl-output-'));
after(() => rmSync(work, { recursive: true, force: true }));

// `schema` prints 160 KB, more than a pipe holds (64 KiB); the invalid topology prints its
// diagnostics on stderr.
let schema: string;
let invalid: { stdout: string; stderr: string };
const INVALID = 'fixtures/invalid/havana-quantum-name/topology.yaml';
before(async () => {
  schema = (await hactlIn(['schema'])).stdout;
  assert.ok(Buffer.byteLength(schema) > 2 * 65536, `schema prints ${schema.length} bytes`);
  invalid = await hactlIn(['validate', INVALID]);
  assert.ok(invalid.stderr.length > 0);
});

/** Preloads that report, at the child's exit, how its stdout was written. */
const spy = (code: string) => `data:text/javascript,${encodeURIComponent(code)}`;
// Whether Node's stream for a pipe (a net.Socket) was ever made.
const NET_SPY = spy('process.on("exit", () => process._rawDebug(`net: ${process.moduleLoadList.includes("NativeModule net")}`));');
// Makes process.stdout first, as a prompt or commander's help would: Node's stream for a pipe puts
// the pipe in non-blocking mode, so hactl's own write(2) meets EAGAIN once the pipe is full. Counts
// what is then written through the stream.
const STREAM_SPY = spy(
  'const s = process.stdout; const w = s.write; let n = 0; s.write = function (...a) { n++; return w.apply(this, a); };' +
    'process.on("exit", () => process._rawDebug(`stream writes: ${n}`));',
);

/** `hactl schema` with a preload, through a pipe (a real one, 64 KiB) that `cat` reads only after a second. */
function schemaThroughSlowPipe(preload: string) {
  return spawnSync('sh', ['-c', '"$0" --import "$1" "$2" schema | { sleep 1; cat; }', process.execPath, preload, BIN], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24 });
}

test('through a pipe, a file and /dev/null: the same bytes, the same exit status', () => {
  const piped = spawnSync(process.execPath, [BIN, 'schema'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 1 << 24 });
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stdout, schema);

  const file = join(work, 'schema.json');
  const fd = openSync(file, 'w');
  const filed = spawnSync(process.execPath, [BIN, 'schema'], { cwd: ROOT, env, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  closeSync(fd);
  assert.equal(filed.status, 0, filed.stderr);
  assert.equal(readFileSync(file, 'utf8'), schema);

  const nulled = spawnSync(process.execPath, [BIN, 'schema'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  assert.equal(nulled.status, 0, nulled.stderr);
  assert.equal(nulled.stderr, '');

  // stderr through a pipe and a file, stdout to /dev/null and a pipe.
  const bad = spawnSync(process.execPath, [BIN, 'validate', INVALID], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.equal(bad.stderr, invalid.stderr);
  const errFile = join(work, 'stderr.txt');
  const efd = openSync(errFile, 'w');
  const badFiled = spawnSync(process.execPath, [BIN, 'validate', INVALID], { cwd: ROOT, env, stdio: ['ignore', 'pipe', efd], encoding: 'utf8' });
  closeSync(efd);
  assert.equal(badFiled.status, 2);
  assert.equal(badFiled.stdout, invalid.stdout);
  assert.equal(readFileSync(errFile, 'utf8'), invalid.stderr);
});

test('a pipe read slowly gets every byte, in order, without the stream', () => {
  const r = schemaThroughSlowPipe(NET_SPY);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, schema);
  // The pipe is blocking: hactl's write waited for the reader; no stream was made.
  assert.match(r.stderr, /^net: false$/m);
});

test('a full non-blocking pipe (EAGAIN) hands the rest to the stream: every byte, in order', () => {
  const r = schemaThroughSlowPipe(STREAM_SPY);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, schema);
  assert.match(r.stderr, /^stream writes: 1$/m, 'the stream took the rest after EAGAIN');
});

test('a reader that has gone (EPIPE): exit 1 with Node\'s "write EPIPE", as when process.stdout wrote', async () => {
  for (const args of [['schema'], ['--help']]) {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1, args.join(' '));
    assert.match(stderr, /^Error: write EPIPE$/m, args.join(' '));
  }
});
