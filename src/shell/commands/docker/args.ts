/**
 * Flag parsing the way the docker CLI (cobra + pflag) does it: `--name x`, `--name=x`, `-d`,
 * bundled short flags (`-dit`), `-p8080:80`, repeated flags collected in order, and (for `run`,
 * `exec`, `create`) parsing stops at the first positional argument, so a container's own command
 * keeps its flags. `--` ends the flags.
 */

export interface FlagSpec {
  /** long name without dashes */
  readonly long: string;
  readonly short?: string;
  /** takes a value */
  readonly value?: boolean;
  /** may be given several times (values collected) */
  readonly repeat?: boolean;
}

export interface Parsed {
  readonly flags: Map<string, string[]>;
  readonly args: string[];
}

export class FlagError extends Error {}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[], opts: { interspersed: boolean }): Parsed {
  const byLong = new Map(specs.map((s) => [s.long, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  const set = (s: FlagSpec, v: string) => {
    const list = flags.get(s.long) ?? [];
    if (s.repeat) list.push(v);
    else list.splice(0, list.length, v);
    flags.set(s.long, list);
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      return { flags, args };
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const s = byLong.get(name);
      if (!s) throw new FlagError(`unknown flag: --${name}`);
      if (s.value) {
        let v: string;
        if (eq >= 0) v = a.slice(eq + 1);
        else {
          if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: --${name}`);
          v = argv[++i];
        }
        set(s, v);
      } else {
        const v = eq >= 0 ? a.slice(eq + 1) : 'true';
        if (v !== 'true' && v !== 'false') throw new FlagError(`invalid argument "${v}" for "--${name}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
        set(s, v);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const ch = a[j];
        const s = byShort.get(ch);
        if (!s) throw new FlagError(`unknown shorthand flag: '${ch}' in ${a}`);
        if (s.value) {
          let v = a.slice(j + 1);
          if (v.startsWith('=')) v = v.slice(1);
          if (v === '') {
            if (i + 1 >= argv.length) throw new FlagError(`flag needs an argument: '${ch}' in -${ch}`);
            v = argv[++i];
          }
          set(s, v);
          break;
        }
        set(s, 'true');
      }
      continue;
    }
    if (!opts.interspersed) {
      args.push(...argv.slice(i));
      return { flags, args };
    }
    args.push(a);
  }
  return { flags, args };
}

export function flag(p: Parsed, name: string): string | undefined {
  const v = p.flags.get(name);
  return v && v.length ? v[v.length - 1] : undefined;
}

export function bool(p: Parsed, name: string): boolean {
  return flag(p, name) === 'true';
}

export function all(p: Parsed, name: string): string[] {
  return p.flags.get(name) ?? [];
}
