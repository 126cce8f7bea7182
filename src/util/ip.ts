/**
 * IPv4 and IPv6 arithmetic on bigints, one API for both families. Inputs have passed the schema's
 * loose patterns; parseIp is the exact check (undefined for anything malformed), and IPv6
 * addresses are expected in their canonical text form (RFC 5952: lowercase, no leading zeros, the
 * longest run of two or more zero groups as ::), which the addresses rule asks for.
 */
export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  base: bigint;
  prefix: number;
}

export function familyOf(ip: string): Family {
  return ip.includes(':') ? 6 : 4;
}

const widthOf = (f: Family): number => (f === 4 ? 32 : 128);

function parseV4(ip: string): bigint | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => acc * 256n + BigInt(p), 0n);
}

function parseV6(ip: string): bigint | undefined {
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  return [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail].reduce((acc, g) => acc * 65536n + BigInt(`0x${g}`), 0n);
}

/** The address as a number, or undefined when it is no well-formed IPv4 or IPv6 address. */
export function parseIp(ip: string): bigint | undefined {
  return familyOf(ip) === 4 ? parseV4(ip) : parseV6(ip);
}

/** The address in its canonical text form (RFC 5952 for IPv6). */
export function formatIp(n: bigint, family: Family): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n)).join('.');
  const g = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equal runs) becomes ::.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  const hex = g.map((x) => x.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.len).join(':')}`;
}

/** The canonical form of a well-formed address, or undefined. */
export function canonicalIp(ip: string): string | undefined {
  const n = parseIp(ip);
  return n === undefined ? undefined : formatIp(n, familyOf(ip));
}

export function parseCidr(cidr: string): Cidr {
  const [ip, prefix] = cidr.split('/');
  const family = familyOf(ip!);
  return { family, base: parseIp(ip!) ?? 0n, prefix: Number(prefix) };
}

function mask(c: { family: Family; prefix: number }): bigint {
  const w = widthOf(c.family);
  return ((1n << BigInt(w)) - 1n) ^ ((1n << BigInt(w - c.prefix)) - 1n);
}

export function networkAddressOf(c: Cidr): bigint {
  return c.base & mask(c);
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(networkAddressOf(c), c.family)}/${c.prefix}`;
}

/** Whether the address lies in the network (never across families). */
export function contains(c: Cidr, ip: string): boolean {
  const n = familyOf(ip) === c.family ? parseIp(ip) : undefined;
  return n !== undefined && (n & mask(c)) === networkAddressOf(c);
}

/** Whether two networks of one family share an address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const p = Math.min(a.prefix, b.prefix);
  return networkAddressOf({ ...a, prefix: p }) === networkAddressOf({ ...b, prefix: p });
}

/**
 * The network address (IPv4 and IPv6: the subnet-router anycast address) or the IPv4 broadcast
 * address of a network with room for hosts: no node or VIP takes those.
 */
export function reservedKind(c: Cidr, ip: string): 'network' | 'broadcast' | undefined {
  const w = widthOf(c.family);
  if (c.prefix >= w - 1 || !contains(c, ip)) return undefined;
  const n = parseIp(ip)!;
  const net = networkAddressOf(c);
  if (n === net) return 'network';
  if (c.family === 4 && n === (net | ((1n << BigInt(w - c.prefix)) - 1n))) return 'broadcast';
  return undefined;
}

/** First and last host address of a network (the whole range for the two longest prefixes). */
export function hostRange(c: Cidr): [string, string] {
  const w = widthOf(c.family);
  const base = networkAddressOf(c);
  const last = base | ((1n << BigInt(w - c.prefix)) - 1n);
  if (c.prefix >= w - 1) return [formatIp(base, c.family), formatIp(last, c.family)];
  return [formatIp(base + 1n, c.family), formatIp(c.family === 4 ? last - 1n : last, c.family)];
}

/** fe80::/10: an address that only means something on one link (with a zone), never a cluster's. */
export function isLinkLocal(ip: string): boolean {
  return contains({ family: 6, base: 0xfe80n << 112n, prefix: 10 }, ip);
}

/** `addr:port`, with the brackets an IPv6 literal needs wherever an address and port are joined. */
export function hostPort(ip: string, port: number | string): string {
  return `${urlHost(ip)}:${port}`;
}

/** An address as the host part of a URL or `host:port` pair: IPv6 literals in brackets. */
export function urlHost(ip: string): string {
  return familyOf(ip) === 6 ? `[${ip}]` : ip;
}
