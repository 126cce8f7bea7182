/**
 * Every file and directory hactl writes on the operator's machine goes through here, so that one
 * rule holds everywhere: hactl never destroys what it did not make (unless told to with --force,
 * and even then never the directory that holds the current directory or the topology, never
 * through a symbolic link), and never leaves a half-written file behind. A refusal or a failure is
 * a LocalWriteError carrying a catalogued diagnostic (exit 2: the operator asked for something
 * hactl will not or cannot do here).
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, mkdir, mkdtemp, open, readdir, readFile, realpath, rename, rm, chmod, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';
import { HactlError } from '../errors.js';

/** A refusal or failure to write locally: the operator's to fix, exit 2 (the error contract). */
export class LocalWriteError extends HactlError {
  constructor(
    diagnostic: Diagnostic,
    /** What kind of refusal: callers with a more specific message for one kind map it. */
    readonly kind: 'exists' | 'refused' | 'io',
  ) {
    super(diagnostic, 2);
  }
}

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** What to do about an operating-system error, in the operator's words. */
function remedyFor(code: string | undefined): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'you lack permission there: write somewhere you own, or fix the permissions';
    case 'EROFS':
      return 'that filesystem is read-only: write somewhere else';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk (or your quota) is full: free space or write somewhere else';
    case 'EBUSY':
      return 'it is in use (a mount point or the root directory): give a new directory name';
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder: give another path';
    default:
      return 'give another path';
  }
}

export function ioError(path: string, e: unknown): LocalWriteError {
  const detail = errno(e) ?? (e as Error).message;
  return new LocalWriteError(diag('HA4001', '', { path, detail, remedy: remedyFor(errno(e)) }), 'io');
}

async function lstatOrUndefined(path: string) {
  try {
    return await lstat(path);
  } catch (e) {
    if (errno(e) === 'ENOENT') return undefined;
    throw ioError(path, e);
  }
}

function kindOf(st: Awaited<ReturnType<typeof lstat>>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a regular file';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

async function syncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

export interface SafeWriteOptions {
  /** Replace an existing regular file (atomically). Never a directory, a link or a device. */
  force?: boolean;
  /** File mode, set before any byte is written (default 0644). */
  mode?: number;
  /** What a relative path is relative to (default: the process's directory). */
  cwd?: string;
}

/**
 * Writes one file: into a temporary file in the same folder, synced, then linked into place (no
 * --force: fails if the name exists, so a concurrent writer is never overwritten) or renamed over
 * the old file (--force). A reader sees the old file or the new one, never a part of either.
 */
export async function writeFileSafely(path: string, content: string | Uint8Array, opts: SafeWriteOptions = {}): Promise<void> {
  const target = resolve(opts.cwd ?? '.', path);
  const dir = dirname(target);
  const mode = opts.mode ?? 0o644;
  const dirStat = await lstatOrUndefined(dir);
  if (!dirStat) throw new LocalWriteError(diag('HA4007', '', { path, dir: dirname(path) }), 'refused');
  const existing = await lstatOrUndefined(target);
  if (existing) {
    if (existing.isSymbolicLink()) throw new LocalWriteError(diag('HA4004', '', { path }), 'refused');
    if (!existing.isFile()) throw new LocalWriteError(diag('HA4005', '', { path, what: kindOf(existing), expected: 'a regular file', suggest: `${path}.new` }), 'refused');
    if (!opts.force) throw new LocalWriteError(diag('HA4008', '', { path }), 'exists');
  }
  const tmp = join(dir, `.${basename(target)}.hactl-tmp-${randomBytes(6).toString('hex')}`);
  let fh;
  try {
    fh = await open(tmp, 'wx', mode);
  } catch (e) {
    throw ioError(path, e);
  }
  try {
    try {
      await fh.chmod(mode); // the umask may have narrowed the creation mode; it never widened it
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.force) {
      await rename(tmp, target);
    } else {
      try {
        await link(tmp, target);
      } catch (e) {
        if (errno(e) === 'EEXIST') throw new LocalWriteError(diag('HA4008', '', { path }), 'exists');
        throw e;
      }
      await unlink(tmp);
    }
    await syncDir(dir);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e instanceof LocalWriteError ? e : ioError(path, e);
  }
}

// ---------------------------------------------------------------------------------------------
// Output directories (hactl compile -o DIR)

/**
 * The record that a directory is hactl's output: written into every output (and every staging
 * directory, from its first moment), so that a later compile may replace it and a later run may
 * clear a crashed run's staging debris. Its content is fixed so that two compiles give the same
 * bytes.
 */
export const OUTPUT_MARKER = '.hactl-output';
const MARKER_TEXT = 'This directory was written by `hactl compile -o`; the next compile to the same path replaces it whole.\n';
/** Outputs written before the marker existed are recognised by their manifest's stamp. */
const MANIFEST_STAMP = 'https://hactl.dev/schemas/manifest.schema.json';

/** True when dir carries hactl's record of having made it (the marker, or hactl's manifest). */
export async function isHactlOutput(dir: string): Promise<boolean> {
  const marker = await lstatOrUndefined(join(dir, OUTPUT_MARKER));
  if (marker?.isFile()) return (await readFile(join(dir, OUTPUT_MARKER), 'utf8').catch(() => '')) === MARKER_TEXT;
  const manifest = await lstatOrUndefined(join(dir, 'manifest.json'));
  if (!manifest?.isFile()) return false;
  try {
    return (JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { $schema?: unknown }).$schema === MANIFEST_STAMP;
  } catch {
    return false;
  }
}

export interface OutputOptions {
  /** Replace a non-empty directory hactl did not make. */
  force?: boolean;
  /**
   * Paths that must survive: the output may be neither one of them nor a directory that holds one
   * (the current directory, the topology file). Compared after resolving symbolic links.
   */
  keep?: readonly { path: string; name: string }[];
  /**
   * Tells whether the process that made a staging directory still runs. Given, a crashed run's
   * staging debris next to the output is removed (only if it carries hactl's marker); without it,
   * debris is left alone.
   */
  isRunning?: (pid: number) => boolean;
  /** This process's id, written into the staging directory's name (with isRunning). */
  pid?: number;
  /** What a relative path is relative to (default: the process's directory). */
  cwd?: string;
}

function within(ancestor: string, p: string): boolean {
  if (ancestor === p) return true;
  const prefix = ancestor.endsWith(sep) ? ancestor : ancestor + sep;
  return p.startsWith(prefix);
}

/** The real path of p, or of its deepest existing ancestor joined with the rest. */
async function realish(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch (e) {
    if (errno(e) !== 'ENOENT' && errno(e) !== 'ENOTDIR') throw ioError(p, e);
    const parent = dirname(p);
    if (parent === p) return p;
    return join(await realish(parent), basename(p));
  }
}

type Verdict = { state: 'absent' } | { state: 'replace' };

/** Decides whether the output path may be replaced; a refusal throws. */
async function assessOutput(shown: string, target: string, opts: OutputOptions): Promise<Verdict> {
  for (const k of opts.keep ?? []) {
    const real = await realish(resolve(opts.cwd ?? '.', k.path));
    if (within(target, real)) {
      const what = target === real ? k.name : `a directory that holds ${k.name}`;
      throw new LocalWriteError(diag('HA4003', '', { path: shown, what, suggest: 'out' }), 'refused');
    }
  }
  if (dirname(target) === target) throw new LocalWriteError(diag('HA4003', '', { path: shown, what: 'the root directory', suggest: 'out' }), 'refused');
  const suggest = `${basename(target)}-new`;
  // A concurrent compile may swap the directory while it is looked at; only a directory that is
  // the same one before and after the look, and lacks the record, is refused.
  for (let attempt = 0; ; attempt++) {
    const st = await lstatOrUndefined(target);
    if (!st) return { state: 'absent' };
    if (st.isSymbolicLink()) throw new LocalWriteError(diag('HA4004', '', { path: shown }), 'refused');
    if (!st.isDirectory()) throw new LocalWriteError(diag('HA4005', '', { path: shown, what: kindOf(st), expected: 'a directory', suggest }), 'refused');
    let entries: string[];
    try {
      entries = await readdir(target);
    } catch (e) {
      if (errno(e) === 'ENOENT' && attempt < 50) continue;
      throw ioError(shown, e);
    }
    if (entries.length === 0 || opts.force || (await isHactlOutput(target))) return { state: 'replace' };
    const again = await lstatOrUndefined(target);
    if ((!again || again.ino !== st.ino || again.dev !== st.dev) && attempt < 50) continue;
    const sorted = entries.sort();
    const sample = sorted.slice(0, 3).join(', ') + (sorted.length > 3 ? `, … ${sorted.length} entries` : '');
    throw new LocalWriteError(diag('HA4002', '', { path: shown, entries: sample, suggest }), 'refused');
  }
}

/** Removes a crashed run's staging directories next to the output: only marked ones of dead runs. */
async function clearDebris(parent: string, name: string, opts: OutputOptions): Promise<void> {
  if (!opts.isRunning) return;
  const prefix = `.${name}.tmp-`;
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(e.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === opts.pid || opts.isRunning(pid)) continue;
    const p = join(parent, e);
    const st = await lstatOrUndefined(p).catch(() => undefined);
    if (st?.isDirectory() && (await isHactlOutput(p))) await rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Writes a whole output tree and puts it in place of `outDir`: everything goes into a staging
 * sibling first (same filesystem), which then replaces the output with two renames. After a
 * failure the previous output is as it was. Refuses (LocalWriteError) anything that is not absent,
 * empty, hactl's own output, or (with force) a plain directory; see assessOutput.
 */
export async function replaceOutputDirectory(outDir: string, fill: (staging: string) => Promise<void>, opts: OutputOptions = {}): Promise<void> {
  if (outDir === '') throw new LocalWriteError(diag('HA4006', ''), 'refused');
  const shown = outDir;
  const lexical = resolve(opts.cwd ?? '.', outDir);
  const parentLexical = dirname(lexical);
  try {
    await mkdir(parentLexical, { recursive: true });
  } catch (e) {
    throw ioError(shown, e);
  }
  // The parent may be reached through a link (that is the operator's choice of place); the output
  // itself is judged at its real place, so `-o link/..` cannot reach a kept directory.
  const parent = await realish(parentLexical);
  const name = basename(lexical);
  if (name === '' || name === '.' || name === '..') throw new LocalWriteError(diag('HA4003', '', { path: shown, what: 'the root directory', suggest: 'out' }), 'refused');
  const target = join(parent, name);
  await assessOutput(shown, target, opts);
  await clearDebris(parent, name, opts);

  let staging: string;
  try {
    staging = await mkdtemp(join(parent, `.${name}.tmp-${opts.pid !== undefined ? `${opts.pid}-` : ''}`));
  } catch (e) {
    throw ioError(shown, e);
  }
  const previous = `${staging}.old`;
  try {
    await writeFile(join(staging, OUTPUT_MARKER), MARKER_TEXT, { mode: 0o644 });
    await chmod(staging, 0o755); // mkdtemp makes it 0700; an output directory is an ordinary one
    await fill(staging);
    // Another compile to the same path may put its output in place between our renames; that
    // output is hactl's too, so it is judged again and replaced (last writer wins), never an error.
    for (let attempt = 0; ; attempt++) {
      const verdict = await assessOutput(shown, target, opts);
      let moved = false;
      if (verdict.state === 'replace') {
        try {
          await rename(target, previous);
          moved = true;
        } catch (e) {
          if (errno(e) !== 'ENOENT') throw ioError(shown, e);
        }
      }
      try {
        await rename(staging, target);
      } catch (e) {
        // Put the previous output back; if another run's output took its place meanwhile, that one
        // is newer and the previous one is dropped.
        if (moved) await rename(previous, target).catch(() => rm(previous, { recursive: true, force: true }));
        if ((errno(e) === 'ENOTEMPTY' || errno(e) === 'EEXIST') && attempt < 50) continue;
        throw ioError(shown, e);
      }
      if (moved) await rm(previous, { recursive: true, force: true });
      return;
    }
  } catch (e) {
    throw e instanceof LocalWriteError ? e : ioError(shown, e);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
