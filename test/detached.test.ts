/**
 * Processes that outlive the command line: `sleep infinity` as a container's command (the usual
 * way to keep a container up after an entrypoint script), in the foreground and in the background.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

describe('sleep infinity', () => {
  it('in the foreground of a script it waits until Ctrl+C (130), without moving the clock for ever', async () => {
    const s = new Session(world('bare'), {});
    const r = await runLine(s, 'sleep infinity');
    expect(r.exitCode).toBe(130);
    expect((await runLine(s, 'sleep inf & jobs')).output).toContain('Running');
  });

  it('keeps a container up after its script ran, and dies with it on docker stop (137)', async () => {
    const s = new Session(world('docker'), {});
    expect((await runLine(s, 'docker run -d --name c alpine sh -c "echo hello > /tmp/greeting; sleep infinity"')).exitCode).toBe(0);
    await runLine(s, 'sleep 30');
    expect((await runLine(s, 'docker ps --format "{{.Names}}"')).output).toBe('c\n');
    expect((await runLine(s, 'docker exec c cat /tmp/greeting')).output).toBe('hello\n');
    expect((await runLine(s, 'docker stop c')).exitCode).toBe(0);
    expect((await runLine(s, 'docker ps -a --format "{{.Status}}"')).output).toMatch(/^Exited \(137\)/);
    expect((await runLine(s, 'docker run -d --name d alpine sleep inf')).exitCode).toBe(0);
    expect((await runLine(s, 'docker ps --format "{{.Names}}"')).output).toBe('d\n');
  });

  it('a finite sleep in a container script ends when the clock gets there', async () => {
    const s = new Session(world('docker'), {});
    expect((await runLine(s, 'docker run -d --name c alpine sh -c "sleep 5; echo done"')).exitCode).toBe(0);
    expect((await runLine(s, 'docker ps --format "{{.Names}}"')).output).toBe('c\n');
    await runLine(s, 'sleep 10');
    expect((await runLine(s, 'docker ps -a --format "{{.Names}} {{.Status}}"')).output).toBe('c Exited (0) 5 seconds ago\n');
    expect((await runLine(s, 'docker logs c')).output).toBe('done\n');
  });

  it('exec replaces the shell: the entrypoint idiom keeps the container up, and the shell ends with the command', async () => {
    const s = new Session(world('docker'), {});
    expect((await runLine(s, "docker run -d --name c alpine sh -c 'echo ready > /tmp/state && exec sleep infinity'")).exitCode).toBe(0);
    expect((await runLine(s, 'docker ps --format "{{.Names}}"')).output).toBe('c\n');
    expect((await runLine(s, "bash -c 'exec false; echo not reached'")).output).toBe('');
    expect((await runLine(s, "bash -c 'exec false; echo not reached'; echo $?")).output).toBe('1\n');
  });
});
