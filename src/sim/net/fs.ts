/**
 * A small in-memory filesystem: what one host (one mount namespace) holds.
 *
 * Enough for /etc/hosts, /etc/resolv.conf, the files a learner writes (a compose file, a script)
 * and the files `ip netns` keeps under /etc/netns/NAME. Paths are absolute and normalised; the
 * shell resolves relative paths against its current directory first.
 */
export type FsNode = { kind: 'file'; data: string } | { kind: 'dir' };

export type FsError = 'ENOENT' | 'ENOTDIR' | 'EISDIR' | 'EEXIST' | 'ENOTEMPTY';

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

  constructor() {
    this.nodes.set('/', { kind: 'dir' });
    for (const d of ['/etc', '/root', '/tmp', '/home', '/var', '/var/log', '/usr', '/usr/bin', '/usr/sbin', '/run', '/srv', '/opt']) {
      this.nodes.set(d, { kind: 'dir' });
    }
  }

  stat(path: string): FsNode['kind'] | null {
    return this.nodes.get(normalizePath(path))?.kind ?? null;
  }

  read(path: string): { ok: true; data: string } | { ok: false; error: FsError } {
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
    const p = normalizePath(path);
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
