/**
 * The catalogue entries. Agents are the ones real deployments of the era used (see
 * ../shared/notes/openstack-catalogue.md): the OpenStack resource agents (ocf:openstack:*, the
 * hastexo/openstack-resource-agents scripts; no Debian package ships them), resource-agents'
 * heartbeat agents, RabbitMQ's own agent and ceph's rbd agent.
 *
 * Parameter names and advised timeouts were checked against each agent's own meta-data: the
 * installed ones with `<agent> meta-data` (resource-agents 4.12, ceph-resource-agents 16.2, the
 * rabbitmq-server 3.10.8 package's /usr/lib/ocf/resource.d/rabbitmq/rabbitmq-server), the
 * OpenStack agents in their 2013 sources. Where a timeout here is longer than the agent advises,
 * the comment says why; none is shorter except where a comment says so.
 */
import { CURRENT_SERVICES } from './current.js';
import type { Family, Operation, ServiceEntry } from './types.js';

/** The 2013 entries: the families of the HA Guide of that era. */
const OF_2013: Family[] = ['grizzly', 'havana', 'icehouse'];

/**
 * The OpenStack agents (keystone, glance-*, nova-*, cinder-*, quantum/neutron-*) advise start and
 * stop 20s (10s for the metadata agent and novnc) and monitor every 20s with a 30s timeout.
 * - start 60s: the agent's start loops until its own monitor succeeds, and the daemons first
 *   connect to MySQL and RabbitMQ; on a controller that is taking over a whole stack at once
 *   (everything colocated with the API VIP) 20s is too tight and a timed-out start counts as a
 *   failure (start-failure-is-fatal).
 * - stop 60s: the agents send SIGTERM and wait (timeout - 5s) before SIGKILL, so the stop timeout
 *   is the daemon's grace period; API workers finishing requests (and the DHCP agent, whose stop
 *   also kills every dnsmasq on the node) need more than 15s.
 * - monitor 20s/30s: the agents' own advice; the monitor is a pid check (plus an AMQP connection
 *   check for the network agents, an HTTP check for the API servers when credentials are set).
 */
const openstackOps: Operation[] = [
  { name: 'start', timeout: '60s' },
  { name: 'stop', timeout: '60s' },
  { name: 'monitor', interval: '20s', timeout: '30s' },
];

/**
 * Init scripts run as lsb: resources (services without an OCF agent). An LSB status is a pid
 * check with no network round trip; start/stop get the same reasoning as openstackOps.
 */
const lsbOps: Operation[] = [
  { name: 'start', timeout: '60s' },
  { name: 'stop', timeout: '60s' },
  { name: 'monitor', interval: '20s', timeout: '30s' },
];

const SERVICES_2013: ServiceEntry[] = [
  {
    key: 'mysql',
    name: 'mysql',
    summary: 'MySQL database, active/passive on an RBD-backed filesystem behind the VIP',
    endpoint: { what: 'the database (service mysql with a VIP)' },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    // The image is mounted where Debian's mysql-server keeps its data, so datadir stays standard.
    storage: { mount: '/var/lib/mysql' },
    processes: [
      {
        id: 'mysql',
        daemon: 'mysqld',
        agent: 'ocf:heartbeat:mysql',
        // datadir follows the mount; the other values are the agent's defaults for Debian, set
        // explicitly so the configuration says where the pid and socket live.
        params: { config: '/etc/mysql/my.cnf', datadir: '{rbd.mount}', pid: '/var/run/mysqld/mysqld.pid', socket: '/var/run/mysqld/mysqld.sock' },
        // The agent's advice (start/stop 120s, monitor 20s/30s): InnoDB crash recovery after a
        // failover runs inside start, and a clean shutdown flushes the buffer pool inside stop.
        operations: [
          { name: 'start', timeout: '120s' },
          { name: 'stop', timeout: '120s' },
          { name: 'monitor', interval: '20s', timeout: '30s' },
        ],
      },
    ],
    after: [],
  },
  {
    key: 'rabbitmq',
    name: 'rabbitmq',
    summary: 'RabbitMQ message queue, active/passive behind the VIP',
    secrets: [{ id: 'rabbitmq', what: 'the password of RabbitMQ user openstack, which every OpenStack service logs in with' }],
    endpoint: { what: 'the message queue (service rabbitmq with a VIP)' },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    // The broker's Mnesia (users, vhosts, permissions, durable queues) moves with it on an RBD
    // image, as in the HA Guide (DRBD) and the Juju charm (RBD): a broker taking over with a
    // Mnesia of its own would refuse every service's login (review C4).
    storage: { mount: '/var/lib/rabbitmq' },
    processes: [
      {
        id: 'rabbitmq',
        daemon: 'rabbitmq-server',
        // Shipped by the rabbitmq-server package itself (Debian and upstream), not by
        // resource-agents; resource-agents' rabbitmq-cluster/rabbitmq-server-ha are the later
        // clustered designs, not the 2013 active/passive one.
        agent: 'ocf:rabbitmq:rabbitmq-server',
        // One fixed node name on every controller: the broker's identity (and its mnesia
        // directory name) must not change when it moves to the other node.
        // mnesia_base is the agent's default directory, on the shared mount.
        params: { nodename: 'rabbit@localhost', mnesia_base: '{rbd.mount}/mnesia' },
        // The agent advises start 600s, stop 120s, monitor 10s/20s.
        operations: [
          {
            name: 'start',
            timeout: '120s',
            belowAdvised: 'a stand-alone broker waits for no cluster peers and starts in seconds; a start hung for 10 minutes would hold every service behind the VIP against a 99.99% SLA (52 min/year)',
          },
          { name: 'stop', timeout: '120s' },
          { name: 'monitor', interval: '10s', timeout: '20s' },
        ],
      },
    ],
    // The user the files log in with (rabbit_userid), on the default vhost; made once on the
    // broker that runs, since its Mnesia is the one that moves.
    brokerAccount: { user: 'openstack', purpose: 'rabbitmq', vhost: '/', permissions: { configure: '.*', write: '.*', read: '.*' }, nodeParam: 'nodename' },
    after: [],
  },
  {
    key: 'keystone',
    name: 'keystone',
    summary: 'Keystone identity service',
    secrets: [
      { id: 'keystone-admin-token', what: "Keystone's admin_token: a bootstrap credential with every right in Keystone (keystone.conf only)" },
      { id: 'keystone-db', what: 'the password of MySQL user keystone' },
      // PKI tokens (the default token format of these releases) are signed with one key and
      // checked against one certificate: every node that may run Keystone holds the same files.
      { id: 'keystone-signing-cert', what: "Keystone's PKI token signing certificate (PEM; /etc/keystone/ssl/certs/signing_cert.pem)" },
      { id: 'keystone-signing-key', what: "the private key of Keystone's PKI token signing certificate (PEM; /etc/keystone/ssl/private/signing_key.pem)" },
      { id: 'keystone-ca-cert', what: "the certificate of the CA that issued Keystone's signing certificate (PEM; /etc/keystone/ssl/certs/ca.pem, served to auth_token at /v2.0/certificates/ca)" },
    ],
    endpoint: { what: 'the identity service (service keystone with a VIP)' },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'keystone', daemon: 'keystone-all', agent: 'ocf:openstack:keystone', params: { config: '/etc/keystone/keystone.conf', user: 'keystone' }, operations: openstackOps },
    ],
    after: ['mysql'],
  },
  {
    key: 'glance',
    name: 'glance',
    summary: 'Glance image service: registry and API',
    secrets: [
      { id: 'glance-db', what: 'the password of MySQL user glance' },
      { id: 'glance-keystone', what: 'the password of Keystone service user glance' },
    ],
    endpoint: { what: 'the image service (service glance with a VIP)' },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    // The registry first: glance-api answers image requests through it.
    processes: [
      { id: 'glance-registry', daemon: 'glance-registry', agent: 'ocf:openstack:glance-registry', params: { config: '/etc/glance/glance-registry.conf', user: 'glance' }, operations: openstackOps },
      { id: 'glance-api', daemon: 'glance-api', agent: 'ocf:openstack:glance-api', params: { config: '/etc/glance/glance-api.conf', user: 'glance' }, operations: openstackOps },
    ],
    after: ['mysql', 'keystone'],
  },
  {
    key: 'nova',
    name: 'nova',
    summary: 'Nova controller services: api, scheduler, cert, consoleauth, conductor, novncproxy',
    // No database password on compute nodes: nova-compute reaches the database through nova-conductor.
    secrets: [
      { id: 'nova-db', what: 'the password of MySQL user nova (controllers only)' },
      { id: 'nova-keystone', what: 'the password of Keystone service user nova (controllers only)' },
    ],
    endpoint: { what: 'the compute API (service nova with a VIP)' },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'nova-api', daemon: 'nova-api', agent: 'ocf:openstack:nova-api', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: openstackOps },
      { id: 'nova-scheduler', daemon: 'nova-scheduler', agent: 'ocf:openstack:nova-scheduler', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: openstackOps },
      { id: 'nova-cert', daemon: 'nova-cert', agent: 'ocf:openstack:nova-cert', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: openstackOps },
      { id: 'nova-consoleauth', daemon: 'nova-consoleauth', agent: 'ocf:openstack:nova-consoleauth', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: openstackOps },
      // No OpenStack resource agent exists for nova-conductor (new in Grizzly); deployments ran
      // the distribution's init script, which the nova-conductor package installs.
      { id: 'nova-conductor', daemon: 'nova-conductor', agent: 'lsb:nova-conductor', operations: lsbOps },
      // The agent's file is nova-novnc; the daemon it runs is nova-novncproxy.
      { id: 'nova-novncproxy', daemon: 'nova-novncproxy', agent: 'ocf:openstack:nova-novnc', params: { config: '/etc/nova/nova.conf', user: 'nova' }, operations: openstackOps },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'cinder',
    name: 'cinder',
    summary: 'Cinder block storage: api, scheduler, volume (RBD backend)',
    // A volume belongs to the cinder-volume host that created it: the node taking over must be
    // that same host, or the volumes of a failed node can no longer be attached or deleted.
    sharedHost: 'cinder',
    secrets: [
      { id: 'cinder-db', what: 'the password of MySQL user cinder' },
      { id: 'cinder-keystone', what: 'the password of Keystone service user cinder' },
    ],
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      { id: 'cinder-api', daemon: 'cinder-api', agent: 'ocf:openstack:cinder-api', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: openstackOps },
      // The agent's file is cinder-schedule; the daemon it runs is cinder-scheduler.
      { id: 'cinder-scheduler', daemon: 'cinder-scheduler', agent: 'ocf:openstack:cinder-schedule', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: openstackOps },
      { id: 'cinder-volume', daemon: 'cinder-volume', agent: 'ocf:openstack:cinder-volume', params: { config: '/etc/cinder/cinder.conf', user: 'cinder' }, operations: openstackOps },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'quantum-server',
    name: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
    summary: 'OpenStack Networking API server',
    as: 'network',
    endpoint: { what: 'the networking API server (with a VIP)' },
    secrets: [
      { id: 'networking-db', what: 'the password of MySQL user quantum (neutron from Havana), read by the networking server' },
      {
        id: 'networking-keystone',
        what: 'the password of Keystone service user quantum (neutron from Havana): the server and agents authenticate with it, and nova (compute nodes too) binds ports through it',
      },
    ],
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
        daemon: { since: { grizzly: 'quantum-server', havana: 'neutron-server' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-server', havana: 'ocf:openstack:neutron-server' } },
        params: {
          since: {
            // The Grizzly quantum-server agent has no plugin_config: it starts the daemon with
            // `--config-file=$config` only, so the OVS plugin's file (which holds the plugin's
            // database connection) goes in through additional_parameters.
            grizzly: {
              config: '/etc/quantum/quantum.conf',
              additional_parameters: '--config-file=/etc/quantum/plugins/openvswitch/ovs_quantum_plugin.ini',
              user: 'quantum',
            },
            // The Havana neutron-server agent reads plugin_config (its meta-data misspells it
            // "plugin config"), default the OVS plugin's file.
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini', user: 'neutron' },
            // Icehouse deprecated the monolithic OVS plugin for ML2 (Juno removed it).
            icehouse: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/plugins/ml2/ml2_conf.ini', user: 'neutron' },
          },
        },
        operations: openstackOps,
      },
    ],
    after: ['mysql', 'rabbitmq', 'keystone'],
  },
  {
    key: 'horizon',
    name: 'horizon',
    summary: 'Horizon dashboard under Apache',
    secrets: [
      { id: 'horizon-secret-key', what: "Horizon's Django SECRET_KEY (signs session ids and CSRF tokens): the same on every node serving Horizon" },
      { id: 'horizon-db', what: "the password of MySQL user horizon: Horizon keeps its sessions in the database, so a user stays logged in when Horizon moves" },
    ],
    modes: ['active-passive', 'active-active'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [
      {
        id: 'horizon',
        daemon: 'apache2',
        // No OpenStack agent: Horizon is a WSGI application inside Apache.
        agent: 'ocf:heartbeat:apache',
        // The agent's default configfile is Red Hat's /etc/httpd/conf/httpd.conf.
        params: { configfile: '/etc/apache2/apache2.conf' },
        // The agent's advice (start 40s, stop 60s, monitor 10s/20s).
        operations: [
          { name: 'start', timeout: '40s' },
          { name: 'stop', timeout: '60s' },
          { name: 'monitor', interval: '10s', timeout: '20s' },
        ],
      },
    ],
    after: ['keystone'],
  },
  {
    key: 'quantum-openvswitch-agent',
    name: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
    summary: 'Open vSwitch plugin agent, on every network node',
    as: 'ovs',
    modes: ['active-active'],
    defaultMode: 'active-active',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
        daemon: { since: { grizzly: 'quantum-openvswitch-agent', havana: 'neutron-openvswitch-agent' } },
        // The init script of the distribution's quantum-plugin-openvswitch-agent package. The
        // one OCF script of the era (quantum-agent-openvswitch, a 2013 contribution) is not
        // used: its stop kills every dnsmasq on the node (copied from the DHCP agent), which
        // would take the DHCP agent's networks down whenever this clone instance stops.
        agent: { since: { grizzly: 'lsb:quantum-plugin-openvswitch-agent', havana: 'lsb:neutron-plugin-openvswitch-agent' } },
        operations: lsbOps,
      },
    ],
    after: [],
  },
  {
    key: 'quantum-dhcp-agent',
    name: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
    summary: 'DHCP agent (dnsmasq per network)',
    as: 'dhcp',
    modes: ['active-active', 'active-passive'],
    defaultMode: 'active-active',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
        daemon: { since: { grizzly: 'quantum-dhcp-agent', havana: 'neutron-dhcp-agent' } },
        // The agent's file is quantum-agent-dhcp; the daemon it runs is quantum-dhcp-agent.
        agent: { since: { grizzly: 'ocf:openstack:quantum-agent-dhcp', havana: 'ocf:openstack:neutron-agent-dhcp' } },
        // The agent declares "plugin config" in its meta-data but reads plugin_config.
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', plugin_config: '/etc/quantum/dhcp_agent.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/dhcp_agent.ini', user: 'neutron' },
          },
        },
        operations: openstackOps,
      },
    ],
    // The DHCP ports are plugged into the local br-int, which the local OVS agent wires up.
    after: ['quantum-openvswitch-agent'],
    with: ['quantum-openvswitch-agent'],
  },
  {
    key: 'quantum-l3-agent',
    name: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
    summary: 'L3 agent (routers, floating IPs)',
    as: 'l3',
    // The server schedules routers to an agent by host and never moves them off a dead one, so
    // the node taking over must be that same agent (2013 HA Guide, research §5.9; review C2). Not
    // from Icehouse on: ML2 binds router ports to the L3 agent's host and needs an Open vSwitch
    // agent of that host, which the node's own OVS agent (shared with the DHCP agent) is not;
    // check reports the routers left on a dead agent (HA6051) with that remedy.
    sharedHost: { since: { grizzly: 'l3-agent', icehouse: null } },
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
        daemon: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
        // The agent's file is quantum-agent-l3; the daemon it runs is quantum-l3-agent.
        agent: { since: { grizzly: 'ocf:openstack:quantum-agent-l3', havana: 'ocf:openstack:neutron-agent-l3' } },
        // The monitor of every copy of this agent before upstream 154f4f35 (2014-06-28, research
        // §4.3 trap 9) waits for an ESTABLISHED connection from the agent's pid to
        // quantum_server_port (neutron_server_port from Havana), default 9696. The L3 agent talks
        // to the server over AMQP RPC only and never opens 9696, so with the default the start
        // loops until its timeout: the port the agent really keeps open is the broker's, 5672.
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', plugin_config: '/etc/quantum/l3_agent.ini', quantum_server_port: '5672', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', plugin_config: '/etc/neutron/l3_agent.ini', neutron_server_port: '5672', user: 'neutron' },
          },
        },
        operations: openstackOps,
      },
    ],
    // Router ports live on the local br-int (OVS agent); the router namespaces' metadata proxy
    // forwards to the metadata agent over a unix socket on the same node.
    after: ['quantum-openvswitch-agent', 'quantum-metadata-agent'],
    with: ['quantum-openvswitch-agent', 'quantum-metadata-agent'],
  },
  {
    key: 'quantum-metadata-agent',
    name: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
    summary: 'Metadata agent (proxies instance metadata requests to nova-api)',
    as: 'metadata',
    secrets: [{ id: 'metadata-proxy', what: 'the shared secret that signs instance metadata requests between the metadata agent and nova-api' }],
    modes: ['active-active', 'active-passive'],
    defaultMode: 'active-active',
    roles: ['network'],
    processes: [
      {
        id: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
        daemon: { since: { grizzly: 'quantum-metadata-agent', havana: 'neutron-metadata-agent' } },
        agent: { since: { grizzly: 'ocf:openstack:quantum-metadata-agent', havana: 'ocf:openstack:neutron-metadata-agent' } },
        // This agent's second file is agent_config (declared "agent config"), not plugin_config.
        params: {
          since: {
            grizzly: { config: '/etc/quantum/quantum.conf', agent_config: '/etc/quantum/metadata_agent.ini', user: 'quantum' },
            havana: { config: '/etc/neutron/neutron.conf', agent_config: '/etc/neutron/metadata_agent.ini', user: 'neutron' },
          },
        },
        operations: openstackOps,
      },
    ],
    after: [],
  },
];

export const SERVICES: ServiceEntry[] = [...SERVICES_2013.map((e) => ({ families: OF_2013, ...e })), ...CURRENT_SERVICES];
