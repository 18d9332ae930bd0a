/**
 * Reads the server name (SNI, RFC 6066) from the first bytes a TLS client sends, without terminating TLS,
 * so the router can pick a backend and then pass the untouched bytes through (what the OpenShift router
 * and ingress-nginx do for passthrough). The ClientHello may span several TLS records; records are
 * reassembled until the whole handshake message is there.
 */
export type ClientHelloResult =
  | { kind: 'incomplete' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'hello'; serverName?: string };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXT_SERVER_NAME = 0x0000;
const NAME_TYPE_HOST = 0x00;
/** a ClientHello larger than this is refused rather than buffered */
export const MAX_CLIENT_HELLO = 64 * 1024;

class Reader {
  constructor(
    private readonly buf: Buffer,
    public pos = 0,
    private readonly end = buf.length,
  ) {}

  remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  u16(): number {
    this.need(2);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u24(): number {
    this.need(3);
    const v = this.buf.readUIntBE(this.pos, 3);
    this.pos += 3;
    return v;
  }

  bytes(n: number): Buffer {
    this.need(n);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** a sub-reader over the next n bytes */
  sub(n: number): Reader {
    this.need(n);
    const r = new Reader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('truncated');
  }
}

/** The handshake bytes carried by the leading TLS records, or what is wrong with them. */
function reassemble(data: Buffer): Buffer | ClientHelloResult {
  const parts: Buffer[] = [];
  let pos = 0;
  let collected = 0;
  for (;;) {
    if (collected >= 4) {
      const total = 4 + Buffer.concat(parts).readUIntBE(1, 3);
      if (total > MAX_CLIENT_HELLO)
        return { kind: 'invalid', reason: 'ClientHello too large' };
      if (collected >= total) return Buffer.concat(parts).subarray(0, total);
    }
    if (data.length < pos + 5) return { kind: 'incomplete' };
    if (data[pos] !== RECORD_HANDSHAKE)
      return { kind: 'invalid', reason: 'not a TLS handshake record' };
    if (data[pos + 1] !== 0x03)
      return { kind: 'invalid', reason: 'not a TLS record version' };
    const length = data.readUInt16BE(pos + 3);
    if (length === 0 || length > 16384 + 2048)
      return { kind: 'invalid', reason: 'bad TLS record length' };
    if (data.length < pos + 5 + length) return { kind: 'incomplete' };
    parts.push(data.subarray(pos + 5, pos + 5 + length));
    collected += length;
    pos += 5 + length;
  }
}

export function parseClientHello(data: Buffer): ClientHelloResult {
  if (data.length > 0 && data[0] !== RECORD_HANDSHAKE)
    return { kind: 'invalid', reason: 'not a TLS handshake record' };
  const handshake = reassemble(data);
  if (!Buffer.isBuffer(handshake)) return handshake;
  try {
    const r = new Reader(handshake);
    if (r.u8() !== HANDSHAKE_CLIENT_HELLO)
      return { kind: 'invalid', reason: 'not a ClientHello' };
    const body = r.sub(r.u24());
    body.u16(); // legacy_version
    body.bytes(32); // random
    body.bytes(body.u8()); // legacy_session_id
    body.bytes(body.u16()); // cipher_suites
    body.bytes(body.u8()); // legacy_compression_methods
    if (body.remaining() === 0) return { kind: 'hello' }; // no extensions at all (SSLv3-style hello)
    const extensions = body.sub(body.u16());
    while (extensions.remaining() > 0) {
      const type = extensions.u16();
      const ext = extensions.sub(extensions.u16());
      if (type !== EXT_SERVER_NAME) continue;
      const list = ext.sub(ext.u16());
      while (list.remaining() > 0) {
        const nameType = list.u8();
        const name = list.bytes(list.u16());
        if (nameType === NAME_TYPE_HOST) {
          const host = name.toString('ascii');
          if (!/^[A-Za-z0-9.-]+$/.test(host))
            return { kind: 'invalid', reason: 'malformed server name' };
          // DNS names are case-insensitive; a trailing dot names the same host
          return {
            kind: 'hello',
            serverName: host.toLowerCase().replace(/\.$/, ''),
          };
        }
      }
    }
    return { kind: 'hello' };
  } catch {
    return { kind: 'invalid', reason: 'malformed ClientHello' };
  }
}
