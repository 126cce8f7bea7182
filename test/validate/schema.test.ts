/**
 * The schema is the one definition of the format, read by editors for completion and hover help:
 * every property says what it is, and the examples it gives are themselves valid.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import { ROOT } from '../helpers/cli.js';

type Schema = { [k: string]: unknown; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; examples?: unknown[]; description?: string };
const schema = JSON.parse(readFileSync(join(ROOT, 'schemas', 'topology.schema.json'), 'utf8')) as Schema;

function walk(s: Schema, at: string, visit: (s: Schema, at: string) => void): void {
  visit(s, at);
  for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${at}/properties/${k}`, visit);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}/additionalProperties`, visit);
  if (s.items) walk(s.items, `${at}/items`, visit);
}

test('every property of the topology schema has a description', () => {
  const missing: string[] = [];
  walk(schema, '', (s, at) => {
    for (const [k, v] of Object.entries(s.properties ?? {})) if (!v.description) missing.push(`${at}/properties/${k}`);
  });
  assert.deepEqual(missing, []);
});

test("every example in the schema is valid against its own property's schema", () => {
  const ajv = new Ajv2020({ strict: false });
  const bad: string[] = [];
  walk(schema, '', (s, at) => {
    if (!s.examples) return;
    const { examples: _examples, ...own } = s;
    const validate = ajv.compile(own);
    for (const ex of s.examples) if (!validate(ex)) bad.push(`${at}: ${JSON.stringify(ex)}`);
  });
  assert.deepEqual(bad, []);
});
