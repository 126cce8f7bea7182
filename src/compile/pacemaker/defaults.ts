/**
 * The cluster-wide choices hactl makes for every cluster, each with the reason an operator would
 * ask for. Topology `properties` override cluster properties by name (null leaves one out);
 * topology `rsc_defaults` and `op_defaults` replace hactl's sets whole, so that a topology (an
 * imported one above all) can say exactly what a running cluster has.
 */
import { isDiskless, sbdFenceSeconds, sbdStonithTimeout, watchdogFencingSeconds } from '../../model/sbd.js';
import type { Cluster } from '../../model/types.js';
import type { NvPair, Operation } from './model.js';
import { compareStrings } from '../../util/compare.js';

/** Cluster properties (crm_config, set cib-bootstrap-options). */
export function clusterProperties(cluster: Cluster): NvPair[] {
  const twoNodes = cluster.nodes.length === 2;
  // No cluster-name: the DC writes it from corosync's totem.cluster_name (pcs refuses to set it).
  const props: NvPair[] = [
    cluster.fencing.enabled
      ? { name: 'stonith-enabled', value: 'true', why: 'a node that stops answering is powered off before its resources start elsewhere: no double-mounted RBD image, no VIP on two nodes' }
      : { name: 'stonith-enabled', value: 'false', why: `disabled in the topology: ${cluster.fencing.reason ?? 'no reason given'}` },
  ];
  // No no-quorum-policy: corosync's votequorum (two_node: 1 for two nodes) decides quorum, and
  // the default policy (stop) is right once it does; 'ignore' was the 2013 workaround for that.
  if (twoNodes && cluster.fencing.enabled) {
    props.push({
      name: 'priority-fencing-delay',
      value: '15s',
      why: 'in a split of two nodes both may fence at once; the node running more resources (rsc_defaults priority) is fenced 15s later, so it survives',
    });
  }
  if (cluster.sbd && cluster.fencing.enabled) {
    const fence = sbdFenceSeconds(cluster);
    props.push({
      name: 'stonith-timeout',
      value: `${sbdStonithTimeout(cluster)}s`,
      why: isDiskless(cluster)
        ? `longer than stonith-watchdog-timeout (${fence}s), the wait before a lost node counts as reset by its watchdog`
        : `longer than SBD's msgwait (${fence}s), the time a poison pill takes to be obeyed`,
    });
    if (isDiskless(cluster)) {
      props.push({
        name: 'stonith-watchdog-timeout',
        value: `${watchdogFencingSeconds(cluster)}s`,
        why: `watchdog-only SBD: a node that lost quorum has reset itself after twice SBD_WATCHDOG_TIMEOUT (${cluster.sbd.watchdogTimeout}s); Pacemaker sets have-watchdog itself`,
      });
    }
  }
  const own = new Map(Object.entries(cluster.properties));
  const merged: NvPair[] = [];
  for (const p of props) {
    const value = own.get(p.name);
    if (value === undefined) merged.push(p);
    else if (value !== null) merged.push({ name: p.name, value, why: 'set in the topology', topology: true });
  }
  for (const [name, value] of own) if (value !== null && !props.some((p) => p.name === name)) merged.push({ name, value, why: 'set in the topology', topology: true });
  return merged.sort((a, b) => compareStrings(a.name, b.name));
}

function written(rec: Record<string, string>): NvPair[] {
  return Object.entries(rec).map(([name, value]) => ({ name, value, why: 'set in the topology', topology: true }));
}

/** rsc_defaults resource-stickiness, per resource. */
export const RESOURCE_STICKINESS = 100;

/** Resource defaults (rsc_defaults, set rsc-options). */
export function resourceDefaults(cluster: Cluster): NvPair[] {
  if (cluster.rscDefaults) return written(cluster.rscDefaults);
  const d: NvPair[] = [
    {
      name: 'failure-timeout',
      value: '120s',
      why: 'fail counts expire, so a node left by a flapping service may take it back when the other node fails; longer than the longest start timeout (120s), so a start/fail loop reaches the threshold first',
    },
    {
      name: 'migration-threshold',
      value: '3',
      why: 'three failures on one node move a service to the other node instead of restarting it there forever; a single failure is restarted in place, which is faster than moving the whole VIP stack',
    },
  ];
  if (cluster.nodes.length === 2 && cluster.fencing.enabled) {
    d.push({ name: 'priority', value: '1', why: 'every resource counts for priority-fencing-delay: the node running more of them wins a fencing race' });
  }
  // Far lower than PING_MULTIPLIER: stickiness adds up over a VIP's stack (every member of its
  // group and every resource colocated with it counts), and the ping multiplier is raised above
  // that sum (pingMultiplier), so a node reaching one ping target more wins and the VIP moves.
  d.push({
    name: 'resource-stickiness',
    value: String(RESOURCE_STICKINESS),
    why: 'a recovered node does not pull services back: moving them again would be a second outage for no gain',
  });
  return d;
}

/** Operation defaults (op_defaults, set op-options). */
export function operationDefaults(cluster: Cluster): NvPair[] {
  if (cluster.opDefaults) return written(cluster.opDefaults);
  return [
    {
      name: 'timeout',
      value: '60s',
      why: "every listed operation has its own timeout; this covers the rest (probes at start-up, on every node, for every resource), where Pacemaker's 20s is short for agents that query a loaded node",
    },
  ];
}

// Operation sets of the resources hactl adds itself (not from the service catalogue).

/** IPaddr2: the agent's advice (start/stop 20s, monitor every 10s within 20s). */
export const VIP_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '20s' },
  { name: 'stop', interval: '0s', timeout: '20s' },
  { name: 'monitor', interval: '10s', timeout: '20s' },
];

/**
 * ocf:ceph:rbd advises 20s; map and unmap wait for the monitors and the image's OSDs, which
 * during a Ceph recovery (the failure that may have caused the failover) takes longer.
 */
export const RBD_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '60s' },
  { name: 'monitor', interval: '10s', timeout: '20s' },
];

/** Filesystem: the agent's advice (start/stop 60s, monitor every 20s within 40s). */
export const FILESYSTEM_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '60s' },
  { name: 'monitor', interval: '20s', timeout: '40s' },
];

/**
 * ocf:pacemaker:remote: the agent's advice (start/stop 60s, monitor 30s); monitored every 30s.
 * A failed connection monitor defaults to on-fail=reset_remote: Pacemaker fences the remote node
 * ("remote connection is unrecoverable"), rebooting every tenant instance on it. hactl's remote
 * nodes run no cluster resource (every resource is banned from them, without even a probe) and
 * nothing evacuates their instances, so there is nothing a reboot would recover: a lost
 * connection is reconnected instead (review M7).
 */
export const REMOTE_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '60s' },
  { name: 'monitor', interval: '30s', timeout: '30s', onFail: 'restart' },
];

/**
 * After a lost connection, retry every 60s instead of immediately and forever: a compute node
 * that is down for maintenance is not hammered, one that comes back rejoins within a minute.
 */
export const REMOTE_RECONNECT_INTERVAL = '60s';

/**
 * Instance HA's unfence trigger (ocf:pacemaker:Dummy on the compute nodes): Dummy's own advice
 * (start/stop 20s); a monitor, so a trigger lost with its node is noticed.
 */
export const TRIGGER_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '20s' },
  { name: 'stop', interval: '0s', timeout: '20s' },
  { name: 'monitor', interval: '10s', timeout: '20s' },
];

/**
 * Fence devices are monitored every 60s (a BMC that became unreachable or a changed password is
 * found before the device is needed); 20s is fence_ipmilan's own power_timeout.
 */
/** The fence_sbd device of a cluster with disk-based SBD. */
export const SBD_STONITH_ID = 'st_sbd';

export const STONITH_OPS: Operation[] = [{ name: 'monitor', interval: '60s', timeout: '20s' }];

/**
 * Connectivity monitoring (ocf:pacemaker:ping): the node attribute is multiplier × the number of
 * targets answering, and a VIP's location rule gives a node whose link is up (it reaches at least
 * pingQuorum targets) a bonus of one multiplier. Pacemaker keeps a VIP where it is by the
 * stickiness of everything that moves with it: each primitive of its group and of the resources
 * colocated with it (pixelpark's api VIP carries over 20). The bonus must outweigh that, or a
 * node that lost its link keeps the stack: the multiplier is 1000, raised to the next multiple of
 * 1000 above the stack's stickiness.
 */
export function pingMultiplier(stackPrimitives: number): number {
  const sticky = stackPrimitives * RESOURCE_STICKINESS;
  return Math.max(1000, (Math.floor(sticky / 1000) + 1) * 1000);
}
/**
 * How many of `targets` a node must reach for its link to count as up: half of them, rounded up
 * (1 of 1 or 2, 2 of 3). Fewer means it lost a majority of them, which one rebooting target, or
 * one unreachable from a single node, never is with three (review M8).
 */
export function pingQuorum(targets: number): number {
  return Math.ceil(targets / 2);
}
/**
 * The attribute is written 5s after a change (the agent's default dampen): a single lost reply
 * does not move a VIP back and forth, and a link failure moves it within 15s of the monitor.
 */
export const PING_DAMPEN = '5s';
/** Targets pinged per network: enough that one rebooting target does not look like a lost link. */
export const PING_TARGETS = 3;
/** ping: the agent's advice (start 60s, stop 20s, monitor every 10s within 60s). */
export const PING_OPS: Operation[] = [
  { name: 'start', interval: '0s', timeout: '60s' },
  { name: 'stop', interval: '0s', timeout: '20s' },
  { name: 'monitor', interval: '10s', timeout: '60s' },
];
