/**
 * Docker Compose v2.40 across projects: naming from the compose file's directory, external
 * networks, recreating a container whose configuration changed, `down` leaving a network that
 * another project still uses, `ls`, and compose's checks on a network it did not create
 * (docker/compose v2.40.3 pkg/compose/create.go resolveOrCreateNetwork, convergence.go
 * mustRecreate, down.go removeNetwork, cmd/compose/list.go).
 */
import { describe, expect, it } from 'vitest';
import { Session, runLine } from '../src/shell/index.ts';
import { world } from './helpers.ts';

async function run(s: Session, line: string): Promise<{ code: number; out: string }> {
  const r = await runLine(s, line);
  return { code: r.exitCode, out: r.output };
}

async function ok(s: Session, ...lines: string[]): Promise<string> {
  let out = '';
  for (const l of lines) {
    const r = await run(s, l);
    if (r.code !== 0) throw new Error(`${l}: exit ${r.code}: ${r.out}`);
    out += r.out;
  }
  return out;
}

const DB = `mkdir -p /srv/db && cat > /srv/db/compose.yaml <<'EOF'
services:
  postgres:
    image: postgres
EOF`;

const app = (extra: string) => `mkdir -p /srv/shop && cat > /srv/shop/compose.yaml <<'EOF'
services:
  web:
    image: alpine
    command: sleep infinity
${extra}EOF`;

const WITH_DATA = app(`    networks: [default, data]
networks:
  data:
    external: true
    name: db_default
`);

describe('docker compose across projects', () => {
  it('-f names the project after the compose file’s directory, wherever the command runs', async () => {
    const s = new Session(world('docker'), {});
    const out = await ok(s, DB, 'cd /', 'docker compose -f /srv/db/compose.yaml up -d');
    expect(out).toBe(' Network db_default  Creating\n Network db_default  Created\n Container db-postgres-1  Creating\n Container db-postgres-1  Created\n Container db-postgres-1  Starting\n Container db-postgres-1  Started\n');
    expect(await ok(s, "docker inspect -f '{{index .Config.Labels \"com.docker.compose.project.working_dir\"}} {{index .Config.Labels \"com.docker.compose.project.config_files\"}}' db-postgres-1")).toBe('/srv/db /srv/db/compose.yaml\n');
    expect(await ok(s, 'cd /srv', 'docker compose -f db/compose.yaml ps -q')).toMatch(/^[0-9a-f]{64}\n$/);
    // ps: the API's status and created time through HumanDuration, exposed ports as docker ps shows them
    expect(await ok(s, 'sleep 2', 'docker compose -f db/compose.yaml ps')).toBe('NAME            IMAGE      COMMAND                  SERVICE    CREATED         STATUS         PORTS\ndb-postgres-1   postgres   "docker-entrypoint.s…"   postgres   2 seconds ago   Up 2 seconds   5432/tcp\n');
    expect(await ok(s, 'docker compose ls')).toBe('NAME                STATUS              CONFIG FILES\ndb                  running(1)          /srv/db/compose.yaml\n');
  });

  it('a service reaches another project’s service by name over an external network; without it, it cannot', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, DB, 'cd /srv/db && docker compose up -d', WITH_DATA, 'cd /srv/shop && docker compose up -d');
    expect(await ok(s, 'docker compose exec web nc -zv -w 2 postgres 5432')).toMatch(/^postgres \(172\.18\.0\.\d+:5432\) open\n$/);
    // the external declaration dropped: compose recreates the container on its default network only
    const r = await ok(s, `${app('')}`, 'docker compose up -d');
    expect(r).toBe(' Container shop-web-1  Recreate\n Container shop-web-1  Recreated\n Container shop-web-1  Starting\n Container shop-web-1  Started\n');
    const bad = await run(s, 'docker compose exec web nc -zv -w 2 postgres 5432');
    expect(bad.code).toBe(1);
    expect(bad.out).toBe("nc: bad address 'postgres'\n");
    // nothing changed: the container is left alone
    expect(await ok(s, 'docker compose up -d')).toBe(' Container shop-web-1  Running\n');
  });

  it('an external network that does not exist stops `up`', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, WITH_DATA);
    const r = await run(s, 'cd /srv/shop && docker compose up -d');
    expect(r.code).toBe(1);
    expect(r.out).toBe('network db_default declared as external, but could not be found\n');
    expect(await ok(s, 'docker ps -aq')).toBe('');
  });

  it('a container that lost one of its networks is recreated by the next `up`', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, DB, 'cd /srv/db && docker compose up -d', WITH_DATA, 'cd /srv/shop && docker compose up -d', 'docker network disconnect db_default shop-web-1');
    expect(await ok(s, 'docker compose up -d')).toContain(' Container shop-web-1  Recreate\n');
    expect((await run(s, 'docker compose exec web nc -zv -w 2 postgres 5432')).code).toBe(0);
  });

  it('down leaves a network another project still uses, and a renamed project starts on a new one', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, DB, 'cd /srv/db && docker compose up -d', WITH_DATA, 'cd /srv/shop && docker compose up -d');
    const down = await run(s, 'cd /srv/db && docker compose down');
    expect(down.code).toBe(0);
    expect(down.out).toBe(' Container db-postgres-1  Stopping\n Container db-postgres-1  Stopped\n Container db-postgres-1  Removing\n Container db-postgres-1  Removed\n Network db_default  Resource is still in use\n');
    await ok(s, "cat > /srv/db/compose.yaml <<'EOF'\nname: pgstack\nservices:\n  postgres:\n    image: postgres\nEOF", 'docker compose up -d');
    expect(await ok(s, "docker network ls --format '{{.Name}}'")).toBe('bridge\ndb_default\nhost\nnone\npgstack_default\nshop_default\n');
    expect((await run(s, 'docker exec shop-web-1 nc -zv -w 2 postgres 5432')).out).toBe("nc: bad address 'postgres'\n");
    // down by project name alone, from a directory without a compose file
    expect(await ok(s, 'cd / && docker compose -p pgstack down')).toBe(' Container pgstack-postgres-1  Stopping\n Container pgstack-postgres-1  Stopped\n Container pgstack-postgres-1  Removing\n Container pgstack-postgres-1  Removed\n Network pgstack_default  Removing\n Network pgstack_default  Removed\n');
  });

  it('a network named in the file but not declared external: a warning, and an error when its key differs', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, DB, 'cd /srv/db && docker compose up -d');
    await ok(s, app('    networks: [data]\nnetworks:\n  data:\n    name: db_default\n'));
    const r = await run(s, 'cd /srv/shop && docker compose up -d');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^time="[0-9T:-]+Z" level=warning msg="a network with name db_default exists but was not created for project \\"shop\\".\\nSet `external: true` to use an existing network"\n/);
    expect(r.out).toContain('network db_default was found but has incorrect label com.docker.compose.network set to "default" (expected: "data")\n');
    // as the project's default network, the key matches: compose warns and uses it
    await ok(s, app('networks:\n  default:\n    name: db_default\n'));
    const d = await run(s, 'docker compose up -d');
    expect(d.code).toBe(0);
    expect((await run(s, 'docker compose exec web nc -zv -w 2 postgres 5432')).code).toBe(0);
  });

  it('config prints the project as compose-go normalises it: name, sorted services, long ports, resolved networks', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, app(`    depends_on: [cache]
    environment:
      PORT: 5432
    ports:
      - "8080:80"
    networks: [default, data]
  cache:
    image: redis
networks:
  data:
    external: true
    name: db_default
  unused: {}
`));
    expect(await ok(s, 'cd /srv/shop && docker compose config')).toBe(`name: shop
services:
  cache:
    image: redis
    networks:
      default: null
  web:
    command:
      - sleep
      - infinity
    depends_on:
      cache:
        condition: service_started
        required: true
    environment:
      PORT: "5432"
    image: alpine
    networks:
      data: null
      default: null
    ports:
      - mode: ingress
        target: 80
        published: "8080"
        protocol: tcp
networks:
  data:
    name: db_default
    external: true
  default:
    name: shop_default
`);
    expect((await run(s, 'docker compose config -q')).out).toBe('');
  });

  it('the legacy external.name form works, with compose-go’s deprecation warning', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, DB, 'cd /srv/db && docker compose up -d');
    await ok(s, app('    networks: [data]\nnetworks:\n  data:\n    external:\n      name: db_default\n'));
    const r = await run(s, 'cd /srv/shop && docker compose up -d');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/level=warning msg="networks.data: external.name is deprecated. Please set name and external: true"\n/);
    expect((await run(s, 'docker compose exec web nc -zv -w 2 postgres 5432')).code).toBe(0);
  });

  it('registers the container name, then the service name, as aliases on every network (getAliases); DNSNames add the short id and a set hostname, once each', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, app('    hostname: shop-web-1\n    networks: [default, back]\nnetworks:\n  back:\n'));
    await ok(s, 'cd /srv/shop && docker compose up -d');
    const out = await ok(s, "docker inspect -f '{{range $n, $e := .NetworkSettings.Networks}}{{$n}} {{json $e.Aliases}} {{len $e.DNSNames}}{{println}}{{end}}' shop-web-1");
    expect(out).toBe('shop_back ["shop-web-1","web"] 3\nshop_default ["shop-web-1","web"] 3\n\n');
    // a hostname that differs from every other name is registered too (buildEndpointDNSNames)
    await ok(s, 'docker run -d --name solo --hostname box --network shop_default alpine sleep infinity');
    expect(await ok(s, "docker inspect -f '{{json (index .NetworkSettings.Networks \"shop_default\").DNSNames}}' solo")).toMatch(/^\["solo","[0-9a-f]{12}","box"\]\n$/);
  });

  it('down -p without the file stops dependants first, from the com.docker.compose.depends_on labels (prepareLabels)', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, `mkdir -p /srv/shop && cat > /srv/shop/compose.yaml <<'EOF'
services:
  web:
    image: alpine
    command: sleep infinity
    depends_on: [api]
  api:
    image: alpine
    command: sleep infinity
    depends_on: [db]
  db:
    image: redis
EOF`, 'cd /srv/shop && docker compose up -d');
    expect(await ok(s, "docker inspect -f '{{index .Config.Labels \"com.docker.compose.depends_on\"}}' shop-web-1 shop-api-1 shop-db-1")).toBe('api:service_started:false\ndb:service_started:false\n\n');
    const out = await ok(s, 'cd / && docker compose -p shop down');
    expect(out.split('\n').filter((l) => l.endsWith('Stopping'))).toEqual([' Container shop-web-1  Stopping', ' Container shop-api-1  Stopping', ' Container shop-db-1  Stopping']);
  });

  it('labels the networks it creates with their config hash (PR 12267), then the key, the project and the version', async () => {
    const s = new Session(world('docker'), {});
    await ok(s, app(''), 'cd /srv/shop && docker compose up -d');
    expect(await ok(s, "docker network inspect -f '{{json .Labels}}' shop_default")).toMatch(/^\{"com\.docker\.compose\.config-hash":"[0-9a-f]{64}","com\.docker\.compose\.network":"default","com\.docker\.compose\.project":"shop","com\.docker\.compose\.version":"2\.40\.3"\}\n$/);
  });
});
