/**
 * The scenario file format (YAML): several hosts, the segments (LANs, wires) between them, and
 * the commands that finish setting each host up. Documented in docs/scenario-format.md.
 */
import { z } from 'zod';

const ifName = z
  .string()
  .min(1)
  .max(15)
  .regex(/^[^\s/:]+$/, 'an interface name has no spaces, slashes or colons');

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'an address with a prefix length, like 10.0.0.1/24');

export const InterfaceSchema = z
  .object({
    /** interface name inside the host, e.g. eth0 */
    name: ifName,
    /** the segment (LAN or wire) this NIC is plugged into */
    segment: z.string().min(1),
    /** IPv4 address with prefix length */
    address: cidr.optional(),
    /** more addresses */
    addresses: z.array(cidr).optional(),
    /** MAC address; derived from the seed when absent */
    mac: z
      .string()
      .regex(/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/, 'a MAC address like 02:00:00:00:00:01')
      .optional(),
    mtu: z.number().int().min(68).max(65535).optional(),
    /** leave the interface down (default: up) */
    down: z.boolean().optional(),
  })
  .strict();

export const HostSchema = z
  .object({
    /** host name: what the prompt and `ssh NAME` use */
    name: z
      .string()
      .min(1)
      .max(63)
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'a host name of lower-case letters, digits and dashes'),
    interfaces: z.array(InterfaceSchema).default([]),
    /** routes in `ip route add` syntax, e.g. "default via 10.0.0.1" */
    routes: z.array(z.string().min(1)).default([]),
    /** sysctls to set, e.g. net.ipv4.ip_forward: 1 */
    sysctl: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    /** files to create (path → content) */
    files: z.record(z.string().regex(/^\//, 'file paths are absolute'), z.string()).default({}),
    /** the resolver written to /etc/resolv.conf (default: none) */
    resolver: z.string().optional(),
    /** run an sshd on port 22 so other hosts can `ssh` here (default true) */
    ssh: z.boolean().default(true),
    /** install and start Docker Engine (after the host's routes and sysctls, before its setup) */
    docker: z.boolean().default(false),
    /** shell commands run on this host after the whole topology exists */
    setup: z.array(z.string()).default([]),
  })
  .strict();

export const SegmentSchema = z
  .object({
    /** one-way latency across this segment in microseconds (default 100) */
    latency_us: z.number().int().min(1).max(10_000_000).default(100),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    name: z.string().optional(),
    description: z.string().optional(),
    /** seed for MACs, ports and ids; the --seed option overrides it */
    seed: z.number().int().min(0).optional(),
    segments: z.record(z.string(), SegmentSchema).default({}),
    hosts: z.array(HostSchema).min(1, 'a scenario needs at least one host'),
    /** attach the standard gateway (NAT + DNS resolver) and simulated internet to a segment */
    internet: z
      .object({
        segment: z.string().min(1),
        /** the gateway's address on that segment, e.g. 10.0.0.1/24 */
        gateway: cidr,
      })
      .strict()
      .optional(),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioHost = z.infer<typeof HostSchema>;
