/**
 * fixtures/invalid/<case>/topology.yaml: each case is a topology an operator could write, with the
 * exact `hactl validate` output committed next to it (expected.txt, the CLI's stderr). Run with
 * HACTL_UPDATE_GOLDEN=1 to rewrite the goldens, then read the diff before committing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadTopology } from '../../src/load.js';
import { PARSE_MESSAGES } from '../../src/messages/parse.js';
import { RULE_MESSAGES } from '../../src/messages/rules.js';
import { SCHEMA_MESSAGES } from '../../src/messages/schema.js';
import { MESSAGES } from '../../src/messages/index.js';
import type { TopologyInput } from '../../src/model/input.js';
import { RULES } from '../../src/model/rules/index.js';
import { hactlIn, ROOT } from '../helpers/cli.js';
import { expectGolden, expectNoStaleGoldens } from '../helpers/golden.js';

const DIR = join(ROOT, 'fixtures', 'invalid');
// A case is a directory with a topology; an expected.txt left without one is a stale golden.
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, 'topology.yaml')))
  .map((d) => d.name)
  .sort();

/** Codes this test must see at least once, and the ones covered elsewhere (with where). */
const OWN = (code: string) => /^HA([12]\d{3}|3[0-8]\d{2})$/.test(code);
const ELSEWHERE: Record<string, string> = { HA1002: 'test/validate/cli.test.ts (a file that cannot be read)', HA1012: 'test/parse/source.test.ts (a topology over 4 MiB; too big for a fixture)', HA3121: 'test/api/cib-secret-params.test.ts (needs a catalogue entry with a secret parameter, added through the library)' };

const seen = new Set<string>();

test('there are at least 45 invalid cases', () => {
  assert.ok(cases.length >= 45, `only ${cases.length} cases`);
});

for (const name of cases) {
  test(`invalid/${name}`, async () => {
    const rel = `fixtures/invalid/${name}/topology.yaml`;
    const text = readFileSync(join(ROOT, rel), 'utf8');
    const r = await hactlIn(['validate', rel]);
    assert.equal(r.code, 2, `exit code\n${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at .*\.[cm]?js:\d+/);
    expectGolden(join(DIR, name, 'expected.txt'), r.stderr);

    // The library's view of the same file: every diagnostic placed inside the file.
    const result = loadTopology(text, rel);
    assert.equal(result.ok, false);
    const lines = text.split(/\r?\n/);
    for (const d of result.diagnostics) {
      seen.add(d.code);
      assert.ok(d.start && d.end, `${d.code} at ${d.pointer} has no position`);
      assert.equal(d.file, rel);
      assert.ok(d.start.line >= 1 && d.start.line <= lines.length, `${d.code}: line ${d.start.line} of ${lines.length}`);
      assert.ok(d.start.col >= 1 && d.start.col <= lines[d.start.line - 1]!.length + 1, `${d.code}: column ${d.start.col} at line ${d.start.line}`);
      assert.ok(d.end.offset >= d.start.offset && d.end.offset <= text.length);
      assert.match(d.pointer, /^(\/[^/]*)*$/);
    }
    // The CLI printed each of them with its code.
    for (const d of result.diagnostics) assert.ok(r.stderr.includes(`${d.start!.line}:${d.start!.col}: ${d.severity} ${d.code}:`));
  });
}

test('every expected.txt belongs to a case', () => expectNoStaleGoldens(DIR, (p) => p.endsWith('/topology.yaml')));

test('every parse, schema and rule code is shown by some invalid case', () => {
  const own = Object.keys({ ...PARSE_MESSAGES, ...SCHEMA_MESSAGES, ...RULE_MESSAGES }).filter(OWN);
  const missing = own.filter((c) => !seen.has(c) && !ELSEWHERE[c]);
  assert.deepEqual(missing, []);
});

test('every rule reports only catalogued codes, and every HA3 code of ours belongs to a rule', () => {
  const declared = new Set<string>();
  for (const rule of RULES) {
    for (const code of rule.codes) {
      assert.ok(code in MESSAGES, `${rule.name}: ${code} is not catalogued`);
      declared.add(code);
    }
  }
  const orphans = Object.keys(RULE_MESSAGES).filter((c) => OWN(c) && !declared.has(c));
  assert.deepEqual(orphans, []);
  // No code is shared: a code names one rule.
  const all = RULES.flatMap((r) => r.codes);
  assert.equal(new Set(all).size, all.length);
});

test('each rule reports only the codes it declares, on every case that reaches the rules', () => {
  let reached = 0;
  for (const name of cases) {
    const result = loadTopology(readFileSync(join(DIR, name, 'topology.yaml'), 'utf8'), name);
    if (!result.topology) continue;
    reached++;
    for (const rule of RULES) {
      for (const d of rule.check(result.topology, result.source.value as TopologyInput)) assert.ok(rule.codes.includes(d.code), `${rule.name} reported ${d.code} on ${name}`);
    }
  }
  assert.ok(reached >= 40, `only ${reached} cases reach the rules`);
});

test("the README's example output is the golden of its case", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const golden = readFileSync(join(DIR, 'havana-quantum-name', 'expected.txt'), 'utf8');
  assert.ok(readme.includes('$ hactl validate fixtures/invalid/havana-quantum-name/topology.yaml\n' + golden), 'README.md: update the Validation example');
});
