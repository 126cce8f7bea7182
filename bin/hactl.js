#!/usr/bin/env node
// Shim: hands the process to the CLI (src/cli/main.ts). The CLI runs from one bundled file that V8
// compiles from a code cache made at build time (see scripts/bundle.mjs for why and how): start-up
// is most of what a command costs. Without a matching cache it only starts slower. Without the
// bundle (the build could not make it, and said so), or with one older than dist/ (tsc was run
// without `npm run build`), it runs from the modules in dist/, which are then the newer code.
//
// CommonJS (bin/package.json): an ES module entry would start Node's ES module loader, about 3 ms
// that nothing here needs.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { constants, Script } = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const command = process.argv[2];
// validate and compile start from bundles of their own, without the other commands' code
// (scripts/bundle.mjs OWN_BUNDLE): only that command is ever run from each.
const own = ['validate', 'compile'].includes(command) ? join(dist, `hactl-${command}.cjs`) : undefined;
const bundle = own && statSync(own, { throwIfNoEntry: false }) ? own : join(dist, 'hactl.cjs');

function loadBundle() {
  // The file is the whole script, its CommonJS wrapper included (scripts/bundle.mjs), and ASCII
  // (esbuild escapes the rest): read as bytes in one go and taken as Latin-1, it becomes V8's
  // source string in one copy. Read as UTF-8 it was read in 8 KB pieces into a growing buffer,
  // decoded, then copied again when the wrapper was added around it: 2.4 MB each time, a
  // thousand page faults at every start.
  const source = readFileSync(bundle).toString('latin1');
  // The bundle's first line is "// hactl-bundle <stamp>"; a cache starts with a header holding the
  // stamp of the bundle it was made from. V8 would take a cache made from any source of the same
  // length, so the stamps must match.
  const stamp = source.slice(16, 32);
  // A command with a cache of its own (scripts/bundle.mjs OWN_CACHE) starts from it: V8 reads all
  // of a cache, and the general one holds every command's code.
  const caches = ['validate', 'diff', 'compile'].includes(command) ? [`hactl-${command}.cache`] : [];
  let cachedData;
  for (const name of [...caches, 'hactl.cache']) {
    try {
      const cache = readFileSync(join(dist, name));
      // The header is CACHE_HEADER bytes, a multiple of 8: V8 copies cached data that does not
      // start at an 8-byte boundary (1.7 MB for validate's) before reading it.
      if (cache.toString('latin1', 0, 17) === `${stamp}\n`) cachedData = cache.subarray(CACHE_HEADER);
    } catch {
      // no cache: V8 compiles from source
    }
    if (cachedData) break;
  }
  const script = new Script(source, { filename: bundle, cachedData, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const m = { exports: {} };
  script.runInThisContext()(m.exports, require('node:module').createRequire(bundle), m, bundle, dist);
  return m.exports;
}

/** Bytes before the cached data in a cache file: the stamp, a newline, padding (scripts/bundle.mjs). */
const CACHE_HEADER = 32;

function bundleIsCurrent() {
  const made = statSync(bundle, { throwIfNoEntry: false })?.mtimeMs;
  if (made === undefined) return false;
  const emitted = statSync(join(dist, 'cli', 'main.js'), { throwIfNoEntry: false })?.mtimeMs;
  return emitted === undefined || made >= emitted;
}

async function cli() {
  if (bundleIsCurrent()) return loadBundle();
  return { ...(await import('../dist/cli/main.js')), ...(await import('../dist/cli/io.js')) };
}

cli().then(async ({ run, processIo }) => {
  process.exitCode = await run(process.argv.slice(2), processIo());
});
