/**
 * A small seeded pseudo-random generator (mulberry32). The model never calls Math.random:
 * everything that Linux would randomise (MAC addresses, ephemeral ports, ICMP ids, TCP initial
 * sequence numbers) comes from here, so a world built from the same seed behaves identically.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next unsigned 32-bit value. */
  nextU32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + (this.nextU32() % (hi - lo + 1));
  }

  /**
   * A random locally administered unicast MAC, as the kernel's eth_random_addr() gives
   * (the multicast bit cleared, the local bit set).
   */
  mac(): string {
    const bytes: number[] = [];
    for (let i = 0; i < 6; i++) bytes.push(this.nextU32() & 255);
    bytes[0] = (bytes[0] & 0xfe) | 0x02;
    return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
  }
}

/** A stable 32-bit hash of a string (FNV-1a), for deriving per-object seeds from names. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
