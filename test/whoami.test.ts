/**
 * traefik/whoami's answer as its handler writes it: Hostname, IP and RemoteAddr lines ending in
 * "\n" (fmt.Fprintln), then the request as Go's Request.Write sends it, in CRLF lines.
 */
import { describe, expect, it } from 'vitest';
import { run, world } from './helpers.ts';

describe('traefik/whoami', () => {
  it('prints its host name, addresses and the request', async () => {
    const r = await run(world('docker'), ['docker network create n', 'docker run -d --name w --hostname api --network n traefik/whoami', 'curl -s -H "X-Trace: 1" http://172.18.0.2/']);
    expect(r[2].output).toMatch(/^Hostname: api\nIP: 127\.0\.0\.1\nIP: 172\.18\.0\.2\nRemoteAddr: 172\.18\.0\.1:\d+\nGET \/ HTTP\/1\.1\r\nHost: 172\.18\.0\.2\r\nUser-Agent: curl\/7\.88\.1\r\nAccept: \*\/\*\r\nX-Trace: 1\r\n\r\n$/);
  });
});
