/**
 * The schema is the one definition of the format, read by editors for completion and hover help:
 * every property says what it is and shows an example, the examples are themselves valid, and the
 * catalogue's service names are in it so an editor completes them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { FAMILIES, SERVICES, pick } from '../../src/catalog/index.js';
import { hactl, ROOT } from '../helpers/cli.js';

type Schema = { [k: string]: unknown; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; examples?: unknown[]; description?: string; $defs?: Record<string, Schema> };
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8')) as Schema;
const ID = 'https://hactl.dev/schemas/topology.schema.json';

/** Every subschema that stands for a value, with its JSON Pointer in the schema. */
function walk(s: Schema, at: string, visit: (s: Schema, at: string) => void): void {
  visit(s, at);
  for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${at}/properties/${k}`, visit);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}/additionalProperties`, visit);
  if (s.items) walk(s.items, `${at}/items`, visit);
  for (const [k, v] of Object.entries(s.$defs ?? {})) walk(v, `${at}/$defs/${k}`, visit);
}

test('every property of the topology schema has a description and an example', () => {
  const missing: string[] = [];
  walk(schema, '', (s, at) => {
    for (const [k, v] of Object.entries(s.properties ?? {})) {
      if (!v.description) missing.push(`${at}/properties/${k}: description`);
      if (!v.examples?.length) missing.push(`${at}/properties/${k}: examples`);
    }
  });
  assert.deepEqual(missing, []);
});

test("every example in the schema is valid against its own property's schema", () => {
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(schema);
  const bad: string[] = [];
  let n = 0;
  walk(schema, '', (s, at) => {
    if (!s.examples) return;
    const validate = ajv.getSchema(`${ID}#${at}`);
    assert.ok(validate, at);
    for (const ex of s.examples) {
      n++;
      if (!validate(ex)) bad.push(`${at}: ${JSON.stringify(ex)} ${ajv.errorsText(validate.errors)}`);
    }
  });
  assert.deepEqual(bad, []);
  assert.ok(n > 100, `${n} examples`);
});

test('the schema has a stable $id, and hactl schema --write saves it safely', () => {
  assert.equal(schema.$id, ID);
  const dir = mkdtempSync('/tmp/hactl-schema-');
  try {
    const out = join(dir, 'topology.schema.json');
    const r = hactl(['schema', '--write', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8'));
    assert.equal(statSync(out).mode & 0o777, 0o644);
    writeFileSync(out, 'mine');
    const again = hactl(['schema', '--write', out]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /error HA4008: .* exists; hactl does not overwrite it\n  hint: .*--force/);
    assert.equal(readFileSync(out, 'utf8'), 'mine');
    assert.equal(hactl(['schema', '--write', out, '--force']).code, 0);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8'));
    const missing = hactl(['schema', '--write', join(dir, 'no', 'such', 'x.json')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /HA4007/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the catalogue's service names of every release family are the schema's named services, each with its releases and modes", () => {
  const services = schema.properties!.clusters!.additionalProperties as Schema;
  const named = (services.properties!.services!.properties ?? {}) as Record<string, Schema>;
  // A name may stand for one entry in the 2013 families and another in the current one
  // (keystone, nova, …): the description names each entry's families and modes.
  const expected = new Map<string, { families: string[]; modes: string[] }[]>();
  for (const e of SERVICES) {
    const byName = new Map<string, string[]>();
    for (const f of FAMILIES) {
      if (e.families && !e.families.includes(f)) continue;
      const name = pick(e.name, f);
      byName.set(name, [...(byName.get(name) ?? []), f]);
    }
    for (const [name, families] of byName) expected.set(name, [...(expected.get(name) ?? []), { families, modes: e.modes }]);
  }
  assert.deepEqual(Object.keys(named).sort(), [...expected.keys()].sort());
  for (const [name, entries] of expected) {
    const s = named[name]!;
    assert.equal(s.$ref, '#/$defs/service', name);
    for (const { families, modes } of entries) assert.ok(s.description!.includes(`OpenStack ${families.join(', ')}; modes: ${modes.join(', ')}.`), `${name}: ${s.description}`);
  }
  // A custom service (any other name) is still allowed by the schema; the rules ask for its agent.
  assert.deepEqual((services.properties!.services!.additionalProperties as Schema).$ref, '#/$defs/service');
});

test("the catalogue's secret purposes are the schema's named secrets and the enum of purposes:, each described; every file reads only declared purposes", async () => {
  const { secretPurposes } = await import('../../src/catalog/index.js');
  const { OPENSTACK_FILES } = await import('../../src/compile/files/openstack.js');
  const purposes = secretPurposes();
  const ids = purposes.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, 'purpose ids are unique');
  const secrets = schema.properties!.secrets!;
  const named = secrets.properties ?? {};
  assert.deepEqual(Object.keys(named), ids);
  for (const p of purposes) {
    assert.equal(named[p.id]!.$ref, '#/$defs/secret', p.id);
    assert.ok(named[p.id]!.description!.includes(p.what), `${p.id}: ${named[p.id]!.description}`);
  }
  const item = schema.$defs!['secret']!;
  assert.deepEqual((item.properties!['purposes']!.items as Schema).enum, ids);
  // Read by a file, or by a process as a CIB-secret parameter (secretParams).
  const read = new Set([
    ...OPENSTACK_FILES.flatMap((f) => (Array.isArray(f.secrets) ? f.secrets : Object.values(f.secrets.since).flat())),
    ...SERVICES.flatMap((e) => e.processes.flatMap((p) => Object.values(p.secretParams ?? {}))),
  ]);
  assert.deepEqual([...read].filter((p) => !ids.includes(p)), [], 'every purpose a file or a secret parameter reads is declared by a catalogue entry');
  assert.deepEqual(ids.filter((p) => !read.has(p)), [], 'every declared purpose is read by some file or secret parameter');
  // Entries of several families may declare one purpose (its files read it in each): in the same words.
  for (const e of SERVICES) for (const p of e.secrets ?? []) assert.equal(p.what, purposes.find((x) => x.id === p.id)!.what, `${e.key} declares ${p.id} in other words`);
});
