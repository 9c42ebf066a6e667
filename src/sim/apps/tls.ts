/**
 * TLS 1.3 as far as a learner can observe it: a handshake of real record sizes on the wire, a
 * server certificate that a client trusts or not, and application data that tcpdump cannot read.
 *
 * Records are framed as on the wire (a 5-byte header: content type, version 0x0303, length) so
 * that a TCP stream carries the byte counts Linux would show. The contents are not real
 * cryptography: the plaintext is scrambled with a keystream derived from the record, which is
 * enough to make captures opaque and keep everything deterministic.
 */
import { monthName, wallClock } from '../engine/clock.ts';
import type { Micros } from '../engine/scheduler.ts';
import type { TcpConn } from '../transport/tcp.ts';

export const CT_CHANGE_CIPHER_SPEC = 20;
export const CT_ALERT = 21;
export const CT_HANDSHAKE = 22;
export const CT_APPLICATION_DATA = 23;

/** The handshake messages a TLS 1.3 server sends, with the sizes the recorded exchange showed. */
export const SERVER_HELLO_LEN = 122;
export const ENCRYPTED_EXTENSIONS_LEN = 21;
export const CERT_VERIFY_LEN = 264;
export const FINISHED_LEN = 52;
export const CLIENT_HELLO_LEN = 512;
export const SESSION_TICKET_LEN = 249;
/** AEAD tag (16) and the inner content type byte (1) of every encrypted record. */
const AEAD_OVERHEAD = 17;

/** What a server presents. */
export interface TlsIdentity {
  /** distinguished names as curl prints them, e.g. `CN=example.com` */
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Micros;
  readonly notAfter: Micros;
  /** subjectAltName DNS entries (`*.example.com` allowed) */
  readonly names: readonly string[];
  /** signed by an authority in the client's default CA bundle */
  readonly trusted: boolean;
  /** size of the Certificate message (the chain) */
  readonly certLen: number;
}

/** `Jan  5 09:00:00 2026 GMT`, as OpenSSL prints certificate dates. */
export function certDate(t: Micros): string {
  const c = wallClock(t);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${monthName(c)} ${String(c.d).padStart(2)} ${two(c.h)}:${two(c.mi)}:${two(c.s)} ${c.y} GMT`;
}

/** The SAN entry that matches `host` (RFC 6125: a wildcard covers one leftmost label). */
export function matchName(id: TlsIdentity, host: string): string | null {
  const h = host.toLowerCase();
  for (const n of id.names) {
    const name = n.toLowerCase();
    if (name === h) return n;
    if (name.startsWith('*.') && h.split('.').length === name.split('.').length && h.endsWith(name.slice(1))) return n;
  }
  return null;
}

/** A certificate for a public site of the simulated internet, valid around the virtual epoch. */
export function publicIdentity(host: string): TlsIdentity {
  const base = host.replace(/^www\./, '');
  const day = 86_400_000_000;
  return { subject: `CN=${base}`, issuer: "C=US; O=Let's Encrypt; CN=R11", notBefore: -30 * day, notAfter: 60 * day, names: [base, `*.${base}`], trusted: true, certLen: 2533 };
}

function header(type: number, len: number): string {
  return String.fromCharCode(type, 3, 3, (len >> 8) & 0xff, len & 0xff);
}

/** Scramble (or unscramble) text with a keystream: an involution, so the same call decrypts. */
function scramble(text: string, seed: number): string {
  let x = seed >>> 0 || 1;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += String.fromCharCode(text.charCodeAt(i) ^ (x & 0x7f));
  }
  return out;
}

/** An opaque record body of `len` bytes (handshake messages we do not need to read back). */
function filler(len: number, seed: number): string {
  return scramble('\0'.repeat(len), seed);
}

export function handshakeRecord(len: number, seed: number): string {
  return header(CT_HANDSHAKE, len) + filler(len, seed);
}

/** The ClientHello: 512 bytes that carry, among other things, the server name (SNI). */
export function clientHello(serverName: string): string {
  const inner = `sni=${serverName};`.padEnd(CLIENT_HELLO_LEN, '\0').slice(0, CLIENT_HELLO_LEN);
  return header(CT_HANDSHAKE, CLIENT_HELLO_LEN) + scramble(inner, CLIENT_KEY);
}

function serverNameOf(r: TlsRecord): string {
  return /^sni=([^;]*);/.exec(scramble(r.body, CLIENT_KEY))?.[1] ?? '';
}

export function changeCipherSpec(): string {
  return header(CT_CHANGE_CIPHER_SPEC, 1) + '\x01';
}

/** An encrypted record carrying `inner` bytes of plaintext (handshake or application data). */
export function encrypted(inner: string, seed: number): string {
  const body = scramble(inner, seed) + filler(AEAD_OVERHEAD, seed ^ 0x5a5a);
  return header(CT_APPLICATION_DATA, body.length) + body;
}

export function encryptedFiller(innerLen: number, seed: number): string {
  return encrypted('\0'.repeat(innerLen), seed);
}

export function alertRecord(): string {
  return header(CT_ALERT, 2) + '\x02\x30';
}

export interface TlsRecord {
  readonly type: number;
  /** the bytes after the header as sent */
  readonly body: string;
}

/** Splits a byte stream into whole records; keeps the rest for later. */
export class RecordReader {
  private buf = '';

  push(data: string): TlsRecord[] {
    this.buf += data;
    const out: TlsRecord[] = [];
    while (this.buf.length >= 5) {
      const len = (this.buf.charCodeAt(3) << 8) | this.buf.charCodeAt(4);
      if (this.buf.length < 5 + len) break;
      out.push({ type: this.buf.charCodeAt(0), body: this.buf.slice(5, 5 + len) });
      this.buf = this.buf.slice(5 + len);
    }
    return out;
  }

  /** The stream does not start like a TLS record (a plain-text peer). */
  get garbage(): boolean {
    if (!this.buf.length) return false;
    const t = this.buf.charCodeAt(0);
    return t < CT_CHANGE_CIPHER_SPEC || t > CT_APPLICATION_DATA || (this.buf.length >= 2 && this.buf.charCodeAt(1) !== 3);
  }
}

/** The plaintext of an application-data record written by `encrypted`. */
export function decrypt(r: TlsRecord, seed: number): string {
  return scramble(r.body.slice(0, r.body.length - AEAD_OVERHEAD), seed);
}

/** Keys: each direction has its own (fixed, so that NAT rewriting ports changes nothing). */
export const CLIENT_KEY = 0x6a09e667;
export const SERVER_KEY = 0x3c6ef372;

/**
 * The server side: answers a ClientHello with its flight, then passes decrypted application data
 * to `onPlain` and encrypts what it sends back. A peer that does not speak TLS gets nothing
 * useful (nginx would answer 400; a plain HTTP client sees the connection closed).
 */
export function tlsServer(conn: TcpConn, identityFor: (serverName: string) => TlsIdentity, handlers: { onPlain(text: string): void; onPlainRequestOnTlsPort?(text: string): void }): { send(text: string): void } {
  const reader = new RecordReader();
  const inKey = CLIENT_KEY;
  const outKey = SERVER_KEY;
  let stage: 'hello' | 'finished' | 'open' = 'hello';
  let plainProbe = '';
  const prev = conn.handlers;
  conn.handlers = {
    ...prev,
    onData: (text) => {
      if (stage === 'hello' && !plainProbe && text.length && text.charCodeAt(0) !== CT_HANDSHAKE) plainProbe = text;
      if (plainProbe) {
        handlers.onPlainRequestOnTlsPort?.(text);
        return;
      }
      for (const r of reader.push(text)) {
        if (stage === 'hello' && r.type === CT_HANDSHAKE) {
          stage = 'finished';
          const id = identityFor(serverNameOf(r));
          conn.send(
            handshakeRecord(SERVER_HELLO_LEN, outKey) +
              changeCipherSpec() +
              encryptedFiller(ENCRYPTED_EXTENSIONS_LEN, outKey) +
              // the Certificate message: the client learns the identity from it
              encrypted(JSON.stringify(id).padEnd(id.certLen, '\0'), outKey) +
              encryptedFiller(CERT_VERIFY_LEN, outKey) +
              encryptedFiller(FINISHED_LEN, outKey),
          );
        } else if (stage === 'finished' && r.type === CT_APPLICATION_DATA) {
          // the client's Finished: the session is open; TLS 1.3 servers then issue two tickets
          stage = 'open';
          conn.send(encryptedFiller(SESSION_TICKET_LEN, outKey) + encryptedFiller(SESSION_TICKET_LEN, outKey));
        } else if (stage === 'open' && r.type === CT_APPLICATION_DATA) handlers.onPlain(decrypt(r, inKey));
        else if (r.type === CT_ALERT) conn.close();
      }
    },
  };
  return { send: (text) => conn.send(encrypted(text, outKey)) };
}
