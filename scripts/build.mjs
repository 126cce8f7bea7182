// `npm run build`: the schema validators and precompiled templates, the TypeScript compile, the CLI
// bundle and its code cache.
// The bundle is made even when tsc reports type errors (tsc still emits dist/): a stale bundle
// would run old code behind a fresh dist/. The exit status is the first failure's.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const node = (args) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let status = node([join(root, 'scripts', 'build-schema.mjs')]) || node([join(root, 'scripts', 'build-templates.mjs')]);
if (status === 0) {
  status = node([tsc, '-p', join(root, 'tsconfig.json')]);
  const bundled = node([join(root, 'scripts', 'bundle.mjs')]);
  if (bundled !== 0) {
    // Never leave an old bundle behind to be run in place of the new code.
    for (const f of readdirSync(join(root, 'dist'))) if (/^hactl(-[a-z]+)?\.(cjs|cache)$/.test(f)) rmSync(join(root, 'dist', f), { force: true });
    status ||= bundled;
  }
}
process.exitCode = status;
