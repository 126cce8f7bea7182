/**
 * Masking by value: every line hactl prints while it holds resolved secrets (file diffs, remote
 * error text, CIB diffs during apply) goes through maskSecrets. Its partner, src/diff/mask.ts,
 * masks by name and shape, for diffs of CIBs where no secret value is known.
 */
import { secretForms } from './encode.js';
import { isText, type SecretStore } from './resolve.js';
import { compareStrings } from '../util/compare.js';

export function maskLabel(name: string): string {
  return `<secret:${name}>`;
}

/**
 * Replaces every occurrence of every resolved text secret, in every encoding hactl writes it with
 * (raw, url, oslo and both), with its label. Longer values first, so a secret that contains another
 * is masked whole. Binary secrets (an authkey) cannot appear in text output meaningfully; their
 * text form is masked all the same in case one does.
 */
export function maskSecrets(text: string, store: SecretStore | undefined): string {
  if (!store) return text;
  const pairs = store
    .entries()
    .flatMap(([name, value]) => (isText(value) ? secretForms(value.toString('utf8')) : [value.toString('latin1')]).map((v) => [name, v] as const))
    .filter(([, v]) => v.length > 0)
    .sort((a, b) => b[1].length - a[1].length || compareStrings(a[0], b[0]));
  let out = text;
  for (const [name, v] of pairs) out = out.split(v).join(maskLabel(name));
  return out;
}
