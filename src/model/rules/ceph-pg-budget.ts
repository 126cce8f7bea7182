import { PG_BUDGET } from '../../catalog/ceph.js';
import { DEFAULT_FAMILY, pick } from '../../catalog/index.js';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * PG copies per OSD (the pools' placement groups times the replicas, over every OSD) against the
 * release's budget (catalog/ceph.ts): too many and OSDs run out of memory and peer slowly after
 * a failure; on releases that enforce mon_max_pg_per_osd the pools are never created (HA review M6).
 */
export const cephPgBudget: Rule = {
  name: 'ceph-pg-budget',
  codes: ['HA3130', 'HA3131'],
  check(t) {
    const ceph = t.ceph;
    if (!ceph || !ceph.osds.length) return [];
    const pools = Object.values(ceph.pools);
    const pgs = pools.reduce((n, p) => n + p.pgs, 0);
    const perOsd = (pgs * ceph.replicas) / ceph.osds.length;
    const budget = pick(PG_BUDGET, t.family ?? DEFAULT_FAMILY);
    const args = {
      arithmetic: `${pools.map((p) => `${p.name} ${p.pgs}`).join(' + ')} = ${pgs} PGs × ${ceph.replicas} copies / ${ceph.osds.length} OSDs = ${Math.round(perOsd)} per OSD`,
      target: budget.target,
      setting: budget.setting,
      fit: Math.floor((budget.target * ceph.osds.length) / ceph.replicas),
    };
    const out: Diagnostic[] = [];
    const at = pointerOf('ceph', 'pools');
    if (budget.refuseAbove !== undefined && perOsd > budget.refuseAbove) out.push(diag('HA3130', at, { ...args, limit: budget.refuseAbove }));
    else if (budget.warnAbove !== undefined && perOsd > budget.warnAbove) out.push(diag('HA3131', at, { ...args, limit: budget.warnAbove }));
    return out;
  },
};
