import type { MessageEntry } from './entry.js';

/** HA2xxx: the JSON Schema (schemas/topology.schema.json). */
export const SCHEMA_MESSAGES = {
  HA2001: { severity: 'error', message: '{detail}' },
  HA2002: { severity: 'error', message: 'unknown property {property}', hint: '{suggestion}' },
  HA2003: { severity: 'error', message: 'missing required property {property}' },
  HA2004: { severity: 'error', message: 'expected {expected}, found {found}' },
  HA2005: { severity: 'error', message: '{value} does not match the required form: {form}' },
  HA2006: { severity: 'error', message: '{value} is not one of: {allowed}' },
  HA2007: {
    severity: 'error',
    message: 'a secret must name where its value comes from (env or file), never hold the value',
    hint: 'write { env: VARIABLE } or { file: path/to/file }',
  },
  HA2011: {
    severity: 'error',
    message: 'a password field names a secret (a key of secrets), it never holds the password; the value written here is not shown',
    hint: 'add the password under secrets: as { env: VARIABLE } or { file: path/to/file } and write that secret\'s name here',
  },
  HA2015: {
    severity: 'error',
    message: '{key} is empty, and what follows it at its indentation ({properties}) belongs to it',
    hint: 'indent {properties} below {key}: (more than {key} itself)',
  },
  HA2008: { severity: 'error', message: 'must be {comparison} {limit}' },
  HA2009: { severity: 'error', message: 'must have at least {limit} item(s)' },
  HA2010: { severity: 'error', message: 'items must be unique; {value} appears more than once' },
} as const satisfies Record<string, MessageEntry>;
