/**
 * Secret sources for `desiredState` in tests: every secret of a topology gets the value the test
 * chooses, through the environment variable or the file the topology names, without touching the disk.
 */
import type { Lowered } from '../../src/lower/index.js';
import { ROOT } from './cli.js';

export interface SecretSources {
  env: Record<string, string>;
  cwd: string;
  readFile: (path: string) => Promise<Buffer>;
}

/** `value(name)` is the secret's bytes; an environment variable holds them as latin1, byte for byte. */
export function secretSources(model: Lowered, value: (name: string) => Buffer): SecretSources {
  const env: Record<string, string> = {};
  const files = new Map<string, Buffer>();
  for (const s of Object.values(model.topology.secrets)) {
    if (s.env) env[s.env] = value(s.name).toString('latin1');
    if (s.file) files.set(s.file.replace(/^\.\//, ''), value(s.name));
  }
  return {
    env,
    cwd: ROOT,
    readFile: async (p: string) => {
      const hit = [...files].find(([rel]) => p.endsWith(`/${rel}`));
      if (!hit) throw Object.assign(new Error(`no such secret file ${p}`), { code: 'ENOENT' });
      return hit[1];
    },
  };
}
