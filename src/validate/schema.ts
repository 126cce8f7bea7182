/**
 * Validates the topology against schemas/topology.schema.json (precompiled by
 * scripts/build-schema.mjs) and turns ajv's errors into positioned, catalogued diagnostics.
 */
import { diag, pointerOf, pointerSegments, type Diagnostic } from '../diagnostics.js';
import { locate, position, type Source } from '../parse/source.js';
import { closest } from '../util/suggest.js';
import { FORMS } from './forms.js';
import { topology } from './generated/validators.js';
import type { SchemaError } from './schema-types.js';

export function validateSchema(source: Source): Diagnostic[] {
  if (topology(source.value)) return [];
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const errors = topology.errors ?? [];
  const { replaced, found } = underIndented(errors);
  for (const [d, key] of found) out.push(position(source, d, key));
  for (const e of errors) {
    if (replaced.has(e)) continue;
    const mapped = mapError(e, source);
    if (!mapped) continue;
    const [d, key] = mapped;
    const id = `${d.code}|${d.pointer}|${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(position(source, d, key));
  }
  return out;
}

/**
 * A key left empty with its own properties written after it at its indentation (`fencing:` then
 * `address: …` in line with it, operator trial m06b): YAML reads an empty key and unknown
 * properties of the enclosing mapping. One error at the first stray property, saying to indent it,
 * replaces "expected a mapping, found null" and "unknown property address, did you mean addresses".
 */
function underIndented(errors: readonly SchemaError[]): { replaced: Set<SchemaError>; found: [Diagnostic, boolean][] } {
  const replaced = new Set<SchemaError>();
  const found: [Diagnostic, boolean][] = [];
  for (const e of errors) {
    if (e.keyword !== 'type' || e.data !== null) continue;
    const own = e.parentSchema?.properties as Record<string, unknown> | undefined;
    if (!own) continue;
    const segments = pointerSegments(e.instancePath);
    const key = segments.pop();
    if (key === undefined) continue;
    const parent = pointerOf(...segments);
    const strays = errors.filter((x) => x.keyword === 'additionalProperties' && x.instancePath === parent && Object.hasOwn(own, String(x.params.additionalProperty)));
    if (!strays.length) continue;
    replaced.add(e);
    for (const x of strays) replaced.add(x);
    const properties = strays.map((x) => String(x.params.additionalProperty)).join(', ');
    found.push([diag('HA2015', pointerOf(...segments, String(strays[0]!.params.additionalProperty)), { key, properties }), true]);
  }
  return { replaced, found };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `the ${typeof v} ${String(v)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
};

/** The value as written in the source (for hints that quote it back). */
function written(source: Source, pointer: string): string {
  const [s, e] = locate(source, pointer);
  return source.text.slice(s, e).trim();
}

function typeHint(e: SchemaError, source: Source, expected: string): string | undefined {
  const text = written(source, e.instancePath);
  if (expected.includes('a string') && (typeof e.data === 'number' || typeof e.data === 'boolean')) {
    return `YAML read ${text} as a ${typeof e.data}; quote it if you mean the text: '${text}'`;
  }
  if (e.data === null) return 'the value is empty; write one, or remove the key';
  if (typeof e.data === 'string' && /^(number|integer|boolean)$/.test(String(e.params.type)) && /^["']/.test(text)) {
    return `remove the quotes: ${e.data}`;
  }
  return undefined;
}

function mapError(e: SchemaError, source: Source): [Diagnostic, boolean] | undefined {
  const at = e.instancePath;
  const isSecret = /^\/secrets\/[^/]+$/.test(at);
  // A value written where a secret's source or name belongs is likely the secret itself: it is
  // refused without being repeated (and the code frame hides it, see Diagnostic.conceal).
  if (isSecret && e.keyword === 'type') return [{ ...diag('HA2007', at), conceal: true }, false];
  // Neither or both of env and file (the schema's oneOf, and its branches' required). A value that
  // is no mapping (perhaps the secret itself), or a mapping with a property of its own, is
  // reported by the type and additionalProperties cases, concealed where it must be.
  if (isSecret && (e.keyword === 'oneOf' || e.keyword === 'required')) {
    const known = e.data !== null && typeof e.data === 'object' && Object.keys(e.data).every((k) => k === 'env' || k === 'file' || k === 'purposes');
    return known ? [diag('HA2007', at), false] : undefined;
  }
  if (/\/fencing\/password$/.test(at) && (e.keyword === 'pattern' || e.keyword === 'type' || e.keyword === 'maxLength')) return [{ ...diag('HA2011', at), conceal: true }, false];
  // An agent parameter is text or { secret: NAME } (the schema's oneOf): only the branch the value
  // was meant for speaks (a mapping is a secret reference, anything else text).
  if (/\/params\/[^/]+$/.test(at) && (e.keyword === 'oneOf' || (e.keyword === 'type' && (e.params.type === 'object') !== (e.data !== null && typeof e.data === 'object' && !Array.isArray(e.data))))) return undefined;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = String(e.params.additionalProperty);
      if (isSecret) return [diag('HA2007', pointerOf(...pointerSegments(at), prop)), true];
      const known = Object.keys((e.parentSchema?.properties as Record<string, unknown> | undefined) ?? {});
      const near = closest(prop, known);
      const suggestion = near ? `did you mean '${near}'?` : known.length ? `known properties: ${known.join(', ')}` : '';
      return [diag('HA2002', pointerOf(...pointerSegments(at), prop), { property: prop, suggestion }), true];
    }
    case 'required':
      return [diag('HA2003', at, { property: String(e.params.missingProperty) }), false];
    case 'minProperties':
    case 'maxProperties':
      if (isSecret) return [diag('HA2007', at), false];
      if (e.keyword === 'minProperties') return [diag('HA2009', at, { limit: Number(e.params.limit) }), false];
      return [diag('HA2001', at, { detail: e.message ?? 'too many properties' }), false];
    case 'type': {
      const expected = String(e.params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      return [diag('HA2004', at, { expected, found: describe(e.data) }, typeHint(e, source, expected)), false];
    }
    case 'pattern': {
      const pattern = String(e.params.pattern);
      const form = FORMS[pattern] ?? String(e.parentSchema?.description ?? `pattern ${pattern}`);
      if (e.propertyName !== undefined) {
        return [diag('HA2005', pointerOf(...pointerSegments(at), e.propertyName), { value: JSON.stringify(e.propertyName), form }), true];
      }
      return [diag('HA2005', at, { value: JSON.stringify(e.data), form }), false];
    }
    case 'maxLength':
    case 'minLength':
      return [diag('HA2001', at, { detail: `${describe(e.data)} must have ${e.keyword === 'maxLength' ? 'at most' : 'at least'} ${String(e.params.limit)} characters` }), false];
    case 'propertyNames':
    // The nested error (pattern, with propertyName set) carries the detail; so does the one
    // inside a conditional (the 2013 families' required instances mount).
    case 'if':
      return undefined;
    case 'enum': {
      const allowed = (e.params.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return [diag('HA2006', at, { value: describe(e.data), allowed: allowed.join(', ') }, near ? `did you mean '${near}'?` : undefined), false];
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return [diag('HA2008', at, { comparison: String(e.params.comparison), limit: Number(e.params.limit) }), false];
    case 'minItems':
      return [diag('HA2009', at, { limit: Number(e.params.limit) }), false];
    case 'uniqueItems': {
      const arr = e.data as unknown[];
      const dup = Array.isArray(arr) ? arr[Number(e.params.i)] : undefined;
      return [diag('HA2010', at, { value: JSON.stringify(dup) }), false];
    }
    default:
      return [diag('HA2001', at, { detail: e.message ?? e.keyword }), false];
  }
}
