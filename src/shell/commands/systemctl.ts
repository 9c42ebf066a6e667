/**
 * `systemctl` for the one service the simulated hosts run under systemd that matters here:
 * docker. Restarting it rebuilds Docker's iptables rules (the way to repair them after a
 * hardening script flushed them) and stops the containers, which only come back on their own
 * with a restart policy.
 */
import type { Command, CommandContext } from '../context.ts';
import { dockerOn } from '../../sim/docker/engine.ts';
import { dayName, monthName, wallClock } from '../../sim/engine/clock.ts';
import { SECOND } from '../../sim/engine/scheduler.ts';
import { killProcesses, resumeContainers } from './docker/docker.ts';

/** When dockerd last failed to start, per engine. */
const failedAt = new WeakMap<object, number>();

function unitName(arg: string): string {
  return arg.endsWith('.service') ? arg : `${arg}.service`;
}

export const systemctlCommand: Command = {
  name: 'systemctl',
  path: '/usr/bin/systemctl',
  summary: 'control services (systemctl restart docker)',
  run(ctx: CommandContext) {
    const args = ctx.argv.slice(1).filter((a) => !a.startsWith('-'));
    const quiet = ctx.argv.includes('-q') || ctx.argv.includes('--quiet');
    const [verb, unit] = args;
    if (!verb) {
      ctx.err('systemctl: this simulated host knows only docker.service: try `systemctl status docker`\n');
      return 1;
    }
    if (!unit) {
      ctx.err(`Too few arguments.\n`);
      return 1;
    }
    const e = dockerOn(ctx.host);
    const name = unitName(unit);
    if (name !== 'docker.service' || !e || ctx.ns !== ctx.host.root) {
      if (verb === 'is-active') {
        if (!quiet) ctx.out('inactive\n');
        return 3;
      }
      ctx.err(verb === 'status' ? `Unit ${name} could not be found.\n` : `Failed to ${verb} ${name}: Unit ${name} not found.\n`);
      return verb === 'status' ? 4 : 5;
    }
    switch (verb) {
      case 'restart':
      case 'start': {
        if (verb === 'start' && e.running) return 0;
        if (e.running) killProcesses(e);
        // dockerd reads daemon.json first: a bad file stops it before it does anything
        const bad = e.loadConfig();
        if (bad) {
          if (e.running) e.stopDaemon();
          e.failure = bad;
          failedAt.set(e, ctx.world.now);
          ctx.err(`Job for docker.service failed because the control process exited with error code.\nSee "systemctl status docker.service" and "journalctl -xeu docker.service" for details.\n`);
          return 1;
        }
        e.failure = null;
        const started = e.startDaemon();
        resumeContainers(ctx, e, started);
        return 0;
      }
      case 'stop':
        killProcesses(e);
        e.stopDaemon();
        return 0;
      case 'is-active':
        if (!quiet) ctx.out(e.running ? 'active\n' : e.failure ? 'failed\n' : 'inactive\n');
        return e.running ? 0 : 3;
      case 'status': {
        const c = wallClock(0);
        const two = (n: number) => String(n).padStart(2, '0');
        const up = Math.floor(ctx.world.now / SECOND);
        const ago = up < 60 ? `${up}s` : up < 3600 ? `${Math.floor(up / 60)}min` : `${Math.floor(up / 3600)}h ${Math.floor((up % 3600) / 60)}min`;
        const since = `${dayName(c)} ${c.y}-${two(c.mo)}-${two(c.d)} ${two(c.h)}:${two(c.mi)}:${two(c.s)} UTC; ${ago} ago`;
        if (e.failure && !e.running) {
          // dockerd exited at once on its configuration: systemd shows the failure and the log
          const f = wallClock(failedAt.get(e) ?? ctx.world.now);
          const fago = Math.floor((ctx.world.now - (failedAt.get(e) ?? ctx.world.now)) / SECOND);
          const stamp = `${monthName(f)} ${two(f.d)} ${two(f.h)}:${two(f.mi)}:${two(f.s)} ${ctx.host.hostname}`;
          ctx.out(
            `× docker.service - Docker Application Container Engine\n     Loaded: loaded (/lib/systemd/system/docker.service; enabled; preset: enabled)\n     Active: failed (Result: exit-code) since ${dayName(f)} ${f.y}-${two(f.mo)}-${two(f.d)} ${two(f.h)}:${two(f.mi)}:${two(f.s)} UTC; ${fago}s ago\nTriggeredBy: ● docker.socket\n       Docs: https://docs.docker.com\n    Process: 812 ExecStart=/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock (code=exited, status=1/FAILURE)\n   Main PID: 812 (code=exited, status=1/FAILURE)\n\n${stamp} dockerd[812]: ${e.failure}\n${stamp} systemd[1]: docker.service: Main process exited, code=exited, status=1/FAILURE\n${stamp} systemd[1]: docker.service: Failed with result 'exit-code'.\n${stamp} systemd[1]: Failed to start docker.service - Docker Application Container Engine.\n`,
          );
          return 3;
        }
        ctx.out(
          `${e.running ? '●' : '○'} docker.service - Docker Application Container Engine\n     Loaded: loaded (/lib/systemd/system/docker.service; enabled; preset: enabled)\n     Active: ${e.running ? `active (running) since ${since}` : 'inactive (dead)'}\nTriggeredBy: ● docker.socket\n       Docs: https://docs.docker.com\n${e.running ? '   Main PID: 812 (dockerd)\n' : ''}`,
        );
        return e.running ? 0 : 3;
      }
      default:
        ctx.err(`Unknown command verb ${verb}.\n`);
        return 1;
    }
  },
};
