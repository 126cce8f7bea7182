import type { MessageEntry } from './entry.js';

/**
 * Node maintenance and status (`hactl drain`, `undrain`, `status`): HA559x how a command ends
 * (usage, refusal, a cluster that does not answer or does not settle), HA6105-HA6119 what the
 * rehearsal on the live status and the live cluster show. Numbers are stable: never renumber.
 */
export const MAINT_MESSAGES = {
  HA5590: { severity: 'error', message: 'node "{node}" is in no cluster of the topology', hint: 'members: {known}' },
  HA5591: {
    severity: 'error',
    message: 'drain of {node} refused: the rest of cluster {cluster} would not survive one more failure (the findings above say what); nothing was changed',
    hint: 'bring the missing nodes back or fix what the findings name; --force drains anyway',
  },
  HA5592: {
    severity: 'error',
    message: '{node} still runs {resources} after {seconds} s; it stays in standby',
    hint: 'crm_mon shows what is pending; run the drain again with a longer --wait, or hactl undrain to take the node back',
  },
  HA5593: { severity: 'error', message: 'no node of cluster {cluster} answered: {detail}', hint: 'check that the nodes run sshd and are reachable (--ssh-config)' },
  HA5594: { severity: 'error', message: '--wait takes whole seconds from 1 to 86400, not "{value}"' },
  HA5595: {
    severity: 'error',
    message: 'cluster {cluster} did not settle within {seconds} s after {node} left standby',
    hint: 'crm_mon shows what is pending; hactl status shows where every service runs',
  },
  HA5596: { severity: 'error', message: 'crm_mon cannot read the live CIB of cluster {cluster}: {detail}', hint: "crm_mon comes with Pacemaker's command-line tools; install them where hactl runs" },
  HA6105: {
    severity: 'error',
    message: 'draining {node} stops {resources}: no other node may run them',
    hint: 'let them run elsewhere (their constraints), or stop them yourself first',
  },
  HA6106: {
    severity: 'error',
    message: 'with {node} drained, the failure of {failed} leaves {resources} running nowhere, though the rest keeps quorum',
    hint: 'drain {node} when another node can take them over',
  },
  HA6107: {
    severity: 'error',
    message: 'with {node} drained, the failure of {failed} leaves {up} of {total} node(s) online: no quorum, and the cluster stops every resource',
    hint: 'bring the offline nodes ({offline}) back first',
  },
  HA6108: {
    severity: 'error',
    message: 'cluster {cluster} does not survive one more node failure: after the failure of {failed}, {resources} run nowhere',
    hint: 'bring offline nodes back, take nodes out of standby, or let these resources run on more nodes',
  },
  HA6109: {
    severity: 'error',
    message: 'cluster {cluster} does not survive one more node failure: after the failure of {failed}, {up} of {total} node(s) are online (no quorum)',
    hint: 'bring the offline nodes ({offline}) back',
  },
  HA6110: { severity: 'error', message: 'node {node} of cluster {cluster} is offline', hint: 'start it (or, when it is gone for good, remove it from the topology and the cluster)' },
  HA6111: {
    severity: 'error',
    message: 'failed action on {node}: {operation} of {resource} ({detail})',
    hint: 'once the cause is fixed: crm_resource --cleanup --resource {resource} --node {node}',
  },
  HA6112: {
    severity: 'error',
    message: 'cluster {cluster} has drifted from the topology: {count} object(s) differ',
    hint: 'hactl diff TOPOLOGY --cluster {cluster} --node {node} shows them; hactl apply makes the cluster match',
  },
  HA6113: { severity: 'error', message: 'service {service} of cluster {cluster} runs nowhere ({resources} stopped)', hint: 'crm_mon and the failed actions say why; hactl check TOPOLOGY proves where it may run' },
} as const satisfies Record<string, MessageEntry>;
