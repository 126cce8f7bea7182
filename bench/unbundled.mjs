// The CLI as bin/hactl.js ran it before the bundle (scripts/bundle.mjs): straight from the ES
// modules in dist/, no code cache. `npm run bench` runs it next to bin/hactl.js to show what the
// bundle and its cache save at start-up.
import { run } from '../dist/cli/main.js';
import { processIo } from '../dist/cli/io.js';

process.exitCode = await run(process.argv.slice(2), processIo());
