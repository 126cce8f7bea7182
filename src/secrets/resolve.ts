/**
 * Secret values, resolved at push time from where the topology says they live (an environment
 * variable or a file relative to the topology), and held in memory only: nothing here writes a
 * value anywhere. The outside world (environment, file reads) is injected so the library never
 * touches `process`.
 */
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Topology } from '../model/types.js';

export interface SecretSource {
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Reads a file; relative paths arrive already joined to the topology's directory. The CLI passes
   * readSecretFile (regular files only, size cap, symlinks resolved); a reader that reports the
   * real path lets resolveSecrets check where a symbolic link leads.
   */
  readFile(path: string): Promise<Buffer | { content: Buffer; realPath: string }>;
  /** Resolves symbolic links of a path (to compare a secret's real path with the topology's directory). */
  realpath?(path: string): Promise<string>;
  /** Directory relative topology paths start from (the topology file '-' means this one). */
  cwd: string;
}

export interface SecretProblem {
  secret: string;
  /** What is wrong, for the operator (never the value). */
  detail: string;
  /** JSON Pointer of the secret's declaration. */
  pointer: string;
  /** The value is not here at all (variable unset, file absent or not readable by this user), as on a machine without the production secrets. */
  absent?: boolean;
}

/** Resolved secret values by name. Values are Buffers: an authkey is binary. */
export class SecretStore {
  private readonly values = new Map<string, Buffer>();

  set(name: string, value: Buffer): void {
    this.values.set(name, value);
  }

  get(name: string): Buffer {
    const v = this.values.get(name);
    if (!v) throw new Error(`secret ${name} was not resolved (a bug: resolve every secret a plan needs first)`);
    return v;
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** Name and value of every resolved secret, for masking. */
  entries(): [string, Buffer][] {
    return [...this.values.entries()];
  }
}

/** Where a topology's relative secret files are read from. */
export function secretBaseDir(topology: Topology, cwd: string): string {
  if (topology.file === '-' || topology.file === '') return cwd;
  const dir = dirname(topology.file);
  return isAbsolute(dir) ? dir : join(cwd, dir);
}

/**
 * Resolves the named secrets. Every problem is reported (not only the first) so an operator fixes
 * them in one go; a value is never part of a problem's text.
 */
export async function resolveSecrets(
  topology: Topology,
  names: Iterable<string>,
  source: SecretSource,
): Promise<{ store: SecretStore; problems: SecretProblem[]; outside: SecretProblem[] }> {
  const store = new SecretStore();
  const problems: SecretProblem[] = [];
  // Secret files whose real path (links resolved) leaves the topology's directory although the
  // topology names them inside it: validate's HA3040 sees only the written path.
  const outside: SecretProblem[] = [];
  const base = secretBaseDir(topology, source.cwd);
  const realBase = source.realpath ? await source.realpath(base).catch(() => base) : base;
  for (const name of [...new Set(names)].sort()) {
    const s = topology.secrets[name];
    if (!s) {
      problems.push({ secret: name, detail: 'is not declared under secrets:', pointer: '/secrets' });
      continue;
    }
    if (s.env !== undefined) {
      const v = source.env[s.env];
      if (v === undefined || v === '') problems.push({ secret: name, detail: `environment variable ${s.env} is not set`, pointer: s.pointer, absent: true });
      else store.set(name, Buffer.from(v, 'utf8'));
      continue;
    }
    if (s.file !== undefined) {
      const path = isAbsolute(s.file) ? s.file : join(base, s.file);
      try {
        const got = await source.readFile(path);
        const v = Buffer.isBuffer(got) ? got : got.content;
        if (!Buffer.isBuffer(got) && !isAbsolute(s.file) && !within(got.realPath, realBase)) {
          outside.push({ secret: name, detail: got.realPath, pointer: `${s.pointer}/file` });
        }
        if (v.length === 0) problems.push({ secret: name, detail: `file ${path} is empty`, pointer: s.pointer });
        else store.set(name, stripFinalNewline(v));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        problems.push({ secret: name, detail: code ? `cannot read ${path}: ${code}` : `cannot use ${path}: ${(e as Error).message}`, pointer: s.pointer, ...(code === 'ENOENT' || code === 'EACCES' ? { absent: true } : {}) });
      }
      continue;
    }
    problems.push({ secret: name, detail: 'names neither env nor file', pointer: s.pointer });
  }
  return { store, problems, outside };
}

function within(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * A text secret kept in a file usually ends with the newline the editor added; that newline is not
 * part of a password. Binary secrets (an authkey) are kept byte for byte.
 */
function stripFinalNewline(v: Buffer): Buffer {
  if (!isText(v)) return v;
  let end = v.length;
  if (end > 0 && v[end - 1] === 0x0a) end--;
  if (end > 0 && v[end - 1] === 0x0d) end--;
  return end === v.length ? v : v.subarray(0, end);
}

/** Printable UTF-8 without control characters other than tab, CR and LF. */
export function isText(v: Buffer): boolean {
  const s = v.toString('utf8');
  if (!Buffer.from(s, 'utf8').equals(v)) return false;
  return !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
}
