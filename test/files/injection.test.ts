/**
 * Hostile values never change what a node file means. Three layers, each tested on its own:
 * 1. the whole pipeline: every string value and every name in the reference topology, with each
 *    hostile suffix, is refused with an error at its own JSON Pointer (by the schema or by the
 *    value-grammar rule), or, where the field never reaches a node file, compiles to exactly the
 *    same node files as before (test/files/hostile.ts; half the sites here, half in
 *    injection-odd.test.ts);
 * 2. the value-grammar rule alone (the schema bypassed, as if it were relaxed one day): every value
 *    that reaches a file is refused at its pointer when it carries a line break, a control
 *    character, NUL, non-ASCII or a secret reference;
 * 3. the renderer agrees with the rule: whatever the rule lets through renders without tripping
 *    the renderer's own check (a value reaching a template unchecked is a bug, exit 4).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { emitNodeFiles } from '../../src/compile/files/index.js';
import { lower } from '../../src/lower/index.js';
import { grammarDetail, grammarProblem, GRAMMARS, type Grammar } from '../../src/formats/grammars.js';
import { valueGrammar } from '../../src/model/rules/value-grammar.js';
import type { TopologyInput } from '../../src/model/input.js';
import type { Topology } from '../../src/model/types.js';
import { ROOT } from '../helpers/cli.js';
import { loadFixture } from './helpers.js';
import { HOSTILE, hostileSweep } from './hostile.js';

test('every string value and name of the reference topology, made hostile, is refused at its pointer or changes no node file (sites 0, 2, 4, ...; injection-odd.test.ts has the others)', () => {
  hostileSweep(0, 2);
});

/** Every place the value-grammar rule checks, with a way to put a value there (schema bypassed). */
const SINKS: { pointer: string; set(t: Topology, v: string): void }[] = [
  { pointer: '/openstack/region', set: (t, v) => (t.region = v) },
  { pointer: '/secrets/ipmi', set: (t, v) => (t.secrets['ipmi']!.name = v) },
  { pointer: '/networks/storage', set: (t, v) => (t.networks['storage']!.cidr = v) },
  { pointer: '/nodes/ctl1', set: (t, v) => (t.nodes['ctl1']!.name = v) },
  { pointer: '/nodes/ctl1/addresses/management', set: (t, v) => (t.nodes['ctl1']!.addresses['management'] = v) },
  { pointer: '/nodes/stor1/bond/name', set: (t, v) => (t.nodes['stor1']!.bond!.name = v) },
  { pointer: '/nodes/stor1/bond/mode', set: (t, v) => (t.nodes['stor1']!.bond!.mode = v) },
  { pointer: '/nodes/stor1/bond/interfaces/1', set: (t, v) => (t.nodes['stor1']!.bond!.interfaces[1] = v) },
  { pointer: '/nodes/stor1/osds/0/data', set: (t, v) => (t.nodes['stor1']!.osds[0]!.data = v) },
  { pointer: '/nodes/stor1/osds/0/journal', set: (t, v) => (t.nodes['stor1']!.osds[0]!.journal = v) },
  { pointer: '/clusters/controllers', set: (t, v) => (t.clusters['controllers']!.name = v) },
  { pointer: '/clusters/controllers/authkey', set: (t, v) => (t.clusters['controllers']!.authkey = v) },
  { pointer: '/clusters/controllers/vips/api/address', set: (t, v) => (t.clusters['controllers']!.vips['api']!.address = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/pool', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.pool = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/image', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.image = v) },
  { pointer: '/clusters/controllers/services/mysql/storage/rbd/mount', set: (t, v) => (t.clusters['controllers']!.services['mysql']!.storage!.mount = v) },
  { pointer: '/ceph/fsid', set: (t, v) => (t.ceph!.fsid = v) },
  { pointer: '/ceph/pools/volumes', set: (t, v) => (t.ceph!.pools['volumes']!.name = v) },
  { pointer: '/ceph/pools/volumes/client', set: (t, v) => (t.ceph!.pools['volumes']!.client = v) },
  { pointer: '/compute/instances/rbd/pool', set: (t, v) => (t.compute!.instances!.pool = v) },
  { pointer: '/compute/instances/rbd/image', set: (t, v) => (t.compute!.instances!.image = v) },
  { pointer: '/compute/instances/rbd/mount', set: (t, v) => (t.compute!.instances!.mount = v) },
];

/** Loaded once: each case changes a copy. */
const PIXELPARK = loadFixture('pixelpark');
const input = parse(readFileSync(join(ROOT, 'fixtures', 'pixelpark.yaml'), 'utf8'), { merge: true }) as TopologyInput;

test('the value-grammar rule refuses line breaks, control characters, NUL, non-ASCII and references in every value it checks', () => {
  const universal = ['\n[evil]', '\r', '\u0000', '\u001b[2J', '\u00e9', '\u2028', '{{secret:x}}', ' '];
  for (const sink of SINKS) {
    for (const h of universal) {
      const t = structuredClone(PIXELPARK);
      sink.set(t, `x${h}`);
      const d = valueGrammar.check(t, input);
      assert.ok(
        d.some((x) => x.code === 'HA3950' && x.pointer === sink.pointer),
        `${sink.pointer} + ${JSON.stringify(h)}: not refused (${d.map((x) => x.pointer).join(', ')})`,
      );
    }
  }
});

test('the renderer never meets a value the rule let through that its grammar refuses (rule and templates agree)', () => {
  let checked = 0;
  for (const sink of SINKS) {
    for (const h of HOSTILE) {
      const t = structuredClone(PIXELPARK);
      sink.set(t, `x${h}`);
      if (valueGrammar.check(t, input).length) continue;
      // The rule accepted it: rendering must not find anything its grammar refuses.
      assert.doesNotThrow(() => emitNodeFiles(lower(t).lowered), `${sink.pointer} + ${JSON.stringify(h)}`);
      checked++;
    }
  }
  assert.ok(checked > 0, 'some hostile characters are harmless somewhere (e.g. "$" in an interface name)');
});

test('the renderer refuses an unchecked value instead of writing it (internal error, never a file)', () => {
  const t = structuredClone(PIXELPARK);
  // The network cluster's name reaches corosync.conf only (no cinder host= there).
  t.clusters['network']!.name = 'network\n}\nquorum {';
  assert.throws(() => emitNodeFiles(lower(t).lowered), /internal: unchecked value .* reached a corosync file/);
});

test('each grammar refuses the characters its parser gives a meaning', () => {
  const expect: Record<Grammar, string[]> = {
    corosync: ['{', '}', '#'],
    ceph: ['#', ';', '\\', '"', "'", '$'],
    'ceph-section': ['[', ']', ' ', '#', '$'],
    oslo: ['$', '%', '"', "'", '#', ';', '[', ']', '\\'],
    mycnf: ['#', ';', '"', "'", '\\'],
    'python-str': ["'", '"', '\\'],
    shell: ['$', '`', ';', '&', '|', '(', '"', "'", ' ', '*'],
    fstab: [' ', '#', '\\'],
    rbdmap: [' ', '#', ',', '=', "'"],
    hosts: [' ', '#'],
    ifupdown: [' ', '#', '\\'],
    'secret-ref': ['{', '}', '|', ':', ' '],
    haproxy: [' ', '#', '\\', '"', "'"],
    rabbitmq: [' ', '#'],
  };
  for (const g of Object.keys(GRAMMARS) as Grammar[]) {
    assert.equal(grammarProblem(g, 'plain-value_1.2/3'), undefined, `${g} refuses a plain value`);
    for (const ch of expect[g]) assert.ok(grammarProblem(g, `a${ch}b`), `${g} accepts ${JSON.stringify(ch)}`);
    for (const ch of ['\n', '\r', '\t', '\u0000', '\u007f', 'é']) assert.ok(grammarProblem(g, `a${ch}b`), `${g} accepts ${JSON.stringify(ch)}`);
    assert.ok(grammarProblem(g, ''), `${g} accepts an empty value`);
  }
});

test("grammarProblem's one-pattern answer for plain values is grammarDetail's, check by check", () => {
  // Every printable ASCII character, blanks and tabs, controls, non-ASCII, and '{' twice as often
  // (for '{{'); values 0-6 characters long, from a fixed seed.
  const alphabet = [...Array(95).keys()].map((i) => String.fromCharCode(0x20 + i)).concat(['\t', '\n', '\r', '\u0000', '\u007f', 'é', '\u2028', '{', ' ']);
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  let plain = 0;
  for (let i = 0; i < 10_000; i++) {
    const value = Array.from({ length: next() % 7 }, () => alphabet[next() % alphabet.length]).join('');
    for (const g of Object.keys(GRAMMARS) as Grammar[]) {
      const detail = grammarDetail(g, value);
      assert.equal(grammarProblem(g, value), detail, `${g} ${JSON.stringify(value)}`);
      if (detail === undefined) plain++;
    }
  }
  // Both answers occur often enough to mean something.
  assert.ok(plain > 10_000 && plain < 130_000, `${plain} plain values`);
});
