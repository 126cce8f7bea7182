import { CLUSTER_OPTIONS, OPERATION_OPTIONS, optionValueProblem, RESOURCE_META_OPTIONS, type OptionSpec } from '../../catalog/pacemaker-options.js';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import { closest } from '../../util/suggest.js';
import { parseXml } from '../../xml/parse.js';
import type { Cluster } from '../types.js';
import type { Rule } from './rule.js';

/**
 * Whether a raw crm_config set without a rule turns fencing off (an imported cluster's
 * stonith-enabled kept raw, or Pacemaker 3's fencing-enabled): the topology then leaves
 * stonith-enabled out rather than write it beside that set.
 */
function rawFencingOff(c: Cluster): boolean {
  return c.rawCib.some((f) => {
    if (f.section !== 'crm_config') return false;
    const r = parseXml(`<crm_config>${f.xml}</crm_config>`);
    return r.ok && r.root.children.some((set) => !set.children.some((x) => x.name === 'rule') && set.children.some((nv) => nv.name === 'nvpair' && (nv.attrs.name === 'stonith-enabled' || nv.attrs.name === 'fencing-enabled') && /^(false|no|n|off|0)$/i.test((nv.attrs.value ?? '').trim())));
  });
}

/** Properties hactl sets from the topology, or Pacemaker sets itself. */
const MANAGED: Record<string, string> = {
  'stonith-enabled': 'write fencing: { enabled: false, reason: … } on the cluster to turn fencing off',
  'cluster-name': 'the cluster name is its key under clusters:',
  'cluster-infrastructure': 'Pacemaker sets it (corosync)',
  'dc-version': 'Pacemaker sets it',
  'have-watchdog': 'Pacemaker sets it from sbd',
};

/** Cluster options an operator may set: a typo in a property name is accepted silently by Pacemaker and does nothing. */
const KNOWN = Object.keys(CLUSTER_OPTIONS).filter((n) => MANAGED[n] === undefined);

function typed(out: Diagnostic[], at: string, name: string, spec: OptionSpec, value: string): void {
  const expected = optionValueProblem(spec, value);
  if (expected) out.push(diag('HA3180', at, { name, value, expected }));
}

/**
 * Extra cluster properties are real Pacemaker options that hactl does not already decide, with
 * values Pacemaker can read; rsc_defaults and op_defaults name resource meta-attributes and
 * operation properties.
 */
export const clusterProperties: Rule = {
  name: 'cluster-properties',
  codes: ['HA3035', 'HA3036', 'HA3037', 'HA3180', 'HA3181', 'HA3182'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const c of Object.values(t.clusters)) {
      for (const [property, value] of Object.entries(c.properties)) {
        const at = pointerOf('clusters', c.name, 'properties', property);
        const managed = MANAGED[property];
        if (property === 'stonith-enabled' && value === null) {
          // Left out, the property reads as Pacemaker's default, true: only right while the cluster fences.
          if (!c.fencing.enabled && !rawFencingOff(c)) out.push(diag('HA3182', at, { cluster: c.name }));
          continue;
        }
        if (managed) {
          out.push(diag('HA3035', at, { property, suggestion: managed }));
          continue;
        }
        if (!KNOWN.includes(property)) {
          const near = closest(property, [...KNOWN, ...Object.keys(MANAGED)]);
          out.push(diag('HA3036', at, { property, suggestion: near ? `did you mean '${near}'?` : 'see `pacemaker-schedulerd metadata` for the cluster options' }));
          continue;
        }
        if (value === null) continue;
        typed(out, at, property, CLUSTER_OPTIONS[property]!, value);
        if (property === 'no-quorum-policy' && value === 'ignore') out.push(diag('HA3037', at));
      }
      for (const [key, set, known, what] of [
        ['rsc_defaults', c.rscDefaults, RESOURCE_META_OPTIONS, 'resource meta-attribute'],
        ['op_defaults', c.opDefaults, OPERATION_OPTIONS, 'operation property'],
      ] as const) {
        for (const [name, value] of Object.entries(set ?? {})) {
          const at = pointerOf('clusters', c.name, key, name);
          const spec = known[name];
          if (!spec) {
            const near = closest(name, Object.keys(known));
            out.push(diag('HA3181', at, { name, what, key, suggestion: near ? `did you mean '${near}'?` : `${key} takes: ${Object.keys(known).join(', ')}` }));
            continue;
          }
          typed(out, at, name, spec, value);
        }
      }
    }
    return out;
  },
};
