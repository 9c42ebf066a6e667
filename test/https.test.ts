/**
 * HTTPS as curl 7.88.1 (OpenSSL 3) shows it, checked against two real recordings made with a
 * local TLS 1.3 server (Python's http.server behind ssl, a self-signed certificate for
 * example.com): fixtures/formats/curl-v-https-local.txt (the certificate given with --cacert)
 * and curl-v-https-self-signed.txt (the default CA bundle, which does not know it).
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { startHttpServer } from '../src/sim/apps/http.ts';
import type { TlsIdentity } from '../src/sim/apps/tls.ts';
import { fixture, normalize, world } from './helpers.ts';

const DAY = 86_400_000_000;
const SELF_SIGNED: TlsIdentity = {
  subject: 'C=US; O=Packet Path Test; CN=example.com',
  issuer: 'C=US; O=Packet Path Test; CN=example.com',
  notBefore: 0,
  notAfter: 365 * DAY,
  names: ['example.com', 'www.example.com'],
  trusted: false,
  certLen: 919,
};

/** Two namespaces as in the recording; b serves HTTPS on 443 with the self-signed certificate. */
async function localTls(): Promise<Session> {
  const s = new Session(world('bare'), {});
  for (const l of [
    'ip netns add a',
    'ip netns add b',
    'ip link add eth0 netns a type veth peer name eth0 netns b',
    'ip -n a addr add 10.9.0.1/24 dev eth0',
    'ip -n a link set eth0 up',
    'ip -n b addr add 10.9.0.2/24 dev eth0',
    'ip -n b link set eth0 up',
    'ip -n b link set lo up',
  ]) {
    expect((await runLine(s, l)).exitCode).toBe(0);
  }
  const b = [...s.world.hosts.values()][0].named.get('b')!;
  startHttpServer(b, 443, { flavor: 'nginx', tls: () => SELF_SIGNED });
  return s;
}

/** The handshake part of a -v trace: TLS lines and the data notes between them. */
function handshake(output: string): string[] {
  const lines = output.split('\n');
  const from = lines.findIndex((l) => l.startsWith('* ALPN: offers'));
  const to = lines.findIndex((l) => l.startsWith('> GET'));
  return lines
    .slice(from, to < 0 ? undefined : to)
    .filter((l) => !/^\*  (subject|start date|expire date|issuer|CAfile):/.test(l))
    .map((l) => l.replace(/^\{ \[(919|2533) bytes data\]$/, '{ [CERT bytes data]'));
}

describe('curl over TLS', () => {
  it('fails on a self-signed certificate exactly as the recording', async () => {
    const s = await localTls();
    const r = await runLine(s, 'ip netns exec a curl -v --resolve example.com:443:10.9.0.2 https://example.com/');
    expect(r.exitCode).toBe(60);
    expect(normalize(r.output)).toBe(normalize(fixture('formats/curl-v-https-self-signed.txt')));
  });

  it('goes through the same handshake steps as the recorded successful exchange', async () => {
    const s = new Session(world('linux'), {});
    const r = await runLine(s, 'curl -v https://example.com/');
    expect(r.exitCode).toBe(0);
    expect(handshake(r.output)).toEqual(handshake(fixture('formats/curl-v-https-local.txt')));
    expect(r.output).toContain('*  subjectAltName: host "example.com" matched cert\'s "example.com"\n');
    expect(r.output).toContain('< HTTP/1.1 200 OK\r\n');
    // the tickets come after the request, then the response
    const after = r.output.slice(r.output.indexOf('> \r\n'));
    expect(after.indexOf('Newsession Ticket (4)')).toBeLessThan(after.indexOf('< HTTP/1.1 200 OK'));
    expect(after).toContain('* old SSL session ID is stale, removing\n');
  });

  it('-k accepts an unknown certificate and skips the host name check', async () => {
    const s = await localTls();
    const r = await runLine(s, 'ip netns exec a curl -sv -k -o /dev/null https://10.9.0.2/');
    expect(r.exitCode).toBe(0);
    expect(r.output).toContain('*  SSL certificate verify result: self-signed certificate (18), continuing anyway.\n');
    expect(r.output).not.toContain('subjectAltName');
  });

  it('a name the certificate does not cover fails with 60', async () => {
    const s = new Session(world('linux'), {});
    const r = await runLine(s, 'curl -sS https://93.184.215.14/');
    expect(r.exitCode).toBe(60);
    expect(r.output).toMatch(/^curl: \(60\) SSL: no alternative certificate subject name matches target host name '93\.184\.215\.14'\nMore details here/);
  });

  it('TLS to a plain HTTP server, and plain HTTP to a TLS port', async () => {
    const s = await localTls();
    const b = [...s.world.hosts.values()][0].named.get('b')!;
    startHttpServer(b, 8000, { flavor: 'python' });
    const wrong = await runLine(s, 'ip netns exec a curl -sS https://10.9.0.2:8000/');
    expect(wrong).toMatchObject({ exitCode: 35, output: 'curl: (35) error:0A00010B:SSL routines::wrong version number\n' });
    const plain = await runLine(s, 'ip netns exec a curl -s http://10.9.0.2:443/');
    expect(plain.exitCode).toBe(0);
    expect(plain.output).toContain('The plain HTTP request was sent to HTTPS port');
  });

  it('keeps the HTTP bytes out of a capture', async () => {
    const s = new Session(world('linux'), {});
    await runLine(s, 'curl -s https://example.com/ -o /dev/null');
    const cap = await runLine(s, 'tcpdump -i eth0 -n -A port 443');
    expect(cap.output).toContain('> 93.184.215.14.443: Flags [P.]');
    expect(cap.output).not.toContain('GET / HTTP/1.1');
    expect(cap.output).not.toContain('Example Domain');
  });
});
