/** How `hactl import` writes values into topology text. */

/** A YAML scalar: plain when YAML reads it back as this same string, double-quoted otherwise. */
export function scalar(s: string): string {
  // Addresses and durations (198.51.100.11, 45s) read back as strings; other digits may not (010, 1e3).
  const plain = (/^[A-Za-z_/][A-Za-z0-9_./@+-]*$/.test(s) && !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(s)) || /^[0-9]+(\.[0-9]+){2,}$|^[1-9][0-9]*[a-z]+$/.test(s);
  return plain ? s : JSON.stringify(s);
}
