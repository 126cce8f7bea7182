/**
 * The lowering stage, after the rules: from the resolved topology to the models the targets print.
 * Every Pacemaker decision (one ClusterConfig per cluster) and every node's file plan is made here
 * once; compile targets, check, diff and apply all read this one value. What the topology asks
 * for and cannot be lowered (colliding Pacemaker ids, values no CIB can carry, a needed file with
 * a hole) comes back as diagnostics, found by the very code that builds the models, so the
 * diagnostics and the output can never disagree.
 */
import type { Diagnostic } from '../diagnostics.js';
import type { Topology } from '../model/types.js';
import { buildPacemaker } from '../compile/pacemaker/build.js';
import type { ClusterConfig } from '../compile/pacemaker/model.js';
import { familyOf } from '../compile/files/facts.js';
import { openstackGaps, type Gap } from '../compile/files/gaps.js';
import type { OpenStackFile } from '../compile/files/openstack.js';
import { planNodes, type NodePlan } from '../compile/files/plan.js';
import { cibSecretFiles } from '../compile/files/cib-secrets.js';
import { fileNeeds } from './file-needs.js';
import { unusedSecrets } from './secret-use.js';

export interface Lowered {
  topology: Topology;
  /** One Pacemaker model per cluster, in cluster-name order. */
  clusters: ClusterConfig[];
  /** What each node gets, by node name. */
  nodes: Map<string, NodePlan>;
}

export interface LowerResult {
  lowered: Lowered;
  diagnostics: Diagnostic[];
}

/**
 * Lowers a resolved topology. Tolerates the dangling references and holes the rules report: the
 * result of a topology with errors is only for reading (check shows findings on it), never for
 * compiling.
 */
export function lower(topology: Topology): LowerResult {
  const diagnostics: Diagnostic[] = [];
  const clusters: ClusterConfig[] = [];
  for (const r of buildPacemaker(topology)) {
    clusters.push(r.config);
    diagnostics.push(...r.diagnostics);
  }
  const family = familyOf(topology);
  const gapCache = new Map<string, Gap[]>();
  const gapsOf = (spec: OpenStackFile): Gap[] => {
    let g = gapCache.get(spec.id);
    if (!g) gapCache.set(spec.id, (g = openstackGaps(topology, family, spec)));
    return g;
  };
  diagnostics.push(...fileNeeds(topology, gapsOf));
  diagnostics.push(...unusedSecrets(topology));
  return { lowered: { topology, clusters, nodes: planNodes(topology, gapsOf, cibSecretFiles(clusters)) }, diagnostics };
}
