/**
 * The files a command sees: the host's filesystem, with the kernel's virtual files on top
 * (/proc/sys/net for sysctls, /sys/class/net for interfaces, /run/netns for named namespaces)
 * and, inside `ip netns exec NAME`, the files under /etc/netns/NAME bound over /etc.
 */
import { normalizePath } from '../sim/net/fs.ts';
import type { FileSystem } from '../sim/net/fs.ts';
import type { Netns } from '../sim/net/model.ts';
import type { Place } from './context.ts';
import { dockerOn } from '../sim/docker/engine.ts';
import { dockerNetnsFiles } from '../sim/docker/netns-files.ts';

export type FileResult<T> = { ok: true; value: T } | { ok: false; errno: string };

/** The filesystem a place sees: its own (nsenter --net keeps the host's), else its namespace's. */
function fsOf(place: Place): FileSystem {
  return place.fs ?? place.ns.fs;
}

export function resolvePath(path: string, cwd: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

/** ip netns exec NAME: /etc/netns/NAME/FILE appears as /etc/FILE. */
function overlay(place: Place, p: string): string {
  const name = place.ns.name;
  if (name && p.startsWith('/etc/') && fsOf(place) === place.host.fs) {
    const alt = `/etc/netns/${name}/${p.slice(5)}`;
    if (fsOf(place).stat(alt) === 'file') return alt;
  }
  return p;
}

function sysctlKeyOf(p: string): string | null {
  if (!p.startsWith('/proc/sys/')) return null;
  return p.slice('/proc/sys/'.length).replaceAll('/', '.');
}

function sysctlDirs(place: Place, dir: string): string[] | null {
  const prefix = dir === '/proc/sys' ? '' : `${dir.slice('/proc/sys/'.length).replaceAll('/', '.')}.`;
  if (!dir.startsWith('/proc/sys')) return null;
  const names = new Set<string>();
  const keys = [...place.ns.sysctl.keys()];
  for (const l of place.ns.allLinks()) for (const k of ['forwarding', 'rp_filter', 'proxy_arp', 'route_localnet', 'arp_ignore', 'arp_announce', 'accept_redirects', 'send_redirects']) keys.push(`net.ipv4.conf.${l.name}.${k}`);
  for (const k of keys) {
    if (!k.startsWith(prefix)) continue;
    names.add(k.slice(prefix.length).split('.')[0]);
  }
  return names.size ? [...names].sort() : null;
}

function sysClassNet(place: Place, p: string): FileResult<string> | null {
  const m = /^\/sys\/class\/net\/([^/]+)\/([^/]+)$/.exec(p);
  if (!m) return null;
  const l = place.ns.linkByName(m[1]);
  if (!l) return { ok: false, errno: 'ENOENT' };
  switch (m[2]) {
    case 'address':
      return { ok: true, value: `${l.mac}\n` };
    case 'mtu':
      return { ok: true, value: `${l.mtu}\n` };
    case 'ifindex':
      return { ok: true, value: `${l.ifindex}\n` };
    case 'iflink':
      return { ok: true, value: `${l.iflink ? l.iflink.ifindex : l.ifindex}\n` };
    case 'operstate':
      return { ok: true, value: `${l.operstate.toLowerCase()}\n` };
    case 'carrier':
      return l.adminUp ? { ok: true, value: `${l.carrier ? 1 : 0}\n` } : { ok: false, errno: 'EINVAL' };
    case 'type':
      return { ok: true, value: `${l.kind === 'loopback' ? 772 : 1}\n` };
    case 'tx_queue_len':
      return { ok: true, value: '1000\n' };
    default:
      return { ok: false, errno: 'ENOENT' };
  }
}

export function readFile(place: Place, path: string): FileResult<string> {
  const p = path;
  if (p === '/dev/null') return { ok: true, value: '' };
  const key = sysctlKeyOf(p);
  if (key !== null) {
    const v = place.ns.sysctlGet(key);
    if (v === undefined) {
      const dirs = sysctlDirs(place, p);
      return dirs ? { ok: false, errno: 'EISDIR' } : { ok: false, errno: 'ENOENT' };
    }
    return { ok: true, value: `${v}\n` };
  }
  const sys = sysClassNet(place, p);
  if (sys) return sys;
  if (p === '/etc/hostname') return { ok: true, value: `${place.container?.hostname ?? place.host.hostname}\n` };
  if (dockerNetnsFile(place, p)) return { ok: false, errno: 'EINVAL' };
  const fs = fsOf(place);
  const r = fs.read(overlay(place, p));
  return r.ok ? { ok: true, value: r.data } : { ok: false, errno: r.error };
}

export function writeFile(place: Place, path: string, data: string, append: boolean, setSysctl: (key: string, value: string) => string | null): FileResult<void> {
  const p = path;
  if (p === '/dev/null') return { ok: true, value: undefined };
  const key = sysctlKeyOf(p);
  if (key !== null) {
    // opening with O_TRUNC (`>`) writes nothing; the value arrives in the next write
    if (data === '') return { ok: true, value: undefined };
    const err = setSysctl(key, data.trim());
    return err ? { ok: false, errno: err } : { ok: true, value: undefined };
  }
  if (p.startsWith('/sys/') || p.startsWith('/proc/')) return { ok: false, errno: 'EACCES' };
  const err = fsOf(place).write(overlay(place, p), data, append);
  return err ? { ok: false, errno: err } : { ok: true, value: undefined };
}

export function listDir(place: Place, path: string): FileResult<string[]> {
  const p = path;
  if (p === '/run/netns' || p === '/var/run/netns') return { ok: true, value: [...place.host.named.keys()].sort() };
  if (p === '/sys/class/net') return { ok: true, value: place.ns.allLinks().map((l) => l.name).sort() };
  const docker = dockerNetnsDir(place, p);
  if (docker) return { ok: true, value: [...docker.keys()] };
  if (dockerNetnsFile(place, p)) return { ok: true, value: [p.slice(p.lastIndexOf('/') + 1)] };
  const m = /^\/sys\/class\/net\/([^/]+)$/.exec(p);
  if (m) {
    return place.ns.linkByName(m[1])
      ? { ok: true, value: ['address', 'carrier', 'ifindex', 'iflink', 'mtu', 'operstate', 'tx_queue_len', 'type'] }
      : { ok: false, errno: 'ENOENT' };
  }
  if (p.startsWith('/proc/sys')) {
    const dirs = sysctlDirs(place, p);
    if (dirs) return { ok: true, value: dirs };
    return { ok: false, errno: place.ns.sysctlGet(sysctlKeyOf(p) ?? '') !== undefined ? 'ENOTDIR' : 'ENOENT' };
  }
  const fs = fsOf(place);
  const kind = fs.stat(p);
  if (kind === null) return { ok: false, errno: 'ENOENT' };
  if (kind === 'file') return { ok: true, value: [p.slice(p.lastIndexOf('/') + 1)] };
  return { ok: true, value: fs.list(p) };
}

export function statPath(place: Place, path: string): 'file' | 'dir' | null {
  const p = path;
  if (p === '/dev/null') return 'file';
  if (p === '/proc' || p === '/sys' || p === '/dev' || p === '/run/netns' || p === '/var/run/netns' || p === '/sys/class/net') return 'dir';
  if (p.startsWith('/proc/sys')) {
    const key = sysctlKeyOf(p);
    if (key && place.ns.sysctlGet(key) !== undefined) return 'file';
    return sysctlDirs(place, p) ? 'dir' : null;
  }
  if (p.startsWith('/sys/class/net/')) {
    const r = sysClassNet(place, p);
    if (r) return r.ok ? 'file' : null;
    return listDir(place, p).ok ? 'dir' : null;
  }
  if (p === '/etc/hostname') return 'file';
  if (dockerNetnsDir(place, p)) return 'dir';
  if (dockerNetnsFile(place, p)) return 'file';
  return fsOf(place).stat(overlay(place, p));
}

/**
 * /var/run/docker/netns (or /run/docker/netns): the namespace files dockerd keeps, listed by the
 * host's engine; null elsewhere, or on a host without Docker.
 */
export function dockerNetnsDir(place: Place, path: string): Map<string, Netns> | null {
  if (path !== '/var/run/docker/netns' && path !== '/run/docker/netns') return null;
  if (fsOf(place) !== place.host.fs) return null;
  const e = dockerOn(place.host);
  return e ? dockerNetnsFiles(e) : null;
}

/** The namespace a file under /var/run/docker/netns refers to, if it exists. */
export function dockerNetnsFile(place: Place, path: string): Netns | null {
  const i = path.lastIndexOf('/');
  const dir = dockerNetnsDir(place, path.slice(0, i));
  return dir?.get(path.slice(i + 1)) ?? null;
}
