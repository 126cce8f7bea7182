/**
 * Progress on long work: a live line on stderr only when stderr is a terminal and no --json;
 * nothing (check) or one plain line per event (apply) otherwise. The counts come from the library
 * (onProgress, apply's events); the drawing is the CLI's.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { check, execaRunner, type RehearsalProgress } from '../../src/check/index.js';
import { Progress } from '../../src/cli/commands/apply-progress.js';
import type { Io } from '../../src/cli/io.js';
import { run } from '../../src/cli/main.js';
import { loadTopology } from '../../src/load.js';
import { ROOT } from '../helpers/cli.js';
import { needTools } from '../helpers/spawn.js';

function fakeIo(stderrIsTTY: boolean): Io & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    isTTY: false,
    stdinIsTTY: false,
    stderrIsTTY,
    env: { TERM: 'xterm', NO_COLOR: '1' },
    cwd: ROOT,
    readStdin: async () => '',
    ask: async () => '',
  };
  return io;
}

test('the rehearsal reports every scenario to onProgress, over all clusters', { skip: needTools(['crm_simulate']) }, async () => {
  const file = 'fixtures/pixelpark.yaml';
  const model = loadTopology(readFileSync(join(ROOT, file), 'utf8'), file).model!;
  const seen: RehearsalProgress[] = [];
  await check(model, { runner: execaRunner(), concurrency: 2, onProgress: (p) => seen.push(p) });
  assert.deepEqual(
    seen.filter((p) => p.phase === 'settling').map((p) => [p.cluster, p.done, p.total]),
    [['controllers', 0, 4], ['network', 2, 4]],
  );
  assert.deepEqual(seen.filter((p) => p.phase === 'scenarios').map((p) => p.done), [1, 2, 3, 4]);
});

test('check: a live line on a terminal stderr, cleared before the result; none without one or with --json', { skip: needTools(['crm_simulate']) }, async () => {
  const tty = fakeIo(true);
  assert.equal(await run(['check', 'fixtures/pixelpark.yaml'], tty), 0);
  assert.match(tty.err, /\r\x1b\[2Krehearsal: settling cluster controllers; 0\/4 scenarios, \d+\.\d s/);
  assert.match(tty.err, /\r\x1b\[2Krehearsal: 4\/4 scenarios, \d+\.\d s/);
  assert.ok(tty.err.endsWith('\r\x1b[2K'), 'the line is cleared');
  assert.doesNotMatch(tty.out, /\x1b/);

  const piped = fakeIo(false);
  assert.equal(await run(['check', 'fixtures/pixelpark.yaml'], piped), 0);
  assert.equal(piped.err, '');
  assert.equal(piped.out, tty.out, 'stdout does not depend on stderr');

  const json = fakeIo(true);
  assert.equal(await run(['check', '--json', 'fixtures/pixelpark.yaml'], json), 0);
  assert.equal(json.err, '');
  JSON.parse(json.out);
});

test('apply: nodes finished of all with the elapsed time on a terminal; plain lines otherwise', () => {
  const tty = fakeIo(true);
  const live = new Progress(tty, ['ctl1', 'ctl2', 'net1']);
  live.node('ctl1', 'applying');
  live.node('ctl1', 'done');
  live.node('ctl2', 'failed: ssh exited 255');
  live.end();
  assert.match(tty.err, /\x1b\[2Knodes 0\/3 finished, \d+\.\d s\n/);
  assert.match(tty.err, /\x1b\[2Knodes 2\/3 finished, \d+\.\d s\n\x1b\[2Kctl1  done\n\x1b\[2Kctl2  failed: ssh exited 255\n\x1b\[2Knet1  waiting\n$/);

  const piped = fakeIo(false);
  const plain = new Progress(piped, ['ctl1', 'ctl2']);
  plain.node('ctl1', 'applying');
  plain.node('ctl1', 'done');
  plain.end();
  assert.equal(piped.err, 'ctl1: applying\nctl1: done\n');
});
