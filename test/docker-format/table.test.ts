/**
 * Tabular output: text/tabwriter's algorithm with the CLI's parameters (minwidth 10, tabwidth 1,
 * padding 3, space), and formatter.Context's table/raw/custom formats for docker ps and network ls.
 * The expected tables are the docker CLI's own formatter expectations, written out here.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AlignRight,
  CONTAINER_HEADERS,
  Debug,
  DiscardEmptyColumns,
  TabWriter,
  containerFormat,
  containerRow,
  createdAt,
  displayablePorts,
  ellipsis,
  encodeJSON,
  humanSize,
  naturalLess,
  networkFormat,
  networkRow,
  renderFormat,
  renderNetworkLs,
  renderPs,
  renderTable,
  stringWidth,
  tabwrite,
  truncateID,
  type ContainerSummaryRow,
  type NetworkSummaryRow,
} from '../../src/shell/commands/docker/format/index.ts';

const HOUR = 3600 * 1_000_000;
const NOW = 1_767_690_000 * 1_000_000; // 2026-01-06 09:00:00 UTC
const DAY_AGO = NOW / 1_000_000 - 24 * 3600;

describe('TabWriter', () => {
  it('pads every column but the last to its widest cell plus padding, at least minwidth', () => {
    expect(tabwrite('a\tb\tc\naaaaaaaaaaaa\tbb\tc\n')).toBe('a              b         c\naaaaaaaaaaaa   bb        c\n');
  });

  it('a line without a tab ends the column block', () => {
    expect(tabwrite('aaaaaaaaaaaaaaa\tx\nplain\nb\ty\n')).toBe('aaaaaaaaaaaaaaa   x\nplain\nb         y\n');
  });

  it('cells are terminated by tabs: a trailing tab pads the cell before the line end', () => {
    expect(tabwrite('a\tb\t\nc\td\t\n')).toBe('a         b         \nc         d         \n');
    expect(tabwrite('a\t\tc\n')).toBe('a                   c\n');
  });

  it('columns are blocks of consecutive lines with that many cells', () => {
    // Go's own tabwriter example shape: column 2 only spans the first two lines.
    const w = new TabWriter(0, 8, 1, '.', 0);
    w.write('a\tb\tc\naa\tbb\tcc\naaa\n');
    expect(w.flush()).toBe('a..b..c\naa.bb.cc\naaa\n');
  });

  it('AlignRight, DiscardEmptyColumns, Debug and tab padding', () => {
    let w = new TabWriter(0, 8, 1, ' ', AlignRight);
    w.write('a\tbbb\tc\naaaa\tb\tc\n');
    expect(w.flush()).toBe('    a bbbc\n aaaa   bc\n');
    w = new TabWriter(0, 8, 1, '.', DiscardEmptyColumns);
    w.write('a\t\tb\nc\t\td\n');
    expect(w.flush()).toBe('a..b\nc..d\n');
    w = new TabWriter(0, 8, 1, ' ', Debug);
    w.write('a\tb\nccc\td\n');
    expect(w.flush()).toBe('a   |b\nccc |d\n');
    w = new TabWriter(0, 8, 1, '\t', 0);
    w.write('a\tb\naaaaaaaaa\tc\n');
    expect(w.flush()).toBe('a\t\tb\naaaaaaaaa\tc\n');
  });

  it('measures cells in terminal columns', () => {
    expect(stringWidth('日本')).toBe(4);
    expect(stringWidth('e\u0301')).toBe(1);
    expect(tabwrite('日本\tx\nab\ty\n')).toBe('日本      x\nab        y\n');
  });

  it('renderTable', () => {
    expect(renderTable([['0f1e2d3c4b5a', 'bridge', 'bridge', 'local']], ['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'])).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n0f1e2d3c4b5a   bridge    bridge    local\n',
    );
  });

  it('aligns every column of a block (property)', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'x', '-'), maxLength: 14 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 5 }), fc.array(fc.array(cell, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 }), (ncols, rows) => {
        const lines = rows.map((r) => r.slice(0, ncols));
        const out = tabwrite(lines.map((l) => l.join('\t')).join('\n') + '\n');
        const outLines = out.split('\n').slice(0, -1);
        expect(outLines).toHaveLength(lines.length);
        for (let c = 0; c < ncols - 1; c++) {
          const width = Math.max(10, ...lines.map((l) => l[c].length + 3));
          let offset = 0;
          for (let k = 0; k < c; k++) offset += Math.max(10, ...lines.map((l) => l[k].length + 3));
          lines.forEach((l, i) => {
            expect(outLines[i].slice(offset, offset + width)).toBe(l[c].padEnd(width));
          });
        }
        lines.forEach((l, i) => expect(outLines[i].endsWith(l[ncols - 1])).toBe(true));
      }),
    );
  });
});

function summary(id: string, name: string, over: Partial<ContainerSummaryRow> = {}): ContainerSummaryRow {
  return { Id: id, Names: ['/' + name], Image: 'ubuntu', ImageID: '', Command: '', Created: DAY_AGO, Ports: [], Labels: null, State: 'running', Status: '', ...over };
}

/** The two containers of the CLI's TestContainerContextWrite. */
const TWO = [summary('containerID1', 'foobar_baz'), summary('containerID2', 'foobar_bar')];

function write(format: string, rows = TWO): string {
  const r = renderFormat(
    format,
    rows.map((c) => containerRow(c, { trunc: false, nowUs: NOW })),
    CONTAINER_HEADERS,
  );
  if (!r.ok) return r.error!;
  return r.out;
}

describe('docker ps formats (formatter.ContainerWrite)', () => {
  it('default table, with and without size', () => {
    expect(write(containerFormat('table', false, true))).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES        SIZE\n' +
        'containerID1   ubuntu    ""        24 hours ago                       foobar_baz   0B\n' +
        'containerID2   ubuntu    ""        24 hours ago                       foobar_bar   0B\n',
    );
    expect(write(containerFormat('table', false, false))).toBe(
      'CONTAINER ID   IMAGE     COMMAND   CREATED        STATUS    PORTS     NAMES\n' +
        'containerID1   ubuntu    ""        24 hours ago                       foobar_baz\n' +
        'containerID2   ubuntu    ""        24 hours ago                       foobar_bar\n',
    );
  });

  it('table with one column, quiet, and custom formats', () => {
    expect(write(containerFormat('table {{.Image}}', false, false))).toBe('IMAGE\nubuntu\nubuntu\n');
    expect(write(containerFormat('table {{.Image}}', true, false))).toBe('containerID1\ncontainerID2\n');
    expect(write(containerFormat('table', true, false))).toBe('containerID1\ncontainerID2\n');
    expect(write(containerFormat('table {{.State}}', false, true))).toBe('STATE\nrunning\nrunning\n');
    expect(write('{{.Image}}')).toBe('ubuntu\nubuntu\n');
    expect(write(containerFormat('table {{split .Image ":"}}', false, false))).toBe('IMAGE\n[ubuntu]\n[ubuntu]\n');
  });

  it('raw format (trim markers and pad of empty values)', () => {
    const ts = createdAt(DAY_AGO);
    const one = (id: string, name: string): string =>
      `container_id: ${id}\nimage: ubuntu\ncommand: ""\ncreated_at: ${ts}\nstate: running\nstatus:\nnames: ${name}\nlabels:\nports:\n\n`;
    expect(write(containerFormat('raw', false, false))).toBe(one('containerID1', 'foobar_baz') + one('containerID2', 'foobar_bar'));
    expect(write(containerFormat('raw', true, false))).toBe('container_id: containerID1\ncontainer_id: containerID2\n');
    expect(ts).toBe('2026-01-05 09:00:00 +0000 UTC');
  });

  it('header functions keep the column names; pad pads the header too', () => {
    const f = containerFormat('table {{truncate .ID 5}}\\t{{json .Image}} {{.RunningFor}}/{{title .Status}}/{{pad .Ports 2 2}}.{{upper .Names}} {{lower .Status}}', false, true);
    expect(write(f)).toBe(
      'CONTAINER ID   IMAGE CREATED/STATUS/  PORTS  .NAMES STATUS\n' + 'conta          "ubuntu" 24 hours ago//.FOOBAR_BAZ \n' + 'conta          "ubuntu" 24 hours ago//.FOOBAR_BAR \n',
    );
  });

  it('no containers: the table still has its header', () => {
    expect(write(containerFormat('table', false, false), [])).toBe('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
    expect(write('table {{.Image}}\t{{.Size}}', [])).toBe('IMAGE     SIZE\n');
    expect(write('{{.Image}}', [])).toBe('');
  });

  it('errors', () => {
    expect(write('{{InvalidFunction}}')).toBe('template parsing error: template: :1: function "InvalidFunction" not defined');
    expect(write('{{nil}}')).toBe('template parsing error: template: :1:2: executing "" at <nil>: nil is not a command');
  });

  it('--format json prints each context with its methods, keys sorted, HTML escaped', () => {
    const c = summary('containerID1', 'foobar_baz', { Command: 'sh -c "a<b"', Labels: { b: '2', a: '1' } });
    const out = write('json', [c]);
    expect(out).toBe(
      '{"Command":"\\"sh -c \\\\\\"a\\u003cb\\\\\\"\\"","CreatedAt":"2026-01-05 09:00:00 +0000 UTC","ID":"containerID1","Image":"ubuntu","Labels":"a=1,b=2","LocalVolumes":"0","Mounts":"","Names":"foobar_baz","Networks":"","Platform":null,"Ports":"","RunningFor":"24 hours ago","Size":"0B","State":"running","Status":""}\n',
    );
    expect(JSON.parse(out).Command).toBe('"sh -c \\"a<b\\""');
  });

  it('a realistic docker ps', () => {
    const nginx = summary('a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', 'web', {
      Image: 'nginx',
      ImageID: 'sha256:' + 'd4'.repeat(32),
      Command: "/docker-entrypoint.sh nginx -g 'daemon off;'",
      Created: NOW / 1_000_000 - 3,
      Ports: [
        { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
        { IP: '::', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      ],
      Status: 'Up 2 seconds',
    });
    const r = renderPs([nginx], { format: '', nowUs: NOW });
    expect(r.out).toBe(
      'CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS                                     NAMES\n' +
        'a1b2c3d4e5f6   nginx     "/docker-entrypoint.…"   3 seconds ago   Up 2 seconds   0.0.0.0:8080->80/tcp, [::]:8080->80/tcp   web\n',
    );
    expect(renderPs([nginx], { format: '', quiet: true, nowUs: NOW }).out).toBe('a1b2c3d4e5f6\n');
    const q = renderPs([nginx], { format: '{{.Names}}', quiet: true, nowUs: NOW });
    expect(q.out).toBe('a1b2c3d4e5f6\n');
    expect(q.warning).toBe('WARNING: Ignoring custom format, because both --format and --quiet are set.');
    expect(renderPs([nginx], { format: '{{.Names}}\\t{{.Label "x"}}|', nowUs: NOW }).out).toBe('web\t|\n');
    expect(renderPs([nginx], { format: '', noTrunc: true, nowUs: NOW }).out).toContain('"/docker-entrypoint.sh nginx -g \'daemon off;\'"');
  });

  it('docker ps checks --format against an empty context first', () => {
    expect(renderPs([], { format: '{{.Name}', nowUs: NOW }).error).toBe('failed to parse template: template: :1: unexpected "}" in operand');
    expect(renderPs([], { format: 'table {{.ID}}\\t{{.Foo}}', nowUs: NOW }).error).toBe(
      'failed to execute template: template: :1:17: executing "" at <.Foo>: can\'t evaluate field Foo in type *formatter.ContainerContext',
    );
  });
});

describe('docker network ls (network formatWrite)', () => {
  const nets: NetworkSummaryRow[] = [
    { Id: 'networkID1', Name: 'foobar_baz', Driver: 'foo', Scope: 'local', EnableIPv4: true, EnableIPv6: false, Internal: false, Labels: null, Created: '2016-01-01T00:00:00Z' },
    { Id: 'networkID2', Name: 'foobar_bar', Driver: 'bar', Scope: 'local', EnableIPv4: true, EnableIPv6: false, Internal: false, Labels: null, Created: '2017-01-01T00:00:00Z' },
  ];
  const w = (format: string): string => {
    const r = renderFormat(
      format,
      nets.map((n) => networkRow(n, { trunc: false })),
      { ID: 'NETWORK ID', Name: 'NAME', Driver: 'DRIVER', Scope: 'SCOPE' },
    );
    return r.ok ? r.out : r.error!;
  };

  it("matches the CLI's formatter expectations", () => {
    expect(w(networkFormat('table', false))).toBe('NETWORK ID   NAME         DRIVER    SCOPE\nnetworkID1   foobar_baz   foo       local\nnetworkID2   foobar_bar   bar       local\n');
    expect(w(networkFormat('table', true))).toBe('networkID1\nnetworkID2\n');
    expect(w(networkFormat('table {{.Name}}', true))).toBe('NAME\nfoobar_baz\nfoobar_bar\n');
    expect(w(networkFormat('raw', false))).toBe('network_id: networkID1\nname: foobar_baz\ndriver: foo\nscope: local\n\nnetwork_id: networkID2\nname: foobar_bar\ndriver: bar\nscope: local\n\n');
    expect(w(networkFormat('{{.Name}} {{.CreatedAt}}', false))).toBe('foobar_baz 2016-01-01 00:00:00 +0000 UTC\nfoobar_bar 2017-01-01 00:00:00 +0000 UTC\n');
    expect(w('{{nil}}')).toBe('template parsing error: template: :1:2: executing "" at <nil>: nil is not a command');
  });

  it('sorts by name in natural order and truncates IDs', () => {
    const list: NetworkSummaryRow[] = ['net10', 'bridge', 'net2', 'host', 'none'].map((name, i) => ({
      Id: String(i).repeat(64),
      Name: name,
      Driver: name === 'host' || name === 'none' ? name : 'bridge',
      Scope: 'local',
      EnableIPv4: true,
      EnableIPv6: false,
      Internal: false,
      Labels: {},
      Created: '2026-01-05T09:00:00Z',
    }));
    expect(renderNetworkLs(list, { format: '' }).out).toBe(
      'NETWORK ID     NAME      DRIVER    SCOPE\n' +
        '111111111111   bridge    bridge    local\n' +
        '333333333333   host      host      local\n' +
        '222222222222   net2      bridge    local\n' +
        '000000000000   net10     bridge    local\n' +
        '444444444444   none      none      local\n',
    );
    expect(renderNetworkLs(list, { format: '', quiet: true }).out.split('\n')[0]).toBe('111111111111');
    expect(renderNetworkLs(list, { format: '{{.Name}}: {{.IPv4}}/{{.IPv6}} {{.Internal}}' }).out.split('\n')[0]).toBe('bridge: true/false false');
    expect(renderNetworkLs(list, { format: 'table {{.Name}}\\t{{.Label "x"}}\\t{{.Labels}}' }).out.split('\n')[0]).toBe('NAME      x         LABELS');
  });
});

describe('helpers', () => {
  it('truncateID, ellipsis, humanSize, naturalLess', () => {
    expect(truncateID('sha256:0123456789abcdef')).toBe('0123456789ab');
    expect(truncateID('abc')).toBe('abc');
    expect(ellipsis('/docker-entrypoint.sh nginx', 20)).toBe('/docker-entrypoint.…');
    expect(ellipsis('short', 20)).toBe('short');
    expect(ellipsis('日本語日本語', 5)).toBe('日本…');
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(1500)).toBe('1.5kB');
    expect(humanSize(21_500_000)).toBe('21.5MB');
    expect(humanSize(109_200_000)).toBe('109MB');
    expect(naturalLess('net2', 'net10')).toBe(true);
    expect(naturalLess('net10', 'net2')).toBe(false);
    expect(naturalLess('a', 'ab')).toBe(true);
  });

  it('displayablePorts groups ranges and lists host mappings last', () => {
    expect(displayablePorts([])).toBe('');
    expect(displayablePorts([{ PrivatePort: 80, Type: 'tcp' }])).toBe('80/tcp');
    expect(
      displayablePorts([
        { PrivatePort: 3301, Type: 'tcp' },
        { PrivatePort: 3300, Type: 'tcp' },
        { PrivatePort: 3302, Type: 'tcp' },
        { PrivatePort: 53, Type: 'udp' },
      ]),
    ).toBe('53/udp, 3300-3302/tcp');
    expect(
      displayablePorts([
        { IP: '0.0.0.0', PrivatePort: 9090, PublicPort: 9090, Type: 'tcp' },
        { IP: '0.0.0.0', PrivatePort: 9091, PublicPort: 9091, Type: 'tcp' },
        { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
      ]),
    ).toBe('0.0.0.0:9090-9091->9090-9091/tcp, 127.0.0.1:8080->80/tcp');
  });

  it('row contexts marshal to JSON the way the CLI does', () => {
    const n = networkRow(
      { Id: 'x', Name: 'n', Driver: 'bridge', Scope: 'local', EnableIPv4: true, EnableIPv6: true, Internal: false, Labels: { k: 'v' }, Created: '2026-01-05T09:00:00.5Z' },
      { trunc: true },
    );
    expect(encodeJSON(n, { escapeHTML: false })).toBe(
      '{"CreatedAt":"2026-01-05 09:00:00.5 +0000 UTC","Driver":"bridge","ID":"x","IPv4":"true","IPv6":"true","Internal":"false","Labels":"k=v","Name":"n","Scope":"local"}',
    );
  });
});

void HOUR;
