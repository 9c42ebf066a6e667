/** Registers the built-in command set. Imported once by the shell's public entry point. */
import { register } from '../registry.ts';
import { ipCommand } from './ip/ip.ts';
import { sysctlCommand } from './sysctl.ts';
import { bridgeCommand, brctlCommand } from './bridge.ts';
import { catCommand, cutCommand, grepCommand, headCommand, lsCommand, mkdirCommand, rmCommand, sortCommand, tailCommand, teeCommand, touchCommand, trCommand, uniqCommand, wcCommand } from './text.ts';
import {
  clearCommand,
  dateCommand,
  dmesgCommand,
  helpCommand,
  historyCommand,
  hostnameCommand,
  idCommand,
  jobsCommand,
  killCommand,
  lsmodCommand,
  modprobeCommand,
  shAliasCommand,
  shCommand,
  sleepCommand,
  sshCommand,
  sudoCommand,
  unameCommand,
  whoamiCommand,
  whichCommand,
} from './misc.ts';

register(
  ipCommand,
  sysctlCommand,
  bridgeCommand,
  brctlCommand,
  catCommand,
  cutCommand,
  grepCommand,
  headCommand,
  lsCommand,
  mkdirCommand,
  rmCommand,
  sortCommand,
  tailCommand,
  teeCommand,
  touchCommand,
  trCommand,
  uniqCommand,
  wcCommand,
  clearCommand,
  dateCommand,
  dmesgCommand,
  helpCommand,
  historyCommand,
  hostnameCommand,
  idCommand,
  jobsCommand,
  killCommand,
  lsmodCommand,
  modprobeCommand,
  shAliasCommand,
  shCommand,
  sleepCommand,
  sshCommand,
  sudoCommand,
  unameCommand,
  whoamiCommand,
  whichCommand,
);
import { pingCommand } from './ping.ts';
register(pingCommand);
import { nsenterCommand } from './nsenter.ts';
register(nsenterCommand);
import { sedCommand } from './sed.ts';
register(sedCommand);
import { ncCommand } from './nc.ts';
import { curlCommand } from './curl.ts';
import { python3Command } from './servers.ts';
import { dnsmasqCommand } from './dnsmasq.ts';
import { ssCommand } from './ss.ts';
import { tracerouteCommand, tracepathCommand } from './traceroute.ts';
register(ncCommand, curlCommand, python3Command, dnsmasqCommand, ssCommand, tracerouteCommand, tracepathCommand);
import { iptablesCommand, iptablesSaveCommand, iptablesRestoreCommand, conntrackCommand } from './iptables.ts';
register(iptablesCommand, iptablesSaveCommand, iptablesRestoreCommand, conntrackCommand);
import { tcpdumpCommand } from './tcpdump.ts';
register(tcpdumpCommand);
import { dockerCommand } from './docker/docker.ts';
import { systemctlCommand } from './systemctl.ts';
register(dockerCommand, systemctlCommand);
import { registerFlavour } from '../toolbox.ts';
import { BUSYBOX_APPLETS, busyboxCommand } from './busybox/index.ts';
import { digCommand, bindNslookupCommand, hostCommand } from './bind/index.ts';
registerFlavour('busybox', ...BUSYBOX_APPLETS);
registerFlavour('bind', digCommand, bindNslookupCommand, hostCommand);
register(busyboxCommand);
