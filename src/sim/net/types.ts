/**
 * Plain data types shared by the network model: addresses on interfaces, routes, neighbour
 * entries and the errors that netlink operations return.
 */
import type { Micros } from '../engine/scheduler.ts';
import type { Ipv4, Mac } from '../wire/addr.ts';
import type { Packet } from '../wire/packet.ts';

export type LinkKind = 'loopback' | 'ether' | 'veth' | 'bridge' | 'vxlan' | 'macvlan' | 'ipvlan' | 'dummy';

/** An IPv4 address configured on an interface (`ip addr add`). */
export interface IfAddr {
  readonly addr: Ipv4;
  readonly len: number;
  /** `brd` given explicitly (printed by `ip addr`), or null */
  readonly broadcast: Ipv4 | null;
  readonly scope: 'global' | 'host' | 'link';
  /** a second address in the same subnet as an existing one on this interface */
  secondary: boolean;
  /** `label` (defaults to the device name) */
  readonly label: string;
  readonly noprefixroute: boolean;
}

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;
export const RT_TABLE_DEFAULT = 253;

export interface Route {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Ipv4;
  readonly len: number;
  readonly via: Ipv4 | null;
  /** ifindex of the output device, or 0 for routes without one (blackhole...) */
  readonly dev: number;
  /** preferred source (`src`) */
  readonly src: Ipv4 | null;
  readonly metric: number;
  /** kernel, boot, static, dhcp... (`ip route` hides boot) */
  readonly proto: string;
  readonly scope: 'global' | 'link' | 'host' | 'nowhere';
  readonly onlink: boolean;
}

/** Neighbour (ARP) entry states as `ip neigh` names them. */
export type NudState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT' | 'NOARP';

export interface NeighEntry {
  readonly ip: Ipv4;
  readonly dev: number;
  mac: Mac | null;
  state: NudState;
  /** when the entry last changed state (for timers) */
  updated: Micros;
  /** when reachability was last confirmed */
  confirmed: Micros;
  /** ARP requests sent while INCOMPLETE or PROBE */
  probes: number;
  /** packets waiting for resolution, each with the callback that reports failure */
  queue: { pkt: Packet; onFail: (p: Packet) => void; send: (mac: Mac) => void }[];
  /** pending retransmission / state timer */
  timer: { cancel(): void } | null;
}

/**
 * A netlink-style error: `errno` is the symbolic errno, `extack` the extended-ack text the kernel
 * sends back ("ipv4: Address already assigned."), which iproute2 prints as `Error: ...`.
 */
export interface NetError {
  readonly errno: string;
  readonly extack?: string;
}

export type Result<T = void> = { ok: true; value: T } | { ok: false; error: NetError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(errno: string, extack?: string): { ok: false; error: NetError } {
  return { ok: false, error: extack === undefined ? { errno } : { errno, extack } };
}

/** strerror() texts for the errnos the model uses. */
export const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  ESRCH: 'No such process',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  ENETUNREACH: 'Network is unreachable',
  EHOSTUNREACH: 'No route to host',
  ECONNREFUSED: 'Connection refused',
  ETIMEDOUT: 'Connection timed out',
  EADDRINUSE: 'Address already in use',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EOPNOTSUPP: 'Operation not supported',
  EBUSY: 'Device or resource busy',
  ENOBUFS: 'No buffer space available',
  EMSGSIZE: 'Message too long',
  EACCES: 'Permission denied',
  ENOTEMPTY: 'Directory not empty',
  ERANGE: 'Numerical result out of range',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  EINPROGRESS: 'Operation now in progress',
  ECONNRESET: 'Connection reset by peer',
  EAFNOSUPPORT: 'Address family not supported by protocol',
};

export function strerror(errno: string): string {
  return STRERROR[errno] ?? errno;
}
