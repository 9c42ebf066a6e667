/**
 * `bridge` (iproute2) and `brctl` (bridge-utils): bridge ports and forwarding databases.
 */
import type { Command, CommandContext } from '../context.ts';
import type { Link } from '../../sim/net/model.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { addLink, deleteLink, setMaster, setNoMaster } from '../../sim/net/netlink.ts';
import { formatIpv4, macHex } from '../../sim/wire/addr.ts';
import { brctlBridgeId, linkFlags } from './ip/format.ts';

function portLine(p: Link): string {
  const br = p.master!;
  const state = p.portForwarding ? 'forwarding' : 'disabled';
  // bridge(8) names the iflink by looking its index up in its own namespace (so a veth whose
  // peer is interface 2 of a container shows as "@docker0" when docker0 is interface 2 here)
  const il = p.iflink;
  const at = il ? `@${p.ns.linkByIndex(il.ifindex)?.name ?? `if${il.ifindex}`}` : '';
  return `${p.ifindex}: ${p.name}${at}: <${linkFlags(p)}> mtu ${p.mtu} master ${br.name} state ${state} priority 32 cost 2 `;
}

/** The multicast entries the kernel installs on bridge devices and ports ("self permanent"). */
function mcastEntries(l: Link, isBridge: boolean): string[] {
  const out: string[] = [];
  const tail = l.mac.split(':').slice(3).join(':');
  if (isBridge) {
    out.push('33:33:00:00:00:01', '01:00:5e:00:00:6a', '33:33:00:00:00:6a', '01:00:5e:00:00:01');
    if (l.ll6) out.push(`33:33:ff:${llTail(l.ll6)}`);
  } else {
    out.push('33:33:00:00:00:01', '01:00:5e:00:00:01');
    if (l.ll6) out.push(`33:33:ff:${tail}`);
  }
  return out;
}

function llTail(ll6: string): string {
  const groups = ll6.split(':');
  const last = groups.slice(-2).map((g) => g.padStart(4, '0')).join('');
  return `${last.slice(2, 4)}:${last.slice(4, 6)}:${last.slice(6, 8)}`;
}

export const bridgeCommand: Command = {
  name: 'bridge',
  path: '/usr/sbin/bridge',
  summary: 'show bridge ports (bridge link) and forwarding databases (bridge fdb)',
  run(ctx) {
    const a = ctx.argv.slice(1).filter((x) => !x.startsWith('-') || x === '-');
    const obj = a[0];
    const ns = ctx.ns;
    if (!obj) {
      ctx.err('Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\n       bridge [ -force ] -batch filename\nwhere  OBJECT := { link | fdb | mdb | vlan | vni | monitor }\n       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |\n                    -o[neline] | -t[imestamp] | -n[etns] name |\n                    -com[pressvlans] -c[olor] -p[retty] -j[son] }\n');
      return 255;
    }
    if ('link'.startsWith(obj)) {
      const sub = a[1];
      if (sub && !'show'.startsWith(sub) && !'list'.startsWith(sub)) {
        if ('set'.startsWith(sub)) return bridgeLinkSet(ctx, a.slice(2));
        ctx.err(`Command "${sub}" is unknown, try "bridge link help".\n`);
        return 255;
      }
      let dev: string | null = null;
      for (let i = 2; i < a.length; i++) if (a[i] === 'dev') dev = a[++i] ?? null;
      const ports = ns.allLinks().filter((l) => l.master);
      if (dev !== null) {
        const l = ns.linkByName(dev);
        if (!l) {
          ctx.err(`Cannot find device "${dev}"\n`);
          return 1;
        }
        if (l.master) ctx.out(`${portLine(l)}\n`);
        return 0;
      }
      for (const p of ports) ctx.out(`${portLine(p)}\n`);
      return 0;
    }
    if ('fdb'.startsWith(obj)) {
      const sub = a[1];
      let br: Link | null = null;
      let dev: Link | null = null;
      let dynamic = false;
      for (let i = 2; i < a.length; i++) {
        if (a[i] === 'br') {
          br = ns.linkByName(a[++i] ?? '') ?? null;
          if (!br) {
            ctx.err(`Cannot find bridge device "${a[i]}"\n`);
            return 1;
          }
        } else if (a[i] === 'dev') {
          dev = ns.linkByName(a[++i] ?? '') ?? null;
          if (!dev) {
            ctx.err(`Cannot find device "${a[i]}"\n`);
            return 1;
          }
        } else if (a[i] === 'dynamic') dynamic = true;
      }
      if (sub && ('add'.startsWith(sub) || 'append'.startsWith(sub) || 'replace'.startsWith(sub) || 'delete'.startsWith(sub))) return fdbChange(ctx, a.slice(1));
      if (sub && !'show'.startsWith(sub) && !'list'.startsWith(sub)) {
        ctx.err(`Command "${sub}" is unknown, try "bridge fdb help".\n`);
        return 255;
      }
      const lines: string[] = [];
      for (const l of ns.allLinks()) {
        if (l.bridge) {
          if (br && l !== br) continue;
          if (dev && dev !== l) {
            // port entries are listed under their port
          } else if (!dynamic) {
            for (const m of mcastEntries(l, true)) lines.push(`${m} dev ${l.name} self permanent`);
            const own = l.bridge.fdb.get(l.mac);
            if (own && own.port === l.ifindex) lines.push(`${l.mac} dev ${l.name} vlan 1 master ${l.name} permanent`);
          }
          for (const p of ns.bridgePorts(l)) {
            if (dev && dev !== p) continue;
            // learned entries first, then the port's own (permanent) address
            const entries = [...l.bridge.fdb.values()].filter((e) => e.port === p.ifindex).sort((a, b) => Number(a.local) - Number(b.local));
            for (const e of entries) {
              if (e.local && dynamic) continue;
              if (!e.local && ns.world.now - e.updated > 300 * SECOND) continue;
              lines.push(e.local ? `${e.mac} dev ${p.name} master ${l.name} permanent` : `${e.mac} dev ${p.name} master ${l.name} `);
            }
            // the port's own addresses (ndo_dflt_fdb_dump); a VXLAN port lists its own FDB instead
            if (!dynamic && !p.vxlan) for (const m of mcastEntries(p, false)) lines.push(`${m} dev ${p.name} self permanent`);
          }
        } else if (l.vxlan && (!dev || dev === l) && !br) {
          for (const [mac, e] of l.vxlan.fdb) {
            if (dynamic && e.permanent) continue;
            const under = l.vxlan.devIndex ? l.vxlan.underlay.linkByIndex(l.vxlan.devIndex) : undefined;
            const via = mac === '00:00:00:00:00:00' && under ? ` via ${under.name}` : '';
            lines.push(`${mac} dst ${formatIpv4(e.dst)}${via} self ${e.permanent ? 'permanent' : ''}`.replace(/permanent$/, 'permanent'));
          }
        }
      }
      // the default entry of a vxlan comes last, as the kernel lists it
      const sorted = [...lines.filter((x) => !x.startsWith('00:00:00:00:00:00 dst')), ...lines.filter((x) => x.startsWith('00:00:00:00:00:00 dst'))];
      for (const x of sorted) ctx.out(`${x}\n`);
      return 0;
    }
    if ('vlan'.startsWith(obj)) {
      ctx.out('port              vlan-id  \n');
      for (const l of ns.allLinks()) {
        if (l.bridge && l.bridge.vlanFiltering) ctx.out(`${l.name.padEnd(17)} 1 PVID Egress Untagged\n`);
      }
      return 0;
    }
    ctx.err(`Object "${obj}" is unknown, try "bridge help".\n`);
    return 255;
  },
};

function bridgeLinkSet(ctx: CommandContext, args: string[]): number {
  let dev: Link | null = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') {
      dev = ctx.ns.linkByName(args[++i] ?? '') ?? null;
      if (!dev) {
        ctx.err(`Cannot find device "${args[i]}"\n`);
        return 1;
      }
    } else if (args[i] === 'hairpin') {
      const v = args[++i];
      if (dev) dev.hairpin = v === 'on';
    } else i++;
  }
  return 0;
}

function fdbChange(ctx: CommandContext, args: string[]): number {
  const verb = args[0];
  const mac = args[1];
  let dev: Link | null = null;
  let dst: number | null = null;
  for (let i = 2; i < args.length; i++) {
    if (args[i] === 'dev') dev = ctx.ns.linkByName(args[++i] ?? '') ?? null;
    else if (args[i] === 'dst') {
      const parts = (args[++i] ?? '').split('.').map(Number);
      dst = parts.length === 4 ? ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0 : null;
    }
  }
  if (!dev || !mac) {
    ctx.err('Device and address are required arguments.\n');
    return 255;
  }
  if (dev.vxlan) {
    if ('delete'.startsWith(verb)) {
      if (!dev.vxlan.fdb.delete(mac.toLowerCase())) {
        ctx.err('RTNETLINK answers: No such file or directory\n');
        return 2;
      }
      return 0;
    }
    if (dst === null) {
      ctx.err('RTNETLINK answers: Invalid argument\n');
      return 2;
    }
    if ('add'.startsWith(verb) && dev.vxlan.fdb.has(mac.toLowerCase()) && mac !== '00:00:00:00:00:00') {
      ctx.err('RTNETLINK answers: File exists\n');
      return 2;
    }
    dev.vxlan.fdb.set(mac.toLowerCase(), { dst, self: true, permanent: true, updated: ctx.world.now });
    return 0;
  }
  if (dev.master?.bridge) {
    const fdb = dev.master.bridge.fdb;
    if ('delete'.startsWith(verb)) fdb.delete(mac.toLowerCase());
    else fdb.set(mac.toLowerCase(), { mac: mac.toLowerCase(), port: dev.ifindex, local: false, updated: ctx.world.now + 1e15 });
    return 0;
  }
  ctx.err('RTNETLINK answers: Operation not supported\n');
  return 2;
}

export const brctlCommand: Command = {
  name: 'brctl',
  path: '/usr/sbin/brctl',
  summary: 'bridge-utils: show, addbr, delbr, addif, delif, showmacs',
  run(ctx) {
    const [, cmd, ...rest] = ctx.argv;
    const ns = ctx.ns;
    if (!cmd) {
      ctx.out('Usage: brctl [commands]\ncommands:\n\taddbr     \t<bridge>\t\tadd bridge\n\tdelbr     \t<bridge>\t\tdelete bridge\n\taddif     \t<bridge> <device>\tadd interface to bridge\n\tdelif     \t<bridge> <device>\tdelete interface from bridge\n\tshow      \t[ <bridge> ]\t\tshow a list of bridges\n\tshowmacs  \t<bridge>\t\tshow a list of mac addrs\n\tstp       \t<bridge> {on|off}\tturn stp on/off\n');
      return 1;
    }
    switch (cmd) {
      case 'show': {
        const bridges = ns.allLinks().filter((l) => l.bridge && (!rest.length || rest.includes(l.name)));
        for (const r of rest) {
          if (!ns.linkByName(r)?.bridge) {
            ctx.err(`bridge ${r} does not exist!\n`);
          }
        }
        ctx.out('bridge name\tbridge id\t\tSTP enabled\tinterfaces\n');
        for (const br of bridges) {
          const ports = ns.bridgePorts(br).map((p) => p.name).sort();
          const first = `${br.name}\t\t${brctlBridgeId(br)}\t${br.bridge!.stp ? 'yes' : 'no'}\t\t${ports[0] ?? ''}`;
          ctx.out(`${first}\n`);
          for (const p of ports.slice(1)) ctx.out(`\t\t\t\t\t\t\t${p}\n`);
        }
        return 0;
      }
      case 'addbr': {
        const name = rest[0];
        if (!name) return usage(ctx, 'addbr <bridge>');
        if (ns.linkByName(name)) {
          ctx.err(`device ${name} already exists; can't create bridge with the same name\n`);
          return 1;
        }
        const r = addLink(ns, { name, kind: 'bridge' });
        if (!r.ok) {
          ctx.err(`add bridge failed: ${name}: Invalid argument\n`);
          return 1;
        }
        return 0;
      }
      case 'delbr': {
        const name = rest[0];
        if (!name) return usage(ctx, 'delbr <bridge>');
        const l = ns.linkByName(name);
        if (!l) {
          ctx.err(`bridge ${name} doesn't exist; can't delete it\n`);
          return 1;
        }
        if (!l.bridge) {
          ctx.err(`device ${name} is not a bridge; can't delete it\n`);
          return 1;
        }
        if (l.adminUp) {
          ctx.err(`bridge ${name} is still up; can't delete it\n`);
          return 1;
        }
        deleteLink(l);
        return 0;
      }
      case 'addif':
      case 'delif': {
        const [brName, ...devs] = rest;
        if (!brName || !devs.length) return usage(ctx, `${cmd} <bridge> <device>`);
        const br = ns.linkByName(brName);
        if (!br || !br.bridge) {
          ctx.err(`bridge ${brName} does not exist!\n`);
          return 1;
        }
        for (const d of devs) {
          const l = ns.linkByName(d);
          if (!l) {
            ctx.err(`interface ${d} does not exist!\n`);
            return 1;
          }
          if (cmd === 'addif') {
            if (l.master && l.master !== br) {
              ctx.err(`device ${d} is already a member of a bridge; can't add it to bridge ${brName}.\n`);
              return 1;
            }
            if (l.master === br) {
              ctx.err(`device ${d} is already a member of a bridge; can't add it to bridge ${brName}.\n`);
              return 1;
            }
            const r = setMaster(l, br);
            if (!r.ok) {
              ctx.err(`can't add ${d} to bridge ${brName}: ${r.error.errno === 'EINVAL' ? 'Invalid argument' : 'Operation not supported'}\n`);
              return 1;
            }
          } else {
            if (l.master !== br) {
              ctx.err(`device ${d} is not a slave of ${brName}\n`);
              return 1;
            }
            setNoMaster(l);
          }
        }
        return 0;
      }
      case 'showmacs': {
        const br = ns.linkByName(rest[0] ?? '');
        if (!br || !br.bridge) {
          ctx.err(`read of forward table failed: No such device\n`);
          return 1;
        }
        ctx.out('port no\tmac addr\t\tis local?\tageing timer\n');
        const ports = ns.bridgePorts(br);
        const rows = [...br.bridge.fdb.values()]
          .filter((e) => e.port !== br.ifindex)
          .map((e) => ({ e, no: ports.findIndex((p) => p.ifindex === e.port) + 1 }))
          .filter((r) => r.no > 0)
          .sort((a, b) => (a.e.mac < b.e.mac ? -1 : 1));
        for (const { e, no } of rows) {
          const age = e.local ? 0 : (ctx.world.now - e.updated) / SECOND;
          ctx.out(`${String(no).padStart(3)}\t${e.mac}\t${e.local ? 'yes' : 'no'}\t\t${age.toFixed(2).padStart(7)}\n`);
        }
        return 0;
      }
      case 'stp': {
        const br = ns.linkByName(rest[0] ?? '');
        if (!br?.bridge) {
          ctx.err(`bridge ${rest[0]} does not exist!\n`);
          return 1;
        }
        br.bridge.stp = rest[1] === 'on' || rest[1] === 'yes';
        return 0;
      }
      default:
        ctx.err(`never heard of command [${cmd}]\n`);
        return 1;
    }
  },
};

function usage(ctx: CommandContext, text: string): number {
  ctx.err(`Incorrect number of arguments for command\nUsage: brctl ${text}\n`);
  return 1;
}

export { macHex };
