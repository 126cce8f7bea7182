/** IPv4 arithmetic on 32-bit unsigned integers. Inputs have passed the schema's patterns. */
export function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function intToIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, prefix] = cidr.split('/');
  return { base: ipToInt(ip!), prefix: Number(prefix) };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkAddressOf(c: Cidr): number {
  return (c.base & mask(c.prefix)) >>> 0;
}

export function contains(c: Cidr, ip: string): boolean {
  return ((ipToInt(ip) & mask(c.prefix)) >>> 0) === networkAddressOf(c);
}

/** True for the network or broadcast address of a network with room for hosts. */
export function isReservedInNetwork(c: Cidr, ip: string): boolean {
  if (c.prefix >= 31) return false;
  const n = ipToInt(ip);
  const net = networkAddressOf(c);
  return n === net || n === (net | (~mask(c.prefix) >>> 0)) >>> 0;
}
