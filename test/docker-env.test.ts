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
