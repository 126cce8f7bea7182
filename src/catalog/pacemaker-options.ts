/**
 * Pacemaker's option names and value types, as data: the cluster options (crm_config) as
 * `pacemaker-schedulerd metadata`, `pacemaker-controld metadata` and `pacemaker-based metadata`
 * list them in Pacemaker 2.1 (test/validate/pacemaker-options.tools.test.ts compares this list
 * with the installed Pacemaker's), and the resource and operation meta-attributes that
 * rsc_defaults and op_defaults may set (Pacemaker Explained, "Resource Options" and "Operation
 * Properties"; Pacemaker publishes no metadata for them).
 */
import type { SetSection } from '../vocabulary.js';

/**
 * How Pacemaker reads a value: boolean (true/false/yes/no/on/off/y/n/1/0), integer, time (a
 * duration: 10, 10s, 500ms, 5min or ISO 8601), percentage (80%), score (an integer or
 * [+-]INFINITY), select (one of `values`), string (anything).
 */
export type OptionType = 'boolean' | 'integer' | 'time' | 'percentage' | 'score' | 'select' | 'string';

export interface OptionSpec {
  type: OptionType;
  values?: readonly string[];
}

/** Cluster options (crm_config, cluster_property_set). */
export const CLUSTER_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'batch-limit': { type: 'integer' },
  'cluster-delay': { type: 'time' },
  'cluster-infrastructure': { type: 'string' },
  'cluster-ipc-limit': { type: 'integer' },
  'cluster-name': { type: 'string' },
  'cluster-recheck-interval': { type: 'time' },
  'concurrent-fencing': { type: 'boolean' },
  'dc-deadtime': { type: 'time' },
  'dc-version': { type: 'string' },
  'election-timeout': { type: 'time' },
  'enable-acl': { type: 'boolean' },
  'enable-startup-probes': { type: 'boolean' },
  'fence-reaction': { type: 'string' },
  'have-watchdog': { type: 'boolean' },
  'join-finalization-timeout': { type: 'time' },
  'join-integration-timeout': { type: 'time' },
  'load-threshold': { type: 'percentage' },
  'maintenance-mode': { type: 'boolean' },
  'migration-limit': { type: 'integer' },
  'no-quorum-policy': { type: 'select', values: ['stop', 'freeze', 'ignore', 'demote', 'suicide'] },
  'node-action-limit': { type: 'integer' },
  'node-health-base': { type: 'integer' },
  'node-health-green': { type: 'integer' },
  'node-health-red': { type: 'integer' },
  'node-health-strategy': { type: 'select', values: ['none', 'migrate-on-red', 'only-green', 'progressive', 'custom'] },
  'node-health-yellow': { type: 'integer' },
  'pe-error-series-max': { type: 'integer' },
  'pe-input-series-max': { type: 'integer' },
  'pe-warn-series-max': { type: 'integer' },
  'placement-strategy': { type: 'select', values: ['default', 'utilization', 'minimal', 'balanced'] },
  'priority-fencing-delay': { type: 'time' },
  'remove-after-stop': { type: 'boolean' },
  'shutdown-escalation': { type: 'time' },
  'shutdown-lock': { type: 'boolean' },
  'shutdown-lock-limit': { type: 'time' },
  'start-failure-is-fatal': { type: 'boolean' },
  'startup-fencing': { type: 'boolean' },
  'stonith-action': { type: 'select', values: ['reboot', 'off', 'poweroff'] },
  'stonith-enabled': { type: 'boolean' },
  'stonith-max-attempts': { type: 'integer' },
  'stonith-timeout': { type: 'time' },
  'stonith-watchdog-timeout': { type: 'time' },
  'stop-all-resources': { type: 'boolean' },
  'stop-orphan-actions': { type: 'boolean' },
  'stop-orphan-resources': { type: 'boolean' },
  'symmetric-cluster': { type: 'boolean' },
  'transition-delay': { type: 'time' },
};

/** Meta-attributes of resources (and of clones, which rsc_defaults may set for every clone). */
export const RESOURCE_META_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'allow-migrate': { type: 'boolean' },
  'allow-unhealthy-nodes': { type: 'boolean' },
  'clone-max': { type: 'integer' },
  'clone-min': { type: 'integer' },
  'clone-node-max': { type: 'integer' },
  'container-attribute-target': { type: 'string' },
  critical: { type: 'boolean' },
  'failure-timeout': { type: 'time' },
  'globally-unique': { type: 'boolean' },
  interleave: { type: 'boolean' },
  'is-managed': { type: 'boolean' },
  maintenance: { type: 'boolean' },
  'migration-threshold': { type: 'score' },
  'multiple-active': { type: 'select', values: ['block', 'stop_only', 'stop_start', 'stop_unexpected'] },
  notify: { type: 'boolean' },
  ordered: { type: 'boolean' },
  priority: { type: 'score' },
  promotable: { type: 'boolean' },
  'promoted-max': { type: 'integer' },
  'promoted-node-max': { type: 'integer' },
  'remote-addr': { type: 'string' },
  'remote-allow-migrate': { type: 'boolean' },
  'remote-connect-timeout': { type: 'time' },
  'remote-node': { type: 'string' },
  'remote-port': { type: 'integer' },
  requires: { type: 'select', values: ['nothing', 'quorum', 'fencing', 'unfencing'] },
  'resource-stickiness': { type: 'score' },
  'target-role': { type: 'select', values: ['Stopped', 'Started', 'Unpromoted', 'Promoted', 'Slave', 'Master'] },
};

/** Properties of operations (op_defaults). */
export const OPERATION_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  enabled: { type: 'boolean' },
  interval: { type: 'time' },
  'interval-origin': { type: 'string' },
  'on-fail': { type: 'select', values: ['ignore', 'block', 'demote', 'stop', 'restart', 'standby', 'fence', 'restart-container', 'reset-remote'] },
  'record-pending': { type: 'boolean' },
  role: { type: 'select', values: ['Stopped', 'Started', 'Unpromoted', 'Promoted', 'Slave', 'Master'] },
  'start-delay': { type: 'time' },
  timeout: { type: 'time' },
};

const BOOLEAN = /^(true|false|yes|no|on|off|y|n|1|0)$/i;
const INTEGER = /^[+-]?[0-9]+$/;
const TIME = /^([0-9]+\s*(ms|msec|us|usec|s|sec|m|min|h|hr)?|P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+S)?)?)$/i;
const SCORE = /^([+-]?[0-9]+|[+-]?INFINITY)$/i;
const PERCENTAGE = /^[0-9]+%?$/;

/** Why `value` is not one Pacemaker reads as `spec`, or undefined when it is. */
export function optionValueProblem(spec: OptionSpec, value: string): string | undefined {
  const v = value.trim();
  switch (spec.type) {
    case 'boolean':
      return BOOLEAN.test(v) ? undefined : 'a boolean (true or false)';
    case 'integer':
      return INTEGER.test(v) ? undefined : 'an integer';
    case 'time':
      return TIME.test(v) ? undefined : 'a duration (10s, 500ms, 5min, 1h or ISO 8601)';
    case 'score':
      return SCORE.test(v) ? undefined : 'a score (an integer or INFINITY)';
    case 'percentage':
      return PERCENTAGE.test(v) ? undefined : 'a percentage (80%)';
    case 'select':
      return spec.values!.some((x) => x.toLowerCase() === v.toLowerCase()) ? undefined : `one of ${spec.values!.join(', ')}`;
    case 'string':
      return undefined;
  }
}

/**
 * The options each attribute-set section names (cluster properties, resource defaults, operation
 * defaults), and how a message calls them: what a set with hactl's own id may add (options
 * Pacemaker 2.1 does not know) is judged by these.
 */
export const SET_OPTIONS: Readonly<Record<SetSection, { options: Readonly<Record<string, OptionSpec>>; kind: string; option: string; key: string }>> = {
  crm_config: { options: CLUSTER_OPTIONS, kind: 'cluster property', option: 'cluster option', key: 'properties' },
  rsc_defaults: { options: RESOURCE_META_OPTIONS, kind: 'resource default', option: 'resource meta-attribute', key: 'rsc_defaults' },
  op_defaults: { options: OPERATION_OPTIONS, kind: 'operation default', option: 'operation property', key: 'op_defaults' },
};
