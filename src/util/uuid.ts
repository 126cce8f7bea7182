/**
 * A name-based UUID (RFC 4122 version 5, SHA-1) so derived ids are stable across compiles.
 *
 * SHA-1 is computed here rather than by node:crypto: loading that module and OpenSSL's first
 * digest cost validate and compile about a tenth of their start-up, for a few short names.
 */
export function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = sha1(Buffer.concat([ns, Buffer.from(name, 'utf8')]));
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** SHA-1 (FIPS 180-4) of a message, as 20 bytes. */
export function sha1(message: Uint8Array): Buffer {
  // Padding: a 1 bit, zeros to 56 mod 64 bytes, then the length in bits as 64-bit big-endian.
  const blocks = Math.ceil((message.length + 9) / 64);
  const data = Buffer.alloc(blocks * 64);
  data.set(message);
  data[message.length] = 0x80;
  const bits = message.length * 8;
  data.writeUInt32BE(Math.floor(bits / 0x100000000), data.length - 8);
  data.writeUInt32BE(bits >>> 0, data.length - 4);

  let h0 = 0x67452301;
  let h1 = 0xefcdab89;
  let h2 = 0x98badcfe;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0;
  const w = new Uint32Array(80);
  for (let off = 0; off < data.length; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = data.readUInt32BE(off + t * 4);
    for (let t = 16; t < 80; t++) {
      const v = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
      w[t] = (v << 1) | (v >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    for (let t = 0; t < 80; t++) {
      let f: number;
      let k: number;
      if (t < 20) {
        f = (b & c) | (~b & d);
        k = 0x5a827999;
      } else if (t < 40) {
        f = b ^ c ^ d;
        k = 0x6ed9eba1;
      } else if (t < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8f1bbcdc;
      } else {
        f = b ^ c ^ d;
        k = 0xca62c1d6;
      }
      const temp = (((a << 5) | (a >>> 27)) + f + e + k + w[t]!) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = temp;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  const out = Buffer.alloc(20);
  [h0, h1, h2, h3, h4].forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  return out;
}
