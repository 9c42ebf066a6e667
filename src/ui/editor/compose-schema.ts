/**
 * A JSON schema of the Compose file as far as the simulator's `docker compose` reads it, for the
 * editor's checking and completion: the keys it understands, and no others (a typo such as
 * `netwroks:` is marked at once, as `docker compose config` would refuse it).
 */
const stringOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const env = { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean', 'null'] } }] };

export const composeSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Compose file (the part Packet Path simulates)',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { type: 'string', description: 'Obsolete: ignored by Compose v2.' },
    name: { type: 'string', description: 'The project name (otherwise the directory name).' },
    services: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          image: { type: 'string' },
          container_name: { type: 'string' },
          hostname: { type: 'string' },
          command: stringOrList,
          entrypoint: stringOrList,
          environment: env,
          ports: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'object', properties: { target: { type: 'number' }, published: { type: ['string', 'number'] }, host_ip: { type: 'string' }, protocol: { enum: ['tcp', 'udp'] } }, additionalProperties: false }] } },
          expose: { type: 'array', items: { type: ['string', 'number'] } },
          networks: {
            oneOf: [
              { type: 'array', items: { type: 'string' } },
              { type: 'object', additionalProperties: { oneOf: [{ type: 'null' }, { type: 'object', additionalProperties: false, properties: { aliases: { type: 'array', items: { type: 'string' } }, ipv4_address: { type: 'string' } } }] } },
            ],
          },
          network_mode: { type: 'string' },
          dns: stringOrList,
          dns_search: stringOrList,
          extra_hosts: { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object', additionalProperties: { type: 'string' } }] },
          depends_on: { oneOf: [{ type: 'array', items: { type: 'string' } }, { type: 'object' }] },
          restart: { enum: ['no', 'always', 'unless-stopped', 'on-failure'] },
          tty: { type: 'boolean' },
          stdin_open: { type: 'boolean' },
          cap_add: { type: 'array', items: { type: 'string' } },
          privileged: { type: 'boolean' },
          volumes: { type: 'array', items: { type: 'string' } },
          labels: env,
        },
      },
    },
    networks: {
      type: 'object',
      additionalProperties: {
        oneOf: [
          { type: 'null' },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              name: { type: 'string' },
              driver: { type: 'string' },
              driver_opts: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
              external: { oneOf: [{ type: 'boolean' }, { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false }] },
              internal: { type: 'boolean' },
              attachable: { type: 'boolean' },
              labels: env,
              ipam: { type: 'object', properties: { driver: { type: 'string' }, config: { type: 'array', items: { type: 'object', properties: { subnet: { type: 'string' }, gateway: { type: 'string' }, ip_range: { type: 'string' } }, additionalProperties: false } } }, additionalProperties: false },
            },
          },
        ],
      },
    },
    volumes: { type: 'object' },
  },
} as const;
