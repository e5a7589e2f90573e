// Command-line flags with pflag's (and so docker's) syntax: `--name value`,
// `--name=value`, `-q`, grouped short flags `-qa`, `--` ends flags. Flags may
// appear before or after positional arguments, as in cobra.
import { ShoalError } from '../../api/errors.js';

export type FlagKind = 'bool' | 'string' | 'int' | 'uint' | 'list';

export interface FlagDef {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly usage: string;
  /** Shown in help; the parser does not fill defaults (commands do, so they can tell "unset"). */
  readonly defaultText?: string;
  /** Placeholder in help, e.g. "string", "list", "uint". */
  readonly valueName?: string;
  readonly hidden?: boolean;
}

export type FlagValue = boolean | string | number | string[];

export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, FlagValue>;
  readonly args: readonly string[];
}

/** A usage error: docker exits 125 for these and adds "See '<cmd> --help'." */
export class UsageError extends ShoalError {
  constructor(message: string) {
    super('InvalidArgument', message);
    this.name = 'UsageError';
  }
}

function parseValue(def: FlagDef, raw: string, prev: FlagValue | undefined): FlagValue {
  switch (def.kind) {
    case 'bool': {
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new UsageError(`invalid argument "${raw}" for "${flagLabel(def)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
    }
    case 'string':
      return raw;
    case 'int':
    case 'uint': {
      const ok = def.kind === 'int' ? /^-?\d+$/.test(raw) : /^\d+$/.test(raw);
      if (!ok) {
        const fn = def.kind === 'int' ? 'ParseInt' : 'ParseUint';
        throw new UsageError(`invalid argument "${raw}" for "${flagLabel(def)}" flag: strconv.${fn}: parsing "${raw}": invalid syntax`);
      }
      return Number(raw);
    }
    case 'list':
      return [...(Array.isArray(prev) ? prev : []), raw];
  }
}

function flagLabel(def: FlagDef): string {
  return def.short ? `-${def.short}, --${def.name}` : `--${def.name}`;
}

/**
 * `interspersed: false` stops at the first positional argument, as cobra's
 * SetInterspersed(false): in `service create IMAGE sh -c 'x'`, `-c` belongs
 * to the command, not to shoal.
 */
export function parseFlags(defs: readonly FlagDef[], argv: readonly string[], opts: { interspersed?: boolean } = {}): ParsedArgs {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const byShort = new Map(defs.filter((d) => d.short).map((d) => [d.short as string, d]));
  const flags = new Map<string, FlagValue>();
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const def = byName.get(name);
      if (def === undefined) throw new UsageError(`unknown flag: --${name}`);
      let raw: string;
      if (eq >= 0) raw = a.slice(eq + 1);
      else if (def.kind === 'bool') raw = 'true';
      else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`flag needs an argument: --${name}`);
        raw = next;
        i++;
      }
      flags.set(def.name, parseValue(def, raw, flags.get(def.name)));
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // Grouped shorts: -qa, or -n3 / -n 3 for a value flag.
      for (let j = 1; j < a.length; j++) {
        const ch = a[j] as string;
        const def = byShort.get(ch);
        if (def === undefined) throw new UsageError(`unknown shorthand flag: '${ch}' in ${a}`);
        if (def.kind === 'bool') {
          if (a[j + 1] === '=') {
            flags.set(def.name, parseValue(def, a.slice(j + 2), undefined));
            break;
          }
          flags.set(def.name, true);
          continue;
        }
        let raw = a.slice(j + 1);
        if (raw.startsWith('=')) raw = raw.slice(1);
        if (raw === '') {
          const next = argv[i + 1];
          if (next === undefined) throw new UsageError(`flag needs an argument: '${ch}' in -${ch}`);
          raw = next;
          i++;
        }
        flags.set(def.name, parseValue(def, raw, flags.get(def.name)));
        break;
      }
      continue;
    }
    args.push(a);
    if (opts.interspersed === false) {
      args.push(...argv.slice(i + 1));
      break;
    }
  }
  return { flags, args };
}

/** Typed accessors over parsed flags. */
export class Flags {
  constructor(private readonly parsed: ReadonlyMap<string, FlagValue>) {}
  has(name: string): boolean {
    return this.parsed.has(name);
  }
  bool(name: string): boolean {
    return this.parsed.get(name) === true;
  }
  string(name: string): string | undefined {
    const v = this.parsed.get(name);
    return typeof v === 'string' ? v : undefined;
  }
  number(name: string): number | undefined {
    const v = this.parsed.get(name);
    return typeof v === 'number' ? v : undefined;
  }
  list(name: string): string[] {
    const v = this.parsed.get(name);
    return Array.isArray(v) ? v : [];
  }
}

export function formatFlagHelp(defs: readonly FlagDef[]): string {
  const rows = defs
    .filter((d) => !d.hidden)
    .map((d) => {
      const head = (d.short ? `  -${d.short}, --${d.name}` : `      --${d.name}`) + (d.kind === 'bool' ? '' : ` ${d.valueName ?? d.kind}`);
      const tail = d.defaultText !== undefined ? `${d.usage} (default ${d.defaultText})` : d.usage;
      return [head, tail] as const;
    });
  const w = Math.max(0, ...rows.map(([h]) => h.length));
  return rows.map(([h, t]) => `${h.padEnd(w)}   ${t}`).join('\n');
}
