/**
 * What a directory tree is, for tests that compare a tree before and after: its files' bytes, or
 * every entry's inode, mode, owner and mtime.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join, relative } from 'node:path';

/** sha256 of every file under dir (and the target of every link), by relative path: a fingerprint of a whole tree. */
export function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[relative(dir, p)] = `-> ${readlinkSync(p)}`;
      else if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

/** Inode, mode, owner and group of every file and directory under dir (and of dir), by relative path. */
export function entries(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    const st = lstatSync(d);
    out[relative(dir, d) || '.'] = `${st.ino} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.mtimeMs}`;
    if (st.isDirectory()) for (const name of readdirSync(d)) walk(join(d, name));
  };
  walk(dir);
  return out;
}
