import type { MessageEntry } from './entry.js';

/**
 * `hactl import`: HA2020-HA2029 its input (a corosync.conf it cannot read), HA5550-HA5569 what a
 * CIB (or the sbd file beside it) holds that a topology cannot, and what the operator must provide.
 */
export const IMPORT_MESSAGES = {
  HA2020: { severity: 'error', message: '{source} is not a corosync.conf hactl can read: {detail}', hint: 'give the file corosync reads (/etc/corosync/corosync.conf), or leave --corosync-conf out' },
  HA5550: {
    severity: 'error',
    message: 'the CIB cannot be held in a topology: {what} {why}',
    hint: 'nothing was written: a topology that compiled to less than the cluster runs would make apply remove the rest',
  },
  HA5551: {
    severity: 'warning',
    message: 'no corosync.conf: node addresses are unknown; the topology has placeholders in 198.51.100.0/24',
    hint: 'import again with --corosync-conf FILE (or --node, which reads it): apply writes corosync.conf from these addresses',
  },
  HA5552: {
    severity: 'warning',
    message: '{rsc} parameter {param} holds a secret: the topology names it lrm:// (a node-local CIB secret) instead',
    hint: 'before the first apply, store it on the cluster: cibsecret set {rsc} {param} VALUE',
  },
  HA5555: {
    severity: 'warning',
    message: '{rsc} parameter {param} holds a secret: the topology reads it from secret {secret}, environment variable {env}',
    hint: 'set {env} to the value before apply (apply stores it as a CIB secret on the nodes; the CIB holds lrm://); the value was not read into the topology',
  },
  HA5556: { severity: 'error', message: '--adopt records ownership in a running cluster: it goes with --node or TOPOLOGY --cluster, not --cib' },
  HA5557: {
    severity: 'warning',
    message: 'not adopted: the imported topology differs from the live CIB in {count} object(s) ({ids}); nothing was recorded',
    hint: 'the first apply shows the difference (a secret to provide, say) and adopts them; or import again once the cluster is as it should be',
  },
  HA5558: { severity: 'error', message: 'not adopted on {node}: {why}', hint: 'the topology was written; nothing was recorded in the cluster' },
  HA5553: { severity: 'error', message: 'give exactly one of --cib FILE, --node NODE, TOPOLOGY --cluster NAME', hint: '--corosync-conf and --sbd-config go with --cib only (--node and --cluster read both files themselves); --node with a topology names the member to read' },
  HA5560: {
    severity: 'warning',
    message: '{kind} {name} (set {set}) is no option of Pacemaker 2.1, the version hactl writes for: kept as written in raw_cib {section}',
    hint: 'a Pacemaker 2.1 cluster ignores it; a newer one (Pacemaker 3 reads fencing-enabled) or an agent (redis writes its replication state there) may not',
  },
  HA5561: { severity: 'error', message: '--release {release} is no release hactl writes for', hint: 'one of {known}: the release the cluster runs, whose catalogue services import then tries' },
  HA5562: { severity: 'error', message: '--files {dir} is no directory', hint: 'give a saved copy of the nodes\' files, one directory per node: DIR/<node>/<absolute path>' },
  HA5565: {
    severity: 'warning',
    message: "msgwait of the SBD disks {devices} was not read (it is on the disks, not in the sbd file or the CIB): the topology leaves it at hactl's default, twice watchdog_timeout ({msgwait}s)",
    hint: 'on a member, `sbd -d DISK dump` shows it as "Timeout (msgwait)" (and the disk\'s own "Timeout (watchdog)", which wins over SBD_WATCHDOG_TIMEOUT={timeout}); write it as sbd.msgwait before apply, whose plan would otherwise ask for `sbd create` on disks that are in use',
  },
  HA5566: {
    severity: 'warning',
    message: 'SBD is not typed: {source} {why}',
    hint: 'the topology holds no sbd: it runs as it is, and apply neither writes the sbd file nor changes SBD\'s fence device or properties (they are kept as the CIB has them)',
  },
  HA5554: { severity: 'error', message: 'the imported topology does not validate ({count} error(s)): the CIB holds what a topology refuses', hint: 'the errors are shown above, at their place in the topology; nothing was written' },
} as const satisfies Record<string, MessageEntry>;
