import { posix } from 'node:path';
import { diag, pointerOf, type Diagnostic } from '../../diagnostics.js';
import type { Rule } from './rule.js';

/**
 * Secret files are read at apply time and their contents pushed to nodes, so a file outside the
 * topology's directory (absolute, or escaping with ..) deserves a second look: a topology from
 * someone else could name /root/.ssh/id_rsa as a corosync key. Legitimate setups exist (a vault
 * mount), hence a warning.
 */
export const secretFiles: Rule = {
  name: 'secret-files',
  codes: ['HA3040'],
  check(t) {
    const out: Diagnostic[] = [];
    for (const s of Object.values(t.secrets)) {
      if (!s.file) continue;
      const normal = posix.normalize(s.file);
      if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
        out.push(diag('HA3040', pointerOf('secrets', s.name, 'file'), { secret: s.name, file: s.file }));
      }
    }
    return out;
  },
};
