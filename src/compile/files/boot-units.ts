/**
 * The distribution units apply keeps from starting at boot (HA review M2): on every node that may
 * run a Pacemaker-managed catalogue service, the units its packages enable (catalogue data:
 * `bootUnits` in catalog/ha-needs.ts). A unit started by init beside Pacemaker is found active by
 * the probes (multiple-active recovery stops it everywhere), runs untracked by the agent's pid file
 * (two schedulers, two cinder-volumes of one host) and holds the ports the agent's start needs.
 *
 * A unit is masked when Pacemaker never starts the service through it (an OCF agent runs the
 * daemon itself): then nothing else may start it either, not an operator's `systemctl start` nor
 * a unit that wants it. A unit Pacemaker does start through (an lsb:, systemd: or service:
 * resource of that name) is only disabled: masked, Pacemaker could not start it. A custom service
 * run as a unit (`systemd:`, `lsb:`, `service:`) is such a resource: its unit is disabled on the
 * service's nodes, since Pacemaker starts it where it should run.
 *
 * Two units apply enables. sbd: on a member of a cluster fenced by SBD it must start with
 * corosync at boot (its unit cannot be started by hand), or the node runs unfenceable. A quorum
 * arbiter's unit (Galera's garb) on its node: it runs outside Pacemaker, so nothing else starts it
 * after a reboot, and the members would count a vote that is not there.
 */
import { HA_NEEDS } from '../../catalog/ha-needs.js';
import { pick } from '../../catalog/index.js';
import { bootUnitOf } from '../../catalog/unit-agents.js';
import { primitivesOf } from '../pacemaker/model.js';
import type { Lowered } from '../../lower/index.js';
import { arbitrated } from '../../model/rules/arbiter.js';
import { compareStrings } from '../../util/compare.js';
import { familyOf } from './facts.js';

export type BootUnitState = 'enabled' | 'disabled' | 'masked';

export interface BootUnit {
  node: string;
  unit: string;
  /** What apply leaves it as. */
  state: BootUnitState;
  /** The services (topology names) whose daemons the unit starts, sorted. */
  services: string[];
}

export function bootUnitsOf(model: Lowered): BootUnit[] {
  const family = familyOf(model.topology);
  const byKey = new Map<string, BootUnit>();
  for (const c of Object.values(model.topology.clusters)) {
    const config = model.clusters.find((x) => x.name === c.name);
    const through = new Set<string>();
    for (const p of config?.resources.flatMap(primitivesOf) ?? []) {
      // Resources whose start goes through the init system's unit (lsb:, systemd:, service:).
      const unit = bootUnitOf(`${p.class}:${p.type}`);
      if (unit) through.add(unit);
    }
    for (const s of Object.values(c.services)) {
      const needs = s.entry ? HA_NEEDS[s.entry.key] : undefined;
      const own = s.agent ? bootUnitOf(s.agent) : undefined;
      const units = own ? [own] : needs ? pick(needs.bootUnits, family) : [];
      for (const node of s.nodes) {
        for (const unit of units) {
          const key = `${node}\u0000${unit}`;
          const u = byKey.get(key) ?? { node, unit, state: through.has(unit) ? 'disabled' : 'masked', services: [] };
          if (!u.services.includes(s.name)) u.services.push(s.name);
          byKey.set(key, u);
        }
      }
    }
  }
  for (const c of Object.values(model.topology.clusters)) {
    if (!c.sbd || !c.fencing.enabled) continue;
    for (const node of c.nodes) byKey.set(`${node}\u0000sbd`, { node, unit: 'sbd', state: 'enabled', services: ['sbd'] });
  }
  for (const { service, node } of arbitrated(model.topology)) {
    const unit = HA_NEEDS[service.entry!.key]!.majority!.arbiter!.unit;
    byKey.set(`${node}\u0000${unit}`, { node, unit, state: 'enabled', services: [service.name] });
  }
  for (const u of byKey.values()) u.services.sort(compareStrings);
  return [...byKey.values()].sort((a, b) => compareStrings(a.node, b.node) || compareStrings(a.unit, b.unit));
}
