/**
 * The catalogue of the current profile (releases 2024.1 to 2025.2, family "current"): today's HA
 * pattern, as the OpenStack HA Guide and the Pacemaker-based distributions (RHOSP 16/17, charm
 * clouds) run it. HAProxy, clustered on every controller, holds the VIPs and spreads each API
 * over every controller; the API daemons run active/active as plain systemd units; the state
 * lives in clustered services (Galera, RabbitMQ with quorum queues, the OVN databases) that keep
 * their data on every member instead of moving a disk. Only cinder-volume stays active/passive.
 *
 * Unit names are those of Debian's and Ubuntu's packages (the paths hactl writes elsewhere are
 * Debian's too); agents and their advice were read from their meta-data: resource-agents 4.12's
 * galera and rabbitmq-cluster, ovn-central's ovndb-servers (ocf:ovn), fence-agents' fence_compute.
 * No option hactl writes differs between 2024.1 and 2025.2, so the family has one value each.
 */
import type { Operation, SecretPurposeEntry, ServiceEntry } from './types.js';

const CURRENT = ['current' as const];

/**
 * systemd: resources. Pacemaker asks systemd over D-Bus and waits for the job, so the start and
 * stop timeouts must outlast systemd's own (DefaultTimeoutStartSec/StopSec, 90s): a unit systemd
 * gives up on fails its job, which Pacemaker then sees as a failed start rather than a timeout.
 * The monitor is a D-Bus property read: cheap, every 30s.
 */
const systemdOps: Operation[] = [
  { name: 'start', timeout: '120s' },
  { name: 'stop', timeout: '120s' },
  { name: 'monitor', interval: '30s', timeout: '30s' },
];

/** One systemd: process per unit (the unit is the daemon). */
function unit(id: string, daemon = id): ServiceEntry['processes'][number] {
  return { id, daemon, agent: `systemd:${daemon}`, operations: systemdOps };
}

/** An API behind HAProxy: a systemd clone on every controller, reached at HAProxy's VIP. */
function api(e: Omit<ServiceEntry, 'modes' | 'defaultMode' | 'roles' | 'families'>): ServiceEntry {
  return { ...e, families: CURRENT, modes: ['active-active'], defaultMode: 'active-active', roles: ['controller'] };
}

/**
 * The purposes the current profile's files share with the 2013 entries (one purpose, one secret,
 * whatever the family): the same id and words (a test keeps every declaration of an id equal).
 */
const SHARED_PURPOSES: Record<string, string> = {
  rabbitmq: 'the password of RabbitMQ user openstack, which every OpenStack service logs in with',
  'keystone-db': 'the password of MySQL user keystone',
  'glance-db': 'the password of MySQL user glance',
  'glance-keystone': 'the password of Keystone service user glance',
  'nova-db': 'the password of MySQL user nova (controllers only)',
  'nova-keystone': 'the password of Keystone service user nova (controllers only)',
  'cinder-db': 'the password of MySQL user cinder',
  'cinder-keystone': 'the password of Keystone service user cinder',
  'networking-db': 'the password of MySQL user quantum (neutron from Havana), read by the networking server',
  'networking-keystone': 'the password of Keystone service user quantum (neutron from Havana): the server and agents authenticate with it, and nova (compute nodes too) binds ports through it',
  'metadata-proxy': 'the shared secret that signs instance metadata requests between the metadata agent and nova-api',
  'horizon-secret-key': "Horizon's Django SECRET_KEY (signs session ids and CSRF tokens): the same on every node serving Horizon",
};

function purpose(id: string): SecretPurposeEntry {
  return { id, what: SHARED_PURPOSES[id]! };
}

export const CURRENT_SERVICES: ServiceEntry[] = [
  {
    key: 'haproxy',
    name: 'haproxy',
    summary: 'HAProxy on every controller: the VIPs, one frontend per API, backends on every controller',
    families: CURRENT,
    // Every instance runs with the same haproxy.cfg and binds the VIPs transparently, so the node
    // a VIP moves to already listens on it: a VIP failover does not wait for HAProxy to start.
    modes: ['active-active'],
    defaultMode: 'active-active',
    roles: ['controller'],
    processes: [unit('haproxy')],
    carriesVips: true,
    after: [],
  },
  {
    key: 'galera',
    name: 'galera',
    summary: 'MariaDB Galera cluster: every controller a promoted (writable) member',
    families: CURRENT,
    // Reached through HAProxy, which sends every connection to one member (the others are
    // backups): writes to two members at once are certification conflicts for the application.
    endpoint: { what: 'the database (service galera behind HAProxy)', via: 'haproxy' },
    modes: ['promotable'],
    defaultMode: 'promotable',
    promoteEvery: true,
    // Plain TCP checks: an HTTP clustercheck (port 9200) needs a service hactl does not install.
    frontends: [{ name: 'galera', port: 3306, check: 'tcp', oneActive: true, internal: true }],
    roles: ['controller'],
    processes: [
      {
        id: 'galera',
        daemon: 'mariadbd',
        agent: 'ocf:heartbeat:galera',
        // The agent bootstraps the cluster from the member with the newest seqno and needs the
        // Pacemaker node names in the gcomm address (cluster_host_map otherwise). enable_creation
        // initialises an empty datadir on first start. Debian's paths (the agent defaults to
        // Red Hat's /etc/my.cnf and /var/log/mysqld.log).
        params: {
          wsrep_cluster_address: 'gcomm://{nodes}',
          enable_creation: 'true',
          config: '/etc/mysql/my.cnf',
          datadir: '/var/lib/mysql',
          log: '/var/log/mysql/error.log',
          pid: '/run/mysqld/mysqld.pid',
          socket: '/run/mysqld/mysqld.sock',
        },
        // The agent's advice, with its promote of 300s: a joiner promoted after the others
        // receives a state transfer (SST) inside promote.
        operations: [
          { name: 'start', timeout: '120s' },
          { name: 'stop', timeout: '120s' },
          { name: 'promote', timeout: '300s' },
          { name: 'demote', timeout: '120s' },
          { name: 'monitor', interval: '10s', timeout: '30s', role: 'Promoted' },
          { name: 'monitor', interval: '30s', timeout: '30s', role: 'Unpromoted' },
        ],
      },
    ],
    after: [],
  },
  {
    key: 'rabbitmq-cluster',
    name: 'rabbitmq',
    as: 'rabbitmq',
    summary: 'RabbitMQ cluster on every controller (quorum queues)',
    families: CURRENT,
    secrets: [
      purpose('rabbitmq'),
      { id: 'rabbitmq-erlang-cookie', what: 'the Erlang cookie the RabbitMQ brokers authenticate each other with: the same on every broker (/var/lib/rabbitmq/.erlang.cookie, 20 or more letters)' },
    ],
    // Clients list every broker in transport_url and fail over themselves: no VIP.
    modes: ['active-active'],
    defaultMode: 'active-active',
    roles: ['controller'],
    processes: [
      {
        id: 'rabbitmq',
        daemon: 'rabbitmq-server',
        // resource-agents' agent joins each broker to the running ones (or resets a broker that
        // left the cluster) and leaves the queues to RabbitMQ: quorum queues replicate by Raft.
        agent: 'ocf:heartbeat:rabbitmq-cluster',
        // The agent's advice (start 100s, stop 90s, monitor 10s/40s).
        operations: [
          { name: 'start', timeout: '100s' },
          { name: 'stop', timeout: '90s' },
          { name: 'monitor', interval: '10s', timeout: '40s' },
        ],
      },
    ],
    // transport_url's user on the default vhost. Users are cluster-wide in a RabbitMQ cluster (and
    // the agent carries them over a reset), so one running broker is enough.
    brokerAccount: { user: 'openstack', purpose: 'rabbitmq', vhost: '/', permissions: { configure: '.*', write: '.*', read: '.*' } },
    after: [],
  },
  {
    key: 'memcached',
    name: 'memcached',
    summary: 'memcached on every controller (tokens and caches; clients list every server)',
    families: CURRENT,
    modes: ['active-active'],
    defaultMode: 'active-active',
    roles: ['controller'],
    processes: [unit('memcached')],
    after: [],
  },
  api({
    key: 'keystone-current',
    name: 'keystone',
    summary: 'Keystone (WSGI under uwsgi), behind HAProxy',
    as: 'keystone',
    // The key repositories, one key per slot (0 staged, 2 primary): the same on every keystone node.
    secrets: [
      purpose('keystone-db'),
      { id: 'keystone-fernet-0', what: 'Fernet token key 0 of Keystone (the staged key, the next primary; /etc/keystone/fernet-keys/0)' },
      { id: 'keystone-fernet-1', what: 'Fernet token key 1 of Keystone (the secondary key: validates tokens the previous primary issued)' },
      { id: 'keystone-fernet-2', what: 'Fernet token key 2 of Keystone (the primary key: issues tokens)' },
      { id: 'keystone-credential-0', what: "Keystone's credential encryption key 0 (the staged key; /etc/keystone/credential-keys/0)" },
      { id: 'keystone-credential-1', what: "Keystone's credential encryption key 1 (the secondary key: decrypts credentials not yet migrated)" },
      { id: 'keystone-credential-2', what: "Keystone's credential encryption key 2 (the primary key: encrypts credentials)" },
    ],
    endpoint: { what: 'the identity service (keystone behind HAProxy)', via: 'haproxy' },
    frontends: [{ name: 'keystone', port: 5000, check: { http: '/v3' } }],
    processes: [unit('keystone')],
    after: ['galera', 'memcached'],
  }),
  api({
    key: 'glance-current',
    name: 'glance',
    summary: 'Glance API (the registry is gone since Stein), behind HAProxy',
    as: 'glance',
    secrets: [purpose('glance-db'), purpose('glance-keystone')],
    endpoint: { what: 'the image service (glance behind HAProxy)', via: 'haproxy' },
    frontends: [{ name: 'glance', port: 9292, check: { http: '/healthcheck' } }],
    processes: [unit('glance-api')],
    after: ['galera', 'memcached', 'keystone-current'],
  }),
  api({
    key: 'placement',
    name: 'placement',
    summary: 'Placement API, behind HAProxy',
    secrets: [
      { id: 'placement-db', what: 'the password of MySQL user placement' },
      { id: 'placement-keystone', what: 'the password of Keystone service user placement: placement checks tokens with it, and nova (compute nodes too) reports and claims resources through it' },
    ],
    endpoint: { what: 'the placement service (behind HAProxy)', via: 'haproxy' },
    frontends: [{ name: 'placement', port: 8778, check: { http: '/' } }],
    processes: [unit('placement-api')],
    after: ['galera', 'memcached', 'keystone-current'],
  }),
  api({
    key: 'nova-current',
    name: 'nova',
    summary: 'Nova controller services: api, scheduler, conductor, novncproxy',
    as: 'nova',
    secrets: [purpose('nova-db'), purpose('nova-keystone'), purpose('metadata-proxy')],
    endpoint: { what: 'the compute API (nova behind HAProxy)', via: 'haproxy' },
    frontends: [
      { name: 'nova-api', port: 8774, check: { http: '/' } },
      { name: 'nova-metadata', port: 8775, check: { http: '/' }, internal: true },
      { name: 'nova-novncproxy', port: 6080, check: 'tcp' },
    ],
    processes: [unit('nova-api'), unit('nova-scheduler'), unit('nova-conductor'), unit('nova-novncproxy')],
    after: ['galera', 'rabbitmq-cluster', 'memcached', 'keystone-current', 'placement'],
  }),
  api({
    key: 'neutron-ovn',
    name: 'neutron-server',
    summary: 'Neutron server with ML2/OVN (no L3/DHCP agents: OVN routes and serves DHCP)',
    as: 'network',
    secrets: [purpose('networking-db'), purpose('networking-keystone')],
    endpoint: { what: 'the networking API (neutron-server behind HAProxy)', via: 'haproxy' },
    frontends: [{ name: 'neutron', port: 9696, check: { http: '/' } }],
    processes: [unit('neutron-server')],
    after: ['galera', 'rabbitmq-cluster', 'memcached', 'keystone-current', 'ovn-dbs'],
  }),
  {
    key: 'ovn-dbs',
    name: 'ovn-dbs',
    summary: 'OVN northbound and southbound databases (and ovn-northd) on the promoted node',
    families: CURRENT,
    as: 'ovn',
    endpoint: { what: 'the OVN databases (service ovn-dbs with a VIP)' },
    modes: ['promotable'],
    defaultMode: 'promotable',
    notify: true,
    // On the controllers or on network nodes of their own.
    roles: ['controller', 'network'],
    processes: [
      {
        id: 'ovndb_servers',
        daemon: 'ovsdb-server',
        // ovn-central's agent: the promoted node serves both databases at master_ip and runs
        // ovn-northd; the others replicate from it. It learns the promoted node from notify.
        agent: 'ocf:ovn:ovndb-servers',
        params: { master_ip: '{vip.address}', manage_northd: 'yes', nb_master_port: '6641', sb_master_port: '6642' },
        // The agent's advice (start/stop/promote/demote 30s; monitor 10s, 30s unpromoted), with
        // start/promote at 60s: a promote waits for the databases to be written out.
        operations: [
          { name: 'start', timeout: '60s' },
          { name: 'stop', timeout: '60s' },
          { name: 'promote', timeout: '60s' },
          { name: 'demote', timeout: '60s' },
          { name: 'monitor', interval: '10s', timeout: '60s', role: 'Promoted' },
          { name: 'monitor', interval: '30s', timeout: '60s', role: 'Unpromoted' },
        ],
      },
    ],
    after: [],
  },
  api({
    key: 'cinder-current',
    name: 'cinder',
    summary: 'Cinder api and scheduler, behind HAProxy',
    as: 'cinder',
    secrets: [purpose('cinder-db'), purpose('cinder-keystone')],
    endpoint: { what: 'the block storage API (cinder behind HAProxy)', via: 'haproxy' },
    frontends: [{ name: 'cinder', port: 8776, check: { http: '/healthcheck' } }],
    processes: [unit('cinder-api'), unit('cinder-scheduler')],
    after: ['galera', 'rabbitmq-cluster', 'memcached', 'keystone-current'],
  }),
  {
    key: 'cinder-volume',
    name: 'cinder-volume',
    as: 'cinder_volume',
    // One backend_host for every node that may run it: volumes belong to the host that made them.
    sharedHost: 'cinder',
    secrets: [purpose('cinder-db'), purpose('cinder-keystone')],
    summary: 'cinder-volume, active/passive with one backend_host for every node',
    families: CURRENT,
    // Active/active cinder-volume needs a coordination backend (tooz) the RBD driver supports
    // only with `cluster` set; the HA Guide's pattern is one active volume service.
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    processes: [unit('cinder-volume')],
    after: ['galera', 'rabbitmq-cluster', 'keystone-current'],
  },
  {
    key: 'nova-evacuate',
    name: 'nova-evacuate',
    summary: 'NovaEvacuate (instance HA): evacuates the instances of the compute nodes fence_compute recorded',
    families: CURRENT,
    // One instance: two would both see the same `evacuate` attribute and ask nova twice (the
    // agent itself defers a second request for 60 s only by the attribute it wrote).
    modes: ['active-passive'],
    defaultMode: 'active-passive',
    roles: ['controller'],
    secrets: [purpose('nova-keystone')],
    processes: [
      {
        id: 'nova-evacuate',
        daemon: 'nova-evacuate',
        // openstack-resource-agents' NovaEvacuate (RHEL's resource-agents ships it; Debian does
        // not): its monitor reads the `evacuate` node attribute and calls fence_compute's "off",
        // which asks nova to evacuate the node. Parameters as its meta-data names them; the
        // password has no script option, so it is a CIB secret (lrm://).
        agent: 'ocf:openstack:NovaEvacuate',
        params: { auth_url: '{keystone.auth_url}', username: 'nova', tenant_name: 'service', region_name: '{region}', no_shared_storage: '{instances.local}' },
        secretParams: { password: 'nova-keystone' },
        // The agent's own advice: start/stop 20 s; the monitor does the evacuations (up to 600 s).
        operations: [
          { name: 'start', timeout: '20s' },
          { name: 'stop', timeout: '20s' },
          { name: 'monitor', interval: '10s', timeout: '600s' },
        ],
      },
    ],
    after: ['keystone-current', 'nova-current'],
    notes: 'no_shared_storage must match the instances\' storage (nova refuses or loses disks otherwise): false with compute.instances.rbd (images_type = rbd, which nova treats as shared), true without.',
  },
  api({
    key: 'horizon-current',
    name: 'horizon',
    as: 'horizon',
    secrets: [purpose('horizon-secret-key')],
    summary: 'Horizon dashboard under Apache, behind HAProxy',
    frontends: [{ name: 'horizon', port: 80, check: { http: '/' } }],
    processes: [unit('horizon', 'apache2')],
    after: ['keystone-current', 'memcached'],
  }),
];
