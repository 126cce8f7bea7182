/**
 * What compile produces: files addressed relative to the output directory. Node files also say
 * where they land on the node and what must happen there when they change; that metadata is what
 * out/manifest.json lists and what apply acts on.
 */
import { compareStrings } from '../util/compare.js';
export type ChangeAction =
  | { kind: 'none' }
  /**
   * Reload or restart a service. Without `cluster`, `service` is the node's own (systemd) unit;
   * with it, Pacemaker keeps the service alive and `service` is the catalogue process id whose
   * resource (p_<id>) must be restarted through the cluster, never behind Pacemaker's back.
   */
  | { kind: 'reload'; service: string; cluster?: string }
  | { kind: 'restart'; service: string; cluster?: string }
  | { kind: 'corosync-reload' }
  | { kind: 'corosync-restart' }
  /** Mount the filesystem at `path` if it is not mounted (a new or changed fstab entry). */
  | { kind: 'mount'; path: string }
  /** Several of the above, in order (a file read by more than one service). */
  | { kind: 'all'; actions: ChangeAction[] };

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
  /**
   * How apply installs the content: 'file' replaces the whole target; 'block' splices the content
   * (a block between '# BEGIN hactl' and '# END hactl' lines) into the target, replacing an
   * earlier hactl block and leaving the rest of the file alone (/etc/hosts, /etc/fstab, rbdmap);
   * 'assignments' replaces the whole target unless the node's file already assigns the same
   * values (a file of shell variables written by another tool, or by hand before an import: its
   * layout alone is no reason to rewrite it and restart what reads it).
   */
  install?: 'file' | 'block' | 'assignments';
}

export interface Artifact {
  /** Path relative to the output directory, '/'-separated. */
  path: string;
  content: string;
  node?: NodeFile;
}

export function sortArtifacts(artifacts: Artifact[]): Artifact[] {
  return [...artifacts].sort((a, b) => compareStrings(a.path, b.path));
}
