/**
 * Ceph's placement-group budget per release family: how many PG copies one OSD should carry, and
 * where Ceph itself objects. Data for the ceph-pg-budget rule (HA review M6).
 */
import type { Versioned } from './types.js';

export interface PgBudget {
  /** What the "Pool, PG and CRUSH Config Reference" aims at per OSD. */
  target: number;
  /**
   * Above this the cluster is in trouble but Ceph creates the pools: a warning. 300 is the
   * threshold Ceph later made its own HEALTH_WARN (mon_pg_warn_max_per_osd, ceph PR #2788, 2014);
   * the 2013 releases had no check at all, so nothing stops the operator but hactl.
   */
  warnAbove?: number;
  /**
   * Ceph refuses to create a pool (or raise pg_num) that would bring the PG copies per OSD above
   * mon_max_pg_per_osd: an error. Enforced since Luminous (ceph PR #18358, 200), 250 since
   * PR #23251 (`ceph-conf -D` on 16.2 prints 250).
   */
  refuseAbove?: number;
  /** The setting a message names. */
  setting: string;
}

export const PG_BUDGET: Versioned<PgBudget> = {
  since: {
    grizzly: { target: 100, warnAbove: 300, setting: 'no limit in the Ceph of this release; 300 is where later releases warn (mon_pg_warn_max_per_osd)' },
    current: { target: 100, refuseAbove: 250, setting: 'mon_max_pg_per_osd = 250' },
  },
};

/**
 * The cephx capabilities a client needs, for the commands check names when hactl installs no
 * keyring (HA review M10): `{pools}` is the client's pools. The 2013 form is the one the Ceph
 * "Block devices and OpenStack" guide of the time gave (class-read for RBD clones); `profile rbd`
 * (Luminous+) also lets a client blocklist a dead node's exclusive lock on failover.
 */
export const CLIENT_CAPS: Versioned<{ rbd: string; radosgw: string; poolCreate: string }> = {
  since: {
    grizzly: {
      rbd: "mon 'allow r' osd 'allow class-read object_prefix rbd_children, {pools}'",
      radosgw: "mon 'allow rw' osd 'allow rwx'",
      poolCreate: 'ceph osd pool create {pool} {pgs}',
    },
    current: {
      rbd: "mon 'profile rbd' osd '{pools}'",
      radosgw: "mon 'allow rw' osd 'allow rwx'",
      poolCreate: 'ceph osd pool create {pool} {pgs} && rbd pool init {pool}',
    },
  },
};

/** How one pool reads in CLIENT_CAPS' osd part, per family. */
export const POOL_CAP: Versioned<string> = { since: { grizzly: 'allow rwx pool={pool}', current: 'profile rbd pool={pool}' } };
