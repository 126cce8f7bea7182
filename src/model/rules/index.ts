/** The registry of semantic rules, run in this order; each rule lives in its own file. */
import { addresses } from './addresses.js';
import { arbiter } from './arbiter.js';
import { authkeys } from './authkeys.js';
import { cephDevices } from './ceph-devices.js';
import { cephMonitors } from './ceph-monitors.js';
import { cephNetworks } from './ceph-networks.js';
import { cephPgs } from './ceph-pgs.js';
import { cephPgBudget } from './ceph-pg-budget.js';
import { cephReplicas } from './ceph-replicas.js';
import { clusterProperties } from './cluster-properties.js';
import { clusterSize } from './cluster-size.js';
import { duplicateAddresses } from './duplicate-addresses.js';
import { fenceAgents } from './fence-agents.js';
import { fencing } from './fencing.js';
import { instanceHa } from './instance-ha.js';
import { links } from './links.js';
import { membership } from './membership.js';
import { mountPoints } from './mount-points.js';
import { networks } from './networks.js';
import { fenceDevices } from './fence-devices.js';
import { fenceLevels } from './fence-levels.js';
import { nodeIds } from './node-ids.js';
import { nodeNames } from './node-names.js';
import { qdevice } from './qdevice.js';
import { sbd } from './sbd.js';
import { ipForms } from './ip-forms.js';
import { references } from './references.js';
import { roles } from './roles.js';
import type { Rule } from './rule.js';
import { secretFiles } from './secret-files.js';
import { secretParams } from './secret-params.js';
import { secretPurposesRule } from './secret-purposes.js';
import { serviceModes } from './service-modes.js';
import { serviceNodes } from './service-nodes.js';
import { serviceOrder } from './service-order.js';
import { serviceOwners } from './service-owners.js';
import { serviceRoles } from './service-roles.js';
import { serviceStorage } from './service-storage.js';
import { services } from './services.js';
import { ssh } from './ssh.js';
import { unitAgents } from './unit-agents.js';
import { blocks } from './blocks.js';
import { bundles } from './bundles.js';
import { cibResources } from './cib-resources.js';
import { valueGrammar } from './value-grammar.js';
import { vips } from './vips.js';

export const RULES: readonly Rule[] = [
  references,
  ipForms,
  networks,
  addresses,
  duplicateAddresses,
  vips,
  membership,
  nodeNames,
  nodeIds,
  links,
  clusterSize,
  fencing,
  fenceAgents,
  fenceDevices,
  fenceLevels,
  instanceHa,
  qdevice,
  sbd,
  secretParams,
  secretFiles,
  secretPurposesRule,
  authkeys,
  ssh,
  roles,
  services,
  serviceOwners,
  serviceModes,
  unitAgents,
  blocks,
  bundles,
  cibResources,
  serviceNodes,
  arbiter,
  serviceRoles,
  serviceStorage,
  mountPoints,
  serviceOrder,
  clusterProperties,
  cephReplicas,
  cephMonitors,
  cephNetworks,
  cephPgs,
  cephPgBudget,
  cephDevices,
  valueGrammar,
];
export type { Rule };
