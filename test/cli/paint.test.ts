/**
 * The CLI's colours: the same bytes chalk 5 wrote at its 16-colour level (the expected strings
 * were printed by chalk before paint.ts replaced it), and none without a terminal or with NO_COLOR.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paintFor } from '../../src/cli/paint.js';
import { memoryIo } from '../helpers/cli.js';

const E = '\u001b';

test('on a terminal: chalk\'s escapes, re-opened after nested ones and around every line break', () => {
  const p = paintFor(memoryIo({ tty: true, env: { NO_COLOR: '' } }).io);
  assert.equal(p.error('a\nb\r\nc'), `${E}[31m${E}[1ma${E}[22m${E}[39m\n${E}[31m${E}[1mb${E}[22m${E}[39m\r\n${E}[31m${E}[1mc${E}[22m${E}[39m`);
  assert.equal(p.warning('warn'), `${E}[33m${E}[1mwarn${E}[22m${E}[39m`);
  assert.equal(p.dim('d'), `${E}[2md${E}[22m`);
  assert.equal(p.bold('b'), `${E}[1mb${E}[22m`);
  assert.equal(p.ok('ok'), `${E}[32mok${E}[39m`);
  assert.equal(p.added('+'), `${E}[32m+${E}[39m`);
  assert.equal(p.removed('-'), `${E}[31m-${E}[39m`);
  assert.equal(p.changed('~'), `${E}[33m~${E}[39m`);
  assert.equal(p.error(`x${p.bold('y')}${p.removed('z')}w`), `${E}[31m${E}[1mx${E}[1my${E}[22m${E}[1m${E}[31mz${E}[39m${E}[31mw${E}[22m${E}[39m`);
  assert.equal(p.dim(`p${p.bold('q')}r`), `${E}[2mp${E}[1mq${E}[22m${E}[2mr${E}[22m`);
  assert.equal(p.ok('x\n'), `${E}[32mx${E}[39m\n${E}[32m${E}[39m`);
  assert.equal(p.error(''), '');
});

test('no colour when stdout is no terminal, with NO_COLOR, or on a dumb terminal', () => {
  for (const opts of [{ tty: false, env: { NO_COLOR: '' } }, { tty: true }, { tty: true, env: { NO_COLOR: '', TERM: 'dumb' } }]) {
    const p = paintFor(memoryIo(opts).io);
    assert.equal(p.error('a\nb'), 'a\nb', JSON.stringify(opts));
    assert.equal(p.ok('ok'), 'ok', JSON.stringify(opts));
  }
});

test('NO_COLOR and TERM=dumb are asked before whether stdout is a terminal (asking that may load node:tty)', () => {
  for (const env of [{ NO_COLOR: '1' }, { NO_COLOR: '', TERM: 'dumb' }]) {
    const { io } = memoryIo({ env });
    let asked = 0;
    Object.defineProperty(io, 'isTTY', { get: () => (asked++, true) });
    assert.equal(paintFor(io).error('x'), 'x', JSON.stringify(env));
    assert.equal(asked, 0, JSON.stringify(env));
  }
  const { io } = memoryIo({ env: { NO_COLOR: '' } });
  let asked = 0;
  Object.defineProperty(io, 'isTTY', { get: () => (asked++, true) });
  assert.equal(paintFor(io).error('x'), '\u001b[31m\u001b[1mx\u001b[22m\u001b[39m');
  assert.ok(asked > 0);
});
