/**
 * Which commands exist where. On a simulated Linux host every registered command exists (the
 * `COMMANDS` registry). Inside a container only what its image ships does, in that image's
 * flavour: Alpine's `ping` is BusyBox's, with BusyBox's output and exit codes; nicolaka/netshoot
 * brings iputils, bind's `dig` and `tcpdump`; the nginx image has no `ping` at all.
 *
 * A toolbox maps command names to implementations. Flavoured implementations (BusyBox, bind)
 * are registered under a flavour name and picked by the toolbox's recipe.
 */
import type { Command, Place } from './context.ts';
import { COMMANDS } from './registry.ts';

export interface Toolbox {
  readonly name: string;
  /** the shell `docker exec -it X sh` starts, and how "not found" reads */
  readonly shell: 'ash' | 'bash' | 'sh';
  readonly commands: ReadonlyMap<string, Command>;
}

const TOOLBOXES = new Map<string, Toolbox>();

/** Implementations by flavour: `busybox` → ping, wget, nslookup...; `bind` → dig, nslookup. */
const FLAVOURS = new Map<string, Map<string, Command>>();

/** Register commands of a flavour (BusyBox applets, bind tools). */
export function registerFlavour(flavour: string, ...cmds: Command[]): void {
  let m = FLAVOURS.get(flavour);
  if (!m) {
    m = new Map();
    FLAVOURS.set(flavour, m);
  }
  for (const c of cmds) m.set(c.name, c);
}

export function flavourCommand(flavour: string, name: string): Command | undefined {
  return FLAVOURS.get(flavour)?.get(name);
}

/**
 * Define a toolbox: `names` are the commands present, each taken from the first of `flavours`
 * that has it, else from the host's implementation (`COMMANDS`). Names found nowhere are
 * reported, so a recipe cannot silently promise a tool that does not exist.
 */
export function defineToolbox(name: string, shell: Toolbox['shell'], flavours: readonly string[], names: readonly string[]): Toolbox {
  const commands = new Map<string, Command>();
  const missing: string[] = [];
  for (const n of names) {
    let c: Command | undefined;
    for (const f of flavours) {
      c = flavourCommand(f, n);
      if (c) break;
    }
    c ??= COMMANDS.get(n);
    if (c) commands.set(n, c);
    else missing.push(n);
  }
  if (missing.length) throw new Error(`toolbox ${name}: no implementation for ${missing.join(', ')}`);
  const t: Toolbox = { name, shell, commands };
  TOOLBOXES.set(name, t);
  return t;
}

export function toolbox(name: string): Toolbox | undefined {
  return TOOLBOXES.get(name);
}

/** The commands that exist in a place. */
export function commandsAt(place: Place): ReadonlyMap<string, Command> {
  if (!place.container) return COMMANDS;
  return TOOLBOXES.get(place.container.toolbox)?.commands ?? COMMANDS;
}

/** What the place's shell prints for an unknown command (bash and ash word it differently). */
export function notFoundMessage(place: Place, name: string): string {
  const shell = place.container ? (TOOLBOXES.get(place.container.toolbox)?.shell ?? 'bash') : 'bash';
  if (shell === 'bash') return `${name}: command not found\n`;
  return `sh: ${name}: not found\n`;
}
