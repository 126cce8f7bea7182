import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/** Placement group counts are powers of two, so that objects spread evenly over them. */
export const cephPgs: Rule = {
  name: 'ceph-pgs',
  codes: ['HA3506'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const p of Object.values(t.ceph?.pools ?? {})) {
      if ((p.pgs & (p.pgs - 1)) === 0) continue;
      const lower = 2 ** Math.floor(Math.log2(p.pgs));
      out.push(diag('HA3506', `${p.pointer}/pgs`, { pool: p.name, pgs: p.pgs, lower, upper: lower * 2 }));
    }
    return out;
  },
};
