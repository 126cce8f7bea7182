import type { Diagnostic } from '../../diagnostics.js';
import type { TopologyInput } from '../input.js';
import type { Topology } from '../types.js';

/**
 * A semantic HA rule: one file under rules/, one or more codes of its own (HA3xxx). Rules read the
 * resolved topology (and, where the wording matters, the input as written) and return diagnostics
 * with JSON Pointers; positioning happens once, afterwards.
 */
export interface Rule {
  /** Short kebab-case name, shown in docs and tests. */
  name: string;
  /** The codes this rule may report. */
  codes: readonly string[];
  check(topology: Topology, input: TopologyInput): Diagnostic[];
}
