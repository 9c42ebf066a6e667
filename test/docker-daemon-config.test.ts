/**
 * /etc/docker/daemon.json, read when dockerd starts: `default-address-pools` decides where new
 * networks get their subnets (existing ones keep theirs), `dns` the upstreams of containers
 * started without --dns; a file that is not valid JSON stops dockerd with Go's decoder message.
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { goJsonSyntaxError } from '../src/sim/docker/gojson.ts';
import { world } from './helpers.ts';

const out = async (s: Session, line: string) => (await runLine(s, line)).output;

describe('daemon.json', () => {
  it('default-address-pools and dns apply after a restart; existing networks keep their subnets', async () => {
    const s = new Session(world('docker'), {});
    await runLine(s, 'docker network create before');
    await runLine(s, 'mkdir -p /etc/docker');
    await runLine(s, `echo '{"default-address-pools": [{"base": "10.200.0.0/16", "size": 24}], "dns": ["10.0.0.1"]}' > /etc/docker/daemon.json`);
    expect((await runLine(s, 'systemctl restart docker')).exitCode).toBe(0);
    await runLine(s, 'docker network create after');
    await runLine(s, 'docker network create again');
    const subnet = (n: string) => out(s, `docker network inspect -f '{{(index .IPAM.Config 0).Subnet}}' ${n}`);
    expect(await subnet('before')).toBe('172.18.0.0/16\n');
    expect(await subnet('after')).toBe('10.200.0.0/24\n');
    expect(await subnet('again')).toBe('10.200.1.0/24\n');
    expect(await subnet('bridge')).toBe('172.17.0.0/16\n');
    await runLine(s, 'docker run -d --name c --network after alpine sleep infinity');
    expect(await out(s, 'docker exec c cat /etc/resolv.conf')).toContain('# ExtServers: [10.0.0.1]\n# Overrides: [nameservers]\n');
    expect(await out(s, "docker inspect -f '{{json .HostConfig.Dns}}' c")).toBe('[]\n');
  });

  it('a broken file: the restart fails, dockerd stays down, systemctl status says why', async () => {
    const s = new Session(world('docker'), {});
    await runLine(s, 'mkdir -p /etc/docker');
    await runLine(s, `printf '{\\n  "dns": ["10.0.0.1"],\\n}\\n' > /etc/docker/daemon.json`);
    expect(await runLine(s, 'systemctl restart docker')).toMatchObject({ exitCode: 1, output: 'Job for docker.service failed because the control process exited with error code.\nSee "systemctl status docker.service" and "journalctl -xeu docker.service" for details.\n' });
    expect(await out(s, 'systemctl is-active docker')).toBe('failed\n');
    const st = await out(s, 'systemctl status docker');
    expect(st).toContain('Active: failed (Result: exit-code)');
    expect(st).toContain("dockerd[812]: unable to configure the Docker daemon with file /etc/docker/daemon.json: invalid character '}' looking for beginning of object key string\n");
    expect((await runLine(s, 'docker ps')).exitCode).toBe(1);
    await runLine(s, 'rm /etc/docker/daemon.json');
    expect((await runLine(s, 'systemctl start docker')).exitCode).toBe(0);
    expect(await out(s, 'systemctl is-active docker')).toBe('active\n');
  });

  it("Go's decoder wording for the usual mistakes", () => {
    expect(goJsonSyntaxError('{"a": [1, 2,]}')).toBe("invalid character ']' looking for beginning of value");
    expect(goJsonSyntaxError('{"a": 1 "b": 2}')).toBe("invalid character '\"' after object key:value pair");
    expect(goJsonSyntaxError("{'a': 1}")).toBe("invalid character '\\'' looking for beginning of object key string");
    expect(goJsonSyntaxError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goJsonSyntaxError('{"a": tru}')).toBe("invalid character '}' in literal true (expecting 'e')");
    expect(goJsonSyntaxError('{"a": 1')).toBe('unexpected end of JSON input');
    expect(goJsonSyntaxError('{"a": 1} x')).toBe("invalid character 'x' after top-level value");
    expect(goJsonSyntaxError('{"a": [1, 2], "b": {"c": null}}')).toBeNull();
  });
});
