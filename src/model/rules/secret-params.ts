import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { isCredentialName } from '../../secret-names.js';
import { processesOf } from '../resolve.js';
import type { ParamValue } from '../input.js';
import { CIB_SECRET, type Topology } from '../types.js';
import type { Rule } from './rule.js';

/** Whether a parameter name carries a credential (the rule the diff's masking uses too). */
export const looksSecret = isCredentialName;

/** Whether a catalogue secret purpose is served: a secret lists it under purposes, or is named like it. */
function served(t: Topology, purpose: string): boolean {
  return Object.hasOwn(t.secrets, purpose) || Object.values(t.secrets).some((s) => s.purposes?.includes(purpose));
}

/**
 * Agent parameters never carry secret values: a secret one is a reference, `{ secret: NAME }`,
 * which reaches the agent through Pacemaker's CIB secrets. A credential written as text is
 * refused (HA3022, its value never echoed); so is Pacemaker's own marker written by hand (HA3120:
 * hactl would install no value for it); a catalogue process whose parameter is a secret needs a
 * secret serving its purpose (HA3121).
 */
export const secretParams: Rule = {
  name: 'secret-params',
  codes: ['HA3022', 'HA3120', 'HA3121'],
  check(t, input) {
    const out: Diagnostic[] = [];
    const scan = (params: Record<string, ParamValue> | undefined, at: string) => {
      for (const [p, v] of Object.entries(params ?? {})) {
        if (typeof v !== 'string') continue;
        if (looksSecret(p)) out.push({ ...diag('HA3022', `${at}/${p}`, { param: p }), conceal: true });
        else if (v.trim() === CIB_SECRET) out.push(diag('HA3120', `${at}/${p}`, { param: p, marker: CIB_SECRET }));
      }
    };
    scan(input.defaults?.fencing?.params, '/defaults/fencing/params');
    for (const [name, n] of Object.entries(input.nodes)) scan(n.fencing?.params, pointerOf('nodes', name, 'fencing', 'params'));
    for (const [cname, c] of Object.entries(input.clusters ?? {})) {
      for (const [sname, s] of Object.entries(c.services ?? {})) scan(s.params, pointerOf('clusters', cname, 'services', sname, 'params'));
      for (const [dname, d] of Object.entries(c.fence_devices ?? {})) scan(d.params, pointerOf('clusters', cname, 'fence_devices', dname, 'params'));
    }
    const family = t.family;
    if (family) {
      for (const c of Object.values(t.clusters)) {
        for (const s of Object.values(c.services)) {
          for (const p of processesOf(s, family)) {
            for (const [param, purpose] of Object.entries(p.secretParams)) {
              // A parameter the topology gives itself (text or { secret }) replaces the catalogue's.
              if (Object.hasOwn(s.params, param)) continue;
              if (!served(t, purpose)) out.push(diag('HA3121', s.pointer, { service: s.name, process: p.id, param, purpose }));
            }
          }
        }
      }
    }
    return out;
  },
};
