/**
 * The nodes' files a catalogue proof asks for (catalog.ts): which they are (the first pass of a
 * live import, read over SSH by catalog-ssh.ts), or read from a saved tree DIR/<node>/<path>.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeFiles } from './catalog.js';

/** Larger files are no configuration file hactl writes: reported unread, never sent. */
export const MAX_BYTES = 1 << 20;
/** Paths a catalogue file can have: absolute, no spaces, quotes or `..`. */
export const PATH = /^(\/[A-Za-z0-9_][A-Za-z0-9._-]*)+$/;

/**
 * The nodes' files as a live import learns them: what `known` holds (undefined: asked for and not
 * read), and a record of what a proof asked for beyond it (answered "not read"), which the next
 * pass reads over SSH.
 */
export function recorder(known: Map<string, Uint8Array | null | undefined>): { files: NodeFiles; wanted: Map<string, Set<string>> } {
  const wanted = new Map<string, Set<string>>();
  const files: NodeFiles = {
    source: 'the nodes over SSH',
    read(node, path) {
      const key = `${node} ${path}`;
      if (known.has(key)) return known.get(key);
      let s = wanted.get(node);
      if (!s) wanted.set(node, (s = new Set()));
      s.add(path);
      return undefined;
    },
  };
  return { files, wanted };
}

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
