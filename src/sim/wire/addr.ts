/**
 * IPv4 addresses, prefixes and MAC addresses as validated value types.
 *
 * An IPv4 address is an unsigned 32-bit number (`Ipv4`), so comparisons and masks are integer
 * operations; text is produced only at the edges (`formatIpv4`).
 */

/** An IPv4 address as an unsigned 32-bit integer. */
export type Ipv4 = number;

/** A MAC address in canonical lower-case colon form, e.g. `02:42:ac:11:00:02`. */
export type Mac = string;

export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';
export const ZERO_MAC: Mac = '00:00:00:00:00:00';

/** Parse dotted-quad text. Returns null for anything iproute2 would not accept as an address. */
export function parseIpv4(text: string): Ipv4 | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n >>> 0;
}

export function formatIpv4(ip: Ipv4): string {
  return `${(ip >>> 24) & 255}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** The netmask of a prefix length as an unsigned integer (0 → 0, 32 → 0xffffffff). */
export function prefixMask(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

export function networkOf(ip: Ipv4, len: number): Ipv4 {
  return (ip & prefixMask(len)) >>> 0;
}

export function broadcastOf(ip: Ipv4, len: number): Ipv4 {
  return (networkOf(ip, len) | (~prefixMask(len) >>> 0)) >>> 0;
}

export function inPrefix(ip: Ipv4, net: Ipv4, len: number): boolean {
  return networkOf(ip, len) === networkOf(net, len);
}

/** An address with a prefix length, as in `10.0.0.1/24` (the host bits may be non-zero). */
export interface Cidr {
  readonly addr: Ipv4;
  readonly len: number;
}

/**
 * Parse `A.B.C.D[/N]`. Without `/N` the prefix is `defaultLen` (32 for addresses and routes).
 * Returns null on any malformed input.
 */
export function parseCidr(text: string, defaultLen = 32): Cidr | null {
  const slash = text.indexOf('/');
  const ipText = slash < 0 ? text : text.slice(0, slash);
  const addr = parseIpv4(ipText);
  if (addr === null) return null;
  if (slash < 0) return { addr, len: defaultLen };
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(lenText)) {
    // iptables also accepts a dotted netmask after the slash
    const mask = parseIpv4(lenText);
    if (mask === null) return null;
    const len = maskToPrefix(mask);
    return len === null ? null : { addr, len };
  }
  const len = Number(lenText);
  if (len > 32) return null;
  return { addr, len };
}

/** The prefix length of a contiguous netmask, or null when the mask has holes. */
export function maskToPrefix(mask: number): number | null {
  let len = 0;
  let m = mask >>> 0;
  while (len < 32 && (m & 0x80000000) !== 0) {
    len++;
    m = (m << 1) >>> 0;
  }
  return m === 0 ? len : null;
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.addr)}/${c.len}`;
}

/** `10.0.0.0/24` for a route or rule: the network part only. */
export function formatPrefix(addr: Ipv4, len: number): string {
  return `${formatIpv4(networkOf(addr, len))}/${len}`;
}

export function isMulticast(ip: Ipv4): boolean {
  return ip >>> 28 === 0xe;
}

export function isLoopbackAddr(ip: Ipv4): boolean {
  return ip >>> 24 === 127;
}

/** Parse `aa:bb:cc:dd:ee:ff` (case-insensitive). */
export function parseMac(text: string): Mac | null {
  if (!/^[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}$/.test(text)) return null;
  return text
    .toLowerCase()
    .split(':')
    .map((b) => b.padStart(2, '0'))
    .join(':');
}

export function isBroadcastOrMulticastMac(mac: Mac): boolean {
  // the group bit is the lowest bit of the first octet
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

/** The EUI-64 link-local IPv6 address the kernel derives from a MAC (for `ip addr` output). */
export function linkLocalFromMac(mac: Mac): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  b[0] ^= 2;
  const words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xff, (0xfe << 8) | b[3], (b[4] << 8) | b[5]];
  return `fe80::${words.map((w) => w.toString(16)).join(':')}`;
}

/** 26:5c:7a:6e:6b:37 → 265c7a6e6b37 (brctl's bridge id form). */
export function macHex(mac: Mac): string {
  return mac.replaceAll(':', '');
}

/** Numeric comparison of two MACs, as the bridge uses to pick its address. */
export function compareMac(a: Mac, b: Mac): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
