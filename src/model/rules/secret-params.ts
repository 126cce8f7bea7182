import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

// Names of parameters that carry a credential. Parameters naming where a credential is found
// (…_script, …_file, …_path, …_url) are fine.
const SECRET = /(^|[_-])(pass|passwd|password|secret|token|psk|credentials?)([_-]|$)/i;
const REFERENCE = /[_-](script|file|path|url|uri)$/i;

export function looksSecret(param: string): boolean {
  return SECRET.test(param) && !REFERENCE.test(param);
}

/** Agent parameters never carry secret values: secrets are references (env or file) only. */
export const secretParams: Rule = {
  name: 'secret-params',
  codes: ['HA3022'],
  check(t, input) {
    const out: Diagnostic[] = [];
    const scan = (params: Record<string, string> | undefined, at: string) => {
      for (const p of Object.keys(params ?? {})) if (looksSecret(p)) out.push(diag('HA3022', `${at}/${p}`, { param: p }));
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
