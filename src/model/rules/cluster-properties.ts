import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { closest } from '../../util/suggest.js';
import type { Rule } from './rule.js';

/**
 * Pacemaker 2.1's cluster options (crm_config), as listed by `pacemaker-schedulerd metadata`,
 * `pacemaker-controld metadata` and `pacemaker-based metadata`. A typo in a property name is
 * accepted silently by Pacemaker and does nothing.
 */
const KNOWN = [
  'batch-limit', 'cluster-delay', 'cluster-ipc-limit', 'cluster-recheck-interval', 'concurrent-fencing',
  'dc-deadtime', 'election-timeout', 'enable-acl', 'enable-startup-probes', 'fence-reaction',
  'join-finalization-timeout', 'join-integration-timeout', 'load-threshold', 'maintenance-mode',
  'migration-limit', 'no-quorum-policy', 'node-action-limit', 'node-health-base', 'node-health-green',
  'node-health-red', 'node-health-strategy', 'node-health-yellow', 'pe-error-series-max',
  'pe-input-series-max', 'pe-warn-series-max', 'placement-strategy', 'priority-fencing-delay',
  'remove-after-stop', 'shutdown-escalation', 'shutdown-lock', 'shutdown-lock-limit', 'start-failure-is-fatal',
  'startup-fencing', 'stonith-action', 'stonith-max-attempts', 'stonith-timeout', 'stonith-watchdog-timeout',
  'stop-all-resources', 'stop-orphan-actions', 'stop-orphan-resources', 'symmetric-cluster', 'transition-delay',
];

/** Properties hactl sets from the topology, or Pacemaker sets itself. */
const MANAGED: Record<string, string> = {
  'stonith-enabled': 'write fencing: { enabled: false, reason: … } on the cluster to turn fencing off',
  'cluster-name': 'the cluster name is its key under clusters:',
  'cluster-infrastructure': 'Pacemaker sets it (corosync)',
  'dc-version': 'Pacemaker sets it',
  'have-watchdog': 'Pacemaker sets it from sbd',
};

/** Extra cluster properties are real Pacemaker options that hactl does not already decide. */
export const clusterProperties: Rule = {
  name: 'cluster-properties',
  codes: ['HA3035', 'HA3036', 'HA3037'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const [property, value] of Object.entries(c.properties)) {
        const at = pointerOf('clusters', c.name, 'properties', property);
        const managed = MANAGED[property];
        if (managed) {
          out.push(diag('HA3035', at, { property, suggestion: managed }));
          continue;
        }
        if (!KNOWN.includes(property)) {
          const near = closest(property, [...KNOWN, ...Object.keys(MANAGED)]);
          out.push(diag('HA3036', at, { property, suggestion: near ? `did you mean '${near}'?` : 'see `pacemaker-schedulerd metadata` for the cluster options' }));
          continue;
        }
        if (property === 'no-quorum-policy' && value === 'ignore') out.push(diag('HA3037', at));
      }
    }
    return out;
  },
};
