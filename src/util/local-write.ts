/**
 * Every file and directory hactl writes on the operator's machine goes through here, so that one
 * rule holds everywhere: hactl never destroys what it did not make (unless told to with --force,
 * and even then never the directory that holds the current directory or the topology, never
 * through a symbolic link), and never leaves a half-written file behind. A refusal or a failure is
 * a LocalWriteError carrying a catalogued diagnostic (exit 2: the operator asked for something
 * hactl will not or cannot do here).
 *
 * The calls are synchronous: a command is a short run with nothing else to do meanwhile, and each
 * asynchronous call is a hop to libuv's thread pool and back (a compile's output was about 1,400
 * futex and 760 epoll waits for 80 files). Removing a tree is the exception (see removeTree).
 */
import { chmodSync, closeSync, constants as fsConstants, fchmodSync, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, realpathSync, renameSync, rmdir, rmdirSync, unlink, unlinkSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';
import { HactlError } from '../errors.js';

// node:crypto (its random temporary names) is loaded by the first writeFileSafely: imported here,
// it was loaded at the start of every command that can write a file (graph, report, schema), 4-5 ms
// whether or not one was written.
const requireBuiltin = createRequire(import.meta.url);

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

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw ioError(path, e);
  }
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFile()) return 'a regular file';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

function syncDir(dir: string): void {
  const d = openSync(dir, 'r');
  try {
    fsyncSync(d);
  } finally {
    closeSync(d);
  }
}

/** Calls a callback-style fs function as a promise. */
function fsCall(f: (path: string, done: (e: NodeJS.ErrnoException | null) => void) => void, path: string): Promise<void> {
  return new Promise((ok, fail) => f(path, (e) => (e ? fail(e) : ok())));
}

/** Waits for every promise; then fails with the first failure, if any. */
async function allDone(all: Promise<void>[]): Promise<void> {
  const failed = (await Promise.allSettled(all)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Removes a directory tree that is hactl's (a previous output moved aside, a staging directory):
 * one unlink per file, one read and one rmdir per directory; a link is removed, never followed. An
 * absent tree is nothing to do. The removals are all asked for at once and run side by side on
 * libuv's thread pool: one that frees a disk block (every directory, and a file already written
 * back) waits on the filesystem, a few milliseconds each on a busy ext4, and waits side by side
 * cost about one. The reference's previous output (77 directories) under load: 470 ms one after
 * the other, 70 ms side by side.
 */
async function removeTree(dir: string): Promise<void> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (errno(e) === 'ENOENT') return;
    throw e;
  }
  // Each subtree is read here, before the first wait: every removal is queued at once.
  await allDone(entries.map((e) => (e.isDirectory() ? removeTree(join(dir, e.name)) : fsCall(unlink, join(dir, e.name)))));
  await fsCall(rmdir, dir);
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
  const dirStat = lstatOrUndefined(dir);
  if (!dirStat) throw new LocalWriteError(diag('HA4007', '', { path, dir: dirname(path) }), 'refused');
  const existing = lstatOrUndefined(target);
  if (existing) {
    if (existing.isSymbolicLink()) throw new LocalWriteError(diag('HA4004', '', { path }), 'refused');
    if (!existing.isFile()) throw new LocalWriteError(diag('HA4005', '', { path, what: kindOf(existing), expected: 'a regular file', suggest: `${path}.new` }), 'refused');
    if (!opts.force) throw new LocalWriteError(diag('HA4008', '', { path }), 'exists');
  }
  const { randomBytes } = requireBuiltin('node:crypto') as typeof import('node:crypto');
  const tmp = join(dir, `.${basename(target)}.hactl-tmp-${randomBytes(6).toString('hex')}`);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx', mode);
  } catch (e) {
    throw ioError(path, e);
  }
  try {
    try {
      fchmodSync(fd, mode); // the umask may have narrowed the creation mode; it never widened it
      writeFileSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (opts.force) {
      renameSync(tmp, target);
    } else {
      try {
        linkSync(tmp, target);
      } catch (e) {
        if (errno(e) === 'EEXIST') throw new LocalWriteError(diag('HA4008', '', { path }), 'exists');
        throw e;
      }
      unlinkSync(tmp);
    }
    syncDir(dir);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already linked into place and removed, or never made
    }
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
export function isHactlOutput(dir: string): boolean {
  const marker = lstatOrUndefined(join(dir, OUTPUT_MARKER));
  if (marker?.isFile()) {
    try {
      return readFileSync(join(dir, OUTPUT_MARKER), 'utf8') === MARKER_TEXT;
    } catch {
      return false;
    }
  }
  const manifest = lstatOrUndefined(join(dir, 'manifest.json'));
  if (!manifest?.isFile()) return false;
  try {
    return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { $schema?: unknown }).$schema === MANIFEST_STAMP;
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
function realish(p: string): string {
  try {
    return realpathSync.native(p);
  } catch (e) {
    if (errno(e) !== 'ENOENT' && errno(e) !== 'ENOTDIR') throw ioError(p, e);
    const parent = dirname(p);
    if (parent === p) return p;
    return join(realish(parent), basename(p));
  }
}

/** `own`: the directory is hactl's output (its files may be linked into the next one). */
type Verdict = { state: 'absent' } | { state: 'replace'; own: boolean };

/** Decides whether the output path may be replaced; a refusal throws. */
function assessOutput(shown: string, target: string, opts: OutputOptions): Verdict {
  for (const k of opts.keep ?? []) {
    const real = realish(resolve(opts.cwd ?? '.', k.path));
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
    const st = lstatOrUndefined(target);
    if (!st) return { state: 'absent' };
    if (st.isSymbolicLink()) throw new LocalWriteError(diag('HA4004', '', { path: shown }), 'refused');
    if (!st.isDirectory()) throw new LocalWriteError(diag('HA4005', '', { path: shown, what: kindOf(st), expected: 'a directory', suggest }), 'refused');
    let entries: string[];
    try {
      entries = readdirSync(target);
    } catch (e) {
      if (errno(e) === 'ENOENT' && attempt < 50) continue;
      throw ioError(shown, e);
    }
    if (entries.length === 0) return { state: 'replace', own: false };
    const own = isHactlOutput(target);
    if (own || opts.force) return { state: 'replace', own };
    const again = lstatOrUndefined(target);
    if ((!again || again.ino !== st.ino || again.dev !== st.dev) && attempt < 50) continue;
    // A marker listed but not read: the directory was away for that moment (another compile
    // renamed it aside and back), so it is looked at again.
    if (entries.includes(OUTPUT_MARKER) && attempt < 50) continue;
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
    entries = readdirSync(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(e.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid === opts.pid || opts.isRunning(pid)) continue;
    const p = join(parent, e);
    try {
      if (lstatOrUndefined(p)?.isDirectory() && isHactlOutput(p)) await removeTree(p);
    } catch {
      // another run cleared it first, or it cannot be removed: debris is left, never an error
    }
  }
}

/** Fills a staging directory; see replaceOutputDirectory. */
export interface StagingTree {
  /** Puts one file at `rel` ('/'-separated, inside the tree), its parent directories made first. */
  file(rel: string, content: string | Uint8Array): void;
}

/** lstat, with any failure (absent, no permission, not a directory on the way) as undefined. */
function lookAt(path: string): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/**
 * The file of hactl's previous output at `from`, when it is what a write of `bytes` would make: a
 * regular file with the same bytes and the owner, group and mode a new file gets (`like`, this
 * run's own marker). A file with a second link is someone's besides the output's and is not taken:
 * linked, it would tie the new output to it. Returns the file's status as read, or undefined.
 */
function sameFile(from: string, bytes: Uint8Array, like: Stats): Stats | undefined {
  const st = lookAt(from);
  if (!st?.isFile() || st.nlink !== 1 || st.size !== bytes.length || st.mode !== like.mode || st.uid !== like.uid || st.gid !== like.gid) return undefined;
  let fd: number;
  try {
    // No following a link that took the file's place since the look; nonblocking, in case a FIFO did.
    fd = openSync(from, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const open = fstatSync(fd);
    if (open.ino !== st.ino || open.dev !== st.dev) return undefined;
    // One byte more than expected is read, so that a file grown since the look is told apart.
    const old = Buffer.allocUnsafe(bytes.length + 1);
    let got = 0;
    for (let n; got < old.length && (n = readSync(fd, old, got, old.length - got, got)) > 0; ) got += n;
    if (got !== bytes.length || !old.subarray(0, got).equals(bytes)) return undefined;
    return open;
  } finally {
    closeSync(fd);
  }
}

/**
 * Links `from`, found the same as a new file by sameFile (`seen`, its status then), to `to`. The
 * link keeps the inode and so the mtime: rsync and make see an unchanged file as unchanged. On ext4,
 * making an inode is what costs (without a journal every creation scans past the recently freed
 * ones), and a link makes none. The name may have been given to another file since the look, or
 * the file written since: only the same inode with the same size and mtime is kept. False: nothing
 * was made.
 */
function linkSame(from: string, to: string, seen: Stats): boolean {
  try {
    linkSync(from, to);
  } catch {
    return false;
  }
  const linked = lstatSync(to);
  if (linked.ino === seen.ino && linked.dev === seen.dev && linked.size === seen.size && linked.mtimeMs === seen.mtimeMs) return true;
  unlinkSync(to);
  return false;
}

/**
 * What the new output takes from the previous one: a file found the same, or a directory taken
 * whole; its path and its status when it was looked at.
 */
interface Taken {
  rel: string;
  seen: Stats;
}

/** The writer of a staging tree; see stagingTree. */
interface OutputTree extends StagingTree {
  /** The files found the same as the previous output's: none of them is in the staging tree yet. */
  readonly same: readonly Taken[];
  /** The files written into the staging tree. */
  readonly written: ReadonlySet<string>;
  /** Puts a file found the same into the staging tree: the previous output's file, linked. */
  link(file: Taken): void;
  /** Makes a directory of the staging tree (`rel` inside it), and its parents. */
  dir(rel: string): void;
}

/**
 * The writer of a staging tree. Each directory is made once (the staging directory is new and
 * this run's alone), parents first. With `previous` (hactl's own output at the path being
 * replaced), a file whose bytes equal the previous output's file at the same path is only noted
 * (see sameFile): planReuse then decides which of the previous output's directories the new output
 * takes whole and which files it links. Without `defer`, such a file is linked at once instead.
 * Every other file is written as it comes.
 */
function stagingTree(staging: string, previous: string | undefined, like: Stats, defer: boolean): OutputTree {
  const made = new Set<string>([staging]);
  const makeDir = (dir: string): void => {
    if (made.has(dir)) return;
    makeDir(dirname(dir));
    mkdirSync(dir);
    made.add(dir);
  };
  // The previous output's directories, each looked at once: a file is taken from it only through
  // real directories, never through a link an operator put there to a file elsewhere.
  const realDirs = new Map<string, boolean>();
  const realDir = (dir: string): boolean => {
    let real = realDirs.get(dir);
    if (real === undefined) {
      real = (dir === previous || realDir(dirname(dir))) && !!lookAt(dir)?.isDirectory();
      realDirs.set(dir, real);
    }
    return real;
  };
  const same: Taken[] = [];
  const written = new Set<string>();
  return {
    same,
    written,
    link({ rel, seen }) {
      const path = join(staging, rel);
      makeDir(dirname(path));
      // Changed since it was compared (another compile's output in its place, or a writer in it):
      // the tree is made again.
      if (previous === undefined || !linkSame(join(previous, rel), path, seen)) throw new Replaced();
    },
    dir(rel) {
      makeDir(join(staging, rel));
    },
    file(rel, content) {
      const bytes = typeof content === 'string' ? Buffer.from(content) : content;
      const from = previous === undefined ? undefined : join(previous, rel);
      const seen = from !== undefined && realDir(dirname(from)) ? sameFile(from, bytes, like) : undefined;
      if (seen && defer) {
        same.push({ rel, seen });
        return;
      }
      const path = join(staging, rel);
      makeDir(dirname(path));
      if (from !== undefined && seen && linkSame(from, path, seen)) return;
      writeFileSync(path, bytes, { mode: 0o644 });
      written.add(rel);
    },
  };
}

/** How much of the previous output the new one takes; see planReuse. */
type Reuse = { unchanged: true } | { unchanged: false; moves: Taken[] };

/**
 * Which directories of the new output can be the previous output's own, taken whole: a directory
 * of the previous output (at `target`, still the one the files were compared in, `before`) whose
 * every file is one the new output has the same bytes for, which holds nothing else, and whose
 * every directory, itself included, has the mode, owner and group a new one gets (`dirLike`; the
 * output itself `topLike`). When that is the output itself (its marker as hactl writes it) nothing
 * changed. Otherwise `moves` lists the largest such directories: each is renamed into the new tree
 * at the swap, so that a recompile makes only the directories on the way to a changed file.
 */
function planReuse(target: string, before: Stats, tree: OutputTree, like: Stats, topLike: Stats, dirLike: () => Stats): Reuse {
  // The new tree: each directory's files and subdirectories ('' is the output itself).
  const parentOf = (rel: string): string => (dirname(rel) === '.' ? '' : dirname(rel));
  const files = new Map<string, string[]>();
  const dirs = new Map<string, Set<string>>([['', new Set()]]);
  const addDir = (dir: string): void => {
    if (dirs.has(dir)) return;
    dirs.set(dir, new Set());
    addDir(parentOf(dir));
    dirs.get(parentOf(dir))!.add(dir);
  };
  const sameRels = new Set(tree.same.map((f) => f.rel));
  const all = [...sameRels, ...tree.written];
  for (const rel of all) {
    const dir = parentOf(rel);
    addDir(dir);
    const own = files.get(dir);
    if (own) own.push(rel);
    else files.set(dir, [rel]);
  }
  for (const rel of all) if (dirs.has(rel)) throw new Error(`output path ${rel} is both a file and a directory`);

  const sameAs = (st: Stats | undefined, want: Stats) => !!st && (st.mode & 0o7777) === (want.mode & 0o7777) && st.uid === want.uid && st.gid === want.gid;
  const marker = Buffer.from(MARKER_TEXT);
  const moves: Taken[] = [];
  const seenDirs = new Map<string, Stats>();
  /** Whether the previous output's `dir` can be taken whole; notes the largest ones below it that can. */
  const whole = (dir: string): boolean => {
    const path = dir === '' ? target : join(target, dir);
    const subdirs = dirs.get(dir)!;
    const own = files.get(dir) ?? [];
    const st = lookAt(path);
    let entries;
    try {
      entries = st?.isDirectory() ? readdirSync(path, { withFileTypes: true }) : undefined;
    } catch {
      entries = undefined;
    }
    if (!entries || !st) return false; // nothing of it, or below it, is taken: its directories are new
    seenDirs.set(dir, st);
    // A directory with another mode, owner or group is made anew; what it holds may still be taken.
    let ok = sameAs(st, dir === '' ? topLike : dirLike()) && own.every((rel) => sameRels.has(rel));
    let filesSeen = 0;
    const present: string[] = [];
    for (const e of entries) {
      const rel = dir === '' ? e.name : `${dir}/${e.name}`;
      if (e.isDirectory() && subdirs.has(rel)) present.push(rel);
      else if (e.isFile() && sameRels.has(rel)) filesSeen++;
      else if (!(rel === OUTPUT_MARKER && e.isFile() && sameFile(join(target, OUTPUT_MARKER), marker, like))) ok = false;
    }
    if (filesSeen !== own.length || present.length !== subdirs.size) ok = false;
    if (dir === '' && !entries.some((e) => e.name === OUTPUT_MARKER)) ok = false;
    const takes: string[] = [];
    for (const sub of present.sort()) {
      if (whole(sub)) takes.push(sub);
      else ok = false;
    }
    if (!ok) moves.push(...takes.map((rel) => ({ rel, seen: seenDirs.get(rel)! })));
    return ok;
  };
  const unchanged = whole('');
  const now = lookAt(target);
  if (!now || now.ino !== before.ino || now.dev !== before.dev) throw new Replaced();
  return unchanged ? { unchanged: true } : { unchanged: false, moves };
}

/**
 * Another compile put its output in place while this one compared with the previous one, or a file
 * compared changed before it was taken: the tree is made again.
 */
class Replaced extends Error {}

/**
 * Writes a whole output tree and puts it in place of `outDir`: everything goes into a staging
 * sibling first (same filesystem), which then replaces the output with two renames. After a
 * failure the previous output is as it was. Refuses (LocalWriteError) anything that is not absent,
 * empty, hactl's own output, or (with force) a plain directory; see assessOutput.
 *
 * When the output being replaced is hactl's own, the new tree takes from it what has not changed
 * (planReuse): a directory whose files are all the same is moved into the new tree between the two
 * renames (while the output path does not exist), and an unchanged file in a changed directory is
 * linked. So a recompile makes only the directories on the way to a changed file, and removing
 * the previous tree afterwards frees only those and the changed files. When nothing at all
 * changed, the previous output stays as it is ('unchanged'). `fill` is called again (with a new
 * staging tree) when the output changed while it was compared (another compile's output in its
 * place, a file rewritten): it must make the same files each time.
 */
export async function replaceOutputDirectory(outDir: string, fill: (tree: StagingTree) => void, opts: OutputOptions = {}): Promise<'replaced' | 'unchanged'> {
  if (outDir === '') throw new LocalWriteError(diag('HA4006', ''), 'refused');
  const shown = outDir;
  const lexical = resolve(opts.cwd ?? '.', outDir);
  const parentLexical = dirname(lexical);
  try {
    mkdirSync(parentLexical, { recursive: true });
  } catch (e) {
    throw ioError(shown, e);
  }
  // The parent may be reached through a link (that is the operator's choice of place); the output
  // itself is judged at its real place, so `-o link/..` cannot reach a kept directory.
  const parent = realish(parentLexical);
  const name = basename(lexical);
  if (name === '' || name === '.' || name === '..') throw new LocalWriteError(diag('HA4003', '', { path: shown, what: 'the root directory', suggest: 'out' }), 'refused');
  const target = join(parent, name);
  for (let round = 0; ; round++) {
    try {
      // Compiles that keep replacing the output under each other's comparison (or a writer that
      // keeps changing it): after a few rounds this one stops deferring and links each unchanged
      // file as it comes, writing it when that fails, which never needs to start over.
      return await replaceOnce(shown, target, parent, name, fill, opts, round < 3);
    } catch (e) {
      if (!(e instanceof Replaced)) throw e;
    }
  }
}

async function replaceOnce(shown: string, target: string, parent: string, name: string, fill: (tree: StagingTree) => void, opts: OutputOptions, defer: boolean): Promise<'replaced' | 'unchanged'> {
  const first = assessOutput(shown, target, opts);
  await clearDebris(parent, name, opts);

  let staging: string;
  try {
    staging = mkdtempSync(join(parent, `.${name}.tmp-${opts.pid !== undefined ? `${opts.pid}-` : ''}`));
  } catch (e) {
    throw ioError(shown, e);
  }
  const previous = `${staging}.old`;
  try {
    const marker = join(staging, OUTPUT_MARKER);
    writeFileSync(marker, MARKER_TEXT, { mode: 0o644 });
    chmodSync(staging, 0o755); // mkdtemp makes it 0700; an output directory is an ordinary one
    // The marker is written as every file is (mode 0644 under the umask, this run's owner and the
    // directory's group): a previous file is taken only if it looks the same.
    const like = lstatSync(marker);
    const own = first.state === 'replace' && first.own ? lookAt(target) : undefined;
    const tree = stagingTree(staging, own?.isDirectory() ? target : undefined, like, defer);
    fill(tree);
    let moves: Taken[] = [];
    if (own?.isDirectory() && defer) {
      // A directory made here, and removed, shows the mode, owner and group every directory of
      // the output gets (under a name none of the output's entries has).
      let dirLike: Stats | undefined;
      const probe = (): Stats => {
        for (let n = 0; !dirLike; n++) {
          const dir = join(staging, `.hactl-probe-${n}`);
          try {
            mkdirSync(dir);
          } catch (e) {
            if (errno(e) === 'EEXIST') continue;
            throw e;
          }
          dirLike = lstatSync(dir);
          rmdirSync(dir);
        }
        return dirLike;
      };
      const reuse = planReuse(target, own, tree, like, lstatSync(staging), probe);
      if (reuse.unchanged) return 'unchanged';
      moves = reuse.moves;
      const moved = new Set(moves.map((m) => m.rel));
      const underMove = (rel: string): boolean => {
        for (let d = dirname(rel); d !== '.'; d = dirname(d)) if (moved.has(d)) return true;
        return false;
      };
      for (const f of tree.same) if (!underMove(f.rel)) tree.link(f);
      for (const m of moves) if (dirname(m.rel) !== '.') tree.dir(dirname(m.rel));
    }
    // Another compile to the same path may put its output in place between our renames; that
    // output is hactl's too, so it is judged again and replaced (last writer wins), never an error.
    for (let attempt = 0; ; attempt++) {
      const verdict = assessOutput(shown, target, opts);
      let swapped = false;
      if (verdict.state === 'replace') {
        try {
          renameSync(target, previous);
          swapped = true;
        } catch (e) {
          if (errno(e) !== 'ENOENT') throw ioError(shown, e);
        }
      }
      const putBack = async (): Promise<void> => {
        if (!swapped) return;
        try {
          renameSync(previous, target);
        } catch {
          // another run's output took its place meanwhile: that one is newer, the previous one is dropped
          await removeTree(previous);
        }
      };
      // Directories are taken only from the output they were compared in; another compile's
      // output in its place means this one starts over, against that one.
      if (moves.length) {
        const prev = swapped ? lookAt(previous) : undefined;
        if (!prev || prev.ino !== own?.ino || prev.dev !== own.dev) {
          await putBack();
          throw new Replaced();
        }
      }
      const done: string[] = [];
      try {
        for (const { rel, seen } of moves) {
          renameSync(join(previous, rel), join(staging, rel));
          done.push(rel);
          // The very directory compared, not one a link put on the way since: else all goes back.
          const now = lstatSync(join(staging, rel));
          if (now.ino !== seen.ino || now.dev !== seen.dev) throw new Replaced();
        }
        renameSync(staging, target);
      } catch (e) {
        for (const rel of done.reverse()) renameSync(join(staging, rel), join(previous, rel));
        await putBack();
        // A directory gone since it was compared: another compile, or the operator, changed OUT.
        if (e instanceof Replaced || (done.length < moves.length && errno(e) === 'ENOENT')) throw new Replaced();
        if ((errno(e) === 'ENOTEMPTY' || errno(e) === 'EEXIST') && attempt < 50) continue;
        throw ioError(shown, e);
      }
      if (swapped) await removeTree(previous);
      return 'replaced';
    }
  } catch (e) {
    throw e instanceof LocalWriteError || e instanceof Replaced ? e : ioError(shown, e);
  } finally {
    await removeTree(staging);
  }
}
