import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { diag, type Diagnostic } from '../diagnostics.js';
import { loadTopology, type LoadResult } from '../load.js';
import { diagnosticsToJson, formatDiagnostics } from '../report/diagnostics.js';
import type { Lowered } from '../lower/index.js';
import type { Topology } from '../model/types.js';
import { HactlError } from '../errors.js';
import type { Io } from './io.js';
import { paintFor } from './paint.js';

/**
 * Reads and loads a topology file ('-' is stdin); a read failure is an HA1002 diagnostic. Read
 * synchronously: nothing else runs meanwhile, and node:fs/promises (with node:readline, which it
 * loads) cost validate 15M instructions at start-up.
 */
export async function readTopology(io: Io, file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : readFileSync(resolvePath(io.cwd, file), 'utf8');
  } catch (e) {
    const d: Diagnostic = { ...diag('HA1002', '', { file, detail: readFailure(e) }), file };
    return { source: { file, text: '', value: undefined, lines: undefined as never }, diagnostics: [d], ok: false };
  }
  // The reference cloud is 5 KB; past this, the models of hundreds of nodes are what costs.
  // Below it, the run is over before most code is worth optimising.
  if (text.length > LARGE_TOPOLOGY) io.preferMemory?.();
  else io.preferShortRun?.();
  return loadTopology(text, file);
}

/** Characters of topology text from which a command favours memory over speed (see Io.preferMemory, Io.preferShortRun). */
const LARGE_TOPOLOGY = 64 * 1024;

function readFailure(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = { ENOENT: 'no such file', EISDIR: 'it is a directory', EACCES: 'permission denied', ENOTDIR: 'a part of the path is not a folder' };
  return code ? `${why[code] ?? 'the system refused'} (${code})` : String(e);
}

export function printDiagnostics(io: Io, result: LoadResult, json: boolean): void {
  if (json) {
    io.stdout(JSON.stringify({ file: result.source.file, ok: result.ok, diagnostics: diagnosticsToJson(result.diagnostics) }, null, 2) + '\n');
    return;
  }
  if (result.diagnostics.length) io.stderr(formatDiagnostics(result.diagnostics, result.source.text, paintFor(io)) + '\n');
}

/** Loads a topology for a command that needs a valid one; prints diagnostics and exits 2 otherwise. */
export async function requireTopology(io: Io, file: string): Promise<{ topology: Topology; model: Lowered; result: LoadResult }> {
  const result = await readTopology(io, file);
  if (!result.ok || !result.model) {
    printDiagnostics(io, result, false);
    const n = result.diagnostics.filter((d) => d.severity === 'error').length;
    throw new HactlError(diag('HA5701', '', { file, count: n }), 2);
  }
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
  if (warnings.length) printDiagnostics(io, { ...result, diagnostics: warnings }, false);
  return { topology: result.model.topology, model: result.model, result };
}
