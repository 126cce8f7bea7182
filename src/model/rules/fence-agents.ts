import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { FencingInput } from '../input.js';
import type { Fencing } from '../types.js';
import type { Rule } from './rule.js';

type Field = 'address' | 'username' | 'password';

/**
 * What each IPMI-style fence agent cannot work without (fence_ilo*, fence_idrac and fence_imm are
 * fence_ipmilan under other names; external/ipmi is cluster-glue's 2013-era equivalent).
 */
const REQUIRED: Record<string, readonly Field[]> = {
  fence_ipmilan: ['address', 'username', 'password'],
  fence_ipmilanplus: ['address', 'username', 'password'],
  fence_idrac: ['address', 'username', 'password'],
  fence_ilo3: ['address', 'username', 'password'],
  fence_ilo4: ['address', 'username', 'password'],
  fence_ilo5: ['address', 'username', 'password'],
  fence_imm: ['address', 'username', 'password'],
  'external/ipmi': ['address', 'username', 'password'],
};

/** Agent parameters that hactl derives from the topology: parameter -> [from what, what to do]. */
const DERIVED: Record<string, [string, string]> = {
  ip: ['fencing.address', 'write the address as fencing.address'],
  ipaddr: ['fencing.address', 'write the address as fencing.address'],
  username: ['fencing.username', 'write it as fencing.username'],
  login: ['fencing.username', 'write it as fencing.username'],
  lanplus: ['fencing.lanplus', 'write it as fencing.lanplus: true or false'],
  pcmk_host_list: ['the node the device belongs to', 'drop it: each device fences its own node'],
};

const HOW: Record<Field, string> = {
  address: 'set fencing: { address: … } on the node to its BMC address',
  username: 'set username (here or in defaults.fencing)',
  password: 'set password to the name of a secret (here or in defaults.fencing)',
};

function derivedParams(f: FencingInput | undefined, at: string, out: Diagnostic[]): void {
  for (const param of Object.keys(f?.params ?? {})) {
    const derived = DERIVED[param];
    if (derived) out.push(diag('HA3021', `${at}/params/${param}`, { param, field: derived[0], suggestion: derived[1] }));
  }
}

/** Every fence device names an agent and gives that agent what it needs, once. */
export const fenceAgents: Rule = {
  name: 'fence-agents',
  codes: ['HA3019', 'HA3020', 'HA3021'],
  check(t, input) {
    const out: Diagnostic[] = [];
    derivedParams(input.defaults?.fencing, '/defaults/fencing', out);
    for (const n of Object.values(t.nodes)) {
      const own = input.nodes[n.name]?.fencing;
      // A node without a fencing key that inherits defaults.fencing: what it lacks is reported at
      // the node, where the operator adds it.
      if (!own && !n.fencing) continue;
      const at = own ? pointerOf('nodes', n.name, 'fencing') : pointerOf('nodes', n.name);
      if (own) derivedParams(own, at, out);
      const f: Fencing | undefined = n.fencing;
      if (!f) {
        out.push(diag('HA3019', at, { node: n.name }));
        continue;
      }
      // password_script replaces the password (the agent runs it to obtain one); so does a password
      // parameter that is a CIB secret (an imported device's: the CIB holds lrm://).
      const hasPasswordScript = 'password_script' in f.params || 'passwd_script' in f.params || 'password' in f.secretParams || 'passwd' in f.secretParams;
      for (const field of REQUIRED[f.agent] ?? []) {
        if (f[field] || (field === 'password' && hasPasswordScript)) continue;
        out.push(diag('HA3020', at, { agent: f.agent, node: n.name, field, suggestion: HOW[field] }));
      }
    }
    return out;
  },
};
