/**
 * parse -> schema -> resolve -> rules -> lower: from topology text to a resolved model, its
 * lowered form (Pacemaker models and node file plans) and every diagnostic, each placed at its
 * file, line and column.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import type { TopologyInput } from './model/input.js';
import { resolve } from './model/resolve.js';
import { lower, type Lowered } from './lower/index.js';
import { RULES } from './model/rules/index.js';
import type { Topology } from './model/types.js';
import { parseTopology, position, type Source } from './parse/source.js';
import { validateSchema } from './validate/schema.js';

export interface LoadResult {
  source: Source;
  /** Present when the topology passed the schema (rules may still have found errors). */
  topology?: Topology;
  /** The lowered topology, present with `topology`: compile, check, diff and apply read it. */
  model?: Lowered;
  diagnostics: Diagnostic[];
  /** True when there is no error: the topology may be compiled. */
  ok: boolean;
}

export function loadTopology(text: string, file: string): LoadResult {
  const parsed = parseTopology(text, file);
  const { source } = parsed;
  const diagnostics = [...parsed.diagnostics];
  if (hasErrors(diagnostics)) return done(source, diagnostics);
  diagnostics.push(...validateSchema(source));
  if (hasErrors(diagnostics)) return done(source, diagnostics);
  const input = source.value as TopologyInput;
  const topology = resolve(input, file);
  for (const rule of RULES) {
    for (const d of rule.check(topology, input)) diagnostics.push(position(source, d));
  }
  const lowered = lower(topology);
  for (const d of lowered.diagnostics) diagnostics.push(position(source, d));
  return done(source, diagnostics, lowered.lowered);
}

function done(source: Source, diagnostics: Diagnostic[], model?: Lowered): LoadResult {
  const r: LoadResult = { source, diagnostics: sortDiagnostics(diagnostics), ok: !hasErrors(diagnostics) };
  if (model) {
    r.topology = model.topology;
    r.model = model;
  }
  return r;
}
