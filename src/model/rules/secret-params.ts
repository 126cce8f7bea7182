import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { isCredentialName } from '../../secret-names.js';
import type { Rule } from './rule.js';

/** Whether a parameter name carries a credential (the rule the diff's masking uses too). */
export const looksSecret = isCredentialName;

/** Agent parameters never carry secret values: secrets are references (env or file) only. */
export const secretParams: Rule = {
  name: 'secret-params',
  codes: ['HA3022'],
  check(t, input) {
    const out: Diagnostic[] = [];
    const scan = (params: Record<string, string> | undefined, at: string) => {
      for (const p of Object.keys(params ?? {})) if (looksSecret(p)) out.push({ ...diag('HA3022', `${at}/${p}`, { param: p }), conceal: true });
    };
    scan(input.defaults?.fencing?.params, '/defaults/fencing/params');
    for (const [name, n] of Object.entries(input.nodes)) scan(n.fencing?.params, pointerOf('nodes', name, 'fencing', 'params'));
    for (const c of Object.values(t.clusters)) {
      for (const s of Object.values(c.services)) scan(input.clusters?.[c.name]?.services?.[s.name]?.params, `${s.pointer}/params`);
      for (const d of Object.values(c.fenceDevices)) scan(d.params, `${d.pointer}/params`);
    }
    return out;
  },
};
