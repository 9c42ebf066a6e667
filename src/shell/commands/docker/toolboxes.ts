/**
 * What each image of the simulated catalogue ships, as toolboxes (src/shell/toolbox.ts): Alpine
 * and BusyBox images have BusyBox applets, Debian-based server images (nginx, httpd, redis,
 * postgres, mysql) have almost no network tools, nicolaka/netshoot has them all, and
 * traefik/whoami has nothing but its binary.
 */
import { COMMANDS } from '../../registry.ts';
import { defineToolbox, flavourCommand, toolbox } from '../../toolbox.ts';

const BUSYBOX_APPLETS = ['sh', 'ash', 'cat', 'echo', 'ls', 'grep', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'mkdir', 'rm', 'touch', 'sleep', 'hostname', 'uname', 'date', 'id', 'whoami', 'kill', 'clear', 'ping', 'wget', 'nslookup', 'ip', 'nc', 'ifconfig', 'route', 'netstat', 'traceroute', 'arp'];
const DEBIAN_BASE = ['sh', 'bash', 'cat', 'echo', 'ls', 'grep', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'mkdir', 'rm', 'touch', 'sleep', 'hostname', 'uname', 'date', 'id', 'whoami', 'kill', 'clear'];
const NETSHOOT = [...DEBIAN_BASE, 'zsh', 'ping', 'ip', 'curl', 'nc', 'ss', 'tcpdump', 'iptables', 'iptables-save', 'traceroute', 'tracepath', 'dig', 'nslookup', 'host', 'bridge', 'conntrack', 'sysctl'];

/** Tools whose output does not depend on the implementation enough to matter here. */
const GENERIC = new Set(['sh', 'ash', 'bash', 'cat', 'echo', 'ls', 'grep', 'head', 'tail', 'wc', 'sort', 'uniq', 'cut', 'tr', 'tee', 'mkdir', 'rm', 'touch', 'sleep', 'uname', 'date', 'id', 'whoami', 'kill', 'clear']);

/**
 * The names some implementation provides: the image's flavour first; the host's own only for
 * generic tools, or for images whose tools are the host's kind (no flavour given). A network tool
 * a flavour lacks is left out rather than shown in another tool's format.
 */
function present(names: readonly string[], flavours: readonly string[], hostTools: readonly string[] = []): string[] {
  return names.filter((n) => flavours.some((f) => flavourCommand(f, n)) || (COMMANDS.has(n) && (!flavours.includes('busybox') || GENERIC.has(n) || hostTools.includes(n))));
}

let defined = false;

/** Define the image toolboxes once every command and flavour has been registered. */
export function ensureToolboxes(): void {
  if (defined) return;
  defined = true;
  const bb = ['busybox'];
  defineToolbox('alpine', 'ash', bb, present(BUSYBOX_APPLETS, bb));
  defineToolbox('busybox', 'ash', bb, present(BUSYBOX_APPLETS, bb));
  // curlimages/curl: Alpine's BusyBox plus a real curl
  defineToolbox('curl', 'ash', bb, present([...BUSYBOX_APPLETS, 'curl'], bb, ['curl']));
  defineToolbox('ubuntu', 'bash', [], present(DEBIAN_BASE, []));
  defineToolbox('nginx', 'bash', [], present(DEBIAN_BASE, []));
  defineToolbox('python', 'bash', [], present([...DEBIAN_BASE, 'python3'], []));
  defineToolbox('netshoot', 'bash', ['bind'], present(NETSHOOT, ['bind']));
  defineToolbox('scratch', 'sh', [], []);
  void toolbox;
}
