import type { MessageEntry } from './entry.js';

/**
 * HA3xxx: semantic HA rules (src/model/rules/, one rule per file). HA30xx-HA34xx are topology
 * rules, HA35xx Ceph rules. Numbers are stable: never renumber, only add.
 */
export const RULE_MESSAGES = {
  // references.ts
  HA3001: { severity: 'error', message: '{kind} {name} is not defined{scope}', hint: '{suggestion}' },
  // addresses.ts
  HA3002: { severity: 'error', message: 'address {address} of node {node} is not inside network {network} ({cidr})', hint: '{suggestion}' },
  HA3003: {
    severity: 'error',
    message: '{address} is the {which} address of network {network} ({cidr}); it cannot be a host address',
    hint: 'pick a host address between {first} and {last}',
  },
  // networks.ts
  HA3004: {
    severity: 'error',
    message: 'network {network} ({cidr}) has host bits set',
    hint: "write the network address: '{fixed}'",
  },
  HA3005: { severity: 'error', message: 'network {network} ({cidr}) overlaps network {other} ({otherCidr})', hint: 'an address must belong to exactly one network' },
  // duplicate-addresses.ts
  HA3006: { severity: 'error', message: 'address {address} is used twice: by {first} and by {second}', hint: 'every node address, fence device address and VIP must be unique' },
  // service-owners.ts
  HA3007: {
    severity: 'error',
    message: 'service {service} is kept alive by cluster {first} and by cluster {second}',
    hint: 'a catalogue service belongs to one cluster; two clusters would each start an instance',
  },
  // vips.ts
  HA3008: { severity: 'error', message: 'VIP {vip} ({address}) is not inside its network {network} ({cidr})', hint: '{suggestion}' },
  HA3009: { severity: 'error', message: 'VIP {vip} ({address}) is the address of node {node} on network {network}', hint: 'a VIP moves between nodes; give it an address no node owns' },
  HA3010: {
    severity: 'error',
    message: 'node {node} of cluster {cluster} has no address on network {network} of VIP {vip}',
    hint: 'IPaddr2 finds the interface by the node address on the same network: add one, or set the VIP nic',
  },
  // membership.ts
  HA3011: { severity: 'error', message: 'node {node} is in cluster {first} and in cluster {second}', hint: 'a node belongs to at most one Pacemaker cluster' },
  HA3012: {
    severity: 'error',
    message: 'node {node} is both a corosync member of cluster {member} and a remote node of cluster {remote}',
    hint: 'list it under nodes or under remote_nodes, not both',
  },
  // links.ts
  HA3013: {
    severity: 'error',
    message: 'node {node} of cluster {cluster} has no address on corosync link network {network}',
    hint: 'every member needs an address on each of the cluster links',
  },
  HA3014: {
    severity: 'error',
    message: 'remote node {node} of cluster {cluster} has no address on network {network}',
    hint: 'the cluster reaches pacemaker_remote over its first link ({network})',
  },
  // cluster-size.ts
  HA3015: {
    severity: 'error',
    message: 'cluster {cluster} has {count} node(s); a Pacemaker cluster needs at least 2',
    hint: 'add a second node, or drop the cluster and run the services without Pacemaker',
  },
  HA3016: {
    severity: 'error',
    message: 'cluster {cluster} has {count} corosync members; corosync supports at most {max}',
    hint: 'keep {max} or fewer members and run the others as pacemaker_remote nodes (remote_nodes)',
  },
  // fencing.ts
  HA3017: {
    severity: 'error',
    message: 'node {node} of cluster {cluster} has no fence device, but the cluster fences',
    hint: '{suggestion}',
  },
  HA3018: {
    severity: 'error',
    message: 'fencing of cluster {cluster} is disabled without a reason',
    hint: "write fencing: { enabled: false, reason: '…why this cluster may run without fencing…' }",
  },
  // fence-agents.ts
  HA3019: { severity: 'error', message: 'fencing of node {node} names no agent', hint: 'set agent here or in defaults.fencing' },
  HA3020: { severity: 'error', message: 'fence agent {agent} of node {node} needs {field}', hint: '{suggestion}' },
  HA3021: { severity: 'error', message: 'fence parameter {param} is set by hactl from {field}', hint: '{suggestion}' },
  // secret-params.ts
  HA3022: {
    severity: 'error',
    message: 'parameter {param} looks like a secret value written into the topology',
    hint: 'secrets are references only: put the value in a secret (env or file) and write {param}: { secret: NAME }; Pacemaker reads it from a root-only file apply installs (CIB secrets), the CIB holds lrm://',
  },
  HA3120: {
    severity: 'error',
    message: 'parameter {param} is written as {marker}, the marker of a Pacemaker CIB secret',
    hint: 'hactl installs the value behind the marker only for a secret it knows: write {param}: { secret: NAME } with NAME under secrets:',
  },
  HA3121: {
    severity: 'error',
    message: 'service {service}: parameter {param} of {process} is the secret {purpose}, which no secret serves',
    hint: 'add a secret named {purpose} under secrets: (env or file), or list {purpose} under the purposes: of the secret that serves it, or give the parameter yourself as {param}: { secret: NAME }',
  },
  // services.ts
  HA3023: {
    severity: 'error',
    message: 'service {service} is not in the catalogue for OpenStack {release}',
    hint: '{suggestion}',
  },
  HA3024: {
    severity: 'error',
    message: 'service {service} has no agent, and the topology has no openstack section to find it in the catalogue',
    hint: "give it an agent (e.g. agent: 'ocf:heartbeat:IPaddr2'), or add openstack: { release: … }",
  },
  HA3025: {
    severity: 'error',
    message: 'service {service} uses the fence agent {agent}; fence devices are not services',
    hint: 'describe fencing under the node (or defaults.fencing) instead',
  },
  // service-modes.ts
  HA3026: { severity: 'error', message: 'service {service} does not support mode {mode}', hint: 'supported: {supported}' },
  // service-nodes.ts
  HA3027: { severity: 'error', message: 'node {node} of service {service} is not a node of cluster {cluster}', hint: '{suggestion}' },
  HA3028: {
    severity: 'warning',
    message: 'service {service} may run on one node only ({node}); it has no failover',
    hint: 'list at least two nodes, or drop nodes: to use every node of the cluster',
  },
  // service-roles.ts
  HA3029: {
    severity: 'error',
    message: 'node {node} runs service {service} but does not have the role {roles}',
    hint: 'add the role to the node (its configuration files follow its roles), or restrict the service with nodes:',
  },
  // service-storage.ts
  HA3030: { severity: 'error', message: 'service {service} cannot keep its data on RBD storage', hint: 'services that can: {supported}' },
  // service-modes.ts (custom services)
  HA3031: { severity: 'error', message: 'agent {agent} of service {service} cannot run {mode}', hint: '{why}' },
  // unit-agents.ts
  HA3070: {
    severity: 'error',
    message: 'service {service} runs {agent}, which takes no parameters: Pacemaker passes {param} to OCF agents only, and would ignore it here',
    hint: 'configure the unit or init script itself (a systemd drop-in, /etc/default), or use an OCF agent that has the parameter',
  },
  HA3071: {
    severity: 'error',
    message: 'service {service} runs {agent}, which cannot be promotable: a systemd unit or init script only starts, stops and reports whether it runs',
    hint: 'use an OCF agent that implements promote and demote (ocf:heartbeat:pgsql, ocf:heartbeat:galera, …), or mode active-active',
  },
  // blocks.ts
  HA3072: {
    severity: 'error',
    message: 'service {service} takes {capacity}, which {nodes} give(s) none of: Pacemaker counts a missing capacity as 0, so the service can never run there',
    hint: 'give every node the service may run on utilization: { {capacity}: … }, or restrict the service with nodes:',
  },
  HA3073: {
    severity: 'error',
    message: 'set {index} of {name} follows another sequential set: two sequential sets in a row are one set to crmsh, and a colocation of them means something else than the two',
    hint: 'write them as one set, or make one of them sequential: false',
  },
  HA3074: { severity: 'error', message: '{name} {problem} (cluster {cluster})', hint: 'name each service of the cluster once' },
  HA3075: {
    severity: 'warning',
    message: 'rule of service {service} reads node attribute {attribute}, which no node of cluster {cluster} has: the test never holds',
    hint: 'give the nodes attributes: { {attribute}: … }, or test a built-in attribute (#uname, #kind)',
  },
  HA3076: {
    severity: 'error',
    message: 'a rule expression of service {service} is incomplete or mixed',
    hint: 'either attribute, operation and value (no value for defined/not_defined), or date: in_range with start and end, gt with start, lt with end',
  },
  // bundles.ts
  HA3160: { severity: 'error', message: 'service {service} runs in a bundle and sets {field} beside it', hint: '{hint}' },
  HA3161: {
    severity: 'error',
    message: 'the replicas of bundle {service} start at {address}, which is in no network of the topology',
    hint: 'give bundle.network.ip_range_start an address of a network the nodes are on (networks: {networks})',
  },
  HA3162: {
    severity: 'error',
    message: 'replica {replica} of bundle {service} would get {address}, which is not a host address of network {network} ({cidr})',
    hint: 'every replica takes the next address: start lower, or use fewer replicas',
  },
  HA3163: { severity: 'error', message: 'replica {replica} of bundle {service} would get {address}, which {who} has', hint: "start the range where the replicas' addresses are free: one per replica, consecutive" },
  HA3164: { severity: 'error', message: 'bundle {service}: {problem}', hint: 'publish each port once: port (internal_port when it differs inside) or range first-last' },
  HA3165: { severity: 'error', message: 'bundle {service} promotes {promoted} replica(s) but runs {replicas}', hint: 'promoted counts replicas: at most bundle.replicas' },
  HA3166: { severity: 'error', message: 'bundle {service} {problem}', hint: '{hint}' },
  HA3167: { severity: 'error', message: 'bundle {service} {problem}', hint: '{hint}' },
  HA3168: {
    severity: 'warning',
    message: 'bundle {service} asks for {replicas} replicas, but {hosts} node(s) at {perHost} per node hold {room}: the rest never run',
    hint: 'lower replicas, raise replicas_per_host, or let the service run on more nodes',
  },
  HA3169: { severity: 'error', message: 'storage mapping to {target} of bundle {service} needs exactly one of source and source_root', hint: 'source: one host directory for every replica; source_root: a directory per replica under it' },
  HA3170: { severity: 'error', message: 'bundle {service} runs no agent, and {field} belong to the agent inside', hint: 'give the service an agent, or drop {field} (a bundle itself takes no parameters or utilization)' },
  // cib-resources.ts
  HA3190: {
    severity: 'error',
    message: 'service {service} has cib: fields but no agent: only a custom service has a resource of its own to keep them',
    hint: "a catalogue service's resources are the catalogue's; give the service an agent, or drop cib:",
  },
  HA3191: { severity: 'error', message: 'service {service} sets cib.{field} but is no clone', hint: 'clone fields belong to active-active and promotable services; drop {field}' },
  HA3192: { severity: 'error', message: '{what} has two {name} operations every {interval}', hint: 'Pacemaker tells operations apart by name and interval: give each its own interval' },
  HA3193: {
    severity: 'error',
    message: '{what} sets {name} in cib.{field}: that is runtime state, which a topology states only as a service\'s {key}',
    hint: "as intent, use the service's {key} key; an operator's crm resource stop/unmanage/maintenance needs no entry: apply keeps it",
  },
  HA3215: { severity: 'error', message: 'service {service} sets cib.{field} but no cib.group_id', hint: 'a group is named by its id: add group_id, or drop {field}' },
  HA3216: { severity: 'error', message: 'service {service} sets cib.group_id beside {what}', hint: 'drop group_id, or write the service without storage or bundle' },
  HA3217: {
    severity: 'error',
    message: "member {id} of service {service}'s group runs {agent} with parameters",
    hint: 'systemd, lsb and service agents take no parameters (the init system passes none): drop params',
  },
  HA3218: { severity: 'error', message: 'service {service} sets cib.bundle_id but runs in no bundle', hint: 'drop bundle_id, or give the service its bundle:' },
  HA3062: { severity: 'error', message: 'fence device {device} of cluster {cluster} has a port for {node}, which is not a node of the cluster', hint: '{suggestion}' },
  HA3063: { severity: 'error', message: 'fence parameter {param} of shared device {device} is set by hactl from its ports', hint: 'list the nodes and their outlets under ports: instead' },
  // fence-levels.ts
  HA3210: {
    severity: 'error',
    message: 'fence device {device} names its nodes by host list, but its port for {node} is {port}: a host list gives the agent each node\'s own name',
    hint: 'drop cib.host_list (hactl writes pcmk_host_map from the ports), or write the port as {node}',
  },
  HA3211: { severity: 'error', message: 'fencing level of {node} names {name}, which is no fence device of the cluster', hint: 'name a node with its own fencing, a key of fence_devices, or sbd; devices here: {devices}' },
  HA3212: { severity: 'error', message: 'fencing levels are written for {node}, which is not a node of cluster {cluster}', hint: 'the nodes of the cluster: {nodes}' },
  HA3213: { severity: 'error', message: 'fencing level name {name} is ambiguous: it names {meanings}', hint: 'rename the shared fence device so that each name in the levels means one device' },
  HA3214: { severity: 'error', message: 'fencing.level_ids gives {node} {ids} id(s) for {levels} written level(s)', hint: 'one id per level of fencing.levels, in the same order' },
  HA3209: { severity: 'error', message: 'a fencing.target_levels entry selects its nodes by pattern, or by attribute and value: exactly one of the two', hint: 'write pattern: REGEX, or attribute: NAME with value: VALUE' },
  HA3219: { severity: 'error', message: 'fencing.target_levels pattern {pattern} is no regular expression', hint: 'Pacemaker drops a level whose target-pattern does not compile: the nodes it should fence would have no such level' },
  // qdevice.ts
  HA3200: {
    severity: 'error',
    message: 'compute.instance_ha is set, but release {release} is of the {family} family: instance HA is built for the current profile (2024.1 and later)',
    hint: 'set openstack.release to 2024.1 or later, or remove compute.instance_ha',
  },
  HA3201: {
    severity: 'error',
    message: 'compute.instance_ha is set, but no cluster running nova and keystone (at a VIP, its own or HAProxy\'s) has compute nodes as remote nodes: nothing would fence them through nova',
    hint: 'list the compute nodes under remote_nodes: of the cluster whose services include nova and keystone',
  },
  HA3202: {
    severity: 'error',
    message: 'cluster {cluster} does not fence, but instance HA covers its compute nodes ({nodes}): nova would rebuild their instances elsewhere while they may still run',
    hint: 'let cluster {cluster} fence (remove fencing: { enabled: false }) and give each compute node a fence device; its level runs it before fence_compute',
  },
  HA3203: {
    severity: 'error',
    message: 'instance HA covers the compute nodes of cluster {cluster} ({nodes}), but the cluster runs no nova-evacuate: fence_compute records them for evacuation and nothing asks nova to evacuate them',
    hint: 'add nova-evacuate: {} to the services of cluster {cluster} (NovaEvacuate, one instance on the controllers)',
  },
  HA3204: {
    severity: 'error',
    message: 'service {service} (NovaEvacuate) has nothing to do here: {why}',
    hint: 'run nova-evacuate in the cluster that runs nova and keystone and has the compute nodes as remote nodes, with compute.instance_ha: true',
  },
  HA3205: {
    severity: 'warning',
    message: 'instance HA without compute.instances: the instances live on the compute nodes\' local disks, so an evacuation rebuilds each from its image and what was on its disk is lost (instances booted from a Cinder volume keep it)',
    hint: 'put the instances on shared storage (compute: { instances: { rbd: { pool: … } } }) or boot them from volumes; NovaEvacuate is compiled with no_shared_storage=true to match',
  },
  // arbiter.ts
  HA3225: {
    severity: 'error',
    message: 'service {service} names an arbiter, but keeps no quorum of its own that one could vote in',
    hint: 'an arbiter belongs to galera (garbd, one more vote in its primary component); drop arbiter:',
  },
  HA3226: {
    severity: 'error',
    message: 'arbiter {node} of {service} is one of its members ({members}): losing that node takes two votes at once, and {name} adds none',
    hint: 'run {name} on a node that does not run {service}: the qnetd host, a network node, a node at a third place',
  },
  HA3227: {
    severity: 'error',
    message: 'arbiter {node} of {service} has no address on network {network}, where the members\' wsrep addresses are: {name} cannot join their group communication',
    hint: 'give {node} an address on {network}, or name a node that has one',
  },
  HA3229: {
    severity: 'warning',
    message: '{service} runs on {count} members, and arbiter {node} makes {votes} votes: a split into two halves of {half} leaves the database on neither side, and it survives no more failures than without the arbiter',
    hint: 'drop arbiter: (an odd number of members needs none), or run {service} on an even number of members',
  },
  HA3110: {
    severity: 'error',
    message: 'qdevice host {host} is a node of cluster {cluster}: it cannot arbitrate the cluster it belongs to',
    hint: 'run corosync-qnetd on a node outside cluster {cluster} (a small VM or a machine at a third site, role qnetd)',
  },
  HA3111: {
    severity: 'error',
    message: 'qdevice host {host} of cluster {cluster} has no address on network {network}, which the members reach it on',
    hint: 'give {host} an address on {network}, or set qdevice.network to a network it has one on',
  },
  HA3112: { severity: 'error', message: 'qdevice host {host} of cluster {cluster} does not have the role qnetd', hint: 'add qnetd to the roles of node {host}: hactl writes its corosync-qnetd files there' },
  HA3113: { severity: 'error', message: 'tie_breaker {name} of cluster {cluster} is not a member', hint: 'write lowest, highest or a member: {members}' },
  HA3114: {
    severity: 'warning',
    message: 'cluster {cluster} has {count} members and a qdevice with algorithm ffsplit, which only breaks the tie of an even split',
    hint: 'use algorithm: lms (the surviving members that see qnetd keep quorum), or an even number of members',
  },
  HA3115: {
    severity: 'warning',
    message: 'the qdevice of cluster {cluster} talks to corosync-qnetd on {host} without TLS: any host that reaches the port can claim to be a member',
    hint: 'set tls: on (or required) and let apply run the certificate steps',
  },
  HA3116: {
    severity: 'warning',
    message: 'cluster {cluster} has {count} members and no quorum device: a split into two halves of {half} leaves no partition with a majority, and every resource stops',
    hint: 'add qdevice: { host: … } (a corosync-qnetd host outside the cluster), or an odd number of members',
  },
  HA3117: {
    severity: 'error',
    message: 'clusters {other} and {cluster} share the qnetd host {host} with different settings (port {otherPort}, tls {otherTls} / port {port}, tls {tls})',
    hint: 'one corosync-qnetd serves both: give both qdevice sections the same port and tls',
  },
  // sbd.ts
  HA3140: {
    severity: 'error',
    message: 'SBD msgwait of cluster {cluster} is {msgwait}s, less than twice the watchdog timeout ({timeout}s): a poison pill could be counted as obeyed before the victim\'s watchdog has fired',
    hint: 'set msgwait to {least} or more, or lower watchdog_timeout',
  },
  HA3141: {
    severity: 'error',
    message: 'stonith-timeout {value} of cluster {cluster} is not longer than {what}: Pacemaker gives up on SBD fencing before it can have happened',
    hint: 'drop stonith-timeout (hactl sets one 20% above it), or raise it',
  },
  HA3142: {
    severity: 'error',
    message: 'stonith-watchdog-timeout {value} of cluster {cluster} is less than twice SBD_WATCHDOG_TIMEOUT ({timeout}s): survivors would take over while the lost node may still run',
    hint: 'drop the property (hactl writes {least}s) or set it to {least}s or more',
  },
  HA3143: {
    severity: 'error',
    message: 'cluster {cluster} has {count} member(s), no quorum device and watchdog-only SBD: a node resets itself only when it loses quorum, and with two_node both halves of a split keep it',
    hint: 'add sbd.devices (a shared disk), a qdevice, or a third member',
  },
  HA3144: { severity: 'error', message: 'msgwait of cluster {cluster} applies to disk-based SBD, and this SBD has no devices', hint: 'drop msgwait, or list the shared disks under sbd.devices' },
  HA3145: {
    severity: 'error',
    message: 'cluster {cluster} configures SBD with fencing disabled: sbd would still reset nodes, and Pacemaker would not wait for it',
    hint: 'enable fencing, or drop the sbd section',
  },
  HA3146: {
    severity: 'error',
    message: 'watchdog-only SBD of cluster {cluster} has a watchdog timeout of {timeout}s with a quorum device: a member resets before corosync-qdevice (sync_timeout 30s) has its vote',
    hint: 'set sbd.watchdog_timeout to 35 or more (the default with a qdevice)',
  },
  HA3147: {
    severity: 'error',
    message: 'stonith-watchdog-timeout {value} of cluster {cluster}, which fences with SBD disks: Pacemaker would count a node as reset by its watchdog instead of waiting for the poison pill',
    hint: 'drop the property: disk-based SBD fences through fence_sbd',
  },
  // ip-forms.ts
  HA3150: { severity: 'error', message: '{what}: {value} is no IPv4 or IPv6 address', hint: 'write an IPv4 address (198.51.100.10) or an IPv6 address (2001:db8::10)' },
  HA3151: {
    severity: 'error',
    message: '{what}: {value} is an IPv6 link-local address (fe80::/10), which means something only together with an interface',
    hint: 'use a global or unique-local address of the network (2001:db8::/32 in examples)',
  },
  HA3152: { severity: 'error', message: '{what}: {value} is not written in the canonical IPv6 form', hint: 'write {canonical} (RFC 5952: lowercase, no leading zeros, :: for the longest run of zero groups)' },
  HA3060: { severity: 'error', message: '{field} applies to {modes} services; service {service} is {mode}', hint: 'drop {field}, or set the mode it belongs to' },
  HA3061: {
    severity: 'error',
    message: 'service {service} promotes {promoted} instance(s) but runs {count}',
    hint: 'promoted counts instances of the clone: at most instances: (default: one per node the service may run on), times promoted_per_node per node',
  },
  HA3032: { severity: 'error', message: 'RBD image {pool}/{image} is also used by {other}', hint: 'give each user its own image (storage.rbd.image)' },
  // service-order.ts
  HA3033: { severity: 'error', message: 'start order of cluster {cluster} has a cycle: {cycle}', hint: 'remove one of these after: entries' },
  // HA3034 is retired: derived Pacemaker ids are checked on the Pacemaker model itself (HA3901).
  // cluster-properties.ts
  HA3035: { severity: 'error', message: 'cluster property {property} is managed by hactl', hint: '{suggestion}' },
  HA3036: { severity: 'error', message: 'unknown cluster property {property}', hint: '{suggestion}' },
  HA3037: {
    severity: 'warning',
    message: 'no-quorum-policy=ignore lets a partitioned cluster run resources on both sides',
    hint: 'corosync two_node quorum (which hactl sets for 2-node clusters) replaces it; drop the property',
  },
  HA3180: { severity: 'error', message: '{name}={value} is not a value Pacemaker reads: {name} takes {expected}', hint: 'Pacemaker ignores a value it cannot read and uses its default; write {expected}' },
  HA3181: { severity: 'error', message: 'unknown {what} {name} in {key}', hint: '{suggestion}' },
  HA3182: {
    severity: 'error',
    message: 'stonith-enabled: null leaves fencing on in cluster {cluster}, whose fencing is disabled',
    hint: "left out, stonith-enabled reads as Pacemaker's default (true); drop the null, or enable fencing",
  },
  // authkeys.ts
  HA3038: {
    severity: 'error',
    message: 'corosync authkey {secret} of cluster {cluster} must be a file secret',
    hint: 'the authkey is binary key material: give the secret a file: source',
  },
  HA3039: {
    severity: 'warning',
    message: 'clusters {first} and {second} share the corosync authkey {secret}',
    hint: 'a key per cluster keeps one cluster from accepting the other one’s messages',
  },
  // secret-files.ts
  HA3040: {
    severity: 'warning',
    message: 'secret {secret} is read from {file}, outside the topology’s directory',
    hint: 'keep secret files next to the topology (e.g. secrets/{secret}); a topology from elsewhere could otherwise read any local file',
  },
  // ssh.ts
  HA3041: {
    severity: 'error',
    message: 'node {node} has no address on its SSH network {network}',
    hint: '{suggestion}',
  },
  // roles.ts
  HA3042: { severity: 'error', message: 'node {node} has role {role} but the topology has no ceph section', hint: 'describe the Ceph cluster under ceph:, or drop the role' },
  HA3043: { severity: 'error', message: 'node {node} has OSDs but not the storage role', hint: 'add storage to its roles' },
  HA3044: { severity: 'warning', message: 'storage node {node} has no OSDs', hint: 'list its OSD disks under osds:, or drop the storage role' },
  // mount-points.ts
  HA3045: { severity: 'error', message: 'mount point {path} is not a plain absolute path', hint: 'write it without empty, . or .. segments, such as /var/lib/mysql' },
  HA3046: {
    severity: 'error',
    message: 'mounting an RBD image on {path} would hide the system files under it',
    hint: 'mount it on a directory of its own, such as /var/lib/<service>',
  },
  // vips.ts
  HA3047: {
    severity: 'error',
    message: 'VIP {vip} ({address}) is the {which} address of network {network} ({cidr})',
    hint: 'pick a host address between {first} and {last} that no node owns',
  },
  // secret-purposes.ts
  HA3080: {
    severity: 'error',
    message: 'secret purpose {purpose} is served by two secrets, {first} and {second}',
    hint: 'a purpose has one secret: drop it from the purposes of one of them (a secret named like a purpose serves it without listing it)',
  },
  HA3081: {
    severity: 'warning',
    message: 'secret {secret} serves {count} purposes: {purposes}',
    hint: 'every node that needs one of them holds them all, and one leak gives them all away: give each purpose its own secret',
  },
  // node-names.ts
  HA3245: {
    severity: 'error',
    message: 'nodes {other} and {node} differ only in case: Pacemaker, corosync peers, DNS and ssh take them for one node',
    hint: 'name each node as it calls itself (uname -n), once; names are compared ignoring case',
  },
  HA3246: {
    severity: 'error',
    message: 'remote node {node} of cluster {cluster} has a name that is no XML id: Pacemaker names a remote node after its connection resource, whose id must start with a letter or _',
    hint: 'run it under a name starting with a letter (its uname, as pacemaker_remote reports it), or make it a member',
  },
  HA3247: {
    severity: 'error',
    message: 'node {node} runs {what}, which names a host by its short name ({short}): a node name with a domain is not held there',
    hint: 'name the node {short}, as its short host name (hostname -s); FQDNs are held on nodes running neither',
  },
  // node-ids.ts
  HA3090: {
    severity: 'error',
    message: 'nodes {other} and {node} of cluster {cluster} both get corosync nodeid {id}',
    hint: 'give one of them an explicit nodeid: (1-65535) under nodes.{node}; an id never changes once the cluster runs',
  },

  // ceph-replicas.ts
  HA3501: {
    severity: 'error',
    message: 'replicas is {replicas} but there are only {count} {what}',
    hint: 'Ceph keeps every copy in a different failure domain (ceph.failure_domain): lower replicas or add OSDs on more storage nodes',
  },
  HA3502: { severity: 'error', message: 'min_replicas ({min}) is greater than replicas ({replicas})', hint: 'use 1 <= min_replicas <= replicas (usually replicas - 1)' },
  HA3503: {
    severity: 'warning',
    message: 'min_replicas equals replicas ({replicas}): a single failed OSD blocks I/O on its placement groups',
    hint: 'use min_replicas: {suggested}',
  },
  // ceph-monitors.ts
  HA3504: {
    severity: 'error',
    message: 'the Ceph cluster has {count} monitor(s); it needs an odd number, at least 3',
    hint: '{suggestion}',
  },
  // ceph-networks.ts
  HA3505: {
    severity: 'error',
    message: 'node {node} ({what}) has no address on the Ceph {kind} network {network}',
    hint: 'add an address on {network} to the node',
  },
  // ceph-pgs.ts
  HA3506: { severity: 'error', message: 'pool {pool} has {pgs} placement groups; that is not a power of two', hint: 'use {lower} or {upper}' },
  // ceph-pg-budget.ts
  HA3130: {
    severity: 'error',
    message: 'the Ceph pools need more placement groups per OSD than Ceph creates ({arithmetic}; {setting}): pool creation is refused',
    hint: 'lower the pools\' pgs to about {target} per OSD in all (the pools\' pgs summing to about {fit}), or add OSDs',
  },
  HA3131: {
    severity: 'warning',
    message: 'the Ceph pools put too many placement groups on each OSD ({arithmetic}, above {limit}; about {target} is the aim; {setting}): OSDs need more memory and recover slowly after a failure',
    hint: 'lower the pools\' pgs to about {target} per OSD in all (the pools\' pgs summing to about {fit}), or add OSDs',
  },
  // ceph-devices.ts
  HA3507: {
    severity: 'error',
    message: 'journal {journal} of node {node} is on the OSD data device {data}',
    hint: 'a journal needs its own device (an SSD partition), never an OSD data disk',
  },
  HA3508: { severity: 'error', message: 'device {device} of node {node} is used by more than one OSD', hint: 'every OSD needs its own data disk and its own journal partition' },
  HA3509: {
    severity: 'error',
    message: 'journal {journal} of node {node} is the OSD’s own data device',
    hint: 'put the journal on a separate SSD partition, or leave journal out to keep it on the data disk',
  },
  HA3510: {
    severity: 'error',
    message: 'device path {device} of node {node} is not a plain path under /dev',
    hint: 'write the device itself (/dev/sdb, /dev/disk/by-id/…), without . or .. segments',
  },
} as const satisfies Record<string, MessageEntry>;
