import { secretPurposes } from '../../catalog/index.js';
import { diag, type Diagnostic } from '../../diagnostics.js';
import type { Topology } from '../types.js';
import type { Rule } from './rule.js';

/**
 * What each secret is used for: the catalogue purposes it serves (the one its name is, those it
 * lists), a cluster's corosync key, a fence password, an agent parameter (`{ secret: NAME }`). Several uses are one secret's value on every
 * node that needs any of them (review C5).
 */
export function usesOf(t: Topology): Map<string, string[]> {
  const ids = new Set(secretPurposes().map((p) => p.id));
  const uses = new Map<string, Set<string>>();
  const add = (secret: string | undefined, use: string) => {
    if (!secret || !Object.hasOwn(t.secrets, secret)) return;
    let set = uses.get(secret);
    if (!set) uses.set(secret, (set = new Set()));
    set.add(use);
  };
  for (const s of Object.values(t.secrets)) {
    if (ids.has(s.name)) add(s.name, s.name);
    for (const p of s.purposes ?? []) add(s.name, p);
  }
  // Clusters sharing a key are HA3039's finding; here a key is one use.
  const params = (rec: Record<string, string> | undefined) => {
    for (const secret of Object.values(rec ?? {})) add(secret, 'agent parameter');
  };
  for (const c of Object.values(t.clusters)) {
    add(c.authkey, 'corosync authkey');
    for (const d of Object.values(c.fenceDevices)) {
      add(d.password, 'fence password');
      params(d.secretParams);
    }
    for (const s of Object.values(c.services)) params(s.secretParams);
  }
  for (const n of Object.values(t.nodes)) {
    add(n.fencing?.password, 'fence password');
    params(n.fencing?.secretParams);
  }
  return new Map([...uses].map(([k, v]) => [k, [...v].sort()]));
}

/**
 * One secret per purpose: a purpose is served by one secret (HA3080); a secret serving several
 * uses is the topology's explicit choice, and a warning (HA3081).
 */
export const secretPurposesRule: Rule = {
  name: 'secret-purposes',
  codes: ['HA3080', 'HA3081'],
  check(t) {
    const out: Diagnostic[] = [];
    const servedBy = new Map<string, string>();
    for (const s of Object.values(t.secrets)) {
      (s.purposes ?? []).forEach((p, i) => {
        const first = servedBy.get(p) ?? (Object.hasOwn(t.secrets, p) && p !== s.name ? p : undefined);
        if (first) out.push(diag('HA3080', `${s.pointer}/purposes/${i}`, { purpose: p, first, second: s.name }));
        else servedBy.set(p, s.name);
      });
    }
    for (const [secret, uses] of usesOf(t)) {
      if (uses.length > 1) out.push(diag('HA3081', t.secrets[secret]!.pointer, { secret, count: uses.length, purposes: uses.join(', ') }));
    }
    return out;
  },
};
