/**
 * `ip` (iproute2 6.1): link, address, route, neighbour, netns and rule objects.
 * Errors and exit codes follow iproute2: parse errors exit 255, kernel (netlink) errors print
 * "RTNETLINK answers: ..." or the kernel's "Error: ..." message and exit 2, a missing device
 * exits 1.
 */
import type { Command, CommandContext, Place } from '../../context.ts';
import { formatIpv4, parseCidr, parseIpv4, parseMac, broadcastOf, inPrefix, type Ipv4 } from '../../../sim/wire/addr.ts';
import type { Link, Netns } from '../../../sim/net/model.ts';
import {
  addAddr,
  addLink,
  addNamedNetns,
  addRoute,
  delAddr,
  delNamedNetns,
  delNeigh,
  deleteLink,
  flushAddrs,
  flushNeigh,
  moveLink,
  neighShownState,
  rename,
  checkMac,
  checkMaster,
  checkMove,
  checkMtu,
  checkRename,
  setDown,
  setMac,
  setMaster,
  setMtu,
  setNeigh,
  setNoMaster,
  setUp,
  tableRoutes,
  delRoute,
  validIfName,
  type LinkSpec,
  type RouteSpec,
} from '../../../sim/net/netlink.ts';
import { RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, strerror, type NetError, type RouteType } from '../../../sim/net/types.ts';
import { formatRoute, routeOutput } from '../../../sim/net/route.ts';
import { formatAddr, formatLink, linkDisplayName, type ShowOptions } from './format.ts';

const OBJECTS = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'l2tp', 'fou', 'ila', 'macsec', 'tunnel', 'tuntap', 'token', 'tcpmetrics', 'monitor', 'xfrm', 'mroute', 'mrule', 'netns', 'netconf', 'vrf', 'sr', 'nexthop', 'mptcp', 'ioam', 'stats', 'help'];

/** iproute2's matches(): the word is a prefix of the keyword. */
function matches(word: string, keyword: string): boolean {
  return word.length > 0 && keyword.startsWith(word);
}

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp | link |
                   macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

const LINK_USAGE = `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NETNSNAME | NETNSFILE } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
		[ arp { on | off } ]
		[ promisc { on | off } ]
		[ name NEWNAME ]
		[ address LLADDR ]
		[ mtu MTU ]
		[ netns { PID | NETNSNAME | NETNSFILE } ]
		[ alias NAME ]
		[ master DEVICE ][ nomaster ]

	ip link show [ DEVICE | group GROUP ] [up] [master DEV] [vrf NAME] [type TYPE]

TYPE := { amt | bareudp | bond | bond_slave | bridge | bridge_slave |
          dsa | dummy | erspan | geneve | gre | gretap | gtp | ifb |
          ip6erspan | ip6gre | ip6gretap | ip6tnl |
          ipip | ipoib | ipvlan | ipvtap |
          macsec | macvlan | macvtap |
          netdevsim | nlmon | rmnet | sit | team | team_slave |
          vcan | veth | vlan | vrf | vti | vxcan | vxlan | wwan |
          xfrm }
`;

interface Opts extends ShowOptions {
  numeric: boolean;
}

class Words {
  private i = 0;
  readonly w: readonly string[];
  constructor(w: readonly string[]) {
    this.w = w;
  }
  get done(): boolean {
    return this.i >= this.w.length;
  }
  peek(): string | undefined {
    return this.w[this.i];
  }
  next(): string | undefined {
    return this.w[this.i++];
  }
  rest(): string[] {
    return this.w.slice(this.i) as string[];
  }
}

/** A failure already printed; carries the exit status. */
class Exit {
  readonly status: number;
  constructor(status: number) {
    this.status = status;
  }
}

function die(ctx: CommandContext, msg: string, status: number): never {
  ctx.err(msg.endsWith('\n') ? msg : `${msg}\n`);
  throw new Exit(status);
}

function nlFail(ctx: CommandContext, e: NetError): never {
  if (e.extack) die(ctx, `Error: ${e.extack}`, 2);
  die(ctx, `RTNETLINK answers: ${strerror(e.errno)}`, 2);
}

function needArg(ctx: CommandContext, w: Words, what: string): string {
  const v = w.next();
  if (v === undefined) die(ctx, `Command line is not complete. Try option "help"`, 255);
  void what;
  return v;
}

/** The links `ip link show` / `ip addr show` list: all, or one `dev`, narrowed to a `master`. */
function selectLinks(ctx: CommandContext, ns: Netns, dev: string | null, master: string | null): Link[] {
  let links = ns.allLinks();
  if (dev !== null) {
    const l = ns.linkByName(dev);
    if (!l) die(ctx, `Device "${dev}" does not exist.`, 1);
    links = [l];
  }
  if (master !== null) {
    const m = ns.linkByName(master);
    if (!m) die(ctx, `Device "${master}" does not exist.`, 1);
    links = links.filter((l) => l.master === m);
  }
  return links;
}

function findDev(ctx: CommandContext, ns: Netns, name: string): Link {
  const l = ns.linkByName(name);
  if (!l) die(ctx, `Cannot find device "${name}"`, 1);
  return l;
}

/** iproute2's invarg(): its messages end with a newline of their own, hence the blank line. */
function invalidArg(ctx: CommandContext, arg: string, what: string): never {
  die(ctx, `Error: argument "${arg}" is wrong: ${what.replace(/\n$/, '')}\n\n`, 255);
}

function resolveNetns(ctx: CommandContext, name: string): Netns | null {
  const ns = ctx.host.named.get(name);
  if (ns) return ns;
  if (/^\d+$/.test(name)) {
    // a PID: the shell's own processes live in the host's initial namespace
    return ctx.host.root;
  }
  return null;
}

export const ipCommand: Command = {
  name: 'ip',
  path: '/usr/sbin/ip',
  summary: 'show and change links, addresses, routes, neighbours and network namespaces',
  async run(ctx) {
    try {
      return await ipMain(ctx, ctx.argv.slice(1));
    } catch (e) {
      if (e instanceof Exit) return e.status;
      throw e;
    }
  },
  complete(args, partial, place) {
    return completeIp(args, partial, place);
  },
};

async function ipMain(ctx: CommandContext, argv: readonly string[]): Promise<number> {
  const o: Opts = { details: false, stats: 0, oneline: false, brief: false, family: 'all', numeric: false };
  let i = 0;
  let nsName: string | null = null;
  for (; i < argv.length && argv[i].startsWith('-') && argv[i] !== '-'; i++) {
    let a = argv[i];
    if (a.startsWith('--')) a = a.slice(1);
    const opt = a.slice(1);
    if (opt === '4') o.family = 'inet';
    else if (opt === '6') o.family = 'inet6';
    else if (opt === '0' || opt === 'B' || opt === 'M') o.family = 'all';
    else if (matches(opt, 'brief') && opt.length >= 2) o.brief = true;
    else if (matches(opt, 'details')) o.details = true;
    else if (matches(opt, 'statistics') || matches(opt, 'stats')) o.stats++;
    else if (matches(opt, 'oneline')) o.oneline = true;
    else if (matches(opt, 'netns') || opt === 'n') {
      const v = argv[++i];
      if (v === undefined) die(ctx, 'Option "-netns" requires an argument', 255);
      nsName = v;
    } else if (matches(opt, 'color') || matches(opt, 'human-readable') || matches(opt, 'resolve') || matches(opt, 'pretty') || opt === 'iec' || matches(opt, 'all') || matches(opt, 'Numeric')) {
      if (opt.startsWith('N')) o.numeric = true;
      if (opt.startsWith('c') && argv[i].includes('=')) continue;
    } else if (matches(opt, 'family') || opt === 'f') {
      const v = argv[++i];
      if (v === 'inet') o.family = 'inet';
      else if (v === 'inet6') o.family = 'inet6';
      else if (v === 'link' || v === 'bridge' || v === 'mpls') o.family = 'all';
      else invalidArg(ctx, v ?? '', 'invalid protocol family');
    } else if (matches(opt, 'Version') || opt === 'V') {
      ctx.out('ip utility, iproute2-6.1.0, libbpf 1.1.0\n');
      return 0;
    } else if (matches(opt, 'help')) {
      ctx.err(USAGE);
      return 255;
    } else if (opt === 'j' || matches(opt, 'json')) {
      die(ctx, 'ip: JSON output is not available in this simulator; use the plain text form', 255);
    } else {
      die(ctx, `Option "${argv[i]}" is unknown, try "ip -help".`, 255);
    }
  }
  if (nsName !== null) {
    const ns = resolveNetns(ctx, nsName);
    if (!ns) die(ctx, `Cannot open network namespace "${nsName}": No such file or directory`, 255);
    return ctx.exec(['ip', ...flagsBack(o), ...argv.slice(i)], { host: ctx.host, ns });
  }
  const rest = argv.slice(i);
  if (!rest.length) {
    ctx.err(USAGE);
    return 255;
  }
  const objWord = rest[0];
  const obj = OBJECTS.find((k) => matches(objWord, k));
  if (!obj) die(ctx, `Object "${objWord}" is unknown, try "ip help".`, 1);
  const w = new Words(rest.slice(1));
  const place: Place = { host: ctx.host, ns: ctx.ns };
  // a container without CAP_NET_ADMIN (Docker's default) may look but not change: the kernel
  // refuses every netlink request that would
  if (ctx.container && !ctx.container.netAdmin && changes(obj, rest[1])) {
    if (rest[1] !== undefined && matches(rest[1], 'flush')) die(ctx, 'Failed to send flush request: Operation not permitted', 1);
    die(ctx, 'RTNETLINK answers: Operation not permitted', 2);
  }
  switch (obj) {
    case 'link':
      return doLink(ctx, place, w, o);
    case 'address':
      return doAddr(ctx, place, w, o);
    case 'route':
      return doRoute(ctx, place, w, o);
    case 'neighbor':
    case 'neighbour':
      return doNeigh(ctx, place, w);
    case 'netns':
      return doNetns(ctx, place, w);
    case 'rule':
      return doRule(ctx, w);
    case 'help':
      ctx.err(USAGE);
      return 255;
    default:
      die(ctx, `ip ${obj}: this object is not modelled by the simulator (see docs/support-matrix.md)`, 255);
  }
}

/** Whether `ip OBJECT VERB` asks the kernel for a change (rather than a listing). */
function changes(obj: string, verb: string | undefined): boolean {
  if (verb === undefined || !['link', 'address', 'route', 'neighbor', 'neighbour', 'rule'].includes(obj)) return false;
  if (['show', 'list', 'lst', 'get', 'help'].some((k) => matches(verb, k))) return false;
  return ['add', 'delete', 'set', 'change', 'replace', 'append', 'prepend', 'flush'].some((k) => matches(verb, k)) || verb === 'del';
}

function flagsBack(o: Opts): string[] {
  const f: string[] = [];
  if (o.family === 'inet') f.push('-4');
  if (o.family === 'inet6') f.push('-6');
  if (o.brief) f.push('-br');
  if (o.details) f.push('-d');
  for (let i = 0; i < o.stats; i++) f.push('-s');
  if (o.oneline) f.push('-o');
  return f;
}

// ---- ip link -------------------------------------------------------------------------------------------

function doLink(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const sub = w.next();
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || matches(sub, 'lst')) return linkShow(ctx, place, w, o);
  if (matches(sub, 'add')) return linkAdd(ctx, place, w);
  if (matches(sub, 'delete')) return linkDel(ctx, place, w);
  if (matches(sub, 'set') || matches(sub, 'change')) return linkSet(ctx, place, w);
  if (matches(sub, 'help')) {
    ctx.err(LINK_USAGE);
    return 255;
  }
  die(ctx, `Command "${sub}" is unknown, try "ip link help".`, 255);
}

function linkShow(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const ns = place.ns;
  let dev: string | null = null;
  let type: string | null = null;
  let master: string | null = null;
  let upOnly = false;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'type') type = needArg(ctx, w, 'type');
    else if (a === 'master') master = needArg(ctx, w, 'master');
    else if (a === 'up') upOnly = true;
    else if (a === 'group' || a === 'vrf') needArg(ctx, w, a);
    else if (dev === null) dev = a;
    else die(ctx, `Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
  }
  let links = selectLinks(ctx, ns, dev, master);
  if (type !== null) {
    const slave = type.endsWith('_slave');
    const kind = slave ? type.slice(0, -6) : type;
    links = links.filter((l) => (slave ? kind === 'bridge' && !!l.master : linkKindName(l) === kind));
  }
  if (upOnly) links = links.filter((l) => l.adminUp);
  for (const l of links) ctx.out(`${formatLink(l, o, ctx.world.now)}\n`);
  return 0;
}

function linkKindName(l: Link): string {
  return l.kind === 'ether' || l.kind === 'loopback' ? '' : l.kind;
}

function parseMtu(ctx: CommandContext, v: string): number {
  if (!/^\d+$/.test(v)) invalidArg(ctx, v, 'Invalid "mtu" value');
  return Number(v);
}

function linkAdd(ctx: CommandContext, place: Place, w: Words): number {
  let ns = place.ns;
  let name: string | null = null;
  let type: string | null = null;
  let mtu: number | undefined;
  let mac: string | undefined;
  let parent: Link | undefined;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'type') {
      type = needArg(ctx, w, 'type');
      break;
    } else if (a === 'name') name = needArg(ctx, w, 'name');
    else if (a === 'link') {
      const v = needArg(ctx, w, 'link');
      parent = findDev(ctx, place.ns, v);
    } else if (a === 'mtu') mtu = parseMtu(ctx, needArg(ctx, w, 'mtu'));
    else if (a === 'address') {
      const v = needArg(ctx, w, 'address');
      const m = parseMac(v);
      if (!m) die(ctx, `"${v}" is invalid lladdr.`, 255);
      mac = m;
    } else if (a === 'netns') {
      const v = needArg(ctx, w, 'netns');
      const target = resolveNetns(ctx, v);
      if (!target) invalidArg(ctx, v, 'Invalid "netns" value\n');
      ns = target;
    } else if (a === 'txqueuelen' || a === 'qlen' || a === 'numtxqueues' || a === 'numrxqueues' || a === 'index') needArg(ctx, w, a);
    else if (a === 'dev') name = needArg(ctx, w, 'dev');
    else if (name === null) name = a;
    else die(ctx, `Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (type === null) die(ctx, 'Not enough information: "type" argument is required', 255);
  if (name === null) die(ctx, 'Not enough information: "dev" argument is required.', 255);
  if (!validIfName(name)) invalidArg(ctx, name, '"name" not a valid ifname');
  const kinds: Record<string, LinkSpec['kind']> = { veth: 'veth', bridge: 'bridge', vxlan: 'vxlan', macvlan: 'macvlan', ipvlan: 'ipvlan', dummy: 'dummy' };
  const kind = kinds[type];
  const known = ['bond', 'vlan', 'gre', 'gretap', 'ipip', 'sit', 'geneve', 'vrf', 'macvtap', 'ipvtap', 'team', 'ifb', 'nlmon', 'vcan', 'wireguard', 'tun', 'tap', 'can', 'erspan', 'ip6gre', 'bareudp', 'xfrm'];
  if (!kind) {
    if (known.includes(type)) die(ctx, `ip link: type "${type}" is not modelled by the simulator (see docs/support-matrix.md)`, 2);
    die(ctx, 'Error: Unknown device type.', 2);
  }
  const spec: LinkSpec = { name, kind, mtu, mac, parent };
  if (kind === 'veth') {
    while (!w.done) {
      const a = w.next()!;
      if (a === 'peer') {
        while (!w.done) {
          const b = w.next()!;
          if (b === 'name') spec.peerName = needArg(ctx, w, 'name');
          else if (b === 'netns') {
            const v = needArg(ctx, w, 'netns');
            const t = resolveNetns(ctx, v);
            if (!t) invalidArg(ctx, v, 'Invalid "netns" value\n');
            spec.peerNs = t;
          } else if (b === 'address') {
            const v = needArg(ctx, w, 'address');
            const m = parseMac(v);
            if (!m) die(ctx, `"${v}" is invalid lladdr.`, 255);
            spec.peerMac = m;
          } else if (b === 'mtu') needArg(ctx, w, 'mtu');
          else if (spec.peerName === undefined) spec.peerName = b;
          else die(ctx, `Error: either "dev" is duplicate, or "${b}" is a garbage.`, 255);
        }
      } else die(ctx, `Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
    }
    if (spec.peerName !== undefined && !validIfName(spec.peerName)) invalidArg(ctx, spec.peerName, '"name" not a valid ifname');
  } else if (kind === 'vxlan') {
    let vni: number | null = null;
    let remote: Ipv4 | null = null;
    let local: Ipv4 | null = null;
    let group: Ipv4 | null = null;
    let dstport: number | null = null;
    let learning = true;
    const flags = { proxy: false, l2miss: false, l3miss: false };
    let ttl = 0;
    while (!w.done) {
      const a = w.next()!;
      if (a === 'id' || a === 'vni') {
        const v = needArg(ctx, w, a);
        if (!/^\d+$/.test(v) || Number(v) >= 1 << 24) invalidArg(ctx, v, 'invalid id');
        vni = Number(v);
      } else if (a === 'remote' || a === 'local' || a === 'group') {
        const v = needArg(ctx, w, a);
        const ip = parseIpv4(v);
        if (ip === null) invalidArg(ctx, v, `invalid address`);
        if (a === 'remote') remote = ip;
        else if (a === 'local') local = ip;
        else group = ip;
      } else if (a === 'dev') {
        const v = needArg(ctx, w, 'dev');
        spec.parent = place.ns.linkByName(v) ?? die(ctx, `Cannot find device "${v}"`, 255);
      } else if (a === 'dstport') {
        const v = needArg(ctx, w, 'dstport');
        if (!/^\d+$/.test(v) || Number(v) > 65535) invalidArg(ctx, v, 'invalid dstport');
        dstport = Number(v);
      } else if (a === 'learning') learning = true;
      else if (a === 'nolearning') learning = false;
      else if (a === 'ttl' || a === 'hoplimit') {
        const v = needArg(ctx, w, a);
        ttl = v === 'auto' || v === 'inherit' ? 0 : Number(v);
      } else if (a === 'port' || a === 'srcport') {
        needArg(ctx, w, a);
        needArg(ctx, w, a);
      } else if (a === 'proxy' || a === 'l2miss' || a === 'l3miss') flags[a] = true;
      else if (a === 'noproxy' || a === 'nol2miss' || a === 'nol3miss') flags[a.slice(2) as 'proxy' | 'l2miss' | 'l3miss'] = false;
      else if (['udpcsum', 'noudpcsum', 'external', 'noexternal'].includes(a)) {
        // accepted, no effect on this model
      } else if (a === 'tos' || a === 'df' || a === 'flowlabel' || a === 'ageing' || a === 'maxaddress') needArg(ctx, w, a);
      else die(ctx, `vxlan: unknown command "${a}"?`, 255);
    }
    if (vni === null) die(ctx, 'vxlan: missing virtual network identifier', 1);
    if (remote !== null && group !== null) die(ctx, 'vxlan: both group and remote cannot be specified', 255);
    if (dstport === null) {
      ctx.err("vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n");
      dstport = 8472;
    } else if (dstport === 0) dstport = 8472;
    spec.vxlan = { vni, remote, local, group, dstport, learning, ttl, ...flags };
  } else if (kind === 'macvlan' || kind === 'ipvlan') {
    while (!w.done) {
      const a = w.next()!;
      if (a === 'mode') {
        const v = needArg(ctx, w, 'mode');
        const ok = kind === 'macvlan' ? ['private', 'vepa', 'bridge', 'passthru', 'source'] : ['l2', 'l3', 'l3s'];
        if (!ok.includes(v)) {
          // the link type's option parser fails, and ip exits 1
          die(ctx, kind === 'macvlan' ? `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${v}"` : `Error: argument of "mode" must be either "l2", "l3" or "l3s"`, 1);
        }
        spec.mode = v;
      } else if (a === 'bridge' || a === 'private' || a === 'vepa') {
        if (kind === 'ipvlan') spec.mode = spec.mode ?? 'l2';
      } else die(ctx, `${kind}: unknown option "${a}"?`, 255);
    }
    if (!spec.parent) die(ctx, 'Error: link is required.', 2);
  } else if (kind === 'bridge') {
    while (!w.done) {
      const a = w.next()!;
      const v = needArg(ctx, w, a);
      if (!['stp_state', 'vlan_filtering', 'ageing_time', 'forward_delay', 'hello_time', 'max_age', 'priority', 'mcast_snooping', 'group_fwd_mask', 'nf_call_iptables'].includes(a)) die(ctx, `bridge: unknown command "${a}"?`, 255);
      void v;
    }
  } else if (!w.done) die(ctx, `Error: either "dev" is duplicate, or "${w.peek()}" is a garbage.`, 255);
  const r = addLink(ns, spec);
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

function linkDel(ctx: CommandContext, place: Place, w: Words): number {
  let name: string | null = null;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') name = needArg(ctx, w, 'dev');
    else if (a === 'type') needArg(ctx, w, 'type');
    else if (name === null) name = a;
  }
  if (name === null) die(ctx, 'Not enough information: "dev" argument is required.', 255);
  const l = place.ns.linkByName(name);
  if (!l) die(ctx, `Cannot find device "${name}"`, 1);
  const r = deleteLink(l);
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

/**
 * `ip link set`: every change is checked before any is made, so a failed command changes
 * nothing; then they apply in the kernel's do_setlink order (namespace, name, address, MTU,
 * master, then up/down).
 */
function linkSet(ctx: CommandContext, place: Place, w: Words): number {
  const ns = place.ns;
  let name: string | null = null;
  type Step = { order: number; check: (l: Link) => void; apply: (l: Link) => void };
  const steps: Step[] = [];
  const step = (order: number, apply: (l: Link) => void, check: (l: Link) => void = () => undefined) => steps.push({ order, check, apply });
  const nl = (r: { ok: true } | { ok: false; error: NetError }) => {
    if (!r.ok) nlFail(ctx, r.error);
  };
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') name = needArg(ctx, w, 'dev');
    else if (a === 'up') step(6, (l) => setUp(l));
    else if (a === 'down') step(6, (l) => setDown(l));
    else if (a === 'mtu') {
      const m = parseMtu(ctx, needArg(ctx, w, 'mtu'));
      step(3, (l) => nl(setMtu(l, m)), (l) => nl(checkMtu(l, m)));
    } else if (a === 'master') {
      const v = needArg(ctx, w, 'master');
      const br = ns.linkByName(v);
      if (!br) invalidArg(ctx, v, 'Device does not exist');
      step(5, (l) => nl(setMaster(l, br)), (l) => nl(checkMaster(l, br)));
    } else if (a === 'nomaster') step(5, (l) => setNoMaster(l));
    else if (a === 'netns') {
      const v = needArg(ctx, w, 'netns');
      const target = resolveNetns(ctx, v);
      if (!target) invalidArg(ctx, v, 'Invalid "netns" value\n');
      step(0, (l) => nl(moveLink(l, target)), (l) => nl(checkMove(l, target)));
    } else if (a === 'address') {
      const v = needArg(ctx, w, 'address');
      const m = parseMac(v);
      if (!m) die(ctx, `"${v}" is invalid lladdr.`, 255);
      step(2, (l) => nl(setMac(l, m)), (l) => nl(checkMac(l, m)));
    } else if (a === 'name') {
      const v = needArg(ctx, w, 'name');
      if (!validIfName(v)) invalidArg(ctx, v, '"name" not a valid ifname');
      step(1, (l) => nl(rename(l, v)), (l) => nl(checkRename(l, v)));
    } else if (a === 'promisc') {
      const v = needArg(ctx, w, 'promisc');
      if (v !== 'on' && v !== 'off') die(ctx, `Error: argument of "promisc" must be "on" or "off", not "${v}"`, 255);
      step(4, (l) => {
        l.promisc = v === 'on' ? 1 : 0;
      });
    } else if (a === 'alias') {
      const v = needArg(ctx, w, 'alias');
      step(4, (l) => {
        l.alias = v;
      });
    } else if (a === 'arp' || a === 'multicast' || a === 'allmulticast' || a === 'txqueuelen' || a === 'qlen' || a === 'group') needArg(ctx, w, a);
    else if (a === 'type') {
      const t = needArg(ctx, w, 'type');
      if (t === 'bridge_slave') {
        while (!w.done) {
          const opt = w.next()!;
          const val = needArg(ctx, w, opt);
          if (opt === 'hairpin') {
            step(4, (l) => {
              l.hairpin = val === 'on';
            });
          }
        }
      } else if (t === 'macvlan') {
        // macvlan_changelink: the mode can change on a live device (not to or from passthru)
        while (!w.done) {
          const opt = w.next()!;
          const val = needArg(ctx, w, opt);
          if (opt !== 'mode') continue;
          if (!['private', 'vepa', 'bridge', 'passthru', 'source'].includes(val)) die(ctx, `Error: argument of "mode" must be "private", "vepa", "bridge", "passthru" or "source", not "${val}"`, 255);
          step(
            4,
            (l) => {
              l.mode = val;
            },
            (l) => {
              if (l.kind !== 'macvlan') nlFail(ctx, { errno: 'EOPNOTSUPP' });
              if ((l.mode === 'passthru') !== (val === 'passthru')) nlFail(ctx, { errno: 'EINVAL' });
            },
          );
        }
      } else while (!w.done) w.next();
    } else if (a === 'hairpin') {
      const v = needArg(ctx, w, 'hairpin');
      step(4, (l) => {
        l.hairpin = v === 'on';
      });
    } else if (name === null) name = a;
    else die(ctx, `Error: either "dev" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (name === null) die(ctx, 'Not enough information: "dev" argument is required.', 255);
  const dev = findDev(ctx, ns, name);
  for (const s of steps) s.check(dev);
  for (const s of steps.sort((a, b) => a.order - b.order)) s.apply(dev);
  return 0;
}

// ---- ip address ---------------------------------------------------------------------------------------

function doAddr(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const sub = w.next();
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || matches(sub, 'lst')) return addrShow(ctx, place, w, o);
  if (matches(sub, 'add') || matches(sub, 'replace') || matches(sub, 'change')) return addrAdd(ctx, place, w, sub);
  if (matches(sub, 'delete')) return addrDel(ctx, place, w);
  if (matches(sub, 'flush')) return addrFlush(ctx, place, w);
  if (matches(sub, 'help')) {
    ctx.err('Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]\n                                                      [ CONFFLAG-LIST ]\n       ip address del IFADDR dev IFNAME [mngtmpaddr]\n       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]\n                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]\n       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]\n                         [ nomaster ]\n                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]\n                         [ label LABEL ] [up] [ vrf NAME ]\n                         [ proto ADDRPROTO ] ]\n');
    return 255;
  }
  die(ctx, `Command "${sub}" is unknown, try "ip address help".`, 255);
}

function addrShow(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const ns = place.ns;
  let dev: string | null = null;
  let upOnly = false;
  let master: string | null = null;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'up') upOnly = true;
    else if (a === 'master') master = needArg(ctx, w, 'master');
    else if (a === 'scope' || a === 'label' || a === 'to' || a === 'type') needArg(ctx, w, a);
    else if (dev === null) dev = a;
  }
  let links = selectLinks(ctx, ns, dev, master);
  if (upOnly) links = links.filter((l) => l.adminUp);
  for (const l of links) {
    const s = formatAddr(l, o, ctx.world.now);
    if (s !== null) ctx.out(`${s}\n`);
  }
  return 0;
}

function parsePrefix(ctx: CommandContext, text: string): { addr: Ipv4; len: number } {
  const c = parseCidr(text, 32);
  if (!c) die(ctx, `Error: any valid prefix is expected rather than "${text}".`, 1);
  return c;
}

function addrAdd(ctx: CommandContext, place: Place, w: Words, verb: string): number {
  let prefix: { addr: Ipv4; len: number } | null = null;
  let dev: string | null = null;
  let brd: string | null = null;
  let label: string | undefined;
  let scope: 'global' | 'host' | 'link' | undefined;
  let noprefixroute = false;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'brd' || a === 'broadcast') brd = needArg(ctx, w, a);
    else if (a === 'label') label = needArg(ctx, w, 'label');
    else if (a === 'scope') {
      const v = needArg(ctx, w, 'scope');
      if (v !== 'global' && v !== 'host' && v !== 'link') invalidArg(ctx, v, 'invalid scope value.');
      scope = v;
    } else if (a === 'noprefixroute') noprefixroute = true;
    else if (a === 'local') prefix = parsePrefix(ctx, needArg(ctx, w, 'local'));
    else if (a === 'valid_lft' || a === 'preferred_lft' || a === 'peer' || a === 'metric') needArg(ctx, w, a);
    else if (a === 'nodad' || a === 'home' || a === 'mngtmpaddr' || a === 'autojoin') continue;
    else if (prefix === null) prefix = parsePrefix(ctx, a);
    else die(ctx, `Error: either "local" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (prefix === null) die(ctx, 'Not enough information: "local" argument is required.', 255);
  if (dev === null) die(ctx, 'Not enough information: "dev" argument is required.', 255);
  const l = findDev(ctx, place.ns, dev);
  let broadcast: Ipv4 | null = null;
  if (brd !== null) {
    if (brd === '+') broadcast = broadcastOf(prefix.addr, prefix.len);
    else if (brd === '-') broadcast = null;
    else {
      const b = parseIpv4(brd);
      if (b === null) invalidArg(ctx, brd, 'invalid broadcast address');
      broadcast = b;
    }
  }
  if (verb.startsWith('r') || verb.startsWith('c')) {
    const exists = l.addrs.find((x) => x.addr === prefix!.addr && x.len === prefix!.len);
    if (exists) return 0;
  }
  const r = addAddr(l, { addr: prefix.addr, len: prefix.len, broadcast, label, scope, noprefixroute });
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

function addrDel(ctx: CommandContext, place: Place, w: Words): number {
  let prefix: { addr: Ipv4; len: number } | null = null;
  let hadLen = false;
  let dev: string | null = null;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'label' || a === 'scope') needArg(ctx, w, a);
    else if (prefix === null) {
      hadLen = a.includes('/');
      prefix = parsePrefix(ctx, a);
    }
  }
  if (dev === null) die(ctx, 'Not enough information: "dev" argument is required.', 255);
  const l = findDev(ctx, place.ns, dev);
  if (prefix === null) die(ctx, 'Not enough information: "local" argument is required.', 255);
  if (!hadLen) ctx.err(`Warning: Executing wildcard deletion to stay compatible with old scripts.\n         Explicitly specify the prefix length (${formatIpv4(prefix.addr)}/32) to avoid this warning.\n         This special behaviour is likely to disappear in further releases,\n         fix your scripts!\n`);
  const r = delAddr(l, prefix.addr, hadLen ? prefix.len : null);
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

function addrFlush(ctx: CommandContext, place: Place, w: Words): number {
  let dev: string | null = null;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'scope' || a === 'label' || a === 'to') needArg(ctx, w, a);
    else if (dev === null) dev = a;
  }
  if (dev === null) die(ctx, 'Flush requires arguments.', 255);
  const l = place.ns.linkByName(dev);
  if (!l) die(ctx, `Device "${dev}" does not exist.`, 1);
  flushAddrs(l);
  return 0;
}

// ---- ip route ---------------------------------------------------------------------------------------

const ROUTE_TYPES: RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

function tableId(ctx: CommandContext, v: string): number {
  if (v === 'main') return RT_TABLE_MAIN;
  if (v === 'local') return RT_TABLE_LOCAL;
  if (v === 'default') return RT_TABLE_DEFAULT;
  if (v === 'all') return -1;
  if (/^\d+$/.test(v)) return Number(v);
  invalidArg(ctx, v, 'invalid table ID');
}

function doRoute(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const sub = w.next();
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || matches(sub, 'lst')) return routeShow(ctx, place, w, o);
  if (matches(sub, 'get')) return routeGet(ctx, place, w);
  if (sub === 'add' || sub === 'a' || matches(sub, 'append') || matches(sub, 'replace') || matches(sub, 'change') || sub === 'prepend') return routeAdd(ctx, place, w, sub);
  if (matches(sub, 'delete')) return routeDel(ctx, place, w);
  if (matches(sub, 'flush')) return routeFlush(ctx, place, w);
  die(ctx, `Command "${sub}" is unknown, try "ip route help".`, 255);
}

function routeShow(ctx: CommandContext, place: Place, w: Words, o: Opts): number {
  const ns = place.ns;
  let table = RT_TABLE_MAIN;
  let dev: string | null = null;
  let proto: string | null = null;
  // selectors, as iproute2 reads them: `root P` (routes inside P), `match P` (routes covering P),
  // `exact P` or a bare P (that prefix only); `default` is 0.0.0.0/0
  let root: { addr: Ipv4; len: number } | null = null;
  let match: { addr: Ipv4; len: number } | null = null;
  const prefixArg = (v: string) => (v === 'default' || v === 'all' || v === 'any' ? { addr: 0, len: 0 } : parsePrefix(ctx, v));
  while (!w.done) {
    let a = w.next()!;
    if (a === 'table') table = tableId(ctx, needArg(ctx, w, 'table'));
    else if (a === 'dev') dev = needArg(ctx, w, 'dev');
    else if (a === 'proto') proto = needArg(ctx, w, 'proto');
    else if (a === 'scope' || a === 'type' || a === 'via' || a === 'src') needArg(ctx, w, a);
    else {
      if (a === 'to') a = needArg(ctx, w, 'to');
      if (matches(a, 'root')) root = prefixArg(needArg(ctx, w, 'root'));
      else if (matches(a, 'match')) match = prefixArg(needArg(ctx, w, 'match'));
      else {
        if (matches(a, 'exact')) a = needArg(ctx, w, 'exact');
        root = match = prefixArg(a);
      }
    }
  }
  const selected = (dst: Ipv4, len: number): boolean => {
    if (root && (len < root.len || !inPrefix(dst, root.addr, root.len))) return false;
    if (match && (len > match.len || !inPrefix(match.addr, dst, len))) return false;
    return true;
  };
  if (o.family === 'inet6') {
    for (const l of ns.allLinks()) if (l.ll6 && l.adminUp && (dev === null || l.name === dev)) ctx.out(`fe80::/64 dev ${l.name} proto kernel metric 256 pref medium\n`);
    return 0;
  }
  let devIndex: number | null = null;
  if (dev !== null) {
    const l = ns.linkByName(dev);
    if (!l) die(ctx, `Cannot find device "${dev}"`, 1);
    devIndex = l.ifindex;
  }
  const tables = table === -1 ? [RT_TABLE_MAIN, RT_TABLE_LOCAL] : [table];
  for (const t of tables) {
    for (const r of tableRoutes(ns, t)) {
      if (devIndex !== null && r.dev !== devIndex) continue;
      if (proto !== null && r.proto !== proto) continue;
      if (!selected(r.dst, r.len)) continue;
      let text = formatRoute(ns, r, { showTable: table === -1 });
      if (devIndex !== null) text = text.replace(/dev \S+ /, '');
      ctx.out(`${text}\n`);
    }
  }
  return 0;
}

function parseRouteSpec(ctx: CommandContext, ns: Netns, w: Words, forDelete: boolean): RouteSpec & { hasDst: boolean } {
  const spec: RouteSpec & { hasDst: boolean } = { dst: 0, len: 0, hasDst: false };
  while (!w.done) {
    const a = w.next()!;
    if (a === 'via') {
      let v = needArg(ctx, w, 'via');
      if (v === 'inet') v = needArg(ctx, w, 'via');
      const ip = parseIpv4(v);
      if (ip === null) invalidArg(ctx, v, 'invalid gateway address');
      spec.via = ip;
    } else if (a === 'dev' || a === 'oif') spec.dev = findDev(ctx, ns, needArg(ctx, w, 'dev'));
    else if (a === 'src') {
      const v = needArg(ctx, w, 'src');
      const ip = parseIpv4(v);
      if (ip === null) invalidArg(ctx, v, 'invalid source address');
      spec.src = ip;
    } else if (a === 'metric' || a === 'priority' || a === 'preference') {
      const v = needArg(ctx, w, a);
      if (!/^\d+$/.test(v)) invalidArg(ctx, v, '"metric" value is invalid');
      spec.metric = Number(v);
    } else if (a === 'table') spec.table = tableId(ctx, needArg(ctx, w, 'table'));
    else if (a === 'proto' || a === 'protocol') spec.proto = needArg(ctx, w, a);
    else if (a === 'scope') {
      const v = needArg(ctx, w, 'scope');
      if (!['global', 'link', 'host', 'nowhere', 'site'].includes(v)) invalidArg(ctx, v, 'invalid "scope" value');
      spec.scope = v as RouteSpec['scope'];
    } else if (a === 'onlink') spec.onlink = true;
    else if (a === 'mtu' || a === 'advmss' || a === 'realm' || a === 'weight' || a === 'initcwnd') needArg(ctx, w, a);
    else if (ROUTE_TYPES.includes(a as RouteType) && !spec.hasDst) spec.type = a as RouteType;
    else if (a === 'to') continue;
    else if (!spec.hasDst) {
      if (a === 'default' || a === 'all' || a === 'any' || a === '0/0') {
        spec.dst = 0;
        spec.len = 0;
      } else {
        const c = parseCidr(a, 32);
        if (!c) invalidArg(ctx, a, 'invalid "to" value');
        spec.dst = c.addr;
        spec.len = c.len;
      }
      spec.hasDst = true;
    } else die(ctx, `Error: either "to" is duplicate, or "${a}" is a garbage.`, 255);
  }
  if (!spec.hasDst && !forDelete) die(ctx, 'Error: either "to" is duplicate, or "to" is a garbage.', 255);
  return spec;
}

function routeAdd(ctx: CommandContext, place: Place, w: Words, verb: string): number {
  const ns = place.ns;
  const spec = parseRouteSpec(ctx, ns, w, false);
  const type = spec.type ?? 'unicast';
  if (type === 'unicast' && spec.via == null && !spec.dev) die(ctx, 'Error: Device for nexthop is not up.', 2);
  const mode = matches(verb, 'replace') || verb === 'change' ? 'replace' : matches(verb, 'append') ? 'append' : 'add';
  const r = addRoute(ns, { ...spec, type, proto: spec.proto ?? 'boot' }, mode);
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

function routeDel(ctx: CommandContext, place: Place, w: Words): number {
  const ns = place.ns;
  const spec = parseRouteSpec(ctx, ns, w, true);
  const r = delRoute(ns, { ...spec, table: spec.table === -1 ? undefined : spec.table });
  if (!r.ok) nlFail(ctx, r.error);
  return 0;
}

function routeFlush(ctx: CommandContext, place: Place, w: Words): number {
  const ns = place.ns;
  let dev: Link | null = null;
  let table = RT_TABLE_MAIN;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'dev') dev = findDev(ctx, ns, needArg(ctx, w, 'dev'));
    else if (a === 'table') table = tableId(ctx, needArg(ctx, w, 'table'));
  }
  ns.routes = ns.routes.filter((r) => !(r.table === table && (dev === null || r.dev === dev.ifindex)));
  return 0;
}

function routeGet(ctx: CommandContext, place: Place, w: Words): number {
  const ns = place.ns;
  let dst: Ipv4 | null = null;
  let oif: Link | undefined;
  let from: Ipv4 | undefined;
  while (!w.done) {
    const a = w.next()!;
    if (a === 'oif' || a === 'dev') oif = findDev(ctx, ns, needArg(ctx, w, a));
    else if (a === 'from') {
      const v = needArg(ctx, w, 'from');
      const ip = parseIpv4(v);
      if (ip === null) invalidArg(ctx, v, 'invalid "from" value');
      from = ip;
    } else if (a === 'iif' || a === 'mark' || a === 'tos' || a === 'ipproto' || a === 'sport' || a === 'dport' || a === 'uid') needArg(ctx, w, a);
    else if (a === 'to' || a === 'connected' || a === 'fibmatch') continue;
    else if (dst === null) {
      const c = parseCidr(a, 32);
      if (!c) invalidArg(ctx, a, 'invalid "to" value');
      dst = c.addr;
    }
  }
  if (dst === null) die(ctx, 'need at least a destination address', 255);
  const r = routeOutput(ns, dst, oif, from);
  if (!r.ok) die(ctx, `RTNETLINK answers: ${strerror(r.error)}`, 2);
  if (r.local) {
    ctx.out(`local ${formatIpv4(dst)} dev lo src ${formatIpv4(r.src)} uid 0 \n    cache <local> \n`);
    return 0;
  }
  if (r.broadcast) {
    ctx.out(`broadcast ${formatIpv4(dst)} dev ${r.dev.name} src ${formatIpv4(r.src)} uid 0 \n    cache <local,brd> \n`);
    return 0;
  }
  const via = r.route && r.route.via !== null ? `via ${formatIpv4(r.route.via)} ` : '';
  ctx.out(`${formatIpv4(dst)} ${via}dev ${r.dev.name} src ${formatIpv4(r.src)} uid 0 \n    cache \n`);
  return 0;
}

// ---- ip neigh ----------------------------------------------------------------------------------------

function doNeigh(ctx: CommandContext, place: Place, w: Words): number {
  const ns = place.ns;
  const sub = w.next();
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || matches(sub, 'lst')) {
    let dev: Link | null = null;
    let addr: Ipv4 | null = null;
    let nud: string | null = null;
    while (!w.done) {
      const a = w.next()!;
      if (a === 'dev') {
        const v = needArg(ctx, w, 'dev');
        dev = ns.linkByName(v) ?? die(ctx, `Cannot find device "${v}"`, 1);
      } else if (a === 'nud') nud = needArg(ctx, w, 'nud').toUpperCase();
      else if (a === 'to' || a === 'proxy') continue;
      else {
        const ip = parseIpv4(a.split('/')[0]);
        if (ip === null) invalidArg(ctx, a, 'invalid "to" value');
        addr = ip;
      }
    }
    // the kernel walks its hash table; the simulator lists entries by address
    const entries = [...ns.neigh.values()].sort((a, b) => a.ip - b.ip || a.dev - b.dev);
    for (const e of entries) {
      if (dev && e.dev !== dev.ifindex) continue;
      if (addr !== null && e.ip !== addr) continue;
      const l = ns.linkByIndex(e.dev);
      if (!l) continue;
      const state = neighShownState(ns, e);
      if (nud !== null && nud !== 'ALL' && state !== nud) continue;
      if (nud === null && state === 'NOARP' && l.kind === 'loopback') continue;
      let s = formatIpv4(e.ip);
      if (!dev) s += ` dev ${l.name}`;
      if (e.mac && state !== 'INCOMPLETE' && state !== 'FAILED') s += ` lladdr ${e.mac}`;
      ctx.out(`${s} ${state} \n`);
    }
    return 0;
  }
  if (matches(sub, 'add') || matches(sub, 'replace') || matches(sub, 'change') || matches(sub, 'delete')) {
    let ip: Ipv4 | null = null;
    let mac: string | null = null;
    let dev: Link | null = null;
    let nud = 'PERMANENT';
    while (!w.done) {
      const a = w.next()!;
      if (a === 'lladdr') {
        const v = needArg(ctx, w, 'lladdr');
        const m = parseMac(v);
        if (!m) die(ctx, `"${v}" is invalid lladdr.`, 255);
        mac = m;
      } else if (a === 'dev') {
        const v = needArg(ctx, w, 'dev');
        dev = ns.linkByName(v) ?? die(ctx, `Cannot find device "${v}"`, 1);
      } else if (a === 'nud') {
        const v = needArg(ctx, w, 'nud').toUpperCase();
        if (!['PERMANENT', 'REACHABLE', 'STALE', 'NOARP', 'DELAY', 'PROBE', 'FAILED', 'INCOMPLETE', 'NONE'].includes(v)) invalidArg(ctx, v, 'nud state is bad');
        nud = v;
      } else if (a === 'to' || a === 'router' || a === 'proxy' || a === 'extern_learn') continue;
      else {
        const p = parseIpv4(a);
        if (p === null) invalidArg(ctx, a, 'invalid "to" value');
        ip = p;
      }
    }
    if (ip === null || dev === null) die(ctx, 'Device and destination are required arguments.', 255);
    if (matches(sub, 'delete')) {
      const r = delNeigh(ns, dev, ip);
      if (!r.ok) nlFail(ctx, r.error);
      return 0;
    }
    const mode = matches(sub, 'add') ? 'add' : matches(sub, 'replace') ? 'replace' : 'change';
    const state: 'PERMANENT' | 'REACHABLE' | 'STALE' | 'NOARP' = nud === 'REACHABLE' || nud === 'STALE' || nud === 'NOARP' ? nud : 'PERMANENT';
    if (!mac && state !== 'NOARP') die(ctx, 'Error: lladdr is required.', 2);
    const r = setNeigh(ns, dev, ip, mac, state, mode);
    if (!r.ok) nlFail(ctx, r.error);
    return 0;
  }
  if (matches(sub, 'flush')) {
    let dev: Link | null = null;
    while (!w.done) {
      const a = w.next()!;
      if (a === 'dev') {
        const v = needArg(ctx, w, 'dev');
        dev = ns.linkByName(v) ?? die(ctx, `Cannot find device "${v}"`, 1);
      } else if (a === 'nud' || a === 'to') needArg(ctx, w, a);
    }
    if (!dev) {
      if (w.w.length === 0) die(ctx, 'Flush requires arguments.', 255);
      for (const l of ns.allLinks()) flushNeigh(ns, l.ifindex, false);
    } else flushNeigh(ns, dev.ifindex, false);
    return 0;
  }
  die(ctx, `Command "${sub}" is unknown, try "ip neigh help".`, 255);
}

// ---- ip netns -------------------------------------------------------------------------------------------

function doNetns(ctx: CommandContext, place: Place, w: Words): number | Promise<number> {
  const host = place.host;
  const sub = w.next();
  if (sub === undefined || matches(sub, 'list') || sub === 'show') {
    const names = [...host.named.keys()].reverse();
    for (const n of names) {
      const id = place.ns.peerIds.get(host.named.get(n)!);
      ctx.out(id === undefined ? `${n}\n` : `${n} (id: ${id})\n`);
    }
    return 0;
  }
  if (sub === 'add') {
    const name = w.next();
    if (name === undefined) die(ctx, 'No netns name specified', 255);
    if (name.includes('/') || name === '.' || name === '..' || name === '') die(ctx, `Invalid netns name "${name}"`, 255);
    const r = addNamedNetns(host, name);
    if (!r.ok) die(ctx, `Cannot create namespace file "/run/netns/${name}": File exists`, 1);
    return 0;
  }
  if (matches(sub, 'delete')) {
    const name = w.next();
    if (name === undefined) die(ctx, 'No netns name specified', 255);
    if (name === '-a' || name === '-all' || name === '--all') {
      for (const n of [...host.named.keys()]) delNamedNetns(host, n);
      return 0;
    }
    const r = delNamedNetns(host, name);
    if (!r.ok) die(ctx, `Cannot remove namespace file "/run/netns/${name}": No such file or directory`, 1);
    return 0;
  }
  if (matches(sub, 'exec')) {
    const name = w.next();
    if (name === undefined) die(ctx, 'No netns name specified', 255);
    const ns = host.named.get(name);
    if (!ns) die(ctx, `Cannot open network namespace "${name}": No such file or directory`, 255);
    const cmd = w.rest();
    if (!cmd.length) die(ctx, 'No command specified', 255);
    return execIn(ctx, { host, ns }, cmd, `netns ${name}`);
  }
  if (matches(sub, 'identify')) {
    for (const [n, ns] of host.named) {
      if (ns === place.ns) {
        ctx.out(`${n}\n`);
        return 0;
      }
    }
    return 0;
  }
  if (sub === 'list-id') {
    for (const [other, id] of [...place.ns.peerIds].sort((a, b) => a[1] - b[1])) {
      const label = other.name && host.named.get(other.name) === other ? ` (iproute2 netns name: ${other.name})` : '';
      ctx.out(`nsid ${id} ${label.trim() ? label.trimStart() : ''}\n`.replace(' \n', '\n'));
    }
    return 0;
  }
  if (sub === 'pids') {
    const name = w.next();
    if (!name || !host.named.has(name)) die(ctx, `Cannot open network namespace "${name ?? ''}": No such file or directory`, 255);
    return 0;
  }
  die(ctx, `Command "${sub}" is unknown, try "ip netns help".`, 255);
}

/** Run a command in another namespace; a bare shell becomes the interactive shell there. */
export async function execIn(ctx: CommandContext, place: Place, cmd: readonly string[], label: string): Promise<number> {
  const base = cmd[0].slice(cmd[0].lastIndexOf('/') + 1);
  if ((base === 'bash' || base === 'sh' || base === 'ash') && cmd.length === 1) return ctx.enterShell(place, label);
  return ctx.exec(cmd, place);
}

// ---- ip rule ------------------------------------------------------------------------------------------------

function doRule(ctx: CommandContext, w: Words): number {
  const sub = w.next();
  if (sub === undefined || matches(sub, 'list') || matches(sub, 'show')) {
    ctx.out('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
    return 0;
  }
  die(ctx, 'ip rule: only the default rules are modelled; changing policy routing is not supported by the simulator', 2);
}

// ---- completion -------------------------------------------------------------------------------------------

function completeIp(args: readonly string[], partial: string, place: Place): string[] {
  const words = args.filter((a) => !a.startsWith('-'));
  const devs = place.ns.allLinks().map((l) => l.name);
  const nss = [...place.host.named.keys()];
  const pick = (xs: string[]) => xs.filter((x) => x.startsWith(partial));
  if (words.length === 0) return pick(['link', 'address', 'route', 'neigh', 'netns', 'rule', 'help']);
  const obj = OBJECTS.find((k) => matches(words[0], k));
  const last = words[words.length - 1];
  if (words.length === 1) {
    const subs: Record<string, string[]> = {
      link: ['add', 'delete', 'set', 'show', 'help'],
      address: ['add', 'del', 'flush', 'show', 'help'],
      route: ['add', 'del', 'replace', 'get', 'show', 'flush', 'help'],
      neighbor: ['add', 'del', 'replace', 'show', 'flush'],
      neighbour: ['add', 'del', 'replace', 'show', 'flush'],
      netns: ['add', 'delete', 'exec', 'list', 'identify'],
      rule: ['list'],
    };
    return pick(subs[obj ?? ''] ?? []);
  }
  if (obj === 'netns' && words.length === 2 && ['exec', 'delete', 'del', 'pids'].includes(words[1])) return pick(nss);
  if (last === 'netns') return pick(nss);
  if (last === 'type') return pick(['veth', 'bridge', 'vxlan', 'macvlan', 'ipvlan', 'dummy']);
  if (last === 'dev' || last === 'master' || last === 'link' || (obj === 'link' && words.length === 2 && ['set', 'show', 'delete', 'del'].includes(words[1]))) return pick(devs);
  if (obj === 'link' && words[1] === 'set') return pick(['up', 'down', 'mtu', 'master', 'nomaster', 'netns', 'address', 'name', ...devs]);
  return pick(['dev', ...devs]);
}

export { linkDisplayName };
