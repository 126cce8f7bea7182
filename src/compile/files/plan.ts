/**
 * What each node gets: one PlannedFile per file, with the template, the grammar its values were
 * checked against, the render context and the manifest metadata. Pure data; index.ts renders.
 * Each file family has its module (corosync, hosts, ceph, rbd, openstack-context,
 * secret-files); this one holds the shapes and puts a node's files together.
 */
import type { Grammar } from '../../formats/grammars.js';
import type { Topology } from '../../model/types.js';
import type { ChangeAction } from '../artifact.js';
import { cephContext, cephFile } from './ceph.js';
import { corosyncFile } from './corosync.js';
import { familyOf, isCephNode, placements } from './facts.js';
import type { Gap } from './gaps.js';
import { hostsFile } from './hosts.js';
import { garbFile } from './garb.js';
import { qnetdFile } from './qnetd.js';
import { sbdFile } from './sbd.js';
import type { OpenStackFile } from './openstack.js';
import { listedSecretFiles, openstackFiles } from './openstack-context.js';
import { rbdFiles } from './rbd.js';
import { clusterKeyFiles, openstackSecretFiles } from './secret-files.js';

export interface PlannedFile<C extends object = object> {
  node: string;
  target: string;
  template: string;
  grammar: Grammar;
  /** What the template reads: each file family declares its own (CorosyncContext, …). */
  context: C;
  owner: string;
  group: string;
  mode: string;
  services: string[];
  onChange: ChangeAction;
  install: 'file' | 'block' | 'assignments';
  /** Secret names the file may refer to (render checks it refers to no others). */
  secrets: string[];
  /** Group of the file once it refers to a secret (mode 0640); files without secrets are root:root 0644. */
  secretGroup?: string;
  /** Cache key: nodes whose contexts are equal by construction share one rendering. */
  shareKey?: string;
}

/** A file whose whole content is one secret: never in out/, installed by apply from the secret. */
export interface SecretFile {
  node: string;
  target: string;
  owner: string;
  group: string;
  mode: string;
  secret: string;
  /**
   * What the file holds: the secret's bytes (unset), or a Pacemaker CIB secret, its value
   * (`cib-secret`: the value and a line break) or its checksum (`cib-secret-sign`: the value's MD5
   * in hex and a line break), as `cibsecret set` writes them.
   */
  form?: 'cib-secret' | 'cib-secret-sign';
  services: string[];
  onChange: ChangeAction;
}

export interface NodePlan {
  files: PlannedFile[];
  secretFiles: SecretFile[];
}

type NodeFileFields<C extends object> = Pick<PlannedFile<C>, 'node' | 'target' | 'template' | 'grammar' | 'context'> & Partial<PlannedFile<C>>;

/** A planned file with the usual defaults: root:root 0644, a whole file, no secrets, no readers to restart. */
export function nodeFile<C extends object>(f: NodeFileFields<C>): PlannedFile<C> {
  return { owner: 'root', group: 'root', mode: '0644', services: [], onChange: { kind: 'none' }, install: 'file', secrets: [], ...f };
}

/** One change action for several (none, the one, or all of them in order). */
export function all(actions: ChangeAction[]): ChangeAction {
  if (actions.length === 0) return { kind: 'none' };
  if (actions.length === 1) return actions[0]!;
  return { kind: 'all', actions };
}

/** The shared context of a shareKey, built on first use. */
export type Once = <T extends object>(key: string, build: () => T) => T;

/**
 * Every node's files; `gapsOf` says what each OpenStack file lacks (lower/file-needs.ts reports
 * it); `cibSecrets` are the CIB-secret files of the Pacemaker models, by node (cib-secrets.ts).
 */
export function planNodes(t: Topology, gapsOf: (spec: OpenStackFile) => Gap[], cibSecrets: ReadonlyMap<string, SecretFile[]> = new Map()): Map<string, NodePlan> {
  const family = familyOf(t);
  const byNode = placements(t);
  const out = new Map<string, NodePlan>();
  const ceph = t.ceph ? cephContext(t) : undefined;
  // Files with a shareKey have equal contexts by construction: one context object per key (a
  // cluster with 740 remote nodes would otherwise hold 740 copies of a 743-entry hosts list).
  const shared = new Map<string, object>();
  const once = <T extends object>(key: string, build: () => T): T => {
    let c = shared.get(key) as T | undefined;
    if (!c) shared.set(key, (c = build()));
    return c;
  };
  for (const n of Object.values(t.nodes)) {
    const plan: NodePlan = { files: [], secretFiles: [] };
    const cluster = n.cluster ? t.clusters[n.cluster] : undefined;
    if (cluster) {
      plan.files.push(corosyncFile(t, cluster, n, once));
      plan.files.push(hostsFile(t, cluster, n, once));
      const sbd = sbdFile(cluster, n, once);
      if (sbd) plan.files.push(sbd);
    }
    // No network files (HA review M11): a bond stanza carries a node's addresses only with the
    // VLANs, bridges, gateway and routes on top of it, which the topology does not describe; a
    // partial one brought up with ifup takes the address off the enslaved port and cuts the node
    // off. `bond:` is a fact for the availability estimate; the node's own provisioning writes it.
    const remoteOf = n.remoteOf ? t.clusters[n.remoteOf] : undefined;
    if (remoteOf) plan.files.push(hostsFile(t, remoteOf, n, once));
    plan.secretFiles.push(...clusterKeyFiles(n, cluster, remoteOf), ...(cibSecrets.get(n.name) ?? []));
    const qnetd = n.roles.includes('qnetd') ? qnetdFile(t, n) : undefined;
    if (qnetd) plan.files.push(qnetd);
    const garb = garbFile(t, n);
    if (garb) plan.files.push(garb);
    const mine = byNode.get(n.name) ?? [];
    if (ceph && isCephNode(n)) plan.files.push(cephFile(ceph, n, mine, family));
    const rbd = rbdFiles(t, n);
    plan.files.push(...rbd);
    const os = openstackFiles(t, family, n, mine, gapsOf, once);
    plan.files.push(...os);
    if (os.some((f) => f.template === 'local_settings.py')) plan.secretFiles.push(...openstackSecretFiles(t, n, mine));
    plan.secretFiles.push(...listedSecretFiles(t, family, n, mine, gapsOf));
    plan.files.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
    out.set(n.name, plan);
  }
  return out;
}
