/**
 * src/cli/io.ts's ways around Node's start-up costs, in a process of their own (they change the
 * process: V8's flags).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT, runCommand } from '../helpers/spawn.js';

test('setV8Flags sets a V8 flag without node:v8 and without a deprecation warning', () => {
  // --allow-natives-syntax is a flag whose effect a script can see: %-calls compile once it is set.
  const script = [
    "import { setV8Flags } from './src/cli/io.ts';",
    "let before; try { new Function('return %IsSmi(1)'); before = 'compiles'; } catch { before = 'refused'; }",
    "setV8Flags('--allow-natives-syntax');",
    "console.log(before, new Function('return %IsSmi(1)')(), process.moduleLoadList.includes('NativeModule v8'));",
  ].join('\n');
  const r = runCommand(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'refused true false\n');
  assert.equal(r.stderr, '');
});
