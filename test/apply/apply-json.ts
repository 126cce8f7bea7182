/** schemas/apply.schema.json as a validator for tests (ajv, as the build uses it for the topology schema). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROOT } from '../helpers/cli.js';

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schemas', 'apply.schema.json'), 'utf8')) as object);

/** The schema errors of a document (empty when it is valid). */
export function validateApplyJson(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}
