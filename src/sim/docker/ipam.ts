/**
 * Docker's default IPAM (libnetwork ipams/defaultipam): where networks get their subnets and
 * containers their addresses.
 *
 * Subnets come from the predefined local pools, in order: 172.17.0.0/16 to 172.31.0.0/16, then
 * 192.168.0.0/16 cut into /20s (or the daemon's `default-address-pools`). The allocator hands out
 * the first subnet that overlaps no other network and none of the prefixes the daemon infers as
 * reserved (netutils.InferReservedNetworks): the host's on-link routes and its nameservers. Routes
 * through a gateway are not looked at (since Engine 23), so a VPN route such as 172.16.0.0/12 via
 * a router does not stop Docker from taking 172.18.0.0/16. When none is left it answers "all
 * predefined address pools have been fully subnetted".
 *
 * Within a subnet, a local network hands out the lowest free address (the gateway takes the
 * first, usually .1), skipping the network address, so an address a container gave back is the
 * next one handed out. Swarm's allocator asks for serial allocation: a cursor goes round the
 * range and a released address comes back only after the others.
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

/** A base prefix cut into subnets of `size` bits (a `default-address-pools` entry). */
export interface PoolSpec {
  readonly base: Subnet;
  readonly size: number;
}

/** The Engine's default local pools (ipamutils.localScopeDefaultNetworks). */
export const DEFAULT_POOLS: readonly PoolSpec[] = [
  { base: { addr: (172 << 24 | 17 << 16) >>> 0, len: 16 }, size: 16 },
  { base: { addr: (172 << 24 | 18 << 16) >>> 0, len: 16 }, size: 16 },
  { base: { addr: (172 << 24 | 19 << 16) >>> 0, len: 16 }, size: 16 },
  { base: { addr: (172 << 24 | 20 << 16) >>> 0, len: 14 }, size: 16 },
  { base: { addr: (172 << 24 | 24 << 16) >>> 0, len: 14 }, size: 16 },
  { base: { addr: (172 << 24 | 28 << 16) >>> 0, len: 14 }, size: 16 },
  { base: { addr: (192 << 24 | 168 << 16) >>> 0, len: 16 }, size: 20 },
];

/** The predefined pools' subnets, in the order the allocator tries them. */
export function* predefinedSubnets(pools: readonly PoolSpec[] = DEFAULT_POOLS): Generator<Subnet> {
  for (const p of pools) {
    const count = 2 ** (p.size - p.base.len);
    const step = 2 ** (32 - p.size);
    for (let i = 0; i < count; i++) yield { addr: (networkOf(p.base.addr, p.base.len) + i * step) >>> 0, len: p.size };
  }
}

/** Pick the first predefined subnet that overlaps none of `taken`. */
export function allocateSubnet(taken: readonly Subnet[], pools: readonly PoolSpec[] = DEFAULT_POOLS): Subnet | null {
  for (const s of predefinedSubnets(pools)) if (!taken.some((t) => overlaps(s, t))) return s;
  return null;
}

/** Addresses of one network: a bitmap, as libnetwork's, scanned from the bottom or (serial) from a cursor. */
export class AddressPool {
  readonly subnet: Subnet;
  /** the range containers are allocated from (`--ip-range`), within the subnet */
  readonly range: Subnet;
  /** scan from where the last allocation stopped (swarm), rather than from the bottom */
  readonly serial: boolean;
  private readonly used = new Set<Ipv4>();
  private cursor: Ipv4;

  constructor(subnet: Subnet, range: Subnet = subnet, serial = false) {
    this.serial = serial;
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
    const from = this.serial ? this.cursor : first;
    for (let i = 0; i < size; i++) {
      let ip = from + i;
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
