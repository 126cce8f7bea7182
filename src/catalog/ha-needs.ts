/**
 * What each catalogue service needs, below Pacemaker, for a failover to restore it: the state
 * that must move with it, the identity its agents must keep, how many agents serve one network,
 * what its resource agent's monitor waits for, and the distribution units that must not start it
 * at boot. Data, keyed by the catalogue entry's key; `hactl check` (src/check/services.ts)
 * verifies each need against the compiled output (CIB and node files). The facts are those of the
 * 2013 HA Guide and the agents of the era (../shared/research/openstack-ha.md §§4-5, cited per
 * entry) and of the HA review (../shared/reviews/ha-review.md).
 */
import type { Versioned } from './types.js';

/** An option in an INI file hactl writes on the service's nodes. */
export interface IniOption {
  file: Versioned<string>;
  section: string;
  option: string;
}

export interface HaNeeds {
  /**
   * State kept on disk that another node must see after a failover. Satisfied only when the
   * service's compiled group mounts shared storage (an RBD image) over `path`.
   */
  sharedState?: { path: string; what: string };
  /**
   * The service's agents are known to the rest of the cloud by a host name: every node that may
   * run it must write the same value, or what was scheduled to the failed node's agent (routers,
   * volumes) stays with a dead agent.
   */
  hostIdentity?: IniOption & { why: string; fix: Versioned<string> };
  /**
   * Active/active agents serve a network only when the server schedules the network to more than
   * one of them: the option, in the file of `server` (a catalogue key), must be at least the
   * number of nodes running this service.
   */
  agentsPerNetwork?: IniOption & { server: string };
  /**
   * The resource agent's monitor waits for an ESTABLISHED TCP connection from the daemon to the
   * port in `param` (`default` when unset). The daemon only ever connects to `opens`: any other
   * value makes every start time out.
   */
  monitorPort?: { process: Versioned<string>; param: Versioned<string>; default: string; opens: string; why: string };
  /**
   * INI files hactl replaces whose [DEFAULT] is where the daemons learn where to log: the
   * ocf:openstack agents send their output to /dev/null, so each needs log_dir, log_file or
   * use_syslog = True there, or it logs nowhere (HA review M3).
   */
  logsIn?: Versioned<string>[];
  /**
   * Options whose code default keeps state in the daemon's memory (lost at every restart and
   * failover): each must name the persistent backend in the file hactl writes. None where the
   * release's default is persistent.
   */
  persistentState?: Versioned<(IniOption & { value: string; what: string; default?: string })[]>;
  /**
   * The daemon signs what it issues (Keystone's PKI tokens) with files that must be identical on
   * every node that may run it, or what one node signed fails validation on the node taking over.
   * It signs when the first of `format`'s options that is set (or `default` when none is) is one
   * of `signs`; then each of `files` (the option's value, or its code default) must be a file the
   * manifest installs on every node of the service from one secret.
   */
  sharedSigning?: Versioned<{
    format: IniOption[];
    default: string;
    signs: string[];
    files: (IniOption & { default: string; what: string })[];
  } | null>;
  /** Units the distribution's packages enable at boot for this service's daemons. */
  bootUnits: Versioned<string[]>;
  /**
   * The daemon listens on every address (0.0.0.0), not on the VIP's: it need not restart when the
   * VIP does, so its order after the VIP is Optional.
   */
  listensOnAnyAddress?: true;
  /**
   * The service keeps no state on its node: when it cannot start where its VIP runs, it waits
   * there (failure-timeout) rather than pull the VIP, and with it the services that hold state
   * (MySQL's and RabbitMQ's RBD images, remapped and remounted), to another node (HA review M8).
   * Pacemaker reads this as the resource's `critical=false` (2.1.0+; older releases ignore it).
   */
  stateless?: true;
  /**
   * The service keeps a quorum of its own among the nodes that run it (Galera's primary
   * component, the Raft group of a RabbitMQ quorum queue): it serves only while more than half of
   * them are up and reach each other, so it survives fewer failures than its node count suggests,
   * and an even count split in halves leaves neither half serving. `what` names what stops.
   */
  majority?: {
    what: string;
    /**
     * A daemon that joins the members' quorum as one more vote and holds no data (Galera's
     * garbd), run from its distribution package outside Pacemaker on the service's `arbiter:`
     * node: the package, its systemd unit, the file the unit sources, the group port.
     */
    arbiter?: { name: string; package: string; unit: string; file: string; port: number };
  };
  /**
   * The service forwards clients to the nodes of other services (HAProxy): `file`, on each node
   * that runs it, has one `listen` section per catalogue `frontends` entry of its cluster, whose
   * `server` lines must be exactly the nodes that run that entry (with `oneActive`, one server
   * without `backup`).
   */
  proxies?: { file: string };
  /**
   * Clients reach the promoted instance only (the OVN databases' master_ip): the service's VIP
   * must be colocated with the Promoted role and start after the promote.
   */
  vipOnPromoted?: true;
  /**
   * Paste files whose [filter:authtoken] the auth_token middleware reads before the service's
   * [keystone_authtoken] (Grizzly's keystoneclient): one that sets a Keystone option there
   * overrides what hactl writes (the packages shipped auth_host = 127.0.0.1 and placeholder
   * credentials), and a missing file leaves the packaged one in place (HA review M12).
   */
  pasteAuthtoken?: Versioned<string[]>;
}

/**
 * Node attributes check reads as failure domains (one value shared by nodes that fail together: a
 * site, a room, a rack, a blade chassis, the hypervisor of VMs), for a quorum arbiter that must
 * not fail with the members it is to outvote (HA6151).
 */
export const FAILURE_DOMAINS = ['site', 'room', 'rack', 'chassis', 'hypervisor'] as const;

/** Options of Grizzly's auth_token middleware that must come from [keystone_authtoken] only. */
export const PASTE_AUTH_OPTIONS = ['auth_host', 'auth_port', 'auth_protocol', 'admin_user', 'admin_password', 'admin_tenant_name', 'signing_dir'];

/** Keystone's [signing] files and their code defaults (the same from Grizzly to Icehouse). */
const SIGNING_FILES: (IniOption & { default: string; what: string })[] = [
  { file: '/etc/keystone/keystone.conf', section: 'signing', option: 'certfile', default: '/etc/keystone/ssl/certs/signing_cert.pem', what: 'signing certificate' },
  { file: '/etc/keystone/keystone.conf', section: 'signing', option: 'keyfile', default: '/etc/keystone/ssl/private/signing_key.pem', what: 'signing key' },
  { file: '/etc/keystone/keystone.conf', section: 'signing', option: 'ca_certs', default: '/etc/keystone/ssl/certs/ca.pem', what: 'CA certificate' },
];

const NET_CONF: Versioned<string> = { since: { grizzly: '/etc/quantum/quantum.conf', havana: '/etc/neutron/neutron.conf' } };

export const HA_NEEDS: Record<string, HaNeeds> = {
  // research §5.15(a): the datadir on DRBD (HA Guide) or RBD (Juju charm), moved with the VIP.
  mysql: { sharedState: { path: '/var/lib/mysql', what: 'the databases (datadir)' }, bootUnits: ['mysql'] },
  // research §5.14(a): rabbit@localhost exists so that the other node takes over the same Mnesia
  // (users, vhosts, permissions, durable queues); the HA Guide keeps it on DRBD, the charm on RBD.
  rabbitmq: { sharedState: { path: '/var/lib/rabbitmq', what: 'the Mnesia database (users, vhosts, permissions, durable queues)' }, bootUnits: ['rabbitmq-server'] },
  keystone: {
    // Stateless once tokens and EC2 credentials are in SQL (persistentState below).
    stateless: true,
    logsIn: ['/etc/keystone/keystone.conf'],
    // HA review M4: Grizzly's code defaults are keystone.token.backends.kvs.Token and
    // keystone.contrib.ec2.backends.kvs.Ec2 (the distribution's keystone.conf set sql; hactl's replaces it).
    persistentState: {
      since: {
        grizzly: [
          { file: '/etc/keystone/keystone.conf', section: 'token', option: 'driver', value: 'keystone.token.backends.sql.Token', what: 'tokens (every user is logged out)' },
          { file: '/etc/keystone/keystone.conf', section: 'ec2', option: 'driver', value: 'keystone.contrib.ec2.backends.sql.Ec2', what: 'EC2 credentials (deleted for good: S3 through radosgw and the EC2 API stop working)' },
        ],
        // Havana's keystone/common/config.py registers [token] driver with the default
        // keystone.token.backends.sql.Token, and its EC2 controller keeps credentials through the
        // credential API ([credential] driver, default sql): a file may leave both unset.
        havana: [
          { file: '/etc/keystone/keystone.conf', section: 'token', option: 'driver', value: 'keystone.token.backends.sql.Token', default: 'keystone.token.backends.sql.Token', what: 'tokens (every user is logged out)' },
          {
            file: '/etc/keystone/keystone.conf',
            section: 'credential',
            option: 'driver',
            value: 'keystone.credential.backends.sql.Credential',
            default: 'keystone.credential.backends.sql.Credential',
            what: 'EC2 credentials (deleted for good: S3 through radosgw and the EC2 API stop working)',
          },
        ],
      },
    },
    // HA review M4: PKI is the token format of Grizzly ([signing] token_format, default PKI: the
    // Grizzly admin guide's "Certificates for PKI") and of Havana and Icehouse ([token] provider
    // unset and no token_format: keystone/token/provider.py returns the PKI provider; Juno's
    // default is PKIZ, signed the same way). keystone-manage pki_setup run on each node makes a
    // CA and key of its own: tokens signed on one controller then fail validation on the other.
    sharedSigning: {
      since: {
        grizzly: {
          format: [{ file: '/etc/keystone/keystone.conf', section: 'signing', option: 'token_format' }],
          default: 'PKI',
          signs: ['PKI'],
          files: SIGNING_FILES,
        },
        havana: {
          // [token] provider wins over the deprecated [signing] token_format when both are set.
          format: [
            { file: '/etc/keystone/keystone.conf', section: 'token', option: 'provider' },
            { file: '/etc/keystone/keystone.conf', section: 'signing', option: 'token_format' },
          ],
          default: 'keystone.token.providers.pki.Provider',
          signs: ['PKI', 'keystone.token.providers.pki.Provider'],
          files: SIGNING_FILES,
        },
      },
    },
    bootUnits: ['keystone'],
  },
  glance: {
    stateless: true,
    pasteAuthtoken: { since: { grizzly: ['/etc/glance/glance-api-paste.ini', '/etc/glance/glance-registry-paste.ini'], havana: [] } },
    logsIn: ['/etc/glance/glance-api.conf', '/etc/glance/glance-registry.conf'],
    bootUnits: ['glance-api', 'glance-registry'],
  },
  nova: {
    stateless: true,
    pasteAuthtoken: { since: { grizzly: ['/etc/nova/api-paste.ini'], havana: [] } },
    logsIn: ['/etc/nova/nova.conf'],
    bootUnits: ['nova-api', 'nova-scheduler', 'nova-cert', 'nova-consoleauth', 'nova-conductor', 'nova-novncproxy'],
  },
  cinder: {
    stateless: true,
    // research §5.8: both nodes advertise one host, or volumes stay owned by the dead node's
    // cinder-volume (no scheduler moves them).
    hostIdentity: {
      file: '/etc/cinder/cinder.conf',
      section: 'DEFAULT',
      option: 'host',
      why: 'volumes belong to the cinder-volume host that created them',
      fix: 'write one value of host in cinder.conf on every cinder-volume node (hactl writes cinder-<cluster>)',
    },
    logsIn: ['/etc/cinder/cinder.conf'],
    pasteAuthtoken: { since: { grizzly: ['/etc/cinder/api-paste.ini'], havana: [] } },
    bootUnits: ['cinder-api', 'cinder-scheduler', 'cinder-volume'],
  },
  'quantum-server': {
    stateless: true,
    logsIn: [NET_CONF],
    pasteAuthtoken: { since: { grizzly: ['/etc/quantum/api-paste.ini'], havana: [] } },
    bootUnits: { since: { grizzly: ['quantum-server'], havana: ['neutron-server'] } },
  },
  // Debian's apache2 listens on *:80 (ports.conf); hactl does not replace it.
  horizon: { stateless: true, bootUnits: ['apache2'], listensOnAnyAddress: true },
  'quantum-openvswitch-agent': { logsIn: [NET_CONF], bootUnits: { since: { grizzly: ['quantum-plugin-openvswitch-agent'], havana: ['neutron-plugin-openvswitch-agent'] } } },
  'quantum-dhcp-agent': {
    // research §5.10 and §8 (networking-ha-dhcp.rst): the default 1 schedules each network to
    // one agent; Grizzly/Havana never reschedule away from a dead one.
    agentsPerNetwork: { server: 'quantum-server', file: NET_CONF, section: 'DEFAULT', option: 'dhcp_agents_per_network' },
    logsIn: [NET_CONF],
    bootUnits: { since: { grizzly: ['quantum-dhcp-agent'], havana: ['neutron-dhcp-agent'] } },
  },
  'quantum-l3-agent': {
    // research §5.9 (HA Guide ap-network-controller.txt): "Both nodes should have the same
    // hostname since the Neutron scheduler will be aware of one node". Written in l3_agent.ini,
    // which only the L3 agent reads: the DHCP agents on the same nodes keep their own identities.
    hostIdentity: {
      file: { since: { grizzly: '/etc/quantum/l3_agent.ini', havana: '/etc/neutron/l3_agent.ini' } },
      section: 'DEFAULT',
      option: 'host',
      why: 'routers are scheduled to the L3 agent of one host and are not rescheduled when it dies',
      fix: {
        since: {
          grizzly: 'write one value of host in l3_agent.ini on every L3 node (hactl writes l3-agent-<cluster>)',
          // ML2 (Icehouse) binds a router port to the L3 agent's host and wants an Open vSwitch
          // agent of that same host; allow_automatic_l3agent_failover arrived only in Juno.
          icehouse:
            'under ML2 a shared L3 host needs Open vSwitch agents of that host: run the L3 agent on nodes of its own whose quantum/neutron.conf shares host, or reschedule routers off dead agents (neutron-ha-tool); hactl does neither yet',
        },
      },
    },
    // research §4.1/§4.3 trap 9 (fixed upstream only in 154f4f35, 2014-06-28).
    monitorPort: {
      process: { since: { grizzly: 'quantum-l3-agent', havana: 'neutron-l3-agent' } },
      param: { since: { grizzly: 'quantum_server_port', havana: 'neutron_server_port' } },
      default: '9696',
      opens: '5672',
      why: 'the L3 agent reaches the server over AMQP RPC only and never connects to the API port',
    },
    logsIn: [NET_CONF],
    bootUnits: { since: { grizzly: ['quantum-l3-agent'], havana: ['neutron-l3-agent'] } },
  },
  'quantum-metadata-agent': { logsIn: [NET_CONF], bootUnits: { since: { grizzly: ['quantum-metadata-agent'], havana: ['neutron-metadata-agent'] } } },
  // The current profile: every unit Pacemaker starts is one the packages enable at boot.
  haproxy: { bootUnits: ['haproxy'], proxies: { file: '/etc/haproxy/haproxy.cfg' } },
  // A member that loses sight of the others without a clean leave takes the rest out of the
  // primary component unless more than half remain (Galera's weighted quorum, equal weights).
  galera: {
    bootUnits: ['mariadb'],
    majority: {
      what: 'the database (no primary component: every member refuses reads and writes)',
      // Debian 12's galera-arbitrator-4 (read with apt-get download): garb.service runs
      // /usr/bin/garb-systemd, which sources /etc/default/garb and starts garbd with
      // -a gcomm://$GALERA_NODES -g $GALERA_GROUP [-o $GALERA_OPTIONS]. 4567: Galera's group port.
      arbiter: { name: 'garbd', package: 'galera-arbitrator-4', unit: 'garb', file: '/etc/default/garb', port: 4567 },
    },
  },
  // oslo.messaging declares quorum queues (rabbit_quorum_queue); each queue's Raft group spans
  // the brokers and takes messages only while a majority of them is up.
  'rabbitmq-cluster': { bootUnits: ['rabbitmq-server'], majority: { what: 'the quorum queues (no majority of brokers: RPC calls and notifications stop)' } },
  memcached: { bootUnits: ['memcached'] },
  'keystone-current': { bootUnits: ['keystone'] },
  'glance-current': { bootUnits: ['glance-api'] },
  placement: { bootUnits: ['placement-api'] },
  'nova-current': { bootUnits: ['nova-api', 'nova-scheduler', 'nova-conductor', 'nova-novncproxy'] },
  'neutron-ovn': { bootUnits: ['neutron-server'] },
  // Only the promoted ovsdb-server takes writes and serves at master_ip; the others replicate.
  'ovn-dbs': { bootUnits: ['ovn-central', 'ovn-northd', 'ovn-ovsdb-server-nb', 'ovn-ovsdb-server-sb'], vipOnPromoted: true },
  'cinder-current': { bootUnits: ['cinder-api', 'cinder-scheduler'] },
  // research §5.8 holds today: volumes belong to the backend_host that created them.
  'cinder-volume': {
    hostIdentity: {
      file: '/etc/cinder/cinder.conf.d/60-hactl.conf',
      section: 'rbd',
      option: 'backend_host',
      why: 'volumes belong to the cinder-volume host that created them',
      fix: 'write one value of backend_host in the RBD backend section on every cinder-volume node (hactl writes cinder-<cluster>)',
    },
    bootUnits: ['cinder-volume'],
  },
  'horizon-current': { bootUnits: ['apache2'] },
  'nova-evacuate': { bootUnits: [] },
};
