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
   * and {cluster} (names). A placeholder the service cannot fill is a catalogue bug (a test
   * compiles every entry).
   */
  params?: Versioned<Record<string, string>>;
  operations: Operation[];
  meta?: Record<string, string>;
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
   * Set when clients reach the service at its VIP and node files point at it: `what` names it in
   * messages (HA3951), and templates read its address as `ep.<as ?? key>.host`.
   */
  endpoint?: { what: string; as?: string };
  /** Why the choices above were made; kept with the data for reviewers. */
  notes?: string;
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
