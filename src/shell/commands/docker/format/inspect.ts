/**
 * `docker inspect` / `docker container inspect` / `docker network inspect`, as the docker CLI
 * (cli/command/inspect) prints them against Docker Engine 29 (API 1.52).
 *
 * The engine hands over JSON-shaped documents (ContainerInspect, NetworkInspect from json.ts).
 * From those, this module derives what the real client has in hand:
 *   - the daemon's JSON text (struct field order, map keys sorted, netip fields always present,
 *     no HTML escaping: the daemon encodes with SetEscapeHTML(false));
 *   - the typed Go value the CLI decodes it into (for --format), with Go's type names, netip
 *     values printing "invalid IP" when unset, time.Time printing as "2026-01-05 09:00:00 +0000 UTC";
 *   - the raw map[string]interface{} the CLI falls back to when the typed execution fails, which
 *     it executes with missingkey=error.
 * renderInspect then reproduces inspect.Inspect: indented JSON by default, compact with
 * --format json, otherwise the template, each result on its own line, errors after, exit 64 for a
 * template that does not parse and 1 when anything else failed.
 */
import { GoFloat, GoMap, GoNil, GoSlice, GoStruct, GoText, isPlainObject } from './govalue.ts';
import { TemplateError, parseDockerTemplate, type Template } from './gotemplate.ts';
import { compactJSON, decodeJSON, encodeJSON, indentJSON, type ContainerInspect, type NetworkInspect } from './json.ts';
import { rfc3339ToGoString } from './duration.ts';

// =============================================================================================
// A small schema language for the Go types behind the documents

export type TypeSpec =
  | 'string'
  | 'int'
  | 'uint'
  | 'bool'
  | 'float'
  /** netip.Addr: prints "invalid IP" when unset, JSON "" */
  | 'addr'
  /** netip.Prefix: prints "invalid Prefix" when unset, JSON "" */
  | 'prefix'
  /** network.HardwareAddr */
  | 'hwaddr'
  /** time.Time (JSON RFC 3339) */
  | 'time'
  /** network.Port (as a map key: "80/tcp") */
  | 'port'
  /** struct{} */
  | 'empty'
  /** whatever JSON holds, as interface{} */
  | 'any'
  | { struct: string; fields: FieldSpec[] }
  | { ptr: TypeSpec }
  | { slice: TypeSpec }
  | { array: TypeSpec; len: number }
  | { map: TypeSpec; key?: 'string' | 'port' | 'prefix' };

/** [Go name, type, options] */
export type FieldSpec = [string, TypeSpec, { json?: string; omit?: boolean; embed?: boolean }?];

export function typeString(t: TypeSpec): string {
  if (typeof t === 'string') {
    switch (t) {
      case 'float':
        return 'float64';
      case 'addr':
        return 'netip.Addr';
      case 'prefix':
        return 'netip.Prefix';
      case 'hwaddr':
        return 'network.HardwareAddr';
      case 'time':
        return 'time.Time';
      case 'port':
        return 'network.Port';
      case 'empty':
        return 'struct {}';
      case 'any':
        return 'interface {}';
      default:
        return t;
    }
  }
  if ('struct' in t) return t.struct;
  if ('ptr' in t) return '*' + typeString(t.ptr);
  if ('slice' in t) return '[]' + typeString(t.slice);
  if ('array' in t) return `[${t.len}]` + typeString(t.array);
  return `map[${typeString(t.key ?? 'string')}]${typeString(t.map)}`;
}

function structFieldNames(t: TypeSpec): string[] {
  if (typeof t === 'object' && 'struct' in t) {
    const out: string[] = [];
    for (const [name, ft, o] of t.fields) {
      out.push(name);
      if (o?.embed) out.push(...structFieldNames(ft));
    }
    return out;
  }
  return [];
}

function zeroValue(t: TypeSpec): unknown {
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return '';
      case 'int':
      case 'uint':
        return 0;
      case 'bool':
        return false;
      case 'float':
        return new GoFloat(0);
      case 'any':
        return null;
      default:
        return toTyped(t, undefined);
    }
  }
  return toTyped(t, undefined);
}

/** The Go value a JSON value decodes into, for the given Go type. */
export function toTyped(t: TypeSpec, v: unknown): unknown {
  if (typeof t === 'string') {
    switch (t) {
      case 'string':
        return typeof v === 'string' ? v : '';
      case 'int':
      case 'uint':
        return typeof v === 'number' ? Math.trunc(v) : typeof v === 'bigint' ? v : 0;
      case 'bool':
        return v === true;
      case 'float':
        return new GoFloat(typeof v === 'number' ? v : 0);
      case 'addr': {
        const s = typeof v === 'string' ? v : '';
        return new GoText({ type: 'netip.Addr', kind: 'struct', text: s === '' ? 'invalid IP' : s, json: s });
      }
      case 'prefix': {
        const s = typeof v === 'string' ? v : '';
        return new GoText({ type: 'netip.Prefix', kind: 'struct', text: s === '' ? 'invalid Prefix' : s, json: s });
      }
      case 'hwaddr': {
        const s = typeof v === 'string' ? v : '';
        return new GoText({ type: 'network.HardwareAddr', kind: 'slice', text: s, json: s });
      }
      case 'time': {
        const s = typeof v === 'string' ? v : '0001-01-01T00:00:00Z';
        return new GoText({ type: 'time.Time', kind: 'struct', text: rfc3339ToGoString(s), json: s });
      }
      case 'port': {
        const s = typeof v === 'string' ? v : '';
        return new GoText({ type: 'network.Port', kind: 'struct', text: s === '' ? 'invalid port' : s, json: s });
      }
      case 'empty':
        return new GoStruct({ type: 'struct {}' });
      case 'any':
        return v === undefined ? null : v;
    }
  }
  if ('struct' in t) {
    const src = isPlainObject(v) ? v : {};
    return new GoStruct({
      type: t.struct,
      fields: t.fields.map(([name, ft, o]) => {
        if (o?.embed) return { name, value: toTyped(ft, src), embedded: true };
        const json = o?.json ?? name;
        return { name, value: toTyped(ft, src[json]), json: json === name ? undefined : json, omitEmpty: o?.omit };
      }),
    });
  }
  if ('ptr' in t) {
    if (v === undefined || v === null) return new GoNil(typeString(t), 'ptr', structFieldNames(t.ptr));
    const inner = toTyped(t.ptr, v);
    if (inner instanceof GoStruct) return new GoStruct({ type: inner.type, pointer: true, fields: inner.fields });
    return inner;
  }
  if ('slice' in t || 'array' in t) {
    const elem = 'slice' in t ? t.slice : t.array;
    if (!Array.isArray(v)) return 'array' in t ? new GoSlice(typeString(t), Array.from({ length: t.len }, () => zeroValue(elem))) : new GoNil(typeString(t), 'slice');
    return new GoSlice(typeString(t), v.map((x) => toTyped(elem, x)));
  }
  if (v === undefined || v === null || !isPlainObject(v)) return new GoNil(typeString(t), 'map');
  const key = t.key ?? 'string';
  return new GoMap({
    type: typeString(t),
    keyType: typeString(key),
    entries: Object.entries(v).map(([k, x]) => [key === 'string' ? k : toTyped(key, k), toTyped(t.map, x)] as [unknown, unknown]),
    zero: zeroValue(t.map),
  });
}

// =============================================================================================
// Engine 29 types (moby/moby api/types, API 1.52)

const S = 'string' as const;
const I = 'int' as const;
const U = 'uint' as const;
const B = 'bool' as const;
const strings: TypeSpec = { slice: S };
const strMap: TypeSpec = { map: S };
const opt = { omit: true };

const portBinding: TypeSpec = { struct: 'network.PortBinding', fields: [['HostIP', 'addr', { json: 'HostIp' }], ['HostPort', S]] };
const portMap: TypeSpec = { map: { slice: portBinding }, key: 'port' };

const healthcheckResult: TypeSpec = {
  struct: 'container.HealthcheckResult',
  fields: [['Start', 'time'], ['End', 'time'], ['ExitCode', I], ['Output', S]],
};

const state: TypeSpec = {
  struct: 'container.State',
  fields: [
    ['Status', S],
    ['Running', B],
    ['Paused', B],
    ['Restarting', B],
    ['OOMKilled', B],
    ['Dead', B],
    ['Pid', I],
    ['ExitCode', I],
    ['Error', S],
    ['StartedAt', S],
    ['FinishedAt', S],
    ['Health', { ptr: { struct: 'container.Health', fields: [['Status', S], ['FailingStreak', I], ['Log', { slice: { ptr: healthcheckResult } }]] } }, opt],
  ],
};

const throttle: TypeSpec = { ptr: { struct: 'blkiodev.ThrottleDevice', fields: [['Path', S], ['Rate', U]] } };

const resources: TypeSpec = {
  struct: 'container.Resources',
  fields: [
    ['CPUShares', I, { json: 'CpuShares' }],
    ['Memory', I],
    ['NanoCPUs', I, { json: 'NanoCpus' }],
    ['CgroupParent', S],
    ['BlkioWeight', U],
    ['BlkioWeightDevice', { slice: { ptr: { struct: 'blkiodev.WeightDevice', fields: [['Path', S], ['Weight', U]] } } }],
    ['BlkioDeviceReadBps', { slice: throttle }],
    ['BlkioDeviceWriteBps', { slice: throttle }],
    ['BlkioDeviceReadIOps', { slice: throttle }],
    ['BlkioDeviceWriteIOps', { slice: throttle }],
    ['CPUPeriod', I, { json: 'CpuPeriod' }],
    ['CPUQuota', I, { json: 'CpuQuota' }],
    ['CPURealtimePeriod', I, { json: 'CpuRealtimePeriod' }],
    ['CPURealtimeRuntime', I, { json: 'CpuRealtimeRuntime' }],
    ['CpusetCpus', S],
    ['CpusetMems', S],
    ['Devices', { slice: { struct: 'container.DeviceMapping', fields: [['PathOnHost', S], ['PathInContainer', S], ['CgroupPermissions', S]] } }],
    ['DeviceCgroupRules', strings],
    ['DeviceRequests', { slice: 'any' }],
    ['MemoryReservation', I],
    ['MemorySwap', I],
    ['MemorySwappiness', { ptr: I }],
    ['OomKillDisable', { ptr: B }],
    ['PidsLimit', { ptr: I }],
    ['Ulimits', { slice: { ptr: { struct: 'units.Ulimit', fields: [['Name', S], ['Hard', I], ['Soft', I]] } } }],
    ['CPUCount', I, { json: 'CpuCount' }],
    ['CPUPercent', I, { json: 'CpuPercent' }],
    ['IOMaximumIOps', U],
    ['IOMaximumBandwidth', U],
  ],
};

const hostConfig: TypeSpec = {
  struct: 'container.HostConfig',
  fields: [
    ['Binds', strings],
    ['ContainerIDFile', S],
    ['LogConfig', { struct: 'container.LogConfig', fields: [['Type', S], ['Config', strMap]] }],
    ['NetworkMode', S],
    ['PortBindings', portMap],
    ['RestartPolicy', { struct: 'container.RestartPolicy', fields: [['Name', S], ['MaximumRetryCount', I]] }],
    ['AutoRemove', B],
    ['VolumeDriver', S],
    ['VolumesFrom', strings],
    ['ConsoleSize', { array: U, len: 2 }],
    ['Annotations', strMap, opt],
    ['CapAdd', strings],
    ['CapDrop', strings],
    ['CgroupnsMode', S],
    ['DNS', { slice: 'addr' }, { json: 'Dns' }],
    ['DNSOptions', strings, { json: 'DnsOptions' }],
    ['DNSSearch', strings, { json: 'DnsSearch' }],
    ['ExtraHosts', strings],
    ['GroupAdd', strings],
    ['IpcMode', S],
    ['Cgroup', S],
    ['Links', strings],
    ['OomScoreAdj', I],
    ['PidMode', S],
    ['Privileged', B],
    ['PublishAllPorts', B],
    ['ReadonlyRootfs', B],
    ['SecurityOpt', strings],
    ['StorageOpt', strMap, opt],
    ['Tmpfs', strMap, opt],
    ['UTSMode', S],
    ['UsernsMode', S],
    ['ShmSize', I],
    ['Sysctls', strMap, opt],
    ['Runtime', S, opt],
    ['Isolation', S],
    ['Resources', resources, { embed: true }],
    ['Mounts', { slice: 'any' }, opt],
    ['MaskedPaths', strings],
    ['ReadonlyPaths', strings],
    ['Init', { ptr: B }, opt],
  ],
};

const mountPoint: TypeSpec = {
  struct: 'container.MountPoint',
  fields: [['Type', S, opt], ['Name', S, opt], ['Source', S], ['Destination', S], ['Driver', S, opt], ['Mode', S], ['RW', B], ['Propagation', S]],
};

const config: TypeSpec = {
  struct: 'container.Config',
  fields: [
    ['Hostname', S],
    ['Domainname', S],
    ['User', S],
    ['AttachStdin', B],
    ['AttachStdout', B],
    ['AttachStderr', B],
    ['ExposedPorts', { map: 'empty', key: 'port' }, opt],
    ['Tty', B],
    ['OpenStdin', B],
    ['StdinOnce', B],
    ['Env', strings],
    ['Cmd', strings],
    ['Healthcheck', { ptr: 'any' }, opt],
    ['ArgsEscaped', B, opt],
    ['Image', S],
    ['Volumes', { map: 'empty' }],
    ['WorkingDir', S],
    ['Entrypoint', strings],
    ['NetworkDisabled', B, opt],
    ['OnBuild', strings, opt],
    ['Labels', strMap],
    ['StopSignal', S, opt],
    ['StopTimeout', { ptr: I }, opt],
    ['Shell', strings, opt],
  ],
};

const endpointSettings: TypeSpec = {
  struct: 'network.EndpointSettings',
  fields: [
    [
      'IPAMConfig',
      {
        ptr: {
          struct: 'network.EndpointIPAMConfig',
          fields: [['IPv4Address', 'addr', opt], ['IPv6Address', 'addr', opt], ['LinkLocalIPs', { slice: 'addr' }, opt]],
        },
      },
    ],
    ['Links', strings],
    ['Aliases', strings],
    ['DriverOpts', strMap],
    ['GwPriority', I],
    ['NetworkID', S],
    ['EndpointID', S],
    ['Gateway', 'addr'],
    ['IPAddress', 'addr'],
    ['MacAddress', 'hwaddr'],
    ['IPPrefixLen', I],
    ['IPv6Gateway', 'addr'],
    ['GlobalIPv6Address', 'addr'],
    ['GlobalIPv6PrefixLen', I],
    ['DNSNames', strings],
  ],
};

const networkSettings: TypeSpec = {
  struct: 'container.NetworkSettings',
  fields: [['SandboxID', S], ['SandboxKey', S], ['Ports', portMap], ['Networks', { map: { ptr: endpointSettings } }]],
};

const storageSpec: TypeSpec = {
  struct: 'storage.Storage',
  fields: [['RootFS', { ptr: { struct: 'storage.RootFSStorage', fields: [['Snapshot', { ptr: { struct: 'storage.RootFSStorageSnapshot', fields: [['Name', S, opt]] } }, opt]] } }, opt]],
};

/** container.InspectResponse */
export const CONTAINER_INSPECT: TypeSpec = {
  struct: 'container.InspectResponse',
  fields: [
    ['ID', S, { json: 'Id' }],
    ['Created', S],
    ['Path', S],
    ['Args', strings],
    ['State', { ptr: state }],
    ['Image', S],
    ['ResolvConfPath', S],
    ['HostnamePath', S],
    ['HostsPath', S],
    ['LogPath', S],
    ['Name', S],
    ['RestartCount', I],
    ['Driver', S],
    ['Platform', S],
    ['MountLabel', S],
    ['ProcessLabel', S],
    ['AppArmorProfile', S],
    ['ExecIDs', strings],
    ['HostConfig', { ptr: hostConfig }],
    ['GraphDriver', { ptr: { struct: 'storage.DriverData', fields: [['Data', strMap], ['Name', S]] } }, opt],
    ['Storage', { ptr: storageSpec }, opt],
    ['SizeRw', { ptr: I }, opt],
    ['SizeRootFs', { ptr: I }, opt],
    ['Mounts', { slice: mountPoint }],
    ['Config', { ptr: config }],
    ['NetworkSettings', { ptr: networkSettings }],
    ['ImageManifestDescriptor', { ptr: 'any' }, opt],
  ],
};

const ipamConfig: TypeSpec = {
  struct: 'network.IPAMConfig',
  fields: [['Subnet', 'prefix', opt], ['IPRange', 'prefix', opt], ['Gateway', 'addr', opt], ['AuxAddress', { map: 'addr' }, { json: 'AuxiliaryAddresses', omit: true }]],
};

const networkSpec: TypeSpec = {
  struct: 'network.Network',
  fields: [
    ['Name', S],
    ['ID', S, { json: 'Id' }],
    ['Created', 'time'],
    ['Scope', S],
    ['Driver', S],
    ['EnableIPv4', B],
    ['EnableIPv6', B],
    ['IPAM', { struct: 'network.IPAM', fields: [['Driver', S], ['Options', strMap], ['Config', { slice: ipamConfig }]] }],
    ['Internal', B],
    ['Attachable', B],
    ['Ingress', B],
    ['ConfigFrom', { struct: 'network.ConfigReference', fields: [['Network', S]] }],
    ['ConfigOnly', B],
    ['Options', strMap],
    ['Labels', strMap],
    ['Peers', { slice: { struct: 'network.PeerInfo', fields: [['Name', S], ['IP', 'addr']] } }, opt],
  ],
};

const endpointResource: TypeSpec = {
  struct: 'network.EndpointResource',
  fields: [['Name', S], ['EndpointID', S], ['MacAddress', 'hwaddr'], ['IPv4Address', 'prefix'], ['IPv6Address', 'prefix']],
};

/** network.Inspect (network.Network embedded, then Containers, Services, Status) */
export const NETWORK_INSPECT: TypeSpec = {
  struct: 'network.Inspect',
  fields: [
    ['Network', networkSpec, { embed: true }],
    ['Containers', { map: endpointResource }],
    ['Services', { map: 'any' }, opt],
    [
      'Status',
      {
        ptr: {
          struct: 'network.Status',
          fields: [
            [
              'IPAM',
              {
                struct: 'network.IPAMStatus',
                fields: [['Subnets', { map: { struct: 'network.SubnetStatus', fields: [['IPsInUse', U], ['DynamicIPsAvailable', U]] }, key: 'prefix' }, opt]],
              },
            ],
          ],
        },
      },
      opt,
    ],
  ],
};

// =============================================================================================
// Views

export type InspectKind = 'container' | 'network';

export interface InspectViews {
  /** The daemon's response body (compact JSON, not HTML-escaped). */
  raw: string;
  /** The typed Go value the CLI executes templates against first. */
  typed: unknown;
  /** The map[string]interface{} it falls back to (with missingkey=error). */
  fallback: () => unknown;
}

/**
 * Views of one object. `pointer` says whether the CLI holds the typed value through a pointer
 * (`docker container inspect` does: *container.InspectResponse; `docker inspect` does not).
 */
export function inspectViews(kind: InspectKind, doc: ContainerInspect | NetworkInspect, pointer = kind === 'container'): InspectViews {
  const spec = kind === 'container' ? CONTAINER_INSPECT : NETWORK_INSPECT;
  let typed = toTyped(spec, doc) as GoStruct;
  if (pointer) typed = new GoStruct({ type: typed.type, pointer: true, fields: typed.fields });
  const raw = encodeJSON(typed, { escapeHTML: false });
  let fallback: unknown;
  let decoded = false;
  return {
    raw,
    typed,
    fallback: () => {
      if (!decoded) {
        fallback = decodeJSON(raw);
        decoded = true;
      }
      return fallback;
    },
  };
}

/** The daemon's JSON for one object, as `docker inspect` shows it (4-space indent, no array). */
export function inspectJSON(kind: InspectKind, doc: ContainerInspect | NetworkInspect): string {
  return indentJSON(inspectViews(kind, doc).raw, '', '    ');
}

// =============================================================================================
// inspect.Inspect

export type InspectEntry =
  | { kind: InspectKind; doc: ContainerInspect | NetworkInspect; pointer?: boolean }
  /** An object that could not be fetched; `error` as the CLI prints it ("Error: No such object: x"). */
  | { error: string };

export interface InspectResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * What `docker inspect [-f FORMAT] REF...` prints: `format` is the --format value ("" for none).
 * Found objects print in order; the errors of the others follow on stderr, joined by newlines.
 */
export function renderInspect(format: string, entries: InspectEntry[]): InspectResult {
  let tmpl: Template | null = null;
  if (format !== '' && format !== 'json') {
    try {
      tmpl = parseDockerTemplate(format);
    } catch (e) {
      if (e instanceof TemplateError) return { stdout: '', stderr: `template parsing error: ${e.message}\n`, exitCode: 64 };
      throw e;
    }
  }
  const errors: string[] = [];
  const raws: string[] = [];
  let buffer = '';
  for (const entry of entries) {
    if ('error' in entry) {
      errors.push(entry.error);
      continue;
    }
    const views = inspectViews(entry.kind, entry.doc, entry.pointer);
    if (!tmpl) {
      raws.push(views.raw);
      continue;
    }
    const r = executeInspectTemplate(tmpl, views);
    if (r.ok) buffer += r.out + '\n';
    else errors.push(r.error);
  }
  let stdout: string;
  if (!tmpl) {
    if (raws.length === 0) stdout = '[]\n';
    else {
      const joined = '[' + raws.join(',') + ']';
      stdout = (format === 'json' ? compactJSON(joined) : indentJSON(joined, '', '    ')) + '\n';
    }
  } else stdout = buffer === '' ? '\n' : buffer;
  return { stdout, stderr: errors.length ? errors.join('\n') + '\n' : '', exitCode: errors.length ? 1 : 0 };
}

/**
 * TemplateInspector.Inspect: run against the typed value; if that fails, run against the raw
 * document with missingkey=error and report that run's error.
 */
export function executeInspectTemplate(tmpl: Template, views: InspectViews): { ok: true; out: string } | { ok: false; error: string } {
  try {
    return { ok: true, out: tmpl.execute(views.typed) };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
  }
  try {
    return { ok: true, out: tmpl.execute(views.fallback(), { missingKey: 'error' }) };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    return { ok: false, error: `template parsing error: ${e.message}` };
  }
}
