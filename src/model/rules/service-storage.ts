import { SERVICES, pick } from '../../catalog/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * RBD storage is for services whose catalogue entry knows how to keep data on it (all of them
 * active-passive: a mapped image with a local filesystem is mounted on one node at a time), and
 * no two users share an image.
 */
export const serviceStorage: Rule = {
  name: 'service-storage',
  codes: ['HA3030', 'HA3032'],
  check(t) {
    const out: Diagnostic[] = [];
    const family = t.family;
    const supported = SERVICES.filter((e) => e.storage && (!family || !e.families || e.families.includes(family)))
      .map((e) => (family ? pick(e.name, family) : e.key))
      .join(', ');
    const images = new Map<string, string>();
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) {
        const r = s.storage;
        if (!r) continue;
        if (!s.entry?.storage) {
          out.push(diag('HA3030', `${s.pointer}/storage`, { service: s.name, supported }));
          continue;
        }
        const key = `${r.pool}/${r.image}`;
        const who = `service ${s.name} of cluster ${c.name}`;
        const first = images.get(key);
        if (first) out.push(diag('HA3032', r.pointer, { pool: r.pool, image: r.image, other: first }));
        else images.set(key, who);
      }
    }
    return out;
  },
};
