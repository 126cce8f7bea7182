/**
 * out/manifest.json: what apply installs on each node. Its JSON Schema is
 * schemas/manifest.schema.json (precompiled into the `manifest` validator); the keys are written
 * in one fixed order so the file is byte-stable.
 */
import { diag, type Diagnostic } from '../../diagnostics.js';
import { manifest as validateManifestSchema } from '../../validate/generated/validators.js';
import type { Topology } from '../../model/types.js';
import type { Artifact, ChangeAction } from '../artifact.js';
import type { BootUnit } from './boot-units.js';
import type { SecretFile } from './plan.js';

export const MANIFEST_VERSION = 1;

export interface ManifestFile {
  node: string;
  path: string;
  source: string;
  owner: string;
  group: string;
  mode: string;
  sha256: string;
  install: 'file' | 'block' | 'assignments';
  services: string[];
  secrets: string[];
  onChange: ChangeAction;
}

/** A planned secret file as the manifest names it: `path` where the plan says `target`. */
export type ManifestSecretFile = Omit<SecretFile, 'target'> & { path: string };

export interface Manifest {
  $schema: string;
  version: number;
  topology: string;
  secretReference: { syntax: string; encodings: Record<string, string> };
  files: ManifestFile[];
  secretFiles: ManifestSecretFile[];
  /** Distribution units apply keeps from starting at boot (see boot-units.ts), by node then unit. */
  units: BootUnit[];
}

const cmp = (a: { node: string; path: string }, b: { node: string; path: string }) =>
  a.node < b.node ? -1 : a.node > b.node ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

export function buildManifest(t: Topology, artifacts: readonly Artifact[], hashes: ReadonlyMap<string, string>, secretFiles: readonly SecretFile[], units: readonly BootUnit[]): string {
  const files: ManifestFile[] = [];
  for (const a of artifacts) {
    const n = a.node;
    if (!n) continue;
    files.push({
      node: n.node,
      path: n.target,
      source: a.path,
      owner: n.owner,
      group: n.group,
      mode: n.mode,
      sha256: hashes.get(a.path)!,
      install: n.install ?? 'file',
      services: n.services,
      secrets: n.secrets,
      onChange: n.onChange,
    });
  }
  const m: Manifest = {
    $schema: 'https://hactl.dev/schemas/manifest.schema.json',
    version: MANIFEST_VERSION,
    topology: t.name,
    secretReference: {
      syntax: '{{secret:NAME}} or {{secret:NAME|ENCODING|…}}',
      encodings: {
        url: 'percent-encode every byte outside A-Z a-z 0-9 - . _ ~ (a value inside a URL)',
        oslo: "double every '$' (oslo.config would interpolate it)",
      },
    },
    files: files.sort(cmp),
    secretFiles: secretFiles
      .map((s) => ({ node: s.node, path: s.target, owner: s.owner, group: s.group, mode: s.mode, secret: s.secret, ...(s.form ? { form: s.form } : {}), services: s.services, onChange: s.onChange }))
      .sort(cmp),
    units: units.map((u) => ({ node: u.node, unit: u.unit, state: u.state, services: [...u.services] })),
  };
  return JSON.stringify(m, null, 2) + '\n';
}

/** Checks a manifest read back from disk (apply's first step) against its schema. */
export function validateManifest(value: unknown, file: string): Diagnostic[] {
  if (validateManifestSchema(value)) return [];
  return (validateManifestSchema.errors ?? []).map((e) =>
    diag('HA4500', e.instancePath, { file, detail: `${e.instancePath || '/'} ${e.message ?? e.keyword}` }),
  );
}
