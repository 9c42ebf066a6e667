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

  it('"userland-proxy": false: hairpin mode (DNAT for every source, route_localnet, hairpin ports, the LOCAL and hairpin MASQUERADE rules, no docker-proxy), and back', async () => {
    const s = new Session(world('docker'), {});
    await runLine(s, 'docker run -d --name web --restart unless-stopped -p 8080:80 nginx');
    await runLine(s, 'mkdir -p /etc/docker');
    await runLine(s, `echo '{"userland-proxy": false}' > /etc/docker/daemon.json`);
    expect((await runLine(s, 'systemctl restart docker')).exitCode).toBe(0);
    expect(await out(s, 'iptables -t nat -S')).toBe(
      '-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n-N DOCKER\n' +
        '-A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER\n-A OUTPUT -m addrtype --dst-type LOCAL -j DOCKER\n' +
        '-A POSTROUTING -o docker0 -m addrtype --src-type LOCAL -j MASQUERADE\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n' +
        '-A POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE\n' +
        '-A DOCKER -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\n',
    );
    expect(await out(s, 'sysctl net.ipv4.conf.docker0.route_localnet')).toBe('net.ipv4.conf.docker0.route_localnet = 1\n');
    expect(await out(s, 'ip -d link show master docker0')).toContain(' hairpin on ');
    expect(await out(s, 'ss -ltn')).not.toContain(':8080');
    // the host's localhost, the container itself and another container all reach the port through DNAT
    expect(await out(s, 'curl -s -o /dev/null -w "%{http_code}\\n" http://localhost:8080/')).toBe('200\n');
    expect(await out(s, 'docker run --rm --network container:web alpine wget -qO- -T 2 http://10.0.0.10:8080/')).toContain('Welcome to nginx!');
    expect(await out(s, 'docker run --rm alpine wget -qO- -T 2 http://10.0.0.10:8080/')).toContain('Welcome to nginx!');
    expect(await out(s, 'iptables -t nat -L POSTROUTING -n -v')).toMatch(/\n +1 +60 MASQUERADE +6 +-- +\* +\* +172\.17\.0\.2 +172\.17\.0\.2 +tcp dpt:80\n/);
    // without the hairpin MASQUERADE the container's answer to itself stays inside it
    await runLine(s, 'iptables -t nat -D POSTROUTING -s 172.17.0.2/32 -d 172.17.0.2/32 -p tcp -m tcp --dport 80 -j MASQUERADE');
    expect((await runLine(s, 'docker run --rm --network container:web alpine wget -qO- -T 2 http://10.0.0.10:8080/')).exitCode).toBe(1);
    // back to the default: the proxy listens again and the rules are the usual ones
    await runLine(s, 'rm /etc/docker/daemon.json');
    expect((await runLine(s, 'systemctl restart docker')).exitCode).toBe(0);
    expect(await out(s, 'iptables -t nat -S POSTROUTING')).toBe('-P POSTROUTING ACCEPT\n-A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE\n');
    expect(await out(s, 'iptables -t nat -S DOCKER')).toBe('-N DOCKER\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80\n');
    expect(await out(s, 'ss -ltn')).toContain('0.0.0.0:8080');
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
