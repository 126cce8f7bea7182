import { diag, type Diagnostic } from '../../diagnostics.js';
import { RUNTIME_META } from '../../vocabulary.js';
import { isUnitAgent } from '../../catalog/unit-agents.js';
import type { Rule } from './rule.js';

/**
 * A resource's `cib:` fields (what hactl import keeps of a running resource) fit the resource
 * hactl makes: only a custom service (an agent) has a primitive of its own to name and give
 * operations, only a clone has clone fields, and no two operations share a name and interval
 * (Pacemaker tells operations apart by them). Runtime meta attributes stay out of `cib:`: as intent
 * they are the service's own keys, and as an operator's state they belong to the cluster, where apply
 * keeps them; in `cib:` they would silently outvote the service's `target_role`. An imported group is named by
 * group_id (its other fields mean nothing without it), never beside storage or a bundle (hactl
 * shapes those itself), and a member run by systemd, lsb or service takes no parameters.
 * bundle_id names a bundle, the one field a bundle without an agent (no primitive) may take.
 */
const TYPED_KEY: Record<string, string> = { 'target-role': 'target_role', 'is-managed': 'managed', maintenance: 'maintenance' };

export const cibResources: Rule = {
  name: 'cib-resources',
  codes: ['HA3190', 'HA3191', 'HA3192', 'HA3193', 'HA3215', 'HA3216', 'HA3217', 'HA3218'],
  check(t, input) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      const owners: { pointer: string; what: string; ops: { name: string; interval: string }[] | undefined; metas: [string, Record<string, string> | undefined][] }[] = Object.values(c.vips).map((v) => ({
        pointer: `${v.pointer}/cib`,
        what: `VIP ${v.name}`,
        ops: v.cib?.operations,
        metas: [['meta', v.cib?.meta]],
      }));
      for (const s of Object.values(c.services)) {
        if (!s.cib) continue;
        const at = `${s.pointer}/cib`;
        const written = input.clusters?.[c.name]?.services?.[s.name]?.cib;
        if (s.cib.bundleId !== undefined && !s.bundle) out.push(diag('HA3218', `${at}/bundle_id`, { service: s.name }));
        if (!s.agent) {
          // A bundle running its image's own entry point has no primitive, but has its id.
          if (!s.bundle || Object.keys(written ?? {}).some((k) => k !== 'bundle_id')) out.push(diag('HA3190', at, { service: s.name }));
          continue;
        }
        const clone = !s.bundle && (s.mode === 'active-active' || s.mode === 'promotable');
        for (const field of ['cloneId', 'cloneMeta'] as const) {
          if (s.cib[field] !== undefined && !clone) out.push(diag('HA3191', `${at}/${field === 'cloneId' ? 'clone_id' : 'clone_meta'}`, { service: s.name, field: field === 'cloneId' ? 'clone_id' : 'clone_meta' }));
        }
        owners.push({ pointer: at, what: `service ${s.name}`, ops: s.cib.operations, metas: [['meta', s.cib.meta], ['clone_meta', s.cib.cloneMeta], ['group_meta', s.cib.group?.meta]] });
        for (const field of ['group_meta', 'group_members'] as const) {
          if (written?.[field] !== undefined && written.group_id === undefined) out.push(diag('HA3215', `${at}/${field}`, { service: s.name, field }));
        }
        const g = s.cib.group;
        if (!g) continue;
        if (s.storage || s.bundle) out.push(diag('HA3216', `${at}/group_id`, { service: s.name, what: s.storage ? 'storage (hactl makes its group: device, filesystem, process)' : 'a bundle (a bundle holds one primitive and no group)' }));
        g.members.forEach((m, i) => {
          const mat = `${at}/group_members/${i}`;
          if (Object.keys(m.params).length && isUnitAgent(m.agent)) out.push(diag('HA3217', `${mat}/params`, { service: s.name, id: m.id, agent: m.agent }));
          owners.push({ pointer: mat, what: `member ${m.id} of service ${s.name}'s group`, ops: m.operations, metas: [['meta', m.meta]] });
        });
      }
      // Fence devices as a running cluster holds them (hactl import): the same two rules.
      for (const n of [...c.nodes, ...c.remoteNodes]) {
        const f = t.nodes[n]?.fencing;
        if (f?.cib) owners.push({ pointer: `${f.pointer}/cib`, what: `the fence device of ${n}`, ops: f.cib.operations, metas: [['meta', f.cib.meta]] });
      }
      for (const d of Object.values(c.fenceDevices)) if (d.cib) owners.push({ pointer: `${d.pointer}/cib`, what: `fence device ${d.name}`, ops: d.cib.operations, metas: [['meta', d.cib.meta]] });
      for (const o of owners) {
        const seen = new Set<string>();
        o.ops?.forEach((op, i) => {
          const key = `${op.name} ${op.interval}`;
          if (seen.has(key)) out.push(diag('HA3192', `${o.pointer}/operations/${i}`, { what: o.what, name: op.name, interval: op.interval }));
          seen.add(key);
        });
        for (const [field, meta] of o.metas) {
          for (const name of Object.keys(meta ?? {})) {
            if (RUNTIME_META.has(name)) out.push(diag('HA3193', `${o.pointer}/${field}/${name}`, { what: o.what, field, name, key: TYPED_KEY[name]! }));
          }
        }
      }
    }
    return out;
  },
};
