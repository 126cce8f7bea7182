/**
 * The one rule for parameter names that carry a credential, shared by validation (HA3022 refuses
 * such a parameter written into the topology) and by the diff's masking (its value is never
 * shown), so the two cannot disagree. A leaf module: it imports nothing.
 *
 * A name carries a credential when one of its words (split at `_` and `-`) is a password, secret,
 * token or community word, or it ends in a key word such as `auth_key` or `private_key`, or it is
 * one of the fence agents' key parameters (fence_ipmilan's `hexadecimal_kg`). A name that says
 * where a credential is found (`password_script`, `key_file`, `*_path`, `*_url`, `*_uri`) holds a
 * path, not the credential, and is neither refused nor masked. A bare `key` is not matched:
 * fence_scsi and fence_mpath call their reservation key that, and it is no secret.
 */
const CREDENTIAL_WORDS = new Set(['pass', 'passwd', 'password', 'passphrase', 'pw', 'pwd', 'secret', 'token', 'psk', 'credential', 'credentials', 'community', 'kg']);
const KEY_SUFFIX = /(^|[_-])(auth|api|private|priv|access|shared|secret|session|encryption|enc)[_-]?key$/i;
const REFERENCE = /[_-](script|file|path|url|uri|method)$/i;

export function isCredentialName(name: string): boolean {
  if (REFERENCE.test(name)) return false;
  const words = name.toLowerCase().split(/[_-]+/);
  // camelCase and run-together names (apikey, authkey, passwd, privatekey, snmpPrivPassword).
  const flat = name.toLowerCase();
  return words.some((w) => CREDENTIAL_WORDS.has(w)) || KEY_SUFFIX.test(name) || /(apikey|authkey|privatekey|password|passwd|passphrase)/.test(flat);
}
