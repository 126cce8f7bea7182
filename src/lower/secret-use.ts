import { purposeOwners, secretPurposes, pick } from '../catalog/index.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Topology } from '../model/types.js';
import { familyOf, placements, secretName } from '../compile/files/facts.js';
import { openstackFilesOf } from '../compile/files/openstack-context.js';
import { usesOf } from '../model/rules/secret-purposes.js';
import { processesOf } from '../model/resolve.js';
import { closest } from '../util/suggest.js';

/**
 * A declared secret nothing uses (HA3953, a warning): no node file refers to it, no node holds it
 * as a whole file, no cluster has it as its key, no fence device logs in with it, no agent parameter
 * is it (CIB secrets), no broker account logs in with it. Usually a name
 * that differs from the purpose its files read (`rabbit-password` for `rabbitmq`), whose own
 * purpose is then a hole (HA3952); or the secret of a service no cluster runs.
 */
export function unusedSecrets(t: Topology): Diagnostic[] {
  const family = familyOf(t);
  // What the files would read, holes or not: a file left out for another error still uses its secrets.
  const used = new Set<string>();
  const byNode = placements(t);
  const seen = new Set<string>();
  for (const n of Object.values(t.nodes)) {
    for (const { spec } of openstackFilesOf(family, n, byNode.get(n.name) ?? [])) {
      if (seen.has(spec.id)) continue;
      seen.add(spec.id);
      for (const p of pick(spec.secrets, family)) used.add(secretName(t, p));
    }
  }
  // A catalogue process's secret parameters (CIB secrets) use the secret of their purpose.
  if (t.family) {
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        // A broker account's password: apply makes the user with it (catalogue brokerAccount).
        if (s.entry?.brokerAccount) used.add(secretName(t, s.entry.brokerAccount.purpose));
        for (const p of processesOf(s, t.family)) for (const [param, purpose] of Object.entries(p.secretParams)) if (!Object.hasOwn(s.params, param)) used.add(secretName(t, purpose));
      }
    }
  }
  const uses = usesOf(t);
  for (const [secret, list] of uses) if (list.some((u) => u === 'corosync authkey' || u === 'fence password' || u === 'agent parameter')) used.add(secret);
  const purposes = secretPurposes();
  const out: Diagnostic[] = [];
  for (const s of Object.values(t.secrets)) {
    if (used.has(s.name)) continue;
    const own = purposes.find((p) => p.id === s.name);
    // The entry of the topology's family that declares it (several families may declare one purpose).
    const owners = own ? purposeOwners(own.id) : [];
    const owner = owners.find((e) => !e.families || e.families.includes(family)) ?? owners[0];
    let suggestion: string;
    const runs = owner && Object.values(t.clusters).some((c) => Object.values(c.services).some((x) => !!x.entry && owners.includes(x.entry)));
    if (own && owner && runs) suggestion = `no file of this topology reads ${own.id} (${own.what}); remove it`;
    else if (owner) suggestion = `it is a secret of service ${pick(owner.name, family)}, which no cluster runs; remove it`;
    else {
      const near = closest(s.name, purposes.map((p) => p.id));
      suggestion = near
        ? `did you mean '${near}' (${purposes.find((p) => p.id === near)!.what})? or list what it is for under purposes:`
        : 'remove it; a secret is used where the topology names it (a cluster authkey, a fence password) or by a catalogue purpose (its name, or purposes:)';
    }
    out.push(diag('HA3953', s.pointer, { secret: s.name, suggestion }));
  }
  return out;
}
