/**
 * A small in-memory filesystem: what one host (one mount namespace) holds.
 *
 * Enough for /etc/hosts, /etc/resolv.conf, the files a learner writes (a compose file, a script)
 * and the files `ip netns` keeps under /etc/netns/NAME. Paths are absolute and normalised; the
 * shell resolves relative paths against its current directory first.
 */
export type FsNode = { kind: 'file'; data: string } | { kind: 'dir' };

export type FsError = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOTEMPTY' | 'EROFS' | 'EBUSY';

/** A bind mount: `path` of another filesystem appears at a path of this one. */
export interface BindMount {
  readonly fs: FileSystem;
  readonly path: string;
  readonly readonly: boolean;
}

export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const p of path.split('/')) {
    if (p === '' || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

export function dirname(path: string): string {
  const n = normalizePath(path);
  const i = n.lastIndexOf('/');
  return i <= 0 ? '/' : n.slice(0, i);
}

export function basename(path: string): string {
  const n = normalizePath(path);
  return n.slice(n.lastIndexOf('/') + 1);
}

export class FileSystem {
  private nodes = new Map<string, FsNode>();
  /** bind mounts by mount point (a container's `-v SRC:DST`) */
  private readonly mounts = new Map<string, BindMount>();

  /** `bare`: only `/` (a fresh volume); otherwise the usual top-level directories. */
  constructor(bare = false) {
    this.nodes.set('/', { kind: 'dir' });
    if (!bare) for (const d of ['/etc', '/root', '/tmp', '/home', '/var', '/var/log', '/usr', '/usr/bin', '/usr/sbin', '/run', '/srv', '/opt']) {
      this.nodes.set(d, { kind: 'dir' });
    }
  }

  /**
   * Bind `path` of `fs` over `at` (a file over a file, a directory over a directory): reads and
   * writes under `at` go to the other filesystem, and fail with EROFS when read-only. The mount
   * point is created if missing, as the runtime does.
   */
  bind(at: string, fs: FileSystem, path: string, readonly = false): void {
    const p = normalizePath(at);
    const kind = fs.stat(path) ?? 'dir';
    if (!this.nodes.has(p)) {
      this.mkdir(dirname(p), true);
      this.nodes.set(p, kind === 'dir' ? { kind: 'dir' } : { kind: 'file', data: '' });
    }
    this.mounts.set(p, { fs, path: normalizePath(path), readonly });
  }

  /** The bind mount a path is on, or null. */
  mountAt(path: string): { mount: BindMount; point: string; rest: string } | null {
    if (!this.mounts.size) return null;
    let p = normalizePath(path);
    const rest: string[] = [];
    for (;;) {
      const m = this.mounts.get(p);
      if (m) return { mount: m, point: p, rest: rest.length ? `/${rest.join('/')}` : '' };
      if (p === '/') return null;
      rest.unshift(p.slice(p.lastIndexOf('/') + 1));
      p = dirname(p);
    }
  }

  /** Where a path really is: the filesystem and path a bind mount sends it to. */
  private target(path: string): { fs: FileSystem; path: string; readonly: boolean } | null {
    const m = this.mountAt(path);
    return m ? { fs: m.mount.fs, path: normalizePath(m.mount.path + m.rest), readonly: m.mount.readonly } : null;
  }

  stat(path: string): FsNode['kind'] | null {
    const t = this.target(path);
    if (t) return t.fs.stat(t.path);
    return this.nodes.get(normalizePath(path))?.kind ?? null;
  }

  read(path: string): { ok: true; data: string } | { ok: false; error: FsError } {
    const t = this.target(path);
    if (t) return t.fs.read(t.path);
    const n = this.nodes.get(normalizePath(path));
    if (!n) return { ok: false, error: this.parentProblem(path) ?? 'ENOENT' };
    if (n.kind === 'dir') return { ok: false, error: 'EISDIR' };
    return { ok: true, data: n.data };
  }

  private parentProblem(path: string): FsError | null {
    let p = dirname(path);
    for (;;) {
      const n = this.nodes.get(p);
      if (n && n.kind === 'file') return 'ENOTDIR';
      if (p === '/') return null;
      p = dirname(p);
    }
  }

  write(path: string, data: string, append = false): FsError | null {
    const t = this.target(path);
    if (t) return t.readonly ? 'EROFS' : t.fs.write(t.path, data, append);
    const p = normalizePath(path);
    const parent = this.nodes.get(dirname(p));
    if (!parent) return 'ENOENT';
    if (parent.kind !== 'dir') return 'ENOTDIR';
    const cur = this.nodes.get(p);
    if (cur && cur.kind === 'dir') return 'EISDIR';
    this.nodes.set(p, { kind: 'file', data: append && cur ? cur.data + data : data });
    return null;
  }

  mkdir(path: string, parents = false): FsError | null {
    const t = this.target(path);
    if (t) {
      if (t.fs.stat(t.path) === 'dir' && parents) return null;
      return t.readonly ? (t.fs.stat(t.path) ? 'EEXIST' : 'EROFS') : t.fs.mkdir(t.path, parents);
    }
    const p = normalizePath(path);
    const cur = this.nodes.get(p);
    if (cur) return parents && cur.kind === 'dir' ? null : 'EEXIST';
    const parent = this.nodes.get(dirname(p));
    if (!parent) {
      if (!parents) return 'ENOENT';
      const e = this.mkdir(dirname(p), true);
      if (e) return e;
    } else if (parent.kind !== 'dir') return 'ENOTDIR';
    this.nodes.set(p, { kind: 'dir' });
    return null;
  }

  remove(path: string, recursive = false): FsError | null {
    const p0 = normalizePath(path);
    if (this.mounts.has(p0)) return 'EBUSY';
    const t = this.target(p0);
    if (t) return t.readonly ? 'EROFS' : t.fs.remove(t.path, recursive);
    const p = p0;
    const n = this.nodes.get(p);
    if (!n) return 'ENOENT';
    if (n.kind === 'dir') {
      const kids = this.list(p);
      if (kids.length && !recursive) return 'ENOTEMPTY';
      for (const k of [...this.nodes.keys()]) if (k.startsWith(`${p}/`)) this.nodes.delete(k);
    }
    this.nodes.delete(p);
    return null;
  }

  /** Names directly inside a directory, sorted. */
  list(path: string): string[] {
    const t = this.target(path);
    if (t) return t.fs.list(t.path);
    const p = normalizePath(path);
    const prefix = p === '/' ? '/' : `${p}/`;
    const out: string[] = [];
    for (const k of this.nodes.keys()) {
      if (k !== p && k.startsWith(prefix) && !k.slice(prefix.length).includes('/')) out.push(k.slice(prefix.length));
    }
    return out.sort();
  }

  /** A deep copy (a container's filesystem starts as a copy of its image's). */
  clone(): FileSystem {
    const fs = new FileSystem();
    fs.nodes = new Map([...this.nodes].map(([k, v]) => [k, { ...v }]));
    return fs;
  }
}
