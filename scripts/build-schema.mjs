// Precompiles schemas/topology.schema.json into a standalone ajv validator at build time, so that
// `hactl validate` does not pay for compiling the schema at every start.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemas = ['topology', 'manifest', 'plan'];
// inlineRefs false: every $defs entry becomes one function instead of a copy at each use (the
// topology validator shrinks from 1.7 MB to 0.4 MB of code to load at every start).
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, inlineRefs: false, code: { source: true, esm: true, optimize: true } });

/** The schema without its `examples` (documentation for editors): the validator embeds what it gets. */
function withoutExamples(value) {
  if (Array.isArray(value)) return value.map(withoutExamples);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    // `examples` as a keyword, not a property named so: under `properties` it is a property's schema.
    if (k === 'examples' && Array.isArray(v)) continue;
    out[k] = withoutExamples(v);
  }
  return out;
}
const exports = {};
for (const name of schemas) {
  let schema;
  try {
    schema = JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') continue;
    throw e;
  }
  ajv.addSchema(withoutExamples(schema), name);
  exports[name] = name;
}
// ajv's ESM output still calls require() for its CommonJS runtime helpers; import them instead.
const imports = [];
const code = standaloneCode(ajv, exports).replace(/require\("([^"]+)"\)/g, (_, mod) => {
  const name = `runtime${imports.length}`;
  imports.push(`import ${name} from ${JSON.stringify(mod + '.js')};`);
  return name;
});
const moduleText = imports.join('\n') + '\n' + code;
for (const dir of ['src/validate/generated', 'dist/validate/generated']) {
  mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, dir, 'validators.js'), moduleText);
  writeFileSync(
    join(root, dir, 'validators.d.ts'),
    Object.keys(exports)
      .map((n) => `export declare const ${n}: import('../schema-types.js').CompiledValidator;`)
      .join('\n') + '\n',
  );
}
