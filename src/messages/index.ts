/**
 * The one catalogue of user-visible diagnostics, split by stage so each stage owns its file.
 * Codes are stable: never renumber, only add. HA1xxx parse, HA2xxx schema, HA3xxx semantic rules,
 * HA4xxx compile, HA5xxx diff/remote/apply and usage, HA6xxx check findings.
 */
import { APPLY_MESSAGES } from './apply.js';
import { CHECK_MESSAGES } from './check.js';
import { COMPILE_MESSAGES } from './compile.js';
import { FILES_MESSAGES } from './files.js';
import { IMPORT_MESSAGES } from './import.js';
import { LOCAL_MESSAGES } from './local.js';
import { MAINT_MESSAGES } from './maint.js';
import { PARSE_MESSAGES } from './parse.js';
import { REMOTE_MESSAGES } from './remote.js';
import { RULE_MESSAGES } from './rules.js';
import { SCHEMA_MESSAGES } from './schema.js';
import { USAGE_MESSAGES } from './usage.js';
import { VALUE_MESSAGES } from './values.js';

export const MESSAGES = {
  ...PARSE_MESSAGES,
  ...SCHEMA_MESSAGES,
  ...RULE_MESSAGES,
  ...VALUE_MESSAGES,
  ...COMPILE_MESSAGES,
  ...LOCAL_MESSAGES,
  ...FILES_MESSAGES,
  ...REMOTE_MESSAGES,
  ...APPLY_MESSAGES,
  ...USAGE_MESSAGES,
  ...IMPORT_MESSAGES,
  ...CHECK_MESSAGES,
  ...MAINT_MESSAGES,
};

export type Code = keyof typeof MESSAGES;
export type { MessageEntry } from './entry.js';
