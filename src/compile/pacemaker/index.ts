/** The intermediate Pacemaker model shared by the cib, crmsh and pcs targets. */
export * from './model.js';
export { buildClusterConfig, buildPacemaker, type BuildResult } from './build.js';
export { nodeIdOf, secretFilePath, secretScriptPath, isXmlId } from './ids.js';

import { hasErrors } from '../../diagnostics.js';
import type { Topology } from '../../model/types.js';
import { buildPacemaker } from './build.js';
import type { ClusterConfig } from './model.js';

/**
 * The cluster configurations of a topology that passed validation (targets use this). A
 * diagnostic here means validation was skipped: a bug in the caller, not in the topology.
 */
export function clusterConfigs(t: Topology): ClusterConfig[] {
  return buildPacemaker(t).map(({ config, diagnostics }) => {
    if (hasErrors(diagnostics)) throw new Error(`cluster ${config.name} cannot be compiled: ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    return config;
  });
}
