/**
 * `hactl apply` as a library: desired state from a topology (secrets resolved in memory), a plan
 * that is pure data (reads only), and an executor that carries it out over a Transport.
 */
export { desiredState, brokerPasswordProblem, type Desired, type DesiredFile, type DesiredBroker, type DesiredProblem } from './desired.js';
export { makePlan, planCib, type PlanRequest, type PlanEvents } from './planner.js';
export { sshHostsOf } from '../remote/hosts.js';
export { executePlan, backoffMs, ConflictError, ForeignError, type ApplyReport, type ApplyEvents, type ApplyHooks, type ExecuteOptions, type NodeReport, type ClusterReport } from './execute.js';
export { formatPlan, formatReport, formatImpact, type PlanLine, type PlanStyle } from './format.js';
export { buildCandidate, adoptions, recordDiffers, pushPatch, PUSH_SCRIPT, versionOf, formatVersion, type CibVersion, type PushOutcome } from './cib.js';
export { classifyCorosyncChange, flattenCorosync, worse, RELOADABLE_KEYS, FULL_RESTART_KEYS, type CorosyncKind } from './corosync.js';
export { simulateImpact, impactOf, disruptionsOf, impactDisruptions, describeResourceImpact, SIMULATE_SCRIPT, type ClusterImpact, type ResourceImpact, type FenceImpact, type Disruption } from './impact.js';
export { applyJson, APPLY_SCHEMA_ID } from './json.js';
export { spliceBlock, blockOf } from './block.js';
export { savedPlanOf, comparePlans, checkPlanOrigin, checkPlanTopology, parseSavedPlan, topologyDigest, nodeDigests, keyedDigest, canonical, DIGEST_SCRIPT, DIGEST_KEY, PLAN_FORMAT, PLAN_SCHEMA_ID, type SavedPlan, type SavedFile, type SavedCluster, type NodeDigests } from './saved.js';
export { unifiedDiff } from './linediff.js';
export { runBounded, type Settled } from '../util/pool.js';
export { isEmpty, changedFiles, fileKey, brokerPending, type BrokerAction, type Plan, type Payload, type FileAction, type NodeAction, type CorosyncAction, type CibAction, type ResourceAction, type UnitAction } from './plan.js';

import { RemoteCommandError } from '../remote/files.js';
import type { Transport } from '../remote/ssh.js';
import { runBounded } from '../util/pool.js';

/**
 * Opens the (multiplexed) connection to every node before anything else happens, so that an
 * unreachable node or an unknown or changed host key stops apply before any node was touched.
 */
export async function connectAll(t: Transport, nodes: readonly string[], concurrency: number): Promise<{ node: string; error: unknown }[]> {
  const r = await runBounded(nodes, concurrency, async (node) => t.exec(node, ['true']), { stopOnFailure: false });
  return r.flatMap((s, i) => (s.status === 'failed' ? [{ node: nodes[i]!, error: s.error }] : s.status === 'ok' && s.value.exitCode !== 0 ? [{ node: nodes[i]!, error: new RemoteCommandError(nodes[i]!, 'true', s.value) }] : []));
}
