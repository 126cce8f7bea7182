/**
 * The compile stage: runs the chosen targets over a lowered topology. Pure: no I/O, no clock, so
 * the same topology always gives the same artifacts (see output.ts for writing them).
 */
import type { Lowered } from '../lower/index.js';
import { sortArtifacts, type Artifact } from './artifact.js';
import type { Target } from './target.js';
import { TARGETS } from './targets.js';

export type { Artifact, NodeFile, ChangeAction } from './artifact.js';
export type { Target } from './target.js';

export function targetNames(): string[] {
  return TARGETS.map((t) => t.name);
}

function chosenTargets(formats: readonly string[]): Target[] {
  const unknown = formats.filter((f) => !TARGETS.some((t) => t.name === f));
  if (unknown.length) throw new Error(`unknown compile target(s): ${unknown.join(', ')}`);
  return TARGETS.filter((t) => formats.includes(t.name));
}

export function compile(model: Lowered, formats: readonly string[] = targetNames()): Artifact[] {
  return sortArtifacts(chosenTargets(formats).flatMap((t) => t.emit(model)));
}

/**
 * The artifacts of `compile`, one at a time and in no particular order, each made when the
 * consumer asks for the next: a writer holds one file at a time instead of the whole output.
 */
export function* compileEach(model: Lowered, formats: readonly string[] = targetNames()): Generator<Artifact> {
  for (const t of chosenTargets(formats)) yield* t.each ? t.each(model) : t.emit(model);
}
