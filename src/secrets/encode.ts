/**
 * The encodings a file template may ask for after a secret is resolved (`{{secret:NAME|url|oslo}}`),
 * in one place: apply writes values with them, and masking must know every form a value takes in a
 * file, or a password hactl itself percent-encoded would be printed in clear.
 */
export function encodeSecret(value: string, encodings: readonly string[]): string {
  let v = value;
  for (const e of encodings) {
    if (e === 'url') v = [...Buffer.from(v, 'utf8')].map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
    else if (e === 'oslo') v = v.replace(/\$/g, '$$$$');
  }
  return v;
}

/**
 * Every form a value may take in a written file or a tool's message: raw, each encoding, each
 * order of both, and percent-encoding in lower-case hex (what other tools print).
 */
export function secretForms(value: string): string[] {
  const url = encodeSecret(value, ['url']);
  const forms = [value, url, url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()), encodeSecret(value, ['oslo']), encodeSecret(value, ['url', 'oslo']), encodeSecret(value, ['oslo', 'url'])];
  return [...new Set(forms)];
}
