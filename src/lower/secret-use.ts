import { secretPurposes, SERVICES, pick } from '../catalog/index.js';
import { diag, type Diagnostic } from '../diagnostics.js';
import type { Topology } from '../model/types.js';
import { familyOf, placements, secretName } from '../compile/files/facts.js';
import { openstackFilesOf } from '../compile/files/openstack-context.js';
import { usesOf } from '../model/rules/secret-purposes.js';
import { closest } from '../util/suggest.js';

/**
 * A declared secret nothing uses (HA3953, a warning): no node file refers to it, no node holds it
 * as a whole file, no cluster has it as its key, no fence device logs in with it. Usually a name
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
  const uses = usesOf(t);
  for (const [secret, list] of uses) if (list.includes('corosync authkey') || list.includes('fence password')) used.add(secret);
  const purposes = secretPurposes();
  const out: Diagnostic[] = [];
  for (const s of Object.values(t.secrets)) {
    if (used.has(s.name)) continue;
    const own = purposes.find((p) => p.id === s.name);
    const owner = own && SERVICES.find((e) => e.secrets?.includes(own));
    let suggestion: string;
    const runs = owner && Object.values(t.clusters).some((c) => Object.values(c.services).some((x) => x.entry === owner));
    if (owner && runs) suggestion = `no file of this topology reads ${own.id} (${own.what}); remove it`;
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
