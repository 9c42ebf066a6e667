/**
 * Docker's default IPAM (libnetwork ipams/defaultipam): where networks get their subnets and
 * containers their addresses.
 *
 * Subnets come from the predefined local pools, in order: 172.17.0.0/16 to 172.31.0.0/16, then
 * 192.168.0.0/16 cut into /20s. The allocator hands out the first subnet that overlaps no other
 * network and no route or address on the host; when none is left it answers "all predefined
 * address pools have been fully subnetted". Within a subnet, addresses are taken in order from
 * the bottom (the gateway takes the first, usually .1), skipping the network address; released
 * addresses are reused only after the allocator has gone round once, as the bitmap's cursor does.
 */
import { broadcastOf, formatIpv4, inPrefix, networkOf, type Ipv4 } from '../wire/addr.ts';

export interface Subnet {
  readonly addr: Ipv4;
  readonly len: number;
}

export function subnetText(s: Subnet): string {
  return `${formatIpv4(s.addr)}/${s.len}`;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  const len = Math.min(a.len, b.len);
  return networkOf(a.addr, len) === networkOf(b.addr, len);
}

/** The predefined pools, in the order the allocator tries them. */
export function* predefinedSubnets(): Generator<Subnet> {
  for (let b = 17; b <= 31; b++) yield { addr: ((172 << 24) | (b << 16)) >>> 0, len: 16 };
  for (let c = 0; c < 256; c += 16) yield { addr: ((192 << 24) | (168 << 16) | (c << 8)) >>> 0, len: 20 };
}

/** Pick the first predefined subnet that overlaps none of `taken`. */
export function allocateSubnet(taken: readonly Subnet[]): Subnet | null {
  for (const s of predefinedSubnets()) if (!taken.some((t) => overlaps(s, t))) return s;
  return null;
}

/** Addresses of one network: a bitmap with a cursor, as libnetwork's bitmap allocator. */
export class AddressPool {
  readonly subnet: Subnet;
  /** the range containers are allocated from (`--ip-range`), within the subnet */
  readonly range: Subnet;
  private readonly used = new Set<Ipv4>();
  private cursor: Ipv4;

  constructor(subnet: Subnet, range: Subnet = subnet) {
    this.subnet = { addr: networkOf(subnet.addr, subnet.len), len: subnet.len };
    this.range = { addr: networkOf(range.addr, range.len), len: range.len };
    this.cursor = this.range.addr;
  }

  contains(ip: Ipv4): boolean {
    return inPrefix(ip, this.subnet.addr, this.subnet.len);
  }

  isUsed(ip: Ipv4): boolean {
    return this.used.has(ip);
  }

  /** Reserve a given address (the gateway, an `--ip`). False when it is taken or outside. */
  reserve(ip: Ipv4): boolean {
    if (!this.contains(ip) || this.used.has(ip)) return false;
    if (ip === this.subnet.addr && this.subnet.len < 31) return false;
    this.used.add(ip);
    return true;
  }

  /** The next free address in the range, or null when it is full. */
  next(): Ipv4 | null {
    const first = this.range.addr;
    const last = this.range.len >= 31 ? broadcastOf(this.range.addr, this.range.len) : broadcastOf(this.range.addr, this.range.len) - 1;
    const size = last - first + 1;
    for (let i = 0; i < size; i++) {
      let ip = this.cursor + i;
      if (ip > last) ip = first + (ip - last - 1);
      if (ip === this.subnet.addr && this.subnet.len < 31) continue;
      if (ip === broadcastOf(this.subnet.addr, this.subnet.len) && this.subnet.len < 31) continue;
      if (this.used.has(ip)) continue;
      this.used.add(ip);
      this.cursor = ip + 1 > last ? first : ip + 1;
      return ip >>> 0;
    }
    return null;
  }

  release(ip: Ipv4): void {
    this.used.delete(ip);
  }

  get inUse(): number {
    return this.used.size;
  }
}
