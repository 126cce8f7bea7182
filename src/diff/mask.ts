/**
 * Masking by name and shape (its partner, src/secrets/mask.ts, masks resolved values by value
 * during apply). The rule for values that may be secrets, applied where a diff entry is built so no
 * secret value reaches any output (text, colour or JSON). A value is masked when its name says it
 * is a secret (password, passwd, secret, token, credentials, private or API keys, auth keys) or
 * when the value itself looks like a reference to one (hactl's `secret:NAME`, `${VAR}`,
 * `{{ ... }}`), which says a secret sits behind it.
 */
import { isCredentialName } from '../secret-names.js';
import { CIB_SECRET } from '../model/types.js';

export const MASK = '********';

const SECRET_REF = /^(secret:|\$\{|\{\{|vault:|env:[A-Z_]|lrm:\/\/)/;
/** Values that are credentials by their shape: a PEM block, a URL with a password in it. */
const SECRET_SHAPE = /-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----|\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:[^\s@/]+@/i;

/** The name rule HA3022 refuses inline values by (src/secret-names.ts). */
export function isSecretName(name: string): boolean {
  return isCredentialName(name);
}

export function looksLikeSecretRef(value: string): boolean {
  return SECRET_REF.test(value.trim());
}

/** The value to show for `name`=`value`: the value itself, or MASK when it may be a secret. */
export function maskValue(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // Pacemaker's CIB-secret marker is no secret: it says the value is on the nodes, not in the CIB.
  if (value === CIB_SECRET) return value;
  return isSecretName(name) || looksLikeSecretRef(value) || SECRET_SHAPE.test(value) ? MASK : value;
}
