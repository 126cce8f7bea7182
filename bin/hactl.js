#!/usr/bin/env node
// Shim: the CLI lives in the library's cli module; this file only hands it the process.
import { run } from '../dist/cli/main.js';
import { processIo } from '../dist/cli/io.js';

process.exitCode = await run(process.argv.slice(2), processIo());
