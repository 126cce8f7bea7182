/**
 * `hactl import --adopt`: the ownership record of an imported topology, written into the cluster
 * at import time in one CIB patch, so that the first apply has nothing left to do. Ownership is
 * recorded, never guessed: only when the compiled topology is exactly what runs (no drift: every
 * object import typed or kept compiles to the live one) are its objects recorded as hactl's; any
 * difference (a secret the operator has yet to provide, say) leaves the adoption to the first
 * apply, which shows the change. The patch is computed against the CIB import read and refused
 * by Pacemaker when the configuration changed since (a concurrent change is never clobbered).
 */
import { diffCibs, hactlOwnership, type CibDiff } from '../diff/index.js';
import { declaredNodeTokens } from '../diff/node-pairs.js';
import { ownedIdsOf, writeRecord } from '../diff/ownership.js';
import type { Transport } from '../remote/ssh.js';
import { parseXml } from '../xml/parse.js';
import type { XmlElement } from '../xml/tree.js';
import { adoptions, formatVersion, pushPatch, versionOf, type PushOutcome } from './cib.js';

export type Adoption =
  /** The record was written: these ids are hactl's now; the epoch moved from `from` to the next. */
  | { kind: 'adopted'; ids: string[]; from: string; outcome: Extract<PushOutcome, { kind: 'pushed' | 'unchanged' }> }
  /** The compile differs from what runs: nothing written. */
  | { kind: 'drift'; diff: CibDiff }
  | { kind: 'push-failed'; outcome: Exclude<PushOutcome, { kind: 'pushed' | 'unchanged' }> };

export async function adoptImported(t: Transport, node: string, liveText: string, compiled: XmlElement): Promise<Adoption> {
  const parsed = parseXml(liveText);
  if (!parsed.ok) throw new Error(`the live CIB of ${node} is not XML: ${parsed.error.message}`);
  const live = parsed.root;
  const d = diffCibs(compiled, live, hactlOwnership(live));
  if (!d.ok) throw new Error(`cannot compare the imported topology with the live CIB: ${d.message}`);
  const { foreign } = adoptions(d.diff, live, compiled);
  // Unrecorded objects that differ are foreign, recorded ones that differ drift: either way the
  // topology is not what runs, and apply must show the change before anything is recorded.
  if (d.diff.drift || foreign.length) return { kind: 'drift', diff: d.diff };
  const candidate = structuredClone(live);
  writeRecord(candidate, ownedIdsOf(compiled), declaredNodeTokens(compiled));
  const epoch = Number.parseInt(live.attrs.epoch ?? '0', 10);
  candidate.attrs.epoch = String((Number.isFinite(epoch) ? epoch : 0) + 1);
  candidate.attrs.num_updates = '0';
  const outcome = await pushPatch(t, node, liveText, candidate);
  if (outcome.kind === 'pushed' || outcome.kind === 'unchanged') return { kind: 'adopted', ids: ownedIdsOf(compiled), from: formatVersion(versionOf(live)), outcome };
  return { kind: 'push-failed', outcome };
}
