// Precompiles schemas/topology.schema.json into a standalone ajv validator at build time, so that
// `hactl validate` does not pay for compiling the schema at every start.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const schemas = ['topology', 'manifest'];
const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true, code: { source: true, esm: true, optimize: true } });
const exports = {};
for (const name of schemas) {
  let schema;
  try {
    schema = JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8'));
  } catch (e) {
    if (e.code === 'ENOENT') continue;
    throw e;
  }
  ajv.addSchema(schema, name);
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
