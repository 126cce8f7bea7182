/**
 * The OpenStack configuration files, as data: which file each catalogue service's processes read,
 * where it lives per release family, who may read it, which endpoints and secrets it needs. The
 * templates (templates/*.hbs) hold the option names per family; this table decides who gets what.
 */
import { pick, type Family, type Versioned } from '../../catalog/index.js';
import type { Grammar } from '../../formats/grammars.js';

/** Where Horizon reads its Django SECRET_KEY (its settings open it). */
export const HORIZON_KEY_FILE = '/etc/openstack-dashboard/secret_key';

/** Key of a catalogue entry with an `endpoint` (a test checks every file's needs and uses). */
export type EndpointKey = string;

export interface OpenStackFile {
  id: string;
  /** Families whose nodes get the file (undefined: every family). */
  families?: Family[];
  template: Versioned<string>;
  target: Versioned<string>;
  grammar: Grammar;
  /** Group that may read the file (the service's user); files holding secrets are 0640 root:group. */
  group: Versioned<string>;
  /** Catalogue services whose processes read the file; `processes` narrows to some of them. */
  readers: { key: string; processes?: string[] }[];
  /** The unit that reads it on compute nodes, outside Pacemaker. */
  compute?: Versioned<string>;
  /** Endpoints the file cannot do without (an HA3951 error when one is missing). */
  needs: Versioned<EndpointKey[]>;
  /** Endpoints used when the topology has them. */
  uses?: EndpointKey[];
  /** cephx clients whose pool the file names (an HA3951 error when no pool has that client). */
  pools?: string[];
  /**
   * Secrets referred to, by catalogue purpose id (ServiceEntry.secrets): templates read the
   * secret's name as `secrets.<purpose>`; file-needs checks each is served (HA3952).
   */
  secrets: Versioned<string[]>;
  /**
   * Whole-file secrets installed beside this file on every node that gets it, each the content of
   * the secret serving `purpose` (which `secrets` lists, so a missing one is a hole, HA3952).
   * `restart`: the readers restart when it changes; otherwise the daemons read it on every use.
   */
  secretFiles?: { purpose: string; target: string; owner: string; group: string; mode: string; restart?: true }[];
}

const NET = { since: { grizzly: 'quantum', havana: 'neutron' } } as const;
const net = (f: Family) => pick<string>(NET, f);
const OVS_UNIT = { since: { grizzly: 'quantum-plugin-openvswitch-agent', havana: 'neutron-plugin-openvswitch-agent' } };
const NET_READERS = ['quantum-server', 'quantum-openvswitch-agent', 'quantum-dhcp-agent', 'quantum-l3-agent', 'quantum-metadata-agent'];

/** The 2013 families' files: whole files in the layout of the HA Guide of that era. */
const OF_2013: Family[] = ['grizzly', 'havana', 'icehouse'];

/** Families whose API packages put Keystone options in api-paste.ini (HA review M12). */
export const GRIZZLY_PASTE: Family[] = ['grizzly'];

const FILES_2013: OpenStackFile[] = [
  {
    id: 'keystone',
    template: 'keystone.conf',
    target: '/etc/keystone/keystone.conf',
    grammar: 'oslo',
    group: 'keystone',
    readers: [{ key: 'keystone' }],
    needs: ['mysql'],
    secrets: ['keystone-admin-token', 'keystone-db', 'keystone-signing-cert', 'keystone-signing-key', 'keystone-ca-cert'],
    // The PKI signing material at the [signing] paths keystone.conf names, identical on every
    // Keystone node. Keystone reads the files at each token it signs (openssl cms -sign), so a new
    // one needs no restart. 0640, not 0600: apply makes a missing directory for an owner-only file
    // 0700 root, which Keystone (user keystone) could not enter; no secret file is world-readable,
    // the certificates included (they come from the secret store like the key).
    secretFiles: [
      { purpose: 'keystone-signing-cert', target: '/etc/keystone/ssl/certs/signing_cert.pem', owner: 'keystone', group: 'keystone', mode: '0640' },
      { purpose: 'keystone-signing-key', target: '/etc/keystone/ssl/private/signing_key.pem', owner: 'keystone', group: 'keystone', mode: '0640' },
      { purpose: 'keystone-ca-cert', target: '/etc/keystone/ssl/certs/ca.pem', owner: 'keystone', group: 'keystone', mode: '0640' },
    ],
  },
  {
    id: 'glance-api',
    template: 'glance-api.conf',
    target: '/etc/glance/glance-api.conf',
    grammar: 'oslo',
    group: 'glance',
    readers: [{ key: 'glance', processes: ['glance-api'] }],
    needs: ['mysql', 'glance', 'keystone'],
    pools: ['glance'],
    secrets: ['glance-db', 'glance-keystone'],
  },
  {
    id: 'glance-registry',
    template: 'glance-registry.conf',
    target: '/etc/glance/glance-registry.conf',
    grammar: 'oslo',
    group: 'glance',
    readers: [{ key: 'glance', processes: ['glance-registry'] }],
    needs: ['mysql', 'keystone'],
    secrets: ['glance-db', 'glance-keystone'],
  },
  {
    id: 'nova',
    template: 'nova.conf',
    target: '/etc/nova/nova.conf',
    grammar: 'oslo',
    group: 'nova',
    readers: [{ key: 'nova' }],
    compute: 'nova-compute',
    needs: ['mysql', 'rabbitmq', 'keystone', 'glance', 'nova'],
    uses: ['quantum-server'],
    // Without a pool for cinder there are no RBD volumes to attach: the rbd_* options are left out.
    // Compute nodes read only rabbitmq and networking-keystone (the template's `controller` flag).
    secrets: ['nova-db', 'nova-keystone', 'rabbitmq', 'networking-keystone', 'metadata-proxy'],
  },
  {
    id: 'cinder',
    template: 'cinder.conf',
    target: '/etc/cinder/cinder.conf',
    grammar: 'oslo',
    group: 'cinder',
    readers: [{ key: 'cinder' }],
    needs: ['mysql', 'rabbitmq', 'keystone', 'glance'],
    pools: ['cinder'],
    secrets: ['cinder-db', 'cinder-keystone', 'rabbitmq'],
  },
  {
    id: 'network',
    template: 'quantum.conf',
    target: { since: { grizzly: '/etc/quantum/quantum.conf', havana: '/etc/neutron/neutron.conf' } },
    grammar: 'oslo',
    group: NET,
    readers: NET_READERS.map((key) => ({ key })),
    compute: OVS_UNIT,
    // Havana moved the plugin's database connection into neutron.conf's [database].
    needs: { since: { grizzly: ['rabbitmq', 'keystone'], havana: ['rabbitmq', 'keystone', 'mysql'] } },
    // Agents and compute nodes read only rabbitmq (the template's `server` flag).
    secrets: { since: { grizzly: ['networking-keystone', 'rabbitmq'], havana: ['networking-db', 'networking-keystone', 'rabbitmq'] } },
  },
  {
    // The core plugin's file, read by the server and by the OVS agent: the monolithic Open vSwitch
    // plugin's until Havana; Icehouse deprecated that plugin for ML2 with the openvswitch
    // mechanism driver (Juno removed it), and its packaging starts the OVS agent on ml2_conf.ini.
    id: 'network-plugin',
    template: { since: { grizzly: 'ovs_plugin.ini', icehouse: 'ml2_conf.ini' } },
    target: {
      since: {
        grizzly: '/etc/quantum/plugins/openvswitch/ovs_quantum_plugin.ini',
        havana: '/etc/neutron/plugins/openvswitch/ovs_neutron_plugin.ini',
        icehouse: '/etc/neutron/plugins/ml2/ml2_conf.ini',
      },
    },
    grammar: 'oslo',
    group: NET,
    readers: [{ key: 'quantum-server' }, { key: 'quantum-openvswitch-agent' }],
    compute: OVS_UNIT,
    // Grizzly's server reads its database connection from this file.
    needs: { since: { grizzly: ['mysql'], havana: [] } },
    // Grizzly keeps the plugin's database connection (with its password) in this file.
    secrets: { since: { grizzly: ['networking-db'], havana: [] } },
  },
  {
    id: 'dhcp-agent',
    template: 'dhcp_agent.ini',
    target: { since: { grizzly: '/etc/quantum/dhcp_agent.ini', havana: '/etc/neutron/dhcp_agent.ini' } },
    grammar: 'oslo',
    group: NET,
    readers: [{ key: 'quantum-dhcp-agent' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'l3-agent',
    template: 'l3_agent.ini',
    target: { since: { grizzly: '/etc/quantum/l3_agent.ini', havana: '/etc/neutron/l3_agent.ini' } },
    grammar: 'oslo',
    group: NET,
    readers: [{ key: 'quantum-l3-agent' }],
    needs: ['keystone'],
    // Grizzly's L3 agent still authenticated against Keystone with its own admin credentials.
    secrets: { since: { grizzly: ['networking-keystone'], havana: [] } },
  },
  {
    id: 'metadata-agent',
    template: 'metadata_agent.ini',
    target: { since: { grizzly: '/etc/quantum/metadata_agent.ini', havana: '/etc/neutron/metadata_agent.ini' } },
    grammar: 'oslo',
    group: NET,
    readers: [{ key: 'quantum-metadata-agent' }],
    needs: ['keystone', 'nova'],
    secrets: ['networking-keystone', 'metadata-proxy'],
  },
  {
    id: 'horizon',
    template: 'local_settings.py',
    target: '/etc/openstack-dashboard/local_settings.py',
    grammar: 'python-str',
    group: 'root',
    readers: [{ key: 'horizon' }],
    // Sessions are kept in MySQL, reached at its VIP.
    needs: ['keystone', 'mysql'],
    // Not referred to in the file: local_settings.py reads them from secret files apply installs.
    secrets: ['horizon-secret-key', 'horizon-db'],
  },
  // HA review M12: Grizzly's packages shipped [filter:authtoken] with auth_host = 127.0.0.1 and
  // placeholder credentials, and Grizzly's auth_token middleware reads the paste filter's options
  // before the service's [keystone_authtoken]. hactl replaces each API's paste file with one whose
  // filter names only its factory. Havana's packages moved the options out of the paste files.
  ...([
    ['nova-api-paste', 'nova-api-paste.ini', '/etc/nova/api-paste.ini', 'nova', 'nova', 'nova-api'],
    ['glance-api-paste', 'glance-api-paste.ini', '/etc/glance/glance-api-paste.ini', 'glance', 'glance', 'glance-api'],
    ['glance-registry-paste', 'glance-registry-paste.ini', '/etc/glance/glance-registry-paste.ini', 'glance', 'glance', 'glance-registry'],
    ['cinder-api-paste', 'cinder-api-paste.ini', '/etc/cinder/api-paste.ini', 'cinder', 'cinder', 'cinder-api'],
    ['network-api-paste', 'quantum-api-paste.ini', '/etc/quantum/api-paste.ini', 'quantum', 'quantum-server', undefined],
  ] as const).map(([id, template, target, group, key, process]): OpenStackFile => ({
    id,
    families: GRIZZLY_PASTE,
    template,
    target,
    grammar: 'oslo',
    group,
    readers: [process === undefined ? { key } : { key, processes: [process] }],
    needs: [],
    secrets: [],
  })),
  {
    id: 'rabbitmq',
    template: 'rabbitmq-env.conf',
    target: '/etc/rabbitmq/rabbitmq-env.conf',
    grammar: 'shell',
    group: 'root',
    readers: [{ key: 'rabbitmq' }],
    needs: ['rabbitmq'],
    secrets: [],
  },
  {
    id: 'mysql',
    template: 'mysql.cnf',
    // A drop-in: Debian's my.cnf reads /etc/mysql/conf.d/*.cnf, so the packaged file stays.
    target: '/etc/mysql/conf.d/hactl.cnf',
    grammar: 'mycnf',
    group: 'root',
    readers: [{ key: 'mysql' }],
    needs: ['mysql'],
    secrets: [],
  },
];

/**
 * The current profile's files. An OpenStack daemon reads every *.conf of /etc/<project>/<project>.conf.d
 * after its own files (oslo.config's default config directory, used when a unit passes no
 * --config-dir, as Debian's, Ubuntu's and RDO's units do not): hactl's options go there as a
 * drop-in, so the distribution's or the deployment tool's own files stay theirs. Services whose
 * units read one file only (HAProxy, memcached) get the whole file.
 */
const CURRENT: Family[] = ['current'];
/** Slots of a Keystone key repository: Keystone's max_active_keys (3, written in the drop-in). */
const KEY_SLOTS = [0, 1, 2];
const dropIn = (project: string, dir = project) => `/etc/${project}/${dir}.conf.d/60-hactl.conf`;

const FILES_CURRENT: OpenStackFile[] = [
  {
    id: 'haproxy',
    template: 'haproxy.cfg',
    // Debian's unit starts haproxy -f /etc/haproxy/haproxy.cfg and reads no directory.
    target: '/etc/haproxy/haproxy.cfg',
    grammar: 'haproxy',
    group: 'root',
    readers: [{ key: 'haproxy' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'galera',
    template: 'galera.cnf',
    // Debian's my.cnf includes /etc/mysql/mariadb.conf.d/*.cnf in name order: after 50-server.cnf.
    target: '/etc/mysql/mariadb.conf.d/60-hactl-galera.cnf',
    grammar: 'mycnf',
    group: 'root',
    readers: [{ key: 'galera' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'memcached',
    template: 'memcached.conf',
    // Debian's memcached wrapper reads this one file (its -l is 127.0.0.1 by default: the other
    // controllers could not reach it).
    target: '/etc/memcached.conf',
    grammar: 'shell',
    group: 'root',
    readers: [{ key: 'memcached' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'rabbitmq-current',
    template: 'rabbitmq.conf',
    // RabbitMQ's own file (the new-style format, read by every release since 3.7); Debian's
    // package ships none, so hactl's is the whole file.
    target: '/etc/rabbitmq/rabbitmq.conf',
    grammar: 'rabbitmq',
    group: 'root',
    readers: [{ key: 'rabbitmq-cluster' }],
    needs: [],
    // Members authenticate each other with the Erlang cookie: one value on every broker, or a
    // broker cannot join (or stay in) the cluster. A new cookie takes effect at a restart.
    secrets: ['rabbitmq-erlang-cookie'],
    secretFiles: [{ purpose: 'rabbitmq-erlang-cookie', target: '/var/lib/rabbitmq/.erlang.cookie', owner: 'rabbitmq', group: 'rabbitmq', mode: '0400', restart: true }],
  },
  {
    id: 'keystone-current',
    template: 'keystone.conf.d',
    target: dropIn('keystone'),
    grammar: 'oslo',
    group: 'keystone',
    readers: [{ key: 'keystone-current' }],
    needs: ['galera'],
    // Fernet keys identical on every keystone node (no shared disk in the cluster): 0 is the staged
    // key, the highest index the primary, those between secondaries; tokens and credentials
    // issued on one node validate on all. Keystone reads the repositories on every use.
    secrets: ['keystone-db', ...KEY_SLOTS.map((i) => `keystone-fernet-${i}`), ...KEY_SLOTS.map((i) => `keystone-credential-${i}`)],
    secretFiles: [
      ...KEY_SLOTS.map((i) => ({ purpose: `keystone-fernet-${i}`, target: `/etc/keystone/fernet-keys/${i}`, owner: 'keystone', group: 'keystone', mode: '0600' })),
      ...KEY_SLOTS.map((i) => ({ purpose: `keystone-credential-${i}`, target: `/etc/keystone/credential-keys/${i}`, owner: 'keystone', group: 'keystone', mode: '0600' })),
    ],
  },
  {
    id: 'keystone-listen',
    template: 'keystone.default',
    // Debian's init script (openstack-pkg-tools) binds uwsgi to every address and has no drop-in
    // directory; it sources /etc/default/keystone after building its arguments, so the file
    // replaces them (Debian ships none).
    target: '/etc/default/keystone',
    grammar: 'shell',
    group: 'root',
    readers: [{ key: 'keystone-current' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'glance-current',
    template: 'glance-api.conf.d',
    // glance-api reads its program's directory too; the project's would also reach glance-manage.
    target: dropIn('glance', 'glance-api'),
    grammar: 'oslo',
    group: 'glance',
    readers: [{ key: 'glance-current' }],
    needs: ['galera', 'keystone-current'],
    pools: ['glance'],
    secrets: ['glance-db', 'glance-keystone'],
  },
  {
    id: 'placement',
    template: 'placement.conf.d',
    target: dropIn('placement'),
    grammar: 'oslo',
    group: 'placement',
    readers: [{ key: 'placement' }],
    needs: ['galera', 'keystone-current'],
    secrets: ['placement-db', 'placement-keystone'],
  },
  {
    id: 'placement-listen',
    template: 'placement-api.default',
    // As keystone-listen: Debian's placement-api init script sources this file last.
    target: '/etc/default/placement-api',
    grammar: 'shell',
    group: 'root',
    readers: [{ key: 'placement' }],
    needs: [],
    secrets: [],
  },
  {
    id: 'nova-current',
    template: 'nova.conf.d',
    target: dropIn('nova'),
    grammar: 'oslo',
    group: 'nova',
    readers: [{ key: 'nova-current' }],
    compute: 'nova-compute',
    needs: ['galera', 'keystone-current', 'glance-current', 'placement', 'neutron-ovn', 'nova-current'],
    secrets: ['nova-db', 'nova-keystone', 'rabbitmq', 'networking-keystone', 'metadata-proxy', 'placement-keystone'],
  },
  {
    id: 'neutron-current',
    template: 'neutron.conf.d',
    target: dropIn('neutron'),
    grammar: 'oslo',
    group: 'neutron',
    readers: [{ key: 'neutron-ovn' }],
    needs: ['galera', 'keystone-current', 'ovn-dbs', 'nova-current'],
    secrets: ['networking-db', 'networking-keystone', 'nova-keystone', 'rabbitmq'],
  },
  {
    id: 'cinder-current',
    template: 'cinder.conf.d',
    target: dropIn('cinder'),
    grammar: 'oslo',
    group: 'cinder',
    readers: [{ key: 'cinder-current' }, { key: 'cinder-volume' }],
    needs: ['galera', 'keystone-current', 'glance-current'],
    pools: ['cinder'],
    secrets: ['cinder-db', 'cinder-keystone', 'rabbitmq'],
  },
  {
    id: 'horizon-current',
    template: '_60_hactl.py',
    // A drop-in: Horizon's settings read local_settings.d/*.py after local_settings.py.
    target: '/etc/openstack-dashboard/local_settings.d/_60_hactl.py',
    grammar: 'python-str',
    group: 'root',
    readers: [{ key: 'horizon-current' }],
    needs: ['keystone-current'],
    // Not referred to in the file: the drop-in reads the key from the file installed beside it.
    secrets: ['horizon-secret-key'],
    secretFiles: [{ purpose: 'horizon-secret-key', target: HORIZON_KEY_FILE, owner: 'root', group: 'www-data', mode: '0640', restart: true }],
  },
  {
    id: 'horizon-listen',
    template: 'ports.conf',
    // Apache's Listen directives live in this one file of Debian's apache2 (apache2.conf includes
    // it); a Listen in a conf.d drop-in would add a second socket, not replace the wildcard one.
    target: '/etc/apache2/ports.conf',
    grammar: 'shell',
    group: 'root',
    readers: [{ key: 'horizon-current' }],
    needs: [],
    secrets: [],
  },
];

export const OPENSTACK_FILES: OpenStackFile[] = [...FILES_2013.map((f) => ({ families: OF_2013, ...f })), ...FILES_CURRENT.map((f) => ({ families: CURRENT, ...f }))];

export { net as networkingName };
