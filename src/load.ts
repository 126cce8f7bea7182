/**
 * parse -> schema -> resolve -> rules: from topology text to a resolved model and every
 * diagnostic, each placed at its file, line and column.
 */
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.js';
import type { TopologyInput } from './model/input.js';
import { resolve } from './model/resolve.js';
import { RULES } from './model/rules/index.js';
import type { Topology } from './model/types.js';
import { parseTopology, position, type Source } from './parse/source.js';
import { validateSchema } from './validate/schema.js';

export interface LoadResult {
  source: Source;
  /** Present when the topology passed the schema (rules may still have found errors). */
  topology?: Topology;
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
  return done(source, diagnostics, topology);
}

function done(source: Source, diagnostics: Diagnostic[], topology?: Topology): LoadResult {
  const r: LoadResult = { source, diagnostics: sortDiagnostics(diagnostics), ok: !hasErrors(diagnostics) };
  if (topology) r.topology = topology;
  return r;
}
