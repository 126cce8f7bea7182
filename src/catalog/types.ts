/**
 * The service catalogue is data: one entry per OpenStack (or infrastructure) service, saying which
 * resource agents keep it alive, with which parameters, operations and order. Compile targets
 * read it; adding a service is adding an entry, never a branch in a compiler.
 */
import { FAMILIES, type Family, type Mode, type Role } from '../vocabulary.js';

export { FAMILIES, type Family };

/**
 * A value that may change with the release family: either one value for all, or values keyed by
 * the family they start from (the newest key not newer than the topology's family applies).
 */
export type Versioned<T> = T | { since: Partial<Record<Family, T>> };

export interface Operation {
  name: 'start' | 'stop' | 'monitor' | 'promote' | 'demote' | 'migrate_to' | 'migrate_from';
  /** Interval of a recurring operation (monitor); omitted or '0s' for one-shot operations. */
  interval?: string;
  timeout: string;
  role?: 'Promoted' | 'Unpromoted';
  /**
   * Why the timeout is shorter than the agent's meta-data advises, when it deliberately is (the
   * agents test holds every other operation to the advice).
   */
  belowAdvised?: string;
}

/** One process (daemon) of a service, kept alive by one resource agent: one primitive. */
export interface ProcessEntry {
  /** Stem of the resource id (p_<stem>) and the daemon it runs. */
  id: Versioned<string>;
  daemon: Versioned<string>;
  /** class:provider:type or class:type. */
  agent: Versioned<string>;
  /**
   * Instance attributes. Values may use {placeholders} that compile fills from the model:
   * {vip.address} (the service's VIP), {rbd.mount} (where its RBD image is mounted), {service}
   * and {cluster} (names), {region} (the Keystone region), {keystone.auth_url} (Keystone's v3 URL
   * at its VIP in the cluster) and {instances.local} ("true" unless compute.instances puts the
   * instances on RBD). A placeholder the service cannot fill is a catalogue bug (a test compiles
   * every entry).
   */
  params?: Versioned<Record<string, string>>;
  /**
   * Instance attributes whose value is a secret: parameter -> secret purpose (one of the entry's
   * `secrets`). The CIB holds Pacemaker's CIB-secret marker (`lrm://`) and apply installs the value
   * of the secret serving the purpose where the process may run, as pacemaker-execd reads it
   * (/var/lib/pacemaker/lrm/secrets/<resource>/<param> and its .sign): a password an agent takes
   * as a parameter (fence_compute's, NovaEvacuate's Keystone password) never enters the CIB.
   */
  secretParams?: Record<string, string>;
  operations: Operation[];
  meta?: Record<string, string>;
}

/**
 * What a secret is for. Its id is also the name of the secret that serves it by convention (a
 * topology may instead list it under a secret's `purposes`). Files name the purposes they read
 * (OpenStackFile.secrets), so each secret lands only on the nodes whose files need it.
 */
export interface SecretPurposeEntry {
  id: string;
  /** What the secret is, as the schema and messages describe it. */
  what: string;
}

export interface ServiceEntry {
  /** Stable key of the entry (the grizzly-era name for renamed services). */
  key: string;
  /** The name operators write in the topology, per family. */
  name: Versioned<string>;
  summary: string;
  /** Releases where the service exists under any name (undefined: every release). */
  families?: Family[];
  modes: Mode[];
  defaultMode: Mode;
  /** Node roles whose nodes run this service's processes (and get its config files). */
  roles: Role[];
  processes: ProcessEntry[];
  /**
   * Keys of entries this service starts after, when they are in the same cluster. Pacemaker gets
   * an Optional order for each: honoured whenever both start or stop in one transition (boot,
   * failover), without restarting this service each time the other one restarts.
   */
  after: string[];
  /**
   * Keys (a subset of `after`) of entries whose instance must run on the same node, because this
   * service talks to it locally (unix socket, local Open vSwitch bridge). Compiled to a colocation
   * and a Mandatory order: with interleaved clones, that ties each node's instances together.
   */
  with?: string[];
  /**
   * Set when the service can keep its data on an RBD image (storage.rbd in the topology): where
   * the image's filesystem is mounted unless the topology says otherwise.
   */
  storage?: { mount: string };
  /**
   * The name templates use for this entry (`ep.<name>`, `here.<name>`, `svc.<name>`; see
   * TemplateFacts); default the key. Set it where the key is no handlebars identifier (a hyphen).
   */
  as?: string;
  /**
   * Set when clients reach the service at its VIP and node files point at it: `what` names it in
   * messages (HA3951), and templates read its address as `ep.<as ?? key>.host`.
   */
  endpoint?: {
    what: string;
    /**
     * Key of the service whose VIP clients use instead of one of this service's own (HAProxy in
     * front of the APIs in the current profile): the service itself has no VIP.
     */
    via?: string;
  };
  /**
   * `<prefix>` of the one `host=` every node of the service's cluster shares (`<prefix>-<cluster>`,
   * templates read it as `here.<as ?? key>.host`): set for agents whose work the servers bind to
   * an agent by its host (cinder-volume's volumes, the L3 agent's routers), so the node taking
   * over is the same agent. Null in the families where a shared host is wrong.
   */
  sharedHost?: Versioned<string | null>;
  /** The secrets this service's files read (each its own purpose; see SecretPurposeEntry). */
  secrets?: SecretPurposeEntry[];
  /**
   * Every VIP of the cluster that no other service names runs with this clone and starts after
   * it (HAProxy, which listens on all of them).
   */
  carriesVips?: true;
  /**
   * Ports HAProxy (the service that carries the VIPs) listens on for this service, at every VIP it
   * carries, with a backend on every node that runs the service. `oneActive`: one backend takes
   * every connection and the others are backups (Galera: writes to one member only). `internal`:
   * only at the VIP HAProxy names itself (the database and the metadata API stay off public VIPs).
   */
  frontends?: { name: string; port: number; check: { http: string } | 'tcp'; oneActive?: true; internal?: true }[];
  /** A promotable service whose every instance is promoted (promoted-max = its nodes) unless set. */
  promoteEvery?: true;
  /** Clone notifications on unless the topology says otherwise: the agent acts on them. */
  notify?: true;
  /**
   * A message-broker account every node's files log in with, made by apply on a broker that runs
   * (HA review C4): RabbitMQ keeps users and permissions in its own database, which no file sets.
   */
  brokerAccount?: BrokerAccount;
  /** Why the choices above were made; kept with the data for reviewers. */
  notes?: string;
}

/** A RabbitMQ user with its password from a secret purpose and its permissions on one vhost. */
export interface BrokerAccount {
  user: string;
  /** The secret purpose holding its password. */
  purpose: string;
  vhost: string;
  /** rabbitmqctl set_permissions' configure, write and read patterns. */
  permissions: { configure: string; write: string; read: string };
  /**
   * The agent parameter naming the Erlang node rabbitmqctl must talk to (`-n`), when the agent
   * starts the broker under a name of its own (rabbit@localhost); absent: rabbitmqctl's default.
   */
  nodeParam?: string;
}

/**
 * What node-file templates read about catalogue services, derived from the entries and the
 * topology (src/compile/files/openstack-context.ts): no fact names a service in code, so a new
 * entry gets these by being an entry. `<name>` is the entry's `as ?? key`. Beside these, the
 * context holds `ep.<name>.host` (see `endpoint`; null where the file neither needs nor uses it)
 * and `ceph.client.<client>`: `{ pool, user, secretUuid }` for each cephx client a pool names
 * (`ceph.pools.*.client`, the first pool by name): its pool, its cephx user, and the uuid of the
 * libvirt secret holding its key (derived from the fsid).
 */
export interface TemplateFacts {
  /** Set only for the services the node runs: `{{#if here.nova}}` asks whether it runs nova. */
  here: Record<string, HereFacts>;
  /** Every entry, wherever it runs (the first cluster, by name, that runs it). */
  svc: Record<string, ServiceFacts>;
}

export interface HereFacts {
  /** Name of the service's cluster. */
  cluster: string;
  /** Address of the service's VIP, which a local daemon binds to (MySQL, RabbitMQ), or null. */
  vip: string | null;
  /** Where its RBD image is mounted (the topology's storage mount, else `storage.mount`), or null. */
  mount: string | null;
  /** `<sharedHost>-<cluster>`, or null (no `sharedHost`, or null for the family). */
  host: string | null;
}

export interface ServiceFacts {
  /** Number of nodes running it at once when it is active/active on more than one node, else null. */
  activeNodes: number | null;
  /**
   * Every node that may run it, by name, with its management address: the members clients list
   * when the service is clustered rather than behind a VIP (RabbitMQ brokers, memcached servers,
   * Galera members). Empty where it does not run.
   */
  members: { name: string; address: string }[];
}

export function pick<T>(v: Versioned<T>, family: Family): T {
  if (v && typeof v === 'object' && 'since' in (v as object) && Object.keys(v as object).length === 1) {
    const since = (v as { since: Partial<Record<Family, T>> }).since;
    let chosen: T | undefined;
    for (const f of FAMILIES) {
      if (since[f] !== undefined) chosen = since[f];
      if (f === family) break;
    }
    if (chosen === undefined) throw new Error(`no catalogue value for family ${family}`);
    return chosen;
  }
  return v as T;
}
