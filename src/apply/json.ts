/**
 * `hactl apply --json`: the plan, its impact and disruption, and the result, as one document
 * described by schemas/apply.schema.json. It holds what the text plan shows and nothing more:
 * content diffs are the masked ones, and no file checksum is included (the checksum of a file
 * that holds a password would let anyone holding the document test guesses of it offline).
 */
import type { ApplyReport } from './execute.js';
import { disruptionsOf } from './impact.js';
import { formatVersion } from './cib.js';
import type { Plan } from './plan.js';

export const APPLY_SCHEMA_ID = 'https://hactl.dev/schemas/apply.schema.json';

export function applyJson(plan: Plan, result: ApplyReport | undefined, status: 'planned' | 'applied' | 'refused' | 'failed' | 'nothing-to-do'): unknown {
  return {
    $schema: APPLY_SCHEMA_ID,
    version: 1,
    status,
    plan: {
      topology: plan.topology,
      nodes: plan.nodes,
      files: plan.files
        .filter((f) => f.change !== 'unchanged')
        .map((f) => ({ node: f.node, path: f.path, change: f.change, differs: f.differs, owner: f.owner, group: f.group, mode: f.mode, install: f.install, diff: f.diff, ...(f.secretOnly ? { secretOnly: true } : {}) })),
      ...(plan.files.some((f) => f.unverified?.length) ? { unverified: plan.files.filter((f) => f.unverified?.length).map((f) => ({ node: f.node, path: f.path, secrets: f.unverified! })) } : {}),
      unchangedFiles: plan.files.filter((f) => f.change === 'unchanged').length,
      nodeActions: plan.nodeActions,
      units: plan.units,
      corosync: plan.corosync,
      cib: plan.cib.map((c) => ({ cluster: c.cluster, node: c.node, base: formatVersion(c.base), drift: c.drift, adopt: c.adopt, foreign: c.foreign, counts: c.counts, lines: c.lines.map((l) => ({ style: l.style, indent: l.indent, text: l.text })) })),
      impact: plan.impact,
      resources: plan.resources,
      ...(plan.brokers ? { brokers: plan.brokers } : {}),
    },
    disruptions: disruptionsOf(plan),
    result: result ?? null,
  };
}
