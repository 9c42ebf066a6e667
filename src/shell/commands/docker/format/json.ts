/**
 * Go's encoding/json as the docker CLI and daemon use it, and the shapes `docker inspect` prints.
 *
 *  - encodeJSON: json.Marshal of a Go value (govalue.ts forms): struct fields in declaration order
 *    with their JSON names and omitempty, map keys sorted, nil slices/maps/pointers as null, floats
 *    as Go writes them, strings escaped as Go does (\u003c \u003e \u0026 when escapeHTML is on,
 *    which is json.Marshal's default; docker's `json` template function and the daemon's responses
 *    turn it off).
 *  - indentJSON: json.Indent / MarshalIndent (empty {} and [] stay on one line).
 *  - decodeJSON: json.Decoder with UseNumber into map[string]interface{} / []interface{} /
 *    json.Number, the "raw" form docker's inspect falls back to.
 *  - ContainerInspect / NetworkInspect: the JSON documents of Docker Engine 29 (API 1.52) for
 *    `docker inspect CONTAINER` and `docker network inspect NET`, field for field in the daemon's
 *    order. inspect.ts turns them into Go-typed values and back into the daemon's exact JSON.
 */
import { GoError, GoFloat, GoMap, GoNil, GoSlice, GoStruct, GoText, isPlainObject, jsonNumber, sortedEntries } from './govalue.ts';

export interface EncodeOptions {
  /** Escape <, > and & as \u003c, \u003e, \u0026 (json.Marshal's default: true). */
  escapeHTML?: boolean;
}

/** json.Marshal(v). Throws GoError ("json: unsupported value: NaN") as Go returns an error. */
export function encodeJSON(v: unknown, opts: EncodeOptions = {}): string {
  const escapeHTML = opts.escapeHTML ?? true;
  const parts: string[] = [];
  encodeValue(v, escapeHTML, parts);
  return parts.join('');
}

/** json.MarshalIndent(v, prefix, indent). */
export function marshalIndent(v: unknown, prefix: string, indent: string, opts: EncodeOptions = {}): string {
  return indentJSON(encodeJSON(v, opts), prefix, indent);
}

function encodeValue(v: unknown, html: boolean, out: string[]): void {
  if (v === undefined || v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'string':
      out.push(quoteJSON(v, html));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'number':
      out.push(floatJSON(v));
      return;
    case 'bigint':
      out.push(v.toString());
      return;
    case 'function':
      throw new GoError('json: unsupported type: func()');
  }
  if (v instanceof GoFloat) {
    out.push(floatJSON(v.value));
    return;
  }
  if (v instanceof GoNil) {
    out.push('null');
    return;
  }
  if (v instanceof GoText) {
    if (v.jsonRaw !== undefined) out.push(v.jsonRaw);
    else encodeValue(v.json, html, out);
    return;
  }
  if (Array.isArray(v) || v instanceof GoSlice) {
    const items = Array.isArray(v) ? v : v.items;
    out.push('[');
    items.forEach((x, i) => {
      if (i > 0) out.push(',');
      encodeValue(x, html, out);
    });
    out.push(']');
    return;
  }
  if (v instanceof GoMap || isPlainObject(v)) {
    const entries = sortedEntries(v).map(([k, x]) => [keyText(k), x] as const);
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    out.push('{');
    entries.forEach(([k, x], i) => {
      if (i > 0) out.push(',');
      out.push(quoteJSON(k, html), ':');
      encodeValue(x, html, out);
    });
    out.push('}');
    return;
  }
  if (v instanceof GoStruct) {
    if (v.marshalJSON) {
      out.push(compactJSON(v.marshalJSON(), html));
      return;
    }
    out.push('{');
    let first = true;
    for (const f of jsonFields(v)) {
      if (!first) out.push(',');
      first = false;
      out.push(quoteJSON(f.key, html), ':');
      encodeValue(f.value, html, out);
    }
    out.push('}');
    return;
  }
  throw new GoError(`json: unsupported type: ${Object.prototype.toString.call(v)}`);
}

function keyText(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k instanceof GoText) return typeof k.json === 'string' ? k.json : k.text;
  return String(k);
}

/** The fields json.Marshal writes for a struct: embedded structs flattened, omitempty applied. */
function jsonFields(s: GoStruct): { key: string; value: unknown }[] {
  const out: { key: string; value: unknown }[] = [];
  const seen = new Set<string>();
  const visit = (st: GoStruct, depth: number, acc: { key: string; value: unknown; depth: number }[]): void => {
    for (const f of st.fields) {
      if (f.json === '-') continue;
      if (f.embedded && f.json === undefined && (f.value instanceof GoStruct || f.value instanceof GoNil)) {
        if (f.value instanceof GoStruct) visit(f.value, depth + 1, acc);
        continue;
      }
      const key = f.json ?? f.name;
      if (f.omitEmpty && isEmptyValue(f.value)) continue;
      acc.push({ key, value: f.value, depth });
    }
  };
  const acc: { key: string; value: unknown; depth: number }[] = [];
  visit(s, 0, acc);
  // Go keeps the shallowest field when names collide.
  const best = new Map<string, number>();
  for (const a of acc) {
    const d = best.get(a.key);
    if (d === undefined || a.depth < d) best.set(a.key, a.depth);
  }
  for (const a of acc) {
    if (best.get(a.key) !== a.depth || seen.has(a.key)) continue;
    seen.add(a.key);
    out.push({ key: a.key, value: a.value });
  }
  return out;
}

/** encoding/json's isEmptyValue (for omitempty). */
export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v === '';
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'bigint') return v === 0n;
  if (v instanceof GoFloat) return v.value === 0;
  if (v instanceof GoNil) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof GoSlice) return v.items.length === 0;
  if (v instanceof GoMap) return v.entries.size === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  if (v instanceof GoText) return v.kind === 'string' || v.kind === 'slice' ? v.under === '' : false;
  return false;
}

/** A float64 as encoding/json writes it (like JavaScript, but -0 keeps its sign). */
export function floatJSON(f: number): string {
  if (!Number.isFinite(f)) throw new GoError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  if (Object.is(f, -0)) return '-0';
  return String(f);
}

const HEX = '0123456789abcdef';

/** A JSON string literal with Go's escaping. */
export function quoteJSON(s: string, escapeHTML = true): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (!escapeHTML || (c !== 0x3c && c !== 0x3e && c !== 0x26))) {
        out += s[i];
        continue;
      }
      switch (c) {
        case 0x22:
          out += '\\"';
          continue;
        case 0x5c:
          out += '\\\\';
          continue;
        case 0x08:
          out += '\\b';
          continue;
        case 0x0c:
          out += '\\f';
          continue;
        case 0x0a:
          out += '\\n';
          continue;
        case 0x0d:
          out += '\\r';
          continue;
        case 0x09:
          out += '\\t';
          continue;
      }
      out += '\\u00' + HEX[c >> 4] + HEX[c & 0xf];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
      out += '\\ufffd';
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      out += '\\ufffd';
      continue;
    }
    if (c === 0x2028 || c === 0x2029) {
      out += '\\u202' + HEX[c & 0xf];
      continue;
    }
    out += s[i];
  }
  return out + '"';
}

/** json.Compact (whitespace outside strings removed); escapes <, >, & when escapeHTML is set. */
export function compactJSON(src: string, escapeHTML = false): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      if (c === '\\') {
        out += c + src[i + 1];
        i++;
        continue;
      }
      if (c === '"') inString = false;
      if (escapeHTML && (c === '<' || c === '>' || c === '&')) {
        out += '\\u00' + HEX[c.charCodeAt(0) >> 4] + HEX[c.charCodeAt(0) & 0xf];
        continue;
      }
      out += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '"') inString = true;
    out += c;
  }
  return out;
}

/** json.Indent(dst, src, prefix, indent) of valid JSON text. */
export function indentJSON(src: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const newline = (): string => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += src[i + 1];
        i++;
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += newline();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        needIndent = true;
        out += c;
        break;
      case ',':
        out += c + newline();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) needIndent = false;
        else {
          depth--;
          out += newline();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/**
 * Decode JSON text as Go's json.Decoder with UseNumber into interface{}: objects become plain
 * objects (map[string]interface {}), arrays plain arrays, numbers json.Number. Throws SyntaxError.
 */
export function decodeJSON(text: string): unknown {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}`);
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i++] !== ':') fail();
        obj[k] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail();
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
    return jsonNumber(m![0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    let esc = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') break;
    }
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const v = value();
  ws();
  if (i !== text.length) fail();
  return v;
}

// =============================================================================================
// docker inspect shapes (Docker Engine 29, API 1.52), as JSON: field names as the daemon writes
// them. Optional (?) fields are omitted when empty (omitempty); `| null` fields print null when
// unset. Map-typed fields (Labels, Networks, Options, Containers, Ports, ...) may be filled in
// any order: the encoder sorts their keys as Go does.

export interface ContainerState {
  /** created, running, paused, restarting, removing, exited or dead */
  Status: string;
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Dead: boolean;
  Pid: number;
  ExitCode: number;
  Error: string;
  /** RFC 3339 with nanoseconds (rfc3339Nano in duration.ts); "0001-01-01T00:00:00Z" when never. */
  StartedAt: string;
  FinishedAt: string;
  Health?: ContainerHealth;
}

export interface ContainerHealth {
  /** starting, healthy, unhealthy */
  Status: string;
  FailingStreak: number;
  Log: { Start: string; End: string; ExitCode: number; Output: string }[] | null;
}

export interface LogConfig {
  Type: string;
  Config: Record<string, string> | null;
}

export interface RestartPolicy {
  /** "no", "always", "unless-stopped", "on-failure" (or "" when unset) */
  Name: string;
  MaximumRetryCount: number;
}

export interface PortBinding {
  /** Host address ("" for all addresses). */
  HostIp: string;
  HostPort: string;
}

/** "80/tcp" -> bindings */
export type PortMap = Record<string, PortBinding[] | null>;

export interface ThrottleDevice {
  Path: string;
  Rate: number;
}

export interface Ulimit {
  Name: string;
  Hard: number;
  Soft: number;
}

export interface HostConfig {
  Binds: string[] | null;
  ContainerIDFile: string;
  LogConfig: LogConfig;
  NetworkMode: string;
  PortBindings: PortMap | null;
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  VolumeDriver: string;
  VolumesFrom: string[] | null;
  ConsoleSize: [number, number];
  Annotations?: Record<string, string>;
  CapAdd: string[] | null;
  CapDrop: string[] | null;
  CgroupnsMode: string;
  Dns: string[] | null;
  DnsOptions: string[] | null;
  DnsSearch: string[] | null;
  ExtraHosts: string[] | null;
  GroupAdd: string[] | null;
  IpcMode: string;
  Cgroup: string;
  Links: string[] | null;
  OomScoreAdj: number;
  PidMode: string;
  Privileged: boolean;
  PublishAllPorts: boolean;
  ReadonlyRootfs: boolean;
  SecurityOpt: string[] | null;
  StorageOpt?: Record<string, string>;
  Tmpfs?: Record<string, string>;
  UTSMode: string;
  UsernsMode: string;
  ShmSize: number;
  Sysctls?: Record<string, string>;
  Runtime?: string;
  Isolation: string;
  // Resources (embedded)
  CpuShares: number;
  Memory: number;
  NanoCpus: number;
  CgroupParent: string;
  BlkioWeight: number;
  BlkioWeightDevice: { Path: string; Weight: number }[] | null;
  BlkioDeviceReadBps: ThrottleDevice[] | null;
  BlkioDeviceWriteBps: ThrottleDevice[] | null;
  BlkioDeviceReadIOps: ThrottleDevice[] | null;
  BlkioDeviceWriteIOps: ThrottleDevice[] | null;
  CpuPeriod: number;
  CpuQuota: number;
  CpuRealtimePeriod: number;
  CpuRealtimeRuntime: number;
  CpusetCpus: string;
  CpusetMems: string;
  Devices: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[] | null;
  DeviceCgroupRules: string[] | null;
  DeviceRequests: unknown[] | null;
  MemoryReservation: number;
  MemorySwap: number;
  MemorySwappiness: number | null;
  OomKillDisable: boolean | null;
  PidsLimit: number | null;
  Ulimits: Ulimit[] | null;
  CpuCount: number;
  CpuPercent: number;
  IOMaximumIOps: number;
  IOMaximumBandwidth: number;
  // end of Resources
  Mounts?: unknown[];
  MaskedPaths: string[] | null;
  ReadonlyPaths: string[] | null;
  Init?: boolean | null;
}

export interface MountPoint {
  Type?: string;
  Name?: string;
  Source: string;
  Destination: string;
  Driver?: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface ContainerConfig {
  Hostname: string;
  Domainname: string;
  User: string;
  AttachStdin: boolean;
  AttachStdout: boolean;
  AttachStderr: boolean;
  /** "80/tcp" -> {} */
  ExposedPorts?: Record<string, Record<string, never>>;
  Tty: boolean;
  OpenStdin: boolean;
  StdinOnce: boolean;
  Env: string[] | null;
  Cmd: string[] | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; StartInterval?: number; Retries?: number };
  ArgsEscaped?: boolean;
  Image: string;
  Volumes: Record<string, Record<string, never>> | null;
  WorkingDir: string;
  Entrypoint: string[] | null;
  NetworkDisabled?: boolean;
  OnBuild?: string[];
  Labels: Record<string, string> | null;
  StopSignal?: string;
  StopTimeout?: number | null;
  Shell?: string[];
}

export interface EndpointIPAMConfig {
  IPv4Address?: string;
  IPv6Address?: string;
  LinkLocalIPs?: string[];
}

/** One entry of NetworkSettings.Networks. Addresses are "" when unset. */
export interface EndpointSettings {
  IPAMConfig: EndpointIPAMConfig | null;
  Links: string[] | null;
  Aliases: string[] | null;
  DriverOpts: Record<string, string> | null;
  GwPriority: number;
  NetworkID: string;
  EndpointID: string;
  Gateway: string;
  IPAddress: string;
  MacAddress: string;
  IPPrefixLen: number;
  IPv6Gateway: string;
  GlobalIPv6Address: string;
  GlobalIPv6PrefixLen: number;
  DNSNames: string[] | null;
}

/**
 * NetworkSettings in API 1.52: the deprecated top-level Bridge, EndpointID, Gateway, IPAddress,
 * IPPrefixLen, MacAddress, ... fields are gone; addresses live under Networks.NAME only.
 */
export interface NetworkSettings {
  SandboxID: string;
  SandboxKey: string;
  Ports: PortMap | null;
  Networks: Record<string, EndpointSettings> | null;
}

export interface OCIPlatform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

export interface OCIDescriptor {
  mediaType: string;
  digest: string;
  size: number;
  urls?: string[];
  annotations?: Record<string, string>;
  data?: string;
  platform?: OCIPlatform;
  artifactType?: string;
}

export interface ContainerInspect {
  Id: string;
  /** RFC 3339 with nanoseconds */
  Created: string;
  Path: string;
  Args: string[] | null;
  State: ContainerState | null;
  Image: string;
  ResolvConfPath: string;
  HostnamePath: string;
  HostsPath: string;
  LogPath: string;
  /** With the leading slash: "/web". */
  Name: string;
  RestartCount: number;
  Driver: string;
  Platform: string;
  MountLabel: string;
  ProcessLabel: string;
  AppArmorProfile: string;
  ExecIDs: string[] | null;
  HostConfig: HostConfig | null;
  /** Graph-driver storage only (not with the containerd image store, Engine 29's default). */
  GraphDriver?: { Data: Record<string, string> | null; Name: string };
  /** containerd image store: {"RootFS":{"Snapshot":{"Name":"overlayfs"}}}. */
  Storage?: { RootFS?: { Snapshot?: { Name?: string } } };
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: MountPoint[] | null;
  Config: ContainerConfig | null;
  NetworkSettings: NetworkSettings | null;
  /** containerd image store only. */
  ImageManifestDescriptor?: OCIDescriptor;
}

/**
 * Subnet, IPRange and Gateway are netip types in Engine 29: their omitempty has no effect, so an
 * unset one prints "" (moby issue 51890: "IPRange": "" appears in every config).
 */
export interface IPAMConfig {
  Subnet?: string;
  IPRange?: string;
  Gateway?: string;
  AuxiliaryAddresses?: Record<string, string>;
}

export interface EndpointResource {
  Name: string;
  EndpointID: string;
  MacAddress: string;
  /** CIDR form ("172.18.0.2/16"); "" when none. */
  IPv4Address: string;
  IPv6Address: string;
}

export interface NetworkInspect {
  Name: string;
  Id: string;
  /** RFC 3339 with nanoseconds */
  Created: string;
  Scope: string;
  Driver: string;
  EnableIPv4: boolean;
  EnableIPv6: boolean;
  IPAM: { Driver: string; Options: Record<string, string> | null; Config: IPAMConfig[] | null };
  Internal: boolean;
  Attachable: boolean;
  Ingress: boolean;
  ConfigFrom: { Network: string };
  ConfigOnly: boolean;
  Options: Record<string, string> | null;
  Labels: Record<string, string> | null;
  Peers?: { Name: string; IP: string }[];
  /**
   * Keyed by container ID (or "ep-" + endpoint ID). Engine 29's network.Inspect embeds
   * network.Network, so Containers (and Services, Status) now print after Labels.
   */
  Containers: Record<string, EndpointResource> | null;
  Services?: Record<string, unknown>;
  /** API 1.52: IPAM usage per subnet, e.g. {"IPAM":{"Subnets":{"172.18.0.0/16":{"IPsInUse":4,"DynamicIPsAvailable":65532}}}}. */
  Status?: { IPAM: { Subnets?: Record<string, { IPsInUse: number; DynamicIPsAvailable: number }> } };
}
