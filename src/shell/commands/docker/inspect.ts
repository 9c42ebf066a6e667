/**
 * `docker inspect` documents (Engine 29, API 1.52) built from the simulated engine's state, in
 * the shapes of ./format/json.ts, which prints them as the daemon's JSON and runs --format
 * templates against them.
 */
import type { Container, DockerEngine, DockerNetwork } from '../../../sim/docker/engine.ts';
import { EPOCH_MS } from '../../../sim/engine/clock.ts';
import { subnetText } from '../../../sim/docker/ipam.ts';
import { containerPid, sandboxId, sandboxKey } from '../../../sim/docker/netns-files.ts';
import { formatIpv4 } from '../../../sim/wire/addr.ts';
import { rfc3339Nano, ZERO_TIME, type ContainerInspect, type EndpointSettings, type HostConfig, type NetworkInspect, type PortMap } from './format/index.ts';

/** Virtual time (µs since the simulation's epoch) as Unix µs. */
export function unixUs(t: number): number {
  return EPOCH_MS * 1000 + t;
}

export const isoTime = (t: number): string => rfc3339Nano(unixUs(t));

/** Whether a container has an endpoint on a bridge network (getEndpointPortMapInfo finds ports only there). */
export function hasBridgeEndpoint(c: Container): boolean {
  return [...c.endpoints.values()].some((ep) => ep.network.driver === 'bridge');
}

function exposed(c: Container): string[] {
  const out = new Set(c.image.info.exposed);
  for (const p of c.spec.ports ?? []) out.add(`${p.containerPort}/${p.proto}`);
  return [...out];
}

function hostConfig(c: Container): HostConfig {
  const bindings: PortMap = {};
  for (const p of c.spec.ports ?? []) {
    const key = `${p.containerPort}/${p.proto}`;
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
  }
  const binds = (c.spec.binds ?? []).filter((b) => b.text.includes(':')).map((b) => b.text);
  return {
    // -v SRC:DST (an anonymous volume, a lone DST, goes to Config.Volumes instead)
    Binds: binds.length ? binds : null,
    ContainerIDFile: '',
    LogConfig: { Type: 'json-file', Config: {} },
    NetworkMode: c.networkMode,
    PortBindings: bindings,
    RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
    AutoRemove: !!c.spec.autoRemove,
    VolumeDriver: '',
    VolumesFrom: null,
    ConsoleSize: [0, 0],
    CapAdd: null,
    CapDrop: null,
    CgroupnsMode: 'private',
    Dns: c.spec.dns?.length ? [...c.spec.dns] : [],
    DnsOptions: c.spec.dnsOptions?.length ? [...c.spec.dnsOptions] : [],
    DnsSearch: c.spec.dnsSearch?.length ? [...c.spec.dnsSearch] : [],
    ExtraHosts: c.spec.addHosts?.length ? c.spec.addHosts.map((h) => `${h.name}:${h.ip}`) : null,
    GroupAdd: null,
    IpcMode: 'private',
    Cgroup: '',
    Links: c.spec.links?.length ? c.spec.links.map((l) => `/${l.name}:/${c.name}/${l.alias}`) : null,
    OomScoreAdj: 0,
    PidMode: '',
    Privileged: false,
    PublishAllPorts: !!c.spec.publishAll,
    ReadonlyRootfs: false,
    SecurityOpt: null,
    UTSMode: '',
    UsernsMode: '',
    ShmSize: 67108864,
    Runtime: 'runc',
    Isolation: '',
    CpuShares: 0,
    Memory: 0,
    NanoCpus: 0,
    CgroupParent: '',
    BlkioWeight: 0,
    BlkioWeightDevice: [],
    BlkioDeviceReadBps: [],
    BlkioDeviceWriteBps: [],
    BlkioDeviceReadIOps: [],
    BlkioDeviceWriteIOps: [],
    CpuPeriod: 0,
    CpuQuota: 0,
    CpuRealtimePeriod: 0,
    CpuRealtimeRuntime: 0,
    CpusetCpus: '',
    CpusetMems: '',
    Devices: [],
    DeviceCgroupRules: null,
    DeviceRequests: null,
    MemoryReservation: 0,
    MemorySwap: 0,
    MemorySwappiness: null,
    OomKillDisable: null,
    PidsLimit: null,
    Ulimits: [],
    CpuCount: 0,
    CpuPercent: 0,
    IOMaximumIOps: 0,
    IOMaximumBandwidth: 0,
    MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap'],
    ReadonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
  };
}

export function containerInspect(e: DockerEngine, c: Container): ContainerInspect {
  const running = c.state === 'running';
  const nets: Record<string, EndpointSettings> = {};
  for (const { net, ep, aliases } of e.networksOf(c)) {
    if (net.name === 'docker_gwbridge') continue;
    nets[net.name] = {
      IPAMConfig: ep?.staticIp != null ? { IPv4Address: formatIpv4(ep.staticIp) } : null,
      Links: null,
      Aliases: aliases.length ? aliases : null,
      DriverOpts: null,
      GwPriority: 0,
      NetworkID: net.id,
      EndpointID: ep ? ep.id : '',
      Gateway: ep && net.gateway !== null && !net.overlay ? formatIpv4(net.gateway) : '',
      IPAddress: ep?.ip != null ? formatIpv4(ep.ip) : '',
      MacAddress: ep ? ep.mac : '',
      IPPrefixLen: ep ? ep.prefixLen : 0,
      IPv6Gateway: '',
      GlobalIPv6Address: '',
      GlobalIPv6PrefixLen: 0,
      DNSNames: ep && !net.isDefaultBridge ? [...ep.dnsNames] : null,
    };
  }
  const ports: PortMap = {};
  if (running && hasBridgeEndpoint(c)) {
    for (const x of exposed(c)) ports[x] = null;
    for (const b of c.bindings) {
      const key = `${b.spec.containerPort}/${b.spec.proto}`;
      const list = ports[key] ?? [];
      list.push({ HostIp: b.hostIp, HostPort: String(b.hostPort) });
      ports[key] = list;
    }
  }
  const entry = c.spec.entrypoint ?? c.image.info.entrypoint;
  const cmd = c.spec.cmd.length ? c.spec.cmd : c.image.info.cmd;
  const argv = [...entry, ...cmd];
  return {
    Id: c.id,
    Created: isoTime(c.created),
    Path: argv[0] ?? '',
    Args: argv.slice(1),
    State: {
      Status: c.state,
      Running: running,
      Paused: false,
      Restarting: false,
      OOMKilled: false,
      Dead: false,
      Pid: running ? containerPid(c) : 0,
      ExitCode: c.exitCode,
      Error: '',
      StartedAt: c.startedAt !== null ? isoTime(c.startedAt) : ZERO_TIME,
      FinishedAt: c.finishedAt !== null ? isoTime(c.finishedAt) : ZERO_TIME,
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
    HostConfig: hostConfig(c),
    Storage: { RootFS: { Snapshot: { Name: 'overlayfs' } } },
    Mounts: (c.spec.binds ?? []).map((b) =>
      b.volume
        ? { Type: 'volume', Name: b.source, Source: `/var/lib/docker/volumes/${b.source}/_data`, Destination: b.target, Driver: 'local', Mode: b.mode || 'z', RW: !b.readonly, Propagation: '' }
        : { Type: 'bind', Source: b.source, Destination: b.target, Mode: b.mode, RW: !b.readonly, Propagation: 'rprivate' },
    ),
    Config: {
      Hostname: c.hostname,
      Domainname: '',
      User: '',
      AttachStdin: false,
      AttachStdout: !c.spec.tty || !c.spec.interactive,
      AttachStderr: !c.spec.tty || !c.spec.interactive,
      ExposedPorts: exposed(c).length ? Object.fromEntries(exposed(c).map((x) => [x, {}])) : undefined,
      Tty: !!c.spec.tty,
      OpenStdin: !!c.spec.interactive,
      StdinOnce: false,
      Env: [...(c.spec.env ?? []), ...c.image.info.env],
      Cmd: cmd.length ? [...cmd] : null,
      Image: c.spec.image,
      Volumes: (c.spec.binds ?? []).some((b) => !b.text.includes(':')) ? Object.fromEntries((c.spec.binds ?? []).filter((b) => !b.text.includes(':')).map((b) => [b.target, {}])) : null,
      WorkingDir: c.image.info.workdir === '/' ? '' : c.image.info.workdir,
      Entrypoint: entry.length ? [...entry] : null,
      Labels: { ...(c.spec.labels ?? {}) },
    },
    NetworkSettings: {
      SandboxID: running && c.networkMode !== 'host' ? sandboxId(c) : '',
      SandboxKey: running && c.networkMode !== 'host' ? sandboxKey(c) : '',
      Ports: ports,
      Networks: nets,
    },
  };
}

export function networkInspect(e: DockerEngine, n: DockerNetwork): NetworkInspect {
  const containers: NetworkInspect['Containers'] = {};
  for (const ep of n.endpoints.values()) {
    // on an overlay, only this node's endpoints are listed
    if (n.overlay && ep.container.engine !== e) continue;
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
  const pool = n.pool;
  return {
    Name: n.name,
    Id: n.id,
    Created: isoTime(n.created),
    Scope: n.scope,
    Driver: n.driver,
    EnableIPv4: true,
    EnableIPv6: false,
    IPAM: {
      Driver: 'default',
      Options: n.isDefaultBridge ? null : {},
      Config: pool
        ? [
            {
              Subnet: subnetText(pool.subnet),
              IPRange: pool.range.len !== pool.subnet.len ? subnetText(pool.range) : '',
              Gateway: n.gateway !== null ? formatIpv4(n.gateway) : '',
              ...(Object.keys(n.aux).length ? { AuxiliaryAddresses: Object.fromEntries(Object.entries(n.aux).map(([k, v]) => [k, formatIpv4(v)])) } : {}),
            },
          ]
        : n.driver === 'host' || n.driver === 'null'
          ? null
          : [],
    },
    Internal: n.internal,
    Attachable: n.attachable,
    Ingress: !!n.ingress,
    ConfigFrom: { Network: '' },
    ConfigOnly: false,
    Options: options,
    Labels: { ...n.labels },
    Containers: containers,
    Status: pool ? { IPAM: { Subnets: { [subnetText(pool.subnet)]: { IPsInUse: pool.inUse + 2, DynamicIPsAvailable: Math.max(0, 2 ** (32 - pool.range.len) - 2 - pool.inUse) } } } } : undefined,
  };
}
