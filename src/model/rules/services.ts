import { findService, otherFamilies, pick, SERVICES, type Family } from '../../catalog/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import { closest } from '../../util/suggest.js';
import type { Rule } from './rule.js';

/** The catalogue names a family knows, for "did you mean". */
function namesIn(family: Family): string[] {
  return SERVICES.filter((e) => !e.families || e.families.includes(family)).map((e) => pick(e.name, family));
}

/**
 * Services without an agent come from the catalogue of the topology's OpenStack release (the
 * quantum-* names in grizzly, neutron-* from havana on); services with one are custom, and a
 * fence agent is never a service.
 */
export const services: Rule = {
  name: 'services',
  codes: ['HA3023', 'HA3024', 'HA3025'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        if (s.agent) {
          if (s.agent.startsWith('stonith:')) out.push(diag('HA3025', `${s.pointer}/agent`, { service: s.name, agent: s.agent }));
          continue;
        }
        // A bundle without an agent runs its image's own entry point: custom, not the catalogue's.
        if (s.bundle) continue;
        if (!t.release || !t.family) {
          out.push(diag('HA3024', s.pointer, { service: s.name }));
          continue;
        }
        if (findService(s.name, t.family)) continue;
        out.push(diag('HA3023', s.pointer, { service: s.name, release: t.release, suggestion: suggest(s.name, t.family, t.release) }));
      }
    }
    return out;
  },
};

function suggest(name: string, family: Family, release: string): string {
  const other = otherFamilies(name, family)[0];
  if (other) {
    const here = !other.entry.families || other.entry.families.includes(family) ? pick(other.entry.name, family) : undefined;
    if (here) return `${name} is the ${other.family} name; in ${release} it is called '${here}'`;
    return `${name} exists in ${other.family}, not in ${release}`;
  }
  const near = closest(name, namesIn(family));
  if (near) return `did you mean '${near}'?`;
  return `give it an agent to make it a custom service; catalogue services in ${release}: ${namesIn(family).sort().join(', ')}`;
}
