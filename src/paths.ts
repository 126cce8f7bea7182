/** Where the package's own data files (schemas, templates) live, from src/ or dist/ alike. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function schemaPath(name: string): string {
  return join(PACKAGE_ROOT, 'schemas', `${name}.schema.json`);
}

export function templatesDir(): string {
  return join(PACKAGE_ROOT, 'templates');
}
