/**
 * `docker inspect` documents (Engine API 1.52 field names and order) built from the simulated
 * engine's state, and Go's json.MarshalIndent(v, "", "    ") to print them.
 */
import { EPOCH_MS } from '../../../sim/engine/clock.ts';
import type { Micros } from '../../../sim/engine/scheduler.ts';
import type { Container, DockerEngine, DockerNetwork } from '../../../sim/docker/engine.ts';
import { subnetText } from '../../../sim/docker/ipam.ts';
import { formatIpv4 } from '../../../sim/wire/addr.ts';

/** RFC 3339 with nanoseconds, as Go prints time.Time in JSON. */
export function isoTime(t: Micros): string {
  const ms = EPOCH_MS + Math.floor(t / 1000);
  const d = new Date(ms);
  const frac = String(((t % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${d.toISOString().slice(0, 19)}.${frac}000Z`;
}

/** Go's HTML-safe string escaping in encoding/json. */
function goString(s: string): string {
  return JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** json.MarshalIndent(v, "", "    "). */
export function goJsonIndent(v: unknown, indent = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = `${indent}    `;
  if (Array.isArray(v)) {
    if (!v.length) return '[]';
    return `[\n${v.map((x) => inner + goJsonIndent(x, inner)).join(',\n')}\n${indent}]`;
  }
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
  if (!keys.length) return '{}';
  return `{\n${keys.map((k) => `${inner}${goString(k)}: ${goJsonIndent((v as Record<string, unknown>)[k], inner)}`).join(',\n')}\n${indent}}`;
}

function portMap(c: Container, withBindings: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const x of c.image.info.exposed) out[x] = withBindings ? null : {};
  for (const p of c.spec.ports ?? []) {
    const key = `${p.containerPort}/${p.proto}`;
    if (!withBindings) out[key] = {};
  }
  if (withBindings) {
    for (const b of c.bindings) {
      const key = `${b.spec.containerPort}/${b.spec.proto}`;
      const list = (out[key] as { HostIp: string; HostPort: string }[] | null) ?? [];
      list.push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
      out[key] = list;
    }
  }
  return out;
}

export function containerInspect(e: DockerEngine, c: Container): unknown {
  const running = c.state === 'running';
  const nets: Record<string, unknown> = {};
  for (const { net, ep, aliases } of e.networksOf(c)) {
    nets[net.name] = {
      IPAMConfig: ep?.staticIp != null ? { IPv4Address: formatIpv4(ep.staticIp) } : null,
      Links: null,
      Aliases: aliases.length ? aliases : null,
      MacAddress: ep ? ep.mac : '',
      DriverOpts: null,
      GwPriority: 0,
      NetworkID: net.id,
      EndpointID: ep ? ep.id : '',
      Gateway: ep && net.gateway !== null ? formatIpv4(net.gateway) : '',
      IPAddress: ep?.ip != null ? formatIpv4(ep.ip) : '',
      IPPrefixLen: ep ? ep.prefixLen : 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: ep && !net.isDefaultBridge ? ep.dnsNames : null,
    };
  }
  const entry = c.spec.entrypoint ?? c.image.info.entrypoint;
  const cmd = c.spec.cmd.length ? c.spec.cmd : c.image.info.cmd;
  const path = entry.length ? entry[0] : (cmd[0] ?? '');
  const args = entry.length ? [...entry.slice(1), ...cmd] : cmd.slice(1);
  return {
    Id: c.id,
    Created: isoTime(c.created),
    Path: path,
    Args: args,
    State: {
      Status: c.state,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? 4000 + (parseInt(c.id.slice(0, 4), 16) % 20000) : 0,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: c.startedAt !== null ? isoTime(c.startedAt) : '0001-01-01T00:00:00Z',
      FinishedAt: c.finishedAt !== null ? isoTime(c.finishedAt) : '0001-01-01T00:00:00Z',
    },
    Image: `sha256:${c.image.id}`,
    ResolvConfPath: `/var/lib/docker/containers/${c.id}/resolv.conf`,
    HostnamePath: `/var/lib/docker/containers/${c.id}/hostname`,
    HostsPath: `/var/lib/docker/containers/${c.id}/hosts`,
    LogPath: `/var/lib/docker/containers/${c.id}/${c.id}-json.log`,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlayfs',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: 'docker-default',
    ExecIDs: null,
    HostConfig: {
      Binds: null,
      NetworkMode: c.networkMode,
      PortBindings: Object.fromEntries((c.spec.ports ?? []).map((p) => [`${p.containerPort}/${p.proto}`, [{ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' }]])),
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: !!c.spec.autoRemove,
      Dns: c.spec.dns ?? [],
      DnsOptions: c.spec.dnsOptions ?? [],
      DnsSearch: c.spec.dnsSearch ?? [],
      ExtraHosts: (c.spec.addHosts ?? []).map((h) => `${h.name}:${h.ip}`),
      Links: (c.spec.links ?? []).length ? (c.spec.links ?? []).map((l) => `/${l.name}:/${c.name}/${l.alias}`) : null,
      PublishAllPorts: !!c.spec.publishAll,
      Privileged: false,
    },
    Mounts: [],
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: '',
      AttachStdin: !!c.spec.interactive && false,
      AttachStdout: false,
      AttachStderr: false,
      ExposedPorts: Object.keys(portMap(c, false)).length ? portMap(c, false) : undefined,
      Tty: !!c.spec.tty,
      OpenStdin: !!c.spec.interactive,
      StdinOnce: false,
      Env: [...(c.spec.env ?? []), ...c.image.info.env],
      Cmd: cmd.length ? cmd : null,
      Image: c.spec.image,
      Volumes: null,
      WorkingDir: c.image.info.workdir === '/' ? '' : c.image.info.workdir,
      Entrypoint: entry.length ? entry : null,
      Labels: c.spec.labels ?? {},
    },
    NetworkSettings: {
      SandboxID: running && c.netns && c.networkMode !== 'host' ? c.id.split('').reverse().join('') : '',
      SandboxKey: running && c.networkMode !== 'host' ? `/var/run/docker/netns/${c.id.slice(0, 12)}` : '',
      Ports: running ? portMap(c, true) : {},
      Networks: nets,
    },
  };
}

export function networkInspect(e: DockerEngine, n: DockerNetwork): unknown {
  const containers: Record<string, unknown> = {};
  for (const ep of n.endpoints.values()) {
    containers[ep.container.id] = {
      Name: ep.container.name,
      EndpointID: ep.id,
      MacAddress: ep.mac,
      IPv4Address: ep.ip !== null ? `${formatIpv4(ep.ip)}/${ep.prefixLen}` : '',
      IPv6Address: '',
    };
  }
  const options: Record<string, string> = n.isDefaultBridge
    ? {
        'com.docker.network.bridge.default_bridge': 'true',
        'com.docker.network.bridge.enable_icc': 'true',
        'com.docker.network.bridge.enable_ip_masquerade': 'true',
        'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0',
        'com.docker.network.bridge.name': 'docker0',
        'com.docker.network.driver.mtu': '1500',
      }
    : { ...n.options };
  void e;
  return {
    Name: n.name,
    Id: n.id,
    Created: isoTime(n.created),
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: { Driver: 'default', Options: n.isDefaultBridge ? null : {}, Config: n.pool ? [{ Subnet: subnetText(n.pool.subnet), ...(n.pool.range.len !== n.pool.subnet.len ? { IPRange: subnetText(n.pool.range) } : {}), Gateway: n.gateway !== null ? formatIpv4(n.gateway) : undefined }] : n.driver === 'host' || n.driver === 'null' ? null : [] },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: false,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Containers: containers,
    Options: options,
    Labels: n.labels,
  };
}
