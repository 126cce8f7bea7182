/**
 * What compile produces: files addressed relative to the output directory. Node files also say
 * where they land on the node and what must happen there when they change; that metadata is what
 * out/manifest.json lists and what apply acts on.
 */
export type ChangeAction =
  | { kind: 'none' }
  | { kind: 'reload'; service: string }
  | { kind: 'restart'; service: string }
  | { kind: 'corosync-reload' }
  | { kind: 'corosync-restart' };

export interface NodeFile {
  node: string;
  /** Absolute path on the node. */
  target: string;
  owner: string;
  group: string;
  /** Octal mode, e.g. '0640'. */
  mode: string;
  /** Services that read the file. */
  services: string[];
  /** Names of the secrets the file refers to (resolved by apply at push time, never stored in out/). */
  secrets: string[];
  onChange: ChangeAction;
}

export interface Artifact {
  /** Path relative to the output directory, '/'-separated. */
  path: string;
  content: string;
  node?: NodeFile;
}

export function sortArtifacts(artifacts: Artifact[]): Artifact[] {
  return [...artifacts].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
