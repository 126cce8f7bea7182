/** A large topology makes the CLI ask the engine to favour memory (Io.preferMemory); the reference asks for a short run (Io.preferShortRun). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Io } from '../../src/cli/io.js';
import { readTopology } from '../../src/cli/topology.js';
import { ROOT } from '../helpers/cli.js';

function ioWith(input: string, asked: string[]): Io {
  return {
    stdout: () => {},
    stderr: () => {},
    isTTY: false,
    stdinIsTTY: false,
    env: {},
    cwd: ROOT,
    readStdin: async () => input,
    ask: async () => '',
    preferMemory: () => void asked.push('memory'),
    preferShortRun: () => void asked.push('short'),
  };
}

test('a topology of hundreds of nodes favours memory; the reference cloud is a short run', async () => {
  const reference = readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8');
  const small: string[] = [];
  assert.ok((await readTopology(ioWith(reference, small), '-')).ok);
  assert.deepEqual(small, ['short']);
  // The same cloud with 70 KB of comments: as long as a large one, and still valid.
  const large: string[] = [];
  const padded = reference + `# ${'x'.repeat(98)}\n`.repeat(700);
  assert.ok((await readTopology(ioWith(padded, large), '-')).ok);
  assert.deepEqual(large, ['memory']);
});
