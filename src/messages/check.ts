import type { MessageEntry } from './entry.js';

/**
 * HA6xxx: findings of `hactl check`, one code per kind. HA60xx single points of failure found in
 * the topology, HA602x failure rehearsal (crm_simulate), HA603x availability estimate, HA604x the tools check could
 * not run (exit 3, not findings). The hint is
 * the fix. Numbers are stable: never renumber, only add.
 */
export const CHECK_MESSAGES = {
  HA6001: {
    severity: 'error',
    message: 'service {service} of cluster {cluster} can run on one node only ({node}): when {node} fails, {service} stops',
    hint: 'let it run on at least two nodes: list another node under nodes:, or drop nodes: to use every node of the cluster',
  },
  HA6002: {
    severity: 'error',
    message: 'cluster {cluster} has one node ({node}): when it fails, every service of the cluster stops',
    hint: 'add a second node to the cluster (and a third for quorum without two_node)',
  },
  HA6003: {
    severity: 'error',
    message: 'cluster {cluster} loses quorum when {what} fails: no partition keeps a majority, and Pacemaker stops every resource',
    hint: '{fix}',
  },
  HA6004: {
    severity: 'warning',
    message: 'cluster {cluster} has one corosync link ({network}): one NIC, cable or switch failure splits it, and a fence race decides which half survives',
    hint: 'add a second link on another network, e.g. links: [{network}, {other}]',
  },
  HA6005: {
    severity: 'error',
    message: 'cluster {cluster} does not fence ({reason}): a lost link lets both halves run the services at once, and a hung node keeps its resources',
    hint: 'give every node a fence device and remove fencing: { enabled: false }',
  },
  HA6006: {
    severity: 'error',
    message: 'node {node} of cluster {cluster} has no fence device: when it fails, its resources are not recovered until an operator confirms it is down',
    hint: 'add fencing: { agent: …, address: … } to node {node} (or defaults.fencing)',
  },
  HA6007: {
    severity: 'warning',
    message: 'the fence device of node {node} ({address}) is on network {network}, which carries every corosync link of cluster {cluster}: one failure of that network splits the cluster and cuts it off from its fence devices',
    hint: 'reach fence devices over a network of their own (e.g. an ipmi network), or add a corosync link on another network',
  },
  HA6008: {
    severity: 'error',
    message: 'VIP {vip} on network {network} can be held by {count} node(s) of cluster {cluster}{nodes}: {consequence}',
    hint: 'give at least two nodes of cluster {cluster} an address on network {network}',
  },
  HA6009: {
    severity: 'error',
    message: 'Ceph keeps at most {copies} copies on distinct {domain}s; losing one {domain} leaves {left}, fewer than min_replicas {min}: I/O to those placement groups stops',
    hint: '{fix}',
  },
  HA6010: {
    severity: 'error',
    message: 'Ceph can place at most {copies} copies on distinct {domain}s but needs min_replicas {min} to serve I/O: data is unavailable with nothing failed',
    hint: '{fix}',
  },
  HA6011: {
    severity: 'error',
    message: 'Ceph has {count} monitor(s) ({monitors}): losing {node} leaves {left} of {count}, no majority, and the cluster stops serving',
    hint: 'run at least three monitors on three different hosts (the ceph-mon role), an odd number',
  },
  HA6012: {
    severity: 'error',
    message: 'OSDs {osds} of node {node} keep their journals on one SSD ({device}); replicas are counted per OSD, so the SSD can hold {count} copies of an object and losing it leaves fewer than min_replicas {min}',
    hint: 'set ceph.failure_domain: host (copies on different hosts), or give each OSD journal its own SSD',
  },
  HA6013: {
    severity: 'error',
    message: 'node {node} holds {count} OSDs and replicas are counted per OSD: losing the host can take {count} copies of an object, leaving fewer than min_replicas {min}',
    hint: 'set ceph.failure_domain: host so that every copy lives on a different host',
  },
  HA6014: {
    severity: 'error',
    message: 'service {service} survives {own} node failure(s), but its dependency {dependency} ({where}) survives only {dep}: {dependency} fails first and takes {service} with it',
    hint: '{fix}',
  },
  HA6015: {
    severity: 'warning',
    message: 'node {node} of cluster {cluster} is fenced only through its own BMC ({agent}), which loses power with it: after a power failure of {node} no fencing succeeds, and its resources stay stopped until an operator confirms it is off (stonith_admin --confirm {node})',
    hint: 'add a fence device that does not share the node\'s power, e.g. a switched PDU under clusters.{cluster}.fence_devices with ports: {{node}: …}; it becomes fencing level 2',
  },
  HA6020: {
    severity: 'error',
    message: 'rehearsal: when {scenario} of cluster {cluster} fail(s), service {service} is left stopped ({resources})',
    hint: '{fix}',
  },
  HA6021: {
    severity: 'error',
    message: 'rehearsal: when {scenario} of cluster {cluster} fail(s), node {node} must be fenced, but no fence device for it can run on a surviving node',
    hint: 'add a fence device for {node} that a surviving node may run (a -INFINITY location only on {node} itself)',
  },
  HA6022: {
    severity: 'error',
    message: 'rehearsal: with every node of cluster {cluster} online, service {service} does not start ({resources})',
    hint: 'its constraints leave no node for it: look at the compiled CIB with crm_simulate -s (scores)',
  },
  HA6023: {
    severity: 'error',
    message: 'rehearsal: when {resource} fails to start on {node}, service {service} is left stopped ({resources})',
    hint: 'a failed start bans the resource from that node (start-failure-is-fatal): let the service run on another node, and look at its constraints with crm_simulate -s',
  },
  HA6024: {
    severity: 'error',
    message: 'rehearsal: when {node} boots with {resource}\'s image mapped by rbdmap, the probe finds it active on two nodes and Pacemaker moves the service: {moved}',
    hint: 'keep Pacemaker-managed images out of /etc/ceph/rbdmap (see HA6054)',
  },
  HA6025: {
    severity: 'error',
    message: 'rehearsal: one failed connection check of remote node {node} has it fenced (rebooted with every instance on it), though it runs no cluster resource',
    hint: 'monitor the connection with on-fail=restart (hactl does), or run remote nodes only for instance HA',
  },
  HA6050: {
    severity: 'error',
    message: 'the monitor of {resource} waits for a connection to port {value} ({param}), but {why}: every start times out and the service never runs',
    hint: 'pass {param}={opens} to {resource} (the catalogue does for the agents of its era)',
  },
  HA6051: {
    severity: 'error',
    message: '{service} runs with a different {option} on each node ({seen}), so a failover leaves its work behind: {why}',
    hint: '{fix}',
  },
  HA6052: {
    severity: 'error',
    message: '{service} runs on {count} nodes, but {file} on {node} has {option} = {value}: each network is served by fewer agents than run, and dies with its agent',
    hint: 'set {option} = {count} in {file} on the server nodes',
  },
  HA6053: {
    severity: 'error',
    message: '{service} keeps {what} in {path} on the node\'s own disk: after a failover the other node starts it without that state',
    hint: 'give {service} shared storage: storage: { rbd: { pool: …, image: … } } (mounted over {path})',
  },
  HA6054: {
    severity: 'error',
    message: 'RBD image {image}, which Pacemaker maps, is listed in {node}\'s /etc/ceph/rbdmap: rbdmap.service maps it at boot, the probe finds it active on the passive node, and Pacemaker restarts the service group',
    hint: 'never list a Pacemaker-managed image in rbdmap (hactl\'s rbdmap block lists only images no resource manages)',
  },
  HA6055: {
    severity: 'warning',
    message: 'on {nodes} the packages start {units} at boot, beside Pacemaker, and apply would leave them so (the compiled manifest does not list them to disable or mask): probes find them active and multiple-active recovery stops them everywhere',
    hint: 'list them in the manifest\'s units (hactl compile does for every catalogue service), or before the cluster manages them, on {nodes}: systemctl disable {manual}',
  },
  HA6058: {
    severity: 'warning',
    message: '{service} logs nowhere on {nodes}: its resource agent sends the daemons\' output to /dev/null, and {file} sets none of log_dir, log_file or use_syslog in [DEFAULT]',
    hint: 'set log_dir (hactl\'s templates write /var/log/<service>) or use_syslog = True in {file}',
  },
  HA6059: {
    severity: 'error',
    message: '{service} keeps its {what} in memory on {nodes}: {file} [{section}] has no {option} = {value}, so every restart or failover loses them',
    hint: 'set [{section}] {option} = {value} in {file}',
  },
  HA6060: {
    severity: 'error',
    message: 'the services of cluster {cluster} do not fit its nodes\' capacities with every node up ({short}): Pacemaker leaves what does not fit stopped',
    hint: 'raise the nodes\' utilization, lower the services\', or add a node',
  },
  HA6061: {
    severity: 'warning',
    message: 'after {node} fails, the services of cluster {cluster} no longer fit the survivors\' capacities ({short}): what does not fit stays stopped until {node} is back',
    hint: 'keep one node\'s worth of capacity spare (N+1): raise the nodes\' utilization or add a node',
  },
  HA6090: {
    severity: 'warning',
    message: 'bundle {service} of cluster {cluster} runs one replica that moves between {nodes} and maps host directory {source} read-write: what it writes stays on the node it ran on, and after a failover it finds that node\'s copy, not its own',
    hint: 'put {source} on storage every node mounts (a shared filesystem), or map it ro when the service only reads it; a service that replicates its own data runs a replica on every node (replicas:)',
  },
  HA6062: {
    severity: 'error',
    message: 'rehearsal: when {resource} fails to start on {node}, {state}\'s state moves or restarts with it ({moved}): one stateless service\'s fault interrupts {state} and every service using it',
    hint: 'let the failed service wait where it is instead of pulling what it is colocated with: meta critical=false on its resource (Pacemaker 2.1+; hactl writes it for stateless catalogue services), or give {state} a VIP of its own',
  },
  HA6063: {
    severity: 'warning',
    message: 'client.{client}\'s keyring {path} is read on {nodes} (by {users}), and hactl installs none: until it is there, those resources and daemons cannot reach Ceph',
    hint: 'on a monitor: {command}; copy it to {nodes} (mode 0640, readable by the daemon\'s group)',
  },
  HA6064: {
    severity: 'warning',
    message: 'nova-compute on {nodes} attaches RBD volumes as client.{client} through libvirt secret {uuid} (rbd_secret_uuid), and hactl defines none: every volume attach fails there until it exists',
    hint: 'on each of {nodes}: virsh secret-define a secret with <uuid>{uuid}</uuid> and <usage type=\'ceph\'><name>client.{client} secret</name></usage>, then virsh secret-set-value --secret {uuid} --base64 "$(ceph auth get-key client.{client})"',
  },
  HA6065: {
    severity: 'warning',
    message: 'the Ceph pools {pools} are used by the compiled files and resources, and hactl creates none (nor the RBD images its resources map)',
    hint: 'on a monitor, once: {commands}; then rbd create each image the topology names (pool/image, its size)',
  },
  HA6120: {
    severity: 'error',
    message: '{service} needs a majority of its {voters} up for {what}: it survives {own} node failure(s), but cluster {cluster} is built to survive {tolerance}',
    hint: 'run {service} on at least {need} nodes (an odd number): drop its nodes: restriction or add nodes to the cluster{alternative}',
  },
  HA6121: {
    severity: 'warning',
    message: '{service} runs on an even number of members ({nodes}) and needs a majority of them: a split into two halves of {half} leaves {what} on neither side',
    hint: 'run {service} on an odd number of nodes (add one or leave one out with nodes:){alternative}',
  },
  HA6122: {
    severity: 'error',
    message: '{file} on {nodes} {what} for frontend {frontend} ({service} runs on {expected}): HAProxy sends clients to nodes where nothing answers, or a node that runs {service} takes no load and is no spare',
    hint: 'the server lines of listen {frontend} are the management addresses of the nodes that run {service}: hactl compile writes them so, apply installs the file',
  },
  HA6123: {
    severity: 'error',
    message: '{file} on {nodes} sends {service} connections to {active} servers at once for frontend {frontend}: writes on several Galera members conflict at commit (deadlock errors to the application)',
    hint: 'mark every server of listen {frontend} but one as backup (hactl writes it so)',
  },
  HA6124: {
    severity: 'error',
    message: 'VIP {vip} ({resource}) is not colocated with {with}: it can run on a node where {service} does not, and clients connect to an address nothing listens on',
    hint: 'colocate {resource} with {with} (INFINITY) and order it after (hactl compiles both for the VIPs the service carries)',
  },
  HA6125: {
    severity: 'error',
    message: 'VIP {vip} ({resource}) does not follow the promoted instance of {service} ({with}): after a failover clients reach an instance that only replicates and refuses writes',
    hint: 'colocate {resource} with the Promoted role of {with} and start it after the promote (hactl compiles both)',
  },
  HA6126: {
    severity: 'error',
    message: 'fencing of compute node {node} does not tell nova (instance HA): {where} without {device}, so nova keeps its service up and nothing is recorded for evacuation',
    hint: 'end every fencing level of {node} with {device} (hactl compiles it so)',
  },
  HA6127: {
    severity: 'error',
    message: 'fencing level {level} of compute node {node} runs {device} without a device before it that powers the node off: nova is told the node is down while its instances may still run there',
    hint: 'put the node\'s own fence device before {device} in the level (hactl compiles it so)',
  },
  HA6140: {
    severity: 'error',
    message: '{service} signs PKI tokens with a {what} that is not the same on every node ({seen}): after a failover every token the other node signed fails validation',
    hint: 'name a secret for the {what} (hactl schema lists the keystone-signing-* purposes) so apply installs one file on every node at {file} [{section}] {option}',
  },
  HA6141: {
    severity: 'error',
    message: 'the network files of {node} ({files}) do not carry its addresses {missing}: ifup of an interface that enslaves the port holding one takes it away and cuts the node off',
    hint: 'write no network file for {node} (its provisioning owns its interfaces), or one that sets every address on the interfaces it brings up',
  },
  HA6142: {
    severity: 'error',
    message: '{service}: {file} on {nodes} {what}: Grizzly\'s auth_token middleware reads [filter:authtoken] before [keystone_authtoken], so the API validates tokens {how}',
    hint: 'let [filter:authtoken] of {file} name only paste.filter_factory (hactl writes the file so; apply installs it) and keep the Keystone options in [keystone_authtoken]',
  },
  HA6150: {
    severity: 'error',
    message: 'rehearsal: when {scenario} of cluster {cluster} fail(s), {service} keeps {votes} of {of} votes ({voters}): no majority for {what}, while Pacemaker still runs it on {nodes}',
    hint: 'give {service} a majority that survives this: an odd number of members, or an arbiter (arbiter: NODE) beside an even number (HA6120 says how many)',
  },
  HA6151: {
    severity: 'warning',
    message: 'arbiter {node} of {service} shares {key} {value} with {members}: losing that {key} takes its vote with theirs and leaves {left} of {votes} votes, so {name} does not keep the database up through it',
    hint: 'run {name} where no member is: another {key} (a third site, the qnetd host)',
  },
  HA6152: {
    severity: 'error',
    message: '{file} of arbiter {node} ({name} of {service}) {what}: {name} does not join the members\' group, and they count a vote that is not there',
    hint: 'hactl compile writes it from the members\' galera.cnf (their addresses, wsrep_cluster_name) and enables the unit; apply installs both',
  },
  HA6130: {
    severity: 'warning',
    message: 'service {service} of cluster {cluster} is {what} by intent ({how}): Pacemaker {care}; check neither counts it as lost nor rehearses it, and it has no availability estimate',
    hint: 'remove {how} from the service when Pacemaker is to run it again (an operator\'s crm resource start/stop meanwhile is kept by apply)',
  },
  HA6131: {
    severity: 'warning',
    message: 'cluster {cluster} is held by intent ({property}: true): Pacemaker {care}; check neither counts its services as lost nor rehearses them, and they have no availability estimate',
    hint: 'remove {property} from clusters.{cluster}.properties when Pacemaker is to run the cluster again (an operator\'s crm configure property meanwhile is kept by apply)',
  },
  HA6030: {
    severity: 'error',
    message: 'estimated availability of {path} is {estimate}%, below the sla of {sla}%',
    hint: '{fix}',
  },
  HA6031: {
    severity: 'warning',
    message: 'Pacemaker does not watch network {network} of VIP {vip}: a NIC, cable or switch-port failure on the node holding it leaves {vip} unreachable until repaired',
    hint: 'bond the interfaces of {nodes} (bond:), or monitor connectivity with a ping resource and a location rule',
  },
  HA6040: { severity: 'error', message: 'failure rehearsal could not run: {detail}', hint: '--no-rehearsal skips it (static analysis and the estimate only)' },
  HA6101: {
    severity: 'error',
    message: 'the CIB fences no node ({why}): a node that stops answering cannot be fenced, and its resources cannot move safely',
    hint: 'configure a fence device per node and set stonith-enabled=true',
  },
  HA6102: {
    severity: 'warning',
    message: 'no-quorum-policy=ignore: both halves of a split cluster keep running its resources',
    hint: 'leave no-quorum-policy at stop (a two-node cluster decides quorum with corosync two_node, or a quorum device)',
  },
  HA6103: { severity: 'error', message: 'the CIB lists no cluster node: nothing to rehearse', hint: 'save the CIB of a running cluster (cibadmin --query), whose <nodes> lists its members' },
  HA6104: {
    severity: 'error',
    message: 'after the failure of {nodes}, {resources} run nowhere, though the rest of the cluster keeps quorum',
    hint: 'let them run on more nodes (location constraints, colocations with a resource that cannot move), and fence devices that can run elsewhere',
  },
  HA6080: {
    severity: 'warning',
    message: 'SBD disk {disk} is the only way to fence {nodes} of cluster {cluster}: when the disk or its path fails, no node can be fenced and recovery waits for an operator',
    hint: 'list three SBD disks (one may fail), or give the nodes a fence device of their own as a level before SBD',
  },
  HA6081: {
    severity: 'warning',
    message: 'with watchdog-only SBD, the loss of quorum when {what} fails also resets every remaining member of cluster {cluster}: sbd reboots a node that is not quorate',
    hint: 'give the cluster a quorum device or more members, so that a partition keeps quorum',
  },
  HA6041: { severity: 'error', message: '{command} could not be run: {detail}', hint: 'install it (crm_simulate: Pacemaker\'s CLI tools), or point HACTL_CRM_SIMULATE at it' },
} as const satisfies Record<string, MessageEntry>;
