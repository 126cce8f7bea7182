/**
 * The nodes' files a catalogue proof asks for (catalog.ts), read from a saved tree
 * DIR/<node>/<path> (catalog-ssh.ts reads them over SSH). A saved tree tells no unit's state.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeFiles } from './catalog.js';

/** Larger files are no configuration file hactl writes: reported unread, never sent. */
export const MAX_BYTES = 1 << 20;
/** Paths a catalogue file can have: absolute, no spaces, quotes or `..`. */
export const PATH = /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;

/** The saved tree `dir` (DIR/<node>/<absolute path>), read as the proofs ask. */
export function savedTree(dir: string): NodeFiles {
  return {
    source: `the saved files in ${dir}`,
    read(node, path) {
      if (!PATH.test(path) || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(node)) return undefined;
      const file = join(dir, node, path);
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st?.isFile()) return null;
      if (st.size > MAX_BYTES) return undefined;
      return readFileSync(file);
    },
  };
}
