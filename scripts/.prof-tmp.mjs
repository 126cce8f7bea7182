import { readFileSync } from 'node:fs';
import { loadTopology } from '../dist/load.js';
const text = readFileSync('fixtures/pixelpark.yaml', 'utf8');
const N = Number(process.argv[2] ?? 200);
let t0 = process.cpuUsage();
for (let i = 0; i < N; i++) loadTopology(text, 'p.yaml');
const u = process.cpuUsage(t0);
console.log('per load ms', ((u.user + u.system) / 1000 / N).toFixed(2));
