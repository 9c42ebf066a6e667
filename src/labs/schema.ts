/**
 * The lab format (labs/<id>/lab.yaml), checked with zod before anything runs. A lab is data:
 * the healthy world, the faults that break it, the story, the tasks and guards as checks of the
 * world's state and of real traffic, hints keyed to states, the reference solution and the wrong
 * fixes that must not pass. docs/labs.md documents it with an annotated example.
 */
import { z } from 'zod';

/** Where a check looks or sends from: `host`, `host@NAME`, `netns:NAME`, `container:NAME`, each optionally `@HOST`. */
const place = z
  .string()
  .regex(/^(host|netns:[^@\s]+|container:[^@\s]+)(@[a-z0-9-]+)?$/, 'a place: host, netns:NAME or container:NAME, optionally followed by @HOST');

const text = z.string().min(1);

/** A number, or a {{variable}} that the variant fills with one. */
const num = z.union([z.number().int(), z.string().regex(/^(\d+|\{\{\s*[a-zA-Z_]\w*\s*\}\})$/, 'a number or a {{variable}}')]);

export interface Check {
  reach?: { from: string; to: string; port?: number | string; proto?: 'tcp' | 'udp' | 'icmp'; expect: 'open' | 'closed' };
  dns?: { from: string; name: string; expect: string };
  http?: { from: string; url: string; status?: number | string; contains?: string };
  sysctl?: { on: string; key: string; equals: string };
  container?: { name: string; host?: string; running?: boolean; network?: string; notNetwork?: string; networkMode?: string; address?: string };
  iptables?: { on: string; table?: 'filter' | 'nat' | 'raw' | 'mangle'; contains?: string; absent?: string; policy?: { chain: string; is: string } };
  link?: { on: string; name: string; exists?: boolean; up?: boolean; master?: string | null; mtu?: number | string; address?: string; kind?: string };
  route?: { on: string; dst: string; via?: string; dev?: string; exists?: boolean };
  file?: { on: string; path: string; contains?: string; absent?: string };
  command?: { on: string; run: string; exit?: number; contains?: string; absent?: string };
  not?: Check;
  all?: Check[];
  any?: Check[];
  /** what a failure says, instead of the check's own message */
  message?: string;
}

export const CheckSchema: z.ZodType<Check> = z.lazy(() =>
  z
    .object({
      reach: z.object({ from: place, to: text, port: num.optional(), proto: z.enum(['tcp', 'udp', 'icmp']).optional(), expect: z.enum(['open', 'closed']) }).strict().optional(),
      dns: z.object({ from: place, name: text, expect: text }).strict().optional(),
      http: z.object({ from: place, url: z.string().regex(/^https?:\/\//, 'an http:// or https:// URL'), status: num.optional(), contains: z.string().optional() }).strict().optional(),
      sysctl: z.object({ on: place, key: text, equals: z.union([z.string(), z.number()]).transform(String) }).strict().optional(),
      container: z.object({ name: text, host: z.string().optional(), running: z.boolean().optional(), network: z.string().optional(), notNetwork: z.string().optional(), networkMode: z.string().optional(), address: z.string().optional() }).strict().optional(),
      iptables: z.object({ on: place, table: z.enum(['filter', 'nat', 'raw', 'mangle']).optional(), contains: z.string().optional(), absent: z.string().optional(), policy: z.object({ chain: text, is: z.enum(['ACCEPT', 'DROP']) }).strict().optional() }).strict().optional(),
      link: z.object({ on: place, name: text, exists: z.boolean().optional(), up: z.boolean().optional(), master: z.string().nullable().optional(), mtu: num.optional(), address: z.string().optional(), kind: z.string().optional() }).strict().optional(),
      route: z.object({ on: place, dst: text, via: z.string().optional(), dev: z.string().optional(), exists: z.boolean().optional() }).strict().optional(),
      file: z.object({ on: place, path: z.string().regex(/^\//, 'an absolute path'), contains: z.string().optional(), absent: z.string().optional() }).strict().optional(),
      command: z.object({ on: place, run: text, exit: z.number().int().optional(), contains: z.string().optional(), absent: z.string().optional() }).strict().optional(),
      not: CheckSchema.optional(),
      all: z.array(CheckSchema).min(1).optional(),
      any: z.array(CheckSchema).min(1).optional(),
      message: z.string().optional(),
    })
    .strict()
    .refine((c) => ['reach', 'dns', 'http', 'sysctl', 'container', 'iptables', 'link', 'route', 'file', 'command', 'not', 'all', 'any'].filter((k) => (c as Record<string, unknown>)[k] !== undefined).length === 1, {
      message: 'a check has exactly one of reach, dns, http, sysctl, container, iptables, link, route, file, command, not, all, any',
    }),
);

export const TaskSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'a task id of lower-case letters, digits and dashes'),
    title: text,
    checks: z.array(CheckSchema).min(1),
  })
  .strict();

export const HintSchema = z
  .object({
    /** the hint is offered while this check holds on the learner's world */
    when: CheckSchema.optional(),
    /** only for this fault */
    fault: z.string().optional(),
    text,
  })
  .strict();

const commands = z.array(z.string().min(1));

export const LabSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/, 'a lab id of lower-case letters, digits and dashes'),
    title: text,
    difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
    minutes: z.number().int().min(1).max(240),
    topics: z.array(text).min(1),
    lessons: z.array(z.string()).default([]),
    /** the course part it belongs to, and its order among the labs */
    part: z.number().int().min(1).default(1),
    order: z.number().int().min(1),
    world: z
      .object({
        /** a named world (bare, linux, docker) */
        name: z.string().optional(),
        /** a scenario file in the lab's folder */
        scenario: z.string().optional(),
        /** the host the learner's terminal starts on (scenarios) */
        start: z.string().optional(),
      })
      .strict()
      .refine((w) => (w.name === undefined) !== (w.scenario === undefined), { message: 'give exactly one of name and scenario' }),
    /** values that vary with the seed: each name takes one of its choices; used as {{name}} */
    variables: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)).default({}),
    /** commands that build the healthy system, run as root on the start host */
    setup: commands.default([]),
    /**
     * `repair` (the default): the learner gets a broken system to fix. `build`: the learner builds
     * the system from the setup's starting point, and each task grades one step of it.
     */
    kind: z.enum(['repair', 'build']).default('repair'),
    /** the ways the system is broken: one is chosen per seed; each is a list of commands */
    faults: z.record(z.string().regex(/^[a-z0-9-]+$/), commands.min(1)).default({}),
    story: text,
    tasks: z.array(TaskSchema).min(1),
    /** must hold after the fix too (the isolation the lab requires, a port that stays closed) */
    guards: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), title: text, check: CheckSchema }).strict()).default([]),
    hints: z.array(HintSchema).min(2),
    /** the reference solution: commands per fault, or one list for every fault */
    solution: z.union([commands.min(1), z.record(z.string(), commands.min(1))]),
    explanation: text,
    /** files the lab page offers in its editor (absolute paths on the start host) */
    files: z.array(z.string().regex(/^\//, { message: 'an absolute path' })).default([]),
    /** fixes that look tempting and must fail a guard */
    wrongFixes: z.array(z.object({ name: text, commands: commands.min(1) }).strict()).default([]),
  })
  .strict();

export type Lab = z.infer<typeof LabSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type Hint = z.infer<typeof HintSchema>;

/** Validate a parsed lab; errors name the field path. */
export function validateLab(data: unknown, file = 'lab.yaml'): { ok: true; lab: Lab } | { ok: false; errors: string[] } {
  const r = LabSchema.safeParse(data);
  if (r.success) {
    const lab = r.data;
    const errors: string[] = [];
    const nFaults = Object.keys(lab.faults).length;
    if (lab.kind === 'repair' && nFaults === 0) errors.push(`${file}: faults: a repair lab needs at least one fault`);
    if (lab.kind === 'build' && nFaults > 0) errors.push(`${file}: faults: a build lab starts from its setup and has no faults`);
    if (lab.kind === 'build' && !Array.isArray(lab.solution)) errors.push(`${file}: solution: a build lab has one list of commands`);
    if (!Array.isArray(lab.solution)) for (const f of Object.keys(lab.faults)) if (!lab.solution[f]) errors.push(`${file}: solution: no solution for fault "${f}"`);
    for (const h of lab.hints) if (h.fault && !lab.faults[h.fault]) errors.push(`${file}: hints: unknown fault "${h.fault}"`);
    return errors.length ? { ok: false, errors } : { ok: true, lab };
  }
  return { ok: false, errors: r.error.issues.map((i) => `${file}: ${i.path.join('.') || '(top)'}: ${i.message}`) };
}
