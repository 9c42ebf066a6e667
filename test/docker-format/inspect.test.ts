/**
 * docker inspect against Engine 29 (API 1.52) documents: the daemon's JSON, indented as the CLI
 * indents it; --format against the typed value with the raw-map fallback; exit statuses.
 */
import { describe, expect, it } from 'vitest';
import { CONTAINER_INSPECT, inspectJSON, inspectViews, renderInspect, toTyped } from '../../src/shell/commands/docker/format/index.ts';
import { CID, NET_B, bridgeNetwork, container, endpoint } from './fixtures.ts';

const c = (format: string, doc = container()) => renderInspect(format, [{ kind: 'container', doc }]);
const n = (format: string, doc = bridgeNetwork()) => renderInspect(format, [{ kind: 'network', doc }]);

describe('default output: the daemon JSON, 4-space indented', () => {
  it('a bridge network, with Engine 29 field order and the always-present IPRange', () => {
    const r = n('');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`[
    {
        "Name": "bridge",
        "Id": "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f",
        "Created": "2026-01-05T08:59:00.25Z",
        "Scope": "local",
        "Driver": "bridge",
        "EnableIPv4": true,
        "EnableIPv6": false,
        "IPAM": {
            "Driver": "default",
            "Options": null,
            "Config": [
                {
                    "Subnet": "172.17.0.0/16",
                    "IPRange": "",
                    "Gateway": "172.17.0.1"
                }
            ]
        },
        "Internal": false,
        "Attachable": false,
        "Ingress": false,
        "ConfigFrom": {
            "Network": ""
        },
        "ConfigOnly": false,
        "Options": {
            "com.docker.network.bridge.default_bridge": "true",
            "com.docker.network.bridge.name": "docker0",
            "com.docker.network.driver.mtu": "1500"
        },
        "Labels": {},
        "Containers": {
            "${CID}": {
                "Name": "web",
                "EndpointID": "${'5e6f'.repeat(16)}",
                "MacAddress": "9a:3c:51:7e:02:11",
                "IPv4Address": "172.17.0.2/16",
                "IPv6Address": ""
            }
        },
        "Status": {
            "IPAM": {
                "Subnets": {
                    "172.17.0.0/16": {
                        "IPsInUse": 4,
                        "DynamicIPsAvailable": 65532
                    }
                }
            }
        }
    }
]
`);
  });

  it('a container: field order and presence of API 1.52', () => {
    const doc = JSON.parse(inspectJSON('container', container()));
    expect(Object.keys(doc)).toEqual([
      'Id',
      'Created',
      'Path',
      'Args',
      'State',
      'Image',
      'ResolvConfPath',
      'HostnamePath',
      'HostsPath',
      'LogPath',
      'Name',
      'RestartCount',
      'Driver',
      'Platform',
      'MountLabel',
      'ProcessLabel',
      'AppArmorProfile',
      'ExecIDs',
      'HostConfig',
      'Storage',
      'Mounts',
      'Config',
      'NetworkSettings',
    ]);
    expect(Object.keys(doc.State)).toEqual(['Status', 'Running', 'Paused', 'Restarting', 'OOMKilled', 'Dead', 'Pid', 'ExitCode', 'Error', 'StartedAt', 'FinishedAt']);
    expect(Object.keys(doc.NetworkSettings)).toEqual(['SandboxID', 'SandboxKey', 'Ports', 'Networks']);
    expect(Object.keys(doc.NetworkSettings.Networks.bridge)).toEqual([
      'IPAMConfig',
      'Links',
      'Aliases',
      'DriverOpts',
      'GwPriority',
      'NetworkID',
      'EndpointID',
      'Gateway',
      'IPAddress',
      'MacAddress',
      'IPPrefixLen',
      'IPv6Gateway',
      'GlobalIPv6Address',
      'GlobalIPv6PrefixLen',
      'DNSNames',
    ]);
    const hc = Object.keys(doc.HostConfig);
    expect(hc.slice(0, 6)).toEqual(['Binds', 'ContainerIDFile', 'LogConfig', 'NetworkMode', 'PortBindings', 'RestartPolicy']);
    expect(hc.indexOf('Runtime')).toBe(hc.indexOf('ShmSize') + 1);
    expect(hc.slice(hc.indexOf('Isolation'), hc.indexOf('Isolation') + 4)).toEqual(['Isolation', 'CpuShares', 'Memory', 'NanoCpus']);
    expect(hc.slice(-3)).toEqual(['IOMaximumBandwidth', 'MaskedPaths', 'ReadonlyPaths']);
    expect(hc).not.toContain('KernelMemoryTCP');
    expect(Object.keys(doc.Config)).toEqual([
      'Hostname',
      'Domainname',
      'User',
      'AttachStdin',
      'AttachStdout',
      'AttachStderr',
      'ExposedPorts',
      'Tty',
      'OpenStdin',
      'StdinOnce',
      'Env',
      'Cmd',
      'Image',
      'Volumes',
      'WorkingDir',
      'Entrypoint',
      'Labels',
      'StopSignal',
    ]);
  });

  it('indentation details: empty objects and arrays stay on one line, HTML is not escaped', () => {
    const out = c('').stdout;
    expect(out).toContain('\n        "Mounts": [],\n');
    expect(out).toContain('\n                "Config": {}\n');
    expect(out).toContain('"maintainer": "NGINX Docker Maintainers <docker-maint@nginx.com>"');
    expect(out).toContain('\n            "ConsoleSize": [\n                0,\n                0\n            ],\n');
    expect(out.startsWith('[\n    {\n        "Id": "')).toBe(true);
    expect(out.endsWith('\n    }\n]\n')).toBe(true);
  });

  it('map keys come out sorted whatever order the engine filled them in', () => {
    const doc = container();
    doc.NetworkSettings!.Networks = { 'net-b': endpoint({ NetworkID: NET_B, IPAddress: '10.0.0.2' }), bridge: endpoint() };
    const out = JSON.parse(inspectJSON('container', doc));
    expect(Object.keys(out.NetworkSettings.Networks)).toEqual(['bridge', 'net-b']);
  });

  it('several objects, --format json, not found', () => {
    const both = renderInspect('', [
      { kind: 'container', doc: container() },
      { error: 'Error: No such object: nope' },
      { kind: 'network', doc: bridgeNetwork() },
    ]);
    expect(both.exitCode).toBe(1);
    expect(both.stderr).toBe('Error: No such object: nope\n');
    const arr = JSON.parse(both.stdout);
    expect(arr).toHaveLength(2);
    expect(arr[1].Name).toBe('bridge');
    const compact = renderInspect('json', [{ kind: 'network', doc: bridgeNetwork() }]);
    expect(compact.stdout.startsWith('[{"Name":"bridge","Id":"')).toBe(true);
    expect(compact.stdout.endsWith('}]\n')).toBe(true);
    expect(renderInspect('', [{ error: 'Error: No such object: x' }])).toEqual({ stdout: '[]\n', stderr: 'Error: No such object: x\n', exitCode: 1 });
  });
});

describe('--format', () => {
  it('the conformance cases', () => {
    expect(c('{{.NetworkSettings.Networks.bridge.IPAddress}}').stdout).toBe('172.17.0.2\n');
    expect(n('{{(index .IPAM.Config 0).Subnet}}').stdout).toBe('172.17.0.0/16\n');
  });

  it('common one-liners', () => {
    expect(c('{{.Name}} {{.State.Status}} {{.State.Pid}} {{.Config.Image}}').stdout).toBe('/web running 4242 nginx\n');
    expect(c('{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}').stdout).toBe('172.17.0.2\n');
    expect(c('{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.Gateway}} {{$v.MacAddress}}{{end}}').stdout).toBe('bridge 172.17.0.1 9a:3c:51:7e:02:11\n');
    expect(c('{{json .NetworkSettings.Ports}}').stdout).toBe('{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"},{"HostIp":"::","HostPort":"8080"}]}\n');
    expect(c('{{json .Config.Labels}}').stdout).toBe('{"maintainer":"NGINX Docker Maintainers <docker-maint@nginx.com>"}\n');
    expect(c('{{.HostConfig.NetworkMode}} {{.HostConfig.ShmSize}} {{.HostConfig.CpuShares}}').stdout).toBe('bridge 67108864 0\n');
    expect(c('{{.Config.Env}}').stdout).toBe('[PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin NGINX_VERSION=1.29.4]\n');
    expect(c('{{.Config.Entrypoint}} {{.Mounts}} {{.ExecIDs}}').stdout).toBe('[/docker-entrypoint.sh] [] []\n');
    expect(n('{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}').stdout).toBe('web 172.17.0.2/16\n');
    expect(n('{{.Name}} {{.Driver}} {{.Scope}} {{.IPAM.Driver}} {{index .Options "com.docker.network.bridge.name"}}').stdout).toBe('bridge bridge local default docker0\n');
    expect(n('{{json .IPAM}}').stdout).toBe('{"Driver":"default","Options":null,"Config":[{"Subnet":"172.17.0.0/16","IPRange":"","Gateway":"172.17.0.1"}]}\n');
  });

  it('typed values print as Go prints them', () => {
    expect(c('{{.State}}').stdout).toBe('{running true false false false false 4242 0  2026-01-05T09:00:01.5Z 0001-01-01T00:00:00Z <nil>}\n');
    expect(c('{{.HostConfig.PortBindings}}').stdout).toBe('map[80/tcp:[{invalid IP 8080}]]\n');
    expect(c('{{.Config.ExposedPorts}} {{.HostConfig.LogConfig}}').stdout).toBe('map[80/tcp:{}] {json-file map[]}\n');
    expect(c('{{.HostConfig.ConsoleSize}} {{.HostConfig.MemorySwappiness}}').stdout).toBe('[0 0] <nil>\n');
    expect(n('{{.Created}}').stdout).toBe('2026-01-05 08:59:00.25 +0000 UTC\n');
    expect(n('{{.IPAM.Config}}').stdout).toBe('[{172.17.0.0/16 invalid Prefix 172.17.0.1 map[]}]\n');
    expect(c('{{.NetworkSettings.Networks}}').stdout).toMatch(/^map\[bridge:0xc[0-9a-f]+\]\n$/);
    const none = container();
    none.NetworkSettings!.Networks = { none: endpoint({ Gateway: '', IPAddress: '', MacAddress: '', IPPrefixLen: 0 }) };
    expect(c('[{{.NetworkSettings.Networks.none.IPAddress}}] [{{.NetworkSettings.Networks.none.MacAddress}}]', none).stdout).toBe('[invalid IP] []\n');
  });

  it('Go field names and JSON names both work (the second through the raw fallback)', () => {
    expect(c('{{.ID}}').stdout).toBe(CID + '\n');
    expect(c('{{.Id}}').stdout).toBe(CID + '\n');
    expect(c('{{.HostConfig.Dns}}').stdout).toBe('[]\n');
    expect(c('{{.HostConfig.DNS}}').stdout).toBe('[]\n');
  });

  it('index with a string on a map keyed by network.Port falls back to the raw map', () => {
    expect(c('{{(index (index .NetworkSettings.Ports "80/tcp") 0).HostPort}}').stdout).toBe('8080\n');
    expect(c('{{index .NetworkSettings.Ports "80/tcp"}}').stdout).toBe('[map[HostIp:0.0.0.0 HostPort:8080] map[HostIp::: HostPort:8080]]\n');
  });

  it('ports range in numeric order (fmtsort of network.Port), JSON keys in text order', () => {
    const doc = container();
    doc.NetworkSettings!.Ports = { '80/tcp': null, '443/tcp': [{ HostIp: '0.0.0.0', HostPort: '8443' }], '53/udp': null };
    expect(c('{{range $p, $b := .NetworkSettings.Ports}}{{$p}} {{end}}', doc).stdout).toBe('53/udp 80/tcp 443/tcp \n');
    expect(c('{{json .NetworkSettings.Ports}}', doc).stdout).toBe('{"443/tcp":[{"HostIp":"0.0.0.0","HostPort":"8443"}],"53/udp":null,"80/tcp":null}\n');
  });

  it('a missing map key prints <no value> in the typed pass', () => {
    expect(c('{{.NetworkSettings.Networks.nope.IPAddress}}').stdout).toBe('<no value>\n');
  });

  it('errors come from the raw pass (missingkey=error) and exit 1', () => {
    expect(c('{{.Foo}}')).toEqual({
      stdout: '\n',
      stderr: 'template parsing error: template: :1:2: executing "" at <.Foo>: map has no entry for key "Foo"\n',
      exitCode: 1,
    });
    expect(c('{{.State.Nope}}').stderr).toBe('template parsing error: template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"\n');
    expect(c('{{(index .NetworkSettings.Networks "none").IPAddress}}').stderr).toBe(
      'template parsing error: template: :1:35: executing "" at <"none">: nil data; no entry for key "IPAddress"\n',
    );
  });

  it('a template that does not parse: exit 64, nothing fetched', () => {
    expect(c('{{.Name}')).toEqual({ stdout: '', stderr: 'template parsing error: template: :1: unexpected "}" in operand\n', exitCode: 64 });
    expect(c('{{range .Foo}}')).toEqual({ stdout: '', stderr: 'template parsing error: template: :1: unexpected EOF\n', exitCode: 64 });
  });

  it('one line per object; an empty result still prints a newline', () => {
    const r = renderInspect('{{.Name}}', [
      { kind: 'container', doc: container() },
      { kind: 'container', doc: container({ Name: '/db' }) },
    ]);
    expect(r.stdout).toBe('/web\n/db\n');
    expect(renderInspect('{{.Name}}', []).stdout).toBe('\n');
  });
});

describe('views', () => {
  it('the typed value carries Go type names', () => {
    const v = inspectViews('container', container());
    expect(v.raw.startsWith('{"Id":"')).toBe(true);
    const direct = inspectViews('container', container(), false);
    expect((direct.typed as { type: string; pointer: boolean }).pointer).toBe(false);
    expect(toTyped(CONTAINER_INSPECT, {})).toBeTruthy();
  });

  it('an empty document still encodes every non-omitempty field', () => {
    const doc = JSON.parse(inspectJSON('network', {} as never));
    expect(doc).toEqual({
      Name: '',
      Id: '',
      Created: '0001-01-01T00:00:00Z',
      Scope: '',
      Driver: '',
      EnableIPv4: false,
      EnableIPv6: false,
      IPAM: { Driver: '', Options: null, Config: null },
      Internal: false,
      Attachable: false,
      Ingress: false,
      ConfigFrom: { Network: '' },
      ConfigOnly: false,
      Options: null,
      Labels: null,
      Containers: null,
    });
  });
});
