// Bundles the CLI (dist/cli/main.js and everything it imports, dependencies included) into one
// CommonJS file, dist/hactl.cjs, and makes V8 code caches for it, dist/hactl.cache and
// dist/hactl-<command>.cache; validate and compile, the commands run most often, get bundles of
// their own (dist/hactl-validate.cjs, dist/hactl-compile.cjs) without the other commands' code.
//
// Why: start-up is most of what `hactl validate` costs. Loading ~60 ES modules means resolving,
// reading and compiling each; one file removes the resolution and most of the I/O. Node 20 has no
// compile cache for modules (module.enableCompileCache arrived in 22), but vm.Script takes V8
// cached data, and a cache made *after* running the code holds the bytecode of every function
// that ran, so the CLI starts without parsing or compiling what a command needs. bin/hactl.js
// loads the bundle through vm.Script with that cache. A cache V8 rejects (another Node version,
// other V8 flags) only costs the time it would have saved.
//
// The caches are "trained" by running commands on the reference topology.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants, Script } from 'node:vm';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
export const BUNDLE = join(dist, 'hactl.cjs');
export const CACHE = join(dist, 'hactl.cache');

/**
 * Commands with a bundle of their own (dist/hactl-<command>.cjs): the CLI without the other
 * commands' modules. validate's is half the general one (1.3 MB against 2.3 MB), compile's 1.6 MB:
 * every start reads the bundle and hands V8 a copy of it, and the cache holds less around what
 * runs (compile of the reference from its own bundle and cache: 873M -> 846M instructions).
 * bin/hactl.js starts a command from its own bundle only, so the other commands' actions, left
 * out, are never reached from it.
 */
export const OWN_BUNDLE = ['validate', 'compile'];
const bundleOf = (name) => (OWN_BUNDLE.includes(name) ? join(dist, `hactl-${name}.cjs`) : BUNDLE);

/** Leaves the command modules of every command but `name` out of a bundle (see OWN_BUNDLE). */
function onlyCommandPlugin(name) {
  return {
    name: 'only-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.js$/ }, (args) => {
        if (!/[\\/]cli[\\/]main\.js$/.test(args.importer) || args.path === `./commands/${name}.js`) return undefined;
        return { path: args.path, namespace: 'left-out' };
      });
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in hactl-${name}.cjs: bin/hactl.js runs only ${name} from it`)});`,
        loader: 'js',
      }));
    },
  };
}

/**
 * V8 accepts cached data for any source of the same length, so a cache must never meet a bundle
 * it was not made from. The bundle's first line is a stamp (a hash of the rest); the cache starts
 * with the stamp of the bundle it was made from; bin/hactl.js uses the cache only if they match.
 */
function stampOf(text) {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Writes a file whole or not at all: tests and builds run side by side on one dist/. */
function writeAtomic(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/**
 * The CommonJS module function around the bundle, written into the file: bin/hactl.js hands the
 * file's text to V8 as it is (a wrapper added at run time made V8 copy the 2.4 MB source again).
 */
function wrap(source) {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

// A module's import.meta.url must stay the URL of the file it was compiled to (src/paths.ts finds
// the package root from it), not the bundle's. Each use is replaced by that file's URL, computed
// at run time from the bundle's own location so the package stays relocatable.
const importMetaPlugin = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(m?js|cjs)$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const rel = JSON.stringify(relative(dist, args.path));
      const contents = text
        .replace(/\bimport\.meta\.url\b/g, `__hactlFileUrl(${rel})`)
        .replace(/\bimport\.meta\.filename\b/g, `__hactlFile(${rel})`)
        .replace(/\bimport\.meta\.dirname\b/g, `require("node:path").dirname(__hactlFile(${rel}))`);
      if (/\bimport\.meta\b/.test(contents)) throw new Error(`${args.path}: import.meta used in a way the bundle cannot keep`);
      return { contents, loader: 'js' };
    });
  },
};

// commander requires node:child_process at load only to spawn `git-style` subcommand executables,
// which hactl has none of; loading it (with net, dgram and the stream machinery) was a twentieth
// of every start. The require is deferred to the first spawn.
const COMMANDER_SPAWN = "const childProcess = require('node:child_process');";
const lazyChildProcessPlugin = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(COMMANDER_SPAWN)) throw new Error(`${args.path}: commander no longer requires node:child_process as expected; update scripts/bundle.mjs`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: text.replace(COMMANDER_SPAWN, lazy), loader: 'js' };
    });
  },
};

/** Writes the bundle of `name` (OWN_BUNDLE), or the general one without a name. */
export async function bundle(name) {
  const result = await build({
    stdin: {
      contents: "export { run } from './cli/main.js';\nexport { processIo } from './cli/io.js';\n",
      resolveDir: dist,
      sourcefile: 'hactl-entry.js',
    },
    bundle: true,
    // Graphviz in WebAssembly is 1.2 MB that only graph and report load: left out of the bundle
    // (and its start-up cost), required from node_modules when a picture is drawn.
    external: ['@viz-js/viz'],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundleOf(name),
    write: false,
    banner: {
      js:
        '"use strict";\n' +
        'const __hactlFile = (rel) => require("node:path").join(__dirname, rel);\n' +
        'const __hactlFileUrl = (rel) => require("node:url").pathToFileURL(__hactlFile(rel)).href;',
    },
    plugins: [...(name ? [onlyCommandPlugin(name)] : []), lazyChildProcessPlugin, importMetaPlugin],
    logLevel: 'warning',
    legalComments: 'none',
    // Whitespace only: names stay, so an internal error's stack trace still reads. A third less
    // text to read and hand to V8 saved about 5 ms at every start.
    minifyWhitespace: true,
  });
  if (result.errors.length) throw new Error('bundling failed');
  const text = wrap(result.outputFiles[0].text);
  // bin/hactl.js reads the file as Latin-1 (one copy, no decoding): esbuild's default charset
  // escapes every non-ASCII character, so the bytes are the text.
  if (/[^\x00-\x7f]/.test(text)) throw new Error('the bundle is not ASCII: bin/hactl.js would misread it');
  writeAtomic(bundleOf(name), `${STAMP_PREFIX}${stampOf(text)}\n${text}`);
}

const STAMP_PREFIX = '// hactl-bundle ';

/**
 * A cache file's bytes before its cached data: the bundle's stamp, a newline, spaces. A multiple
 * of 8 (bin/hactl.js CACHE_HEADER): V8 copies cached data that is not 8-byte aligned.
 */
const CACHE_HEADER = 32;

/**
 * Loads a bundle the way bin/hactl.js does (the one of command `name`, or the general one);
 * returns the script, its stamp and the module's exports.
 */
export function load(name) {
  const file = bundleOf(name);
  const source = readFileSync(file, 'utf8');
  const stamp = source.slice(STAMP_PREFIX.length, STAMP_PREFIX.length + 16);
  const script = new Script(source, { filename: file, importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dist);
  return { script, stamp, exports: module.exports };
}

/**
 * The commands whose runs get a cache of their own (dist/hactl-<command>.cache): V8 reads the whole
 * cache at every start, so a command that loads only what it runs starts sooner (diff of a large
 * CIB: 5% fewer instructions; validate: 2%). A command with a bundle of its own needs one: a
 * cache is made from one bundle. Any other command uses dist/hactl.cache, which covers them all.
 */
export const OWN_CACHE = ['validate', 'diff', 'compile'];

/** The training runs, by cache ('' is the general one); `work` holds the runs' output. */
function runsOf(work) {
  const reference = join(root, 'fixtures', 'pixelpark.yaml');
  // The diff run compares a CIB the compile run wrote with itself: it reads, normalises and
  // matches every element (no drift, so nothing is printed).
  const cib = join(work, 'out', 'clusters', 'controllers', 'cib.xml');
  const validate = [
    ['validate', reference],
    ['validate', '--json', reference],
  ];
  const compile = [['compile', reference, '-o', join(work, 'out')]];
  const diff = [['diff', '--from', cib, '--live', cib]];
  return { '': [...validate, ...compile, ...diff, ['schema'], ['--help']], validate, diff, compile };
}

/**
 * Runs one cache's commands in this process, quietly, then writes that cache. A cache holds what
 * ran in the process that made it, so each cache is made in a process of its own.
 */
export async function train(name, work) {
  const { script, stamp, exports } = load(name);
  const failed = [];
  for (const argv of runsOf(work)[name]) {
    // No V8 flags changed before the cache is made: V8 refuses a cache made under other flags.
    const io = { ...exports.processIo(), stdout: () => {}, stderr: () => {}, isTTY: false, cwd: work, preferShortRun: undefined, preferMemory: undefined };
    let code;
    try {
      code = await exports.run(argv, io);
    } catch (e) {
      code = `threw ${e}`;
    }
    if (code !== 0) failed.push(`hactl ${argv.join(' ')}: ${code}`);
  }
  const header = Buffer.from(`${stamp}\n`.padEnd(CACHE_HEADER));
  writeAtomic(name ? join(dist, `hactl-${name}.cache`) : CACHE, Buffer.concat([header, script.createCachedData()]));
  // A command that fails here still leaves a useful cache (what ran is in it); say so, though.
  return failed;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [, , flag, name, dir] = process.argv;
  if (flag === '--train') {
    for (const f of await train(name, dir)) process.stderr.write(`bundle: training run failed (the code cache covers less): ${f}\n`);
  } else {
    for (const name of [undefined, ...OWN_BUNDLE]) await bundle(name);
    const work = mkdtempSync(join(tmpdir(), 'hactl-train-'));
    try {
      // The general cache first: its compile run writes the CIB the diff cache's run reads.
      for (const name of ['', ...OWN_CACHE]) {
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--train', name, work], { stdio: 'inherit' });
        if (r.status !== 0) throw new Error(`training the ${name || 'general'} code cache failed`);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
}
