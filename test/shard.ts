/**
 * One shard of the unit tier (test/tiers.ts): the test files named on the command line imported
 * into this one process, where node:test runs their tests and sets the exit status. Loading the
 * TypeScript sources once per shard instead of once per file halves the tier's CPU time. A file
 * that cannot be loaded is a failure naming it; the others still run.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './helpers/spawn.js';

for (const f of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(join(ROOT, f)).href);
  } catch (e) {
    console.error(`not ok - ${f} could not be loaded: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    process.exitCode = 1;
  }
}
