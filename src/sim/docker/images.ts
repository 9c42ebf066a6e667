/**
 * The images the simulated Docker host has pulled: what each runs by default, which ports it
 * exposes, what it serves, and which tools a `docker exec` finds inside (a toolbox name, see
 * src/shell/toolbox.ts).
 *
 * Only behaviour a learner can observe over the network is modelled: nginx answers HTTP with its
 * welcome page, redis answers PING, traefik/whoami prints its hostname and addresses.
 */
import { hashString } from '../engine/rng.ts';

/** A network service the image's main process offers. */
export type ServiceKind = 'nginx' | 'httpd' | 'whoami' | 'redis' | 'tcp' | 'python-http';

export interface ImageService {
  readonly kind: ServiceKind;
  readonly port: number;
  readonly proto: 'tcp' | 'udp';
}

export interface ImageInfo {
  /** repository without tag, as `docker images` lists it */
  readonly repo: string;
  readonly tags: readonly string[];
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** EXPOSE'd ports, e.g. `80/tcp` */
  readonly exposed: readonly string[];
  readonly env: readonly string[];
  readonly workdir: string;
  /** which commands `docker exec` finds */
  readonly toolbox: string;
  /** what the default command serves; a command given to `docker run` replaces it */
  readonly services: readonly ImageService[];
  /** how long-running the default command is: a shell or server stays up, `true` exits at once */
  readonly daemon: boolean;
  /** the entrypoint is the server itself: a command given to `docker run` is its arguments */
  readonly serverArgs?: boolean;
  readonly size: string;
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const CATALOGUE: readonly ImageInfo[] = [
  { repo: 'alpine', tags: ['latest', '3.22'], entrypoint: [], cmd: ['/bin/sh'], exposed: [], env: [PATH_ENV], workdir: '/', toolbox: 'alpine', services: [], daemon: false, size: '8.32MB' },
  { repo: 'busybox', tags: ['latest', '1.37'], entrypoint: [], cmd: ['sh'], exposed: [], env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], workdir: '/', toolbox: 'busybox', services: [], daemon: false, size: '4.43MB' },
  { repo: 'ubuntu', tags: ['latest', '24.04'], entrypoint: [], cmd: ['/bin/bash'], exposed: [], env: [PATH_ENV], workdir: '/', toolbox: 'ubuntu', services: [], daemon: false, size: '78.1MB' },
  { repo: 'debian', tags: ['latest', 'bookworm'], entrypoint: [], cmd: ['bash'], exposed: [], env: [PATH_ENV], workdir: '/', toolbox: 'ubuntu', services: [], daemon: false, size: '117MB' },
  { repo: 'nginx', tags: ['latest', '1.29'], entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], exposed: ['80/tcp'], env: [PATH_ENV, 'NGINX_VERSION=1.29.3'], workdir: '/', toolbox: 'nginx', services: [{ kind: 'nginx', port: 80, proto: 'tcp' }], daemon: true, size: '192MB' },
  { repo: 'nginx', tags: ['alpine'], entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], exposed: ['80/tcp'], env: [PATH_ENV, 'NGINX_VERSION=1.29.3'], workdir: '/', toolbox: 'alpine', services: [{ kind: 'nginx', port: 80, proto: 'tcp' }], daemon: true, size: '52.5MB' },
  { repo: 'httpd', tags: ['latest', '2.4'], entrypoint: [], cmd: ['httpd-foreground'], exposed: ['80/tcp'], env: [PATH_ENV, 'HTTPD_PREFIX=/usr/local/apache2'], workdir: '/usr/local/apache2', toolbox: 'nginx', services: [{ kind: 'httpd', port: 80, proto: 'tcp' }], daemon: true, size: '148MB' },
  { repo: 'redis', tags: ['latest', '8'], entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'], exposed: ['6379/tcp'], env: [PATH_ENV], workdir: '/data', toolbox: 'nginx', services: [{ kind: 'redis', port: 6379, proto: 'tcp' }], daemon: true, size: '137MB' },
  { repo: 'postgres', tags: ['latest', '18'], entrypoint: ['docker-entrypoint.sh'], cmd: ['postgres'], exposed: ['5432/tcp'], env: [PATH_ENV, 'PGDATA=/var/lib/postgresql/data'], workdir: '/', toolbox: 'nginx', services: [{ kind: 'tcp', port: 5432, proto: 'tcp' }], daemon: true, size: '456MB' },
  { repo: 'mysql', tags: ['latest', '9'], entrypoint: ['docker-entrypoint.sh'], cmd: ['mysqld'], exposed: ['3306/tcp', '33060/tcp'], env: [PATH_ENV], workdir: '/', toolbox: 'nginx', services: [{ kind: 'tcp', port: 3306, proto: 'tcp' }, { kind: 'tcp', port: 33060, proto: 'tcp' }], daemon: true, size: '798MB' },
  { repo: 'traefik/whoami', tags: ['latest'], entrypoint: ['/whoami'], cmd: [], exposed: ['80/tcp'], env: [PATH_ENV], workdir: '/', toolbox: 'scratch', services: [{ kind: 'whoami', port: 80, proto: 'tcp' }], daemon: true, serverArgs: true, size: '6.98MB' },
  { repo: 'nicolaka/netshoot', tags: ['latest'], entrypoint: [], cmd: ['zsh'], exposed: [], env: [PATH_ENV], workdir: '/root', toolbox: 'netshoot', services: [], daemon: false, size: '497MB' },
  { repo: 'curlimages/curl', tags: ['latest', '8.17.0'], entrypoint: ['/entrypoint.sh'], cmd: ['curl'], exposed: [], env: [PATH_ENV], workdir: '/home/curl_user', toolbox: 'curl', services: [], daemon: false, size: '24.5MB' },
  { repo: 'python', tags: ['latest', '3.13', '3.13-alpine'], entrypoint: [], cmd: ['python3'], exposed: [], env: [PATH_ENV], workdir: '/', toolbox: 'python', services: [], daemon: false, size: '1.12GB' },
];

export interface ResolvedImage {
  readonly info: ImageInfo;
  /** `repo:tag` as the user named it, normalised (docker.io/library/ dropped) */
  readonly ref: string;
  readonly tag: string;
  /** sha256 image id (64 hex) */
  readonly id: string;
}

/** Find an image by reference (`nginx`, `nginx:alpine`, `docker.io/library/nginx:latest`). */
export function findImage(ref: string): ResolvedImage | null {
  let r = ref.replace(/^docker\.io\//, '').replace(/^library\//, '');
  let tag = 'latest';
  const at = r.indexOf('@');
  if (at >= 0) r = r.slice(0, at);
  const colon = r.lastIndexOf(':');
  if (colon > r.lastIndexOf('/')) {
    tag = r.slice(colon + 1);
    r = r.slice(0, colon);
  }
  const info = CATALOGUE.find((i) => i.repo === r && i.tags.includes(tag));
  if (!info) return null;
  return { info, ref: `${r}:${tag}`, tag, id: imageId(info) };
}

/** A stable image id per image (one id for all tags of one build). */
export function imageId(info: ImageInfo): string {
  let h = hashString(`${info.repo}@${info.tags[0]}@${info.toolbox}`);
  let out = '';
  while (out.length < 64) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = (h ^ (h >>> 12)) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

export function allImages(): readonly ImageInfo[] {
  return CATALOGUE;
}

/** Whether a repository exists at all (for the right error: unknown tag vs unknown image). */
export function knownRepository(ref: string): boolean {
  const r = ref.replace(/^docker\.io\//, '').replace(/^library\//, '').replace(/[:@].*$/, '');
  return CATALOGUE.some((i) => i.repo === r);
}
