/**
 * The `files` compile target: every node's configuration files under nodes/NODE/<path on the
 * node>, and manifest.json, which lists each file with what apply needs to install it (owner,
 * group, mode, sha256, the secrets it refers to, what to do on the node when it changes).
 */
import { createHash } from 'node:crypto';
import type { Lowered } from '../../lower/index.js';
import type { Artifact, NodeFile } from '../artifact.js';
import type { Target } from '../target.js';
import { bootUnitsOf } from './boot-units.js';
import { buildManifest } from './manifest.js';
import type { PlannedFile, SecretFile } from './plan.js';
import { render, type Rendered } from './templates.js';

export function nodeFilePath(node: string, target: string): string {
  return `nodes/${node}/${target.replace(/^\/+/, '')}`;
}

function renderPlanned(f: PlannedFile, cache: Map<string, Rendered>): Rendered {
  const key = f.shareKey;
  let r = key ? cache.get(key) : undefined;
  if (!r) {
    try {
      r = render(f.template, f.grammar, f.context);
    } catch (e) {
      // A template that cannot render is a bug in it or in its context: say which, and for whom.
      throw new Error(`template ${f.template} failed to render ${f.target} for node ${f.node}: ${(e as Error).message}`, { cause: e });
    }
    if (key) cache.set(key, r);
  }
  const undeclared = r.secrets.filter((s) => !f.secrets.includes(s));
  if (undeclared.length) throw new Error(`internal: template ${f.template} refers to undeclared secret(s) ${undeclared.join(', ')}`);
  return r;
}

export function emitNodeFiles(model: Lowered): Artifact[] {
  return [...nodeFileArtifacts(model)];
}

/** Every node file, then manifest.json; a file's text is not kept once it is handed on. */
export function* nodeFileArtifacts(model: Lowered): Generator<Artifact> {
  // What the manifest needs of each file: everything but its text.
  const listed: Artifact[] = [];
  const secretFiles: SecretFile[] = [];
  const cache = new Map<string, Rendered>();
  const hashes = new Map<string, string>();
  for (const plan of model.nodes.values()) {
    for (const f of plan.files) {
      const r = renderPlanned(f, cache);
      // A file that refers to secrets will hold them once apply resolves the references: readable
      // by root and the service's group only.
      const secret = r.secrets.length > 0;
      const node: NodeFile = {
        node: f.node,
        target: f.target,
        owner: f.owner,
        group: secret ? (f.secretGroup ?? 'root') : f.group,
        mode: secret ? (f.secretGroup ? '0640' : '0600') : f.mode,
        services: f.services,
        secrets: r.secrets,
        onChange: f.onChange,
        install: f.install,
      };
      const path = nodeFilePath(f.node, f.target);
      let sha = f.shareKey ? hashes.get(f.shareKey) : undefined;
      if (!sha) {
        sha = createHash('sha256').update(r.content, 'utf8').digest('hex');
        if (f.shareKey) hashes.set(f.shareKey, sha);
      }
      hashes.set(path, sha);
      listed.push({ path, content: '', node });
      yield { path, content: r.content, node };
    }
    secretFiles.push(...plan.secretFiles);
  }
  yield { path: 'manifest.json', content: buildManifest(model.topology, listed, hashes, secretFiles, bootUnitsOf(model)) };
}

export const filesTarget: Target = {
  name: 'files',
  description: 'per-node configuration files (corosync, Ceph, OpenStack, network) and manifest.json',
  emit: emitNodeFiles,
  each: nodeFileArtifacts,
};
