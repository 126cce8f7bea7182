import { SERVICES } from './services.js';
import { FAMILIES, pick, type Family, type SecretPurposeEntry, type ServiceEntry } from './types.js';

export * from './types.js';
export { SERVICES };

/** The entry a topology service name refers to in a release family, if any. */
export function findService(name: string, family: Family): ServiceEntry | undefined {
  return SERVICES.find((e) => pick(e.name, family) === name && (!e.families || e.families.includes(family)));
}

/** The families in which `name` names a catalogue service, with the entry (for "did you mean"). */
export function otherFamilies(name: string, family: Family): { family: Family; entry: ServiceEntry }[] {
  const out: { family: Family; entry: ServiceEntry }[] = [];
  for (const f of FAMILIES) {
    if (f === family) continue;
    const entry = findService(name, f);
    if (entry) out.push({ family: f, entry });
  }
  return out;
}

export function entryByKey(key: string): ServiceEntry | undefined {
  return SERVICES.find((e) => e.key === key);
}

/** Every secret purpose of the catalogue, in entry order (ids are unique; a test keeps them so). */
export function secretPurposes(): SecretPurposeEntry[] {
  // Entries of several families declare the purposes they share (keystone-db for the 2013 and the
  // current keystone): one purpose per id, as its first entry declares it.
  const seen = new Set<string>();
  return SERVICES.flatMap((e) => e.secrets ?? []).filter((p) => !seen.has(p.id) && !!seen.add(p.id));
}

/** The entries that declare a secret purpose (one per family that has it). */
export function purposeOwners(id: string): ServiceEntry[] {
  return SERVICES.filter((e) => e.secrets?.some((p) => p.id === id));
}

/** Family used for plain Pacemaker topologies with no `openstack:` section. */
export const DEFAULT_FAMILY: Family = 'icehouse';
export { FENCE_AGENTS, fenceAgentEntry, type FenceAgentEntry } from './fencing.js';
