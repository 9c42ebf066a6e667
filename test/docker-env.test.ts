/**
 * A container's processes see the container's environment (PATH, HOSTNAME, the -e values, the
 * image's, HOME), not the shell's that ran `docker exec`.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

describe('container environment', () => {
  it('docker exec and the main process see Config.Env; exec -e adds to it', async () => {
    const s = new Session(world('docker'), {});
    const ok = async (l: string) => expect((await runLine(s, l)).exitCode).toBe(0);
    await ok('export FROMHOST=yes');
    await ok(`docker run -d --name w --hostname web -e API_URL=http://api:8080/ -e FROMHOST -e MISSING alpine sh -c 'echo started with $API_URL; sleep infinity'`);
    expect((await runLine(s, "docker exec w sh -c 'echo $API_URL $HOSTNAME $HOME $FROMHOST [$MISSING]'")).output).toBe('http://api:8080/ web /root yes []\n');
    expect((await runLine(s, "docker exec -e EXTRA=1 w sh -c 'echo $EXTRA'")).output).toBe('1\n');
    expect((await runLine(s, 'docker logs w')).output).toBe('started with http://api:8080/\n');
    expect((await runLine(s, "docker inspect -f '{{json .Config.Env}}' w")).output).toBe('["API_URL=http://api:8080/","FROMHOST=yes","PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]\n');
  });
});

describe('legacy links (--link)', () => {
  it('add ALIAS_NAME, ALIAS_PORT_* for the exposed ports and ALIAS_ENV_* for the target variables, to exec and the main process', async () => {
    const s = new Session(world('docker'), {});
    const ok = async (l: string) => expect((await runLine(s, l)).exitCode).toBe(0);
    await ok('docker run -d --name db -e POSTGRES_PASSWORD=secret postgres');
    await ok("docker run -d --name app --link db:pg alpine sh -c 'echo main sees $PG_NAME; sleep infinity'");
    expect((await runLine(s, "docker exec app sh -c 'echo $PG_NAME $PG_PORT $PG_PORT_5432_TCP_ADDR $PG_PORT_5432_TCP_PORT $PG_PORT_5432_TCP_PROTO $PG_ENV_POSTGRES_PASSWORD [$PG_ENV_PATH]'")).output).toBe('/app/pg tcp://172.17.0.2:5432 172.17.0.2 5432 tcp secret []\n');
    expect((await runLine(s, 'docker logs app')).output).toBe('main sees /app/pg\n');
    // not part of Config.Env: the daemon adds them when it starts the process
    expect((await runLine(s, "docker inspect -f '{{json .Config.Env}}' app")).output).toBe('["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]\n');
    // a target without exposed ports gives only the name
    await ok('docker run -dit --name b2 busybox');
    await ok('docker run -dit --name b3 --link b2:db busybox');
    expect((await runLine(s, "docker exec b3 sh -c 'echo $DB_NAME [$DB_PORT]'")).output).toBe('/b3/db []\n');
  });

  it('a linked container that comes back with another address is rewritten in its parents /etc/hosts', async () => {
    const s = new Session(world('docker'), {});
    for (const l of ['docker run -dit --name b2 busybox', 'docker run -dit --name b3 --link b2:db busybox', 'docker stop b2', 'docker run -dit --name other busybox', 'docker start b2']) expect((await runLine(s, l)).exitCode).toBe(0);
    expect((await runLine(s, 'docker exec b3 cat /etc/hosts')).output).toContain('\n172.17.0.4\tdb ');
    expect((await runLine(s, 'docker exec b3 ping -c 1 db')).output).toContain('PING db (172.17.0.4)');
  });
});
