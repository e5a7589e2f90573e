// A command tree in the manner of cobra, as docker's CLI uses it: usage
// errors read like docker's, `--help` prints usage, exit codes match (125
// for flag errors, 1 for other failures).
import { Flags, formatFlagHelp, parseFlags, UsageError, type FlagDef } from './flags.js';

export interface Output {
  write(text: string): void;
}

export interface Io {
  readonly out: Output;
  readonly err: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface RunContext<G = unknown> {
  readonly flags: Flags;
  readonly args: readonly string[];
  readonly io: Io;
  /** Global options (from the root's flags), e.g. the daemon address. */
  readonly global: G;
  /** The full command path, e.g. "shoal service ps". */
  readonly path: string;
}

export type ArgsRule = { readonly kind: 'none' } | { readonly kind: 'exact'; readonly n: number } | { readonly kind: 'min'; readonly n: number } | { readonly kind: 'range'; readonly min: number; readonly max: number };

export interface Command<G = unknown> {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** Usage after the command path, e.g. "[OPTIONS] SERVICE [SERVICE...]". */
  readonly usage?: string;
  readonly short: string;
  readonly flags?: readonly FlagDef[];
  readonly args?: ArgsRule;
  /** False: flags end at the first positional argument (cobra's SetInterspersed(false)). */
  readonly interspersed?: boolean;
  readonly run?: (ctx: RunContext<G>) => Promise<number | void>;
  readonly subcommands?: readonly Command<G>[];
}

/** Thrown by commands to exit with a given status after printing nothing more. */
export class ExitError extends Error {
  constructor(readonly status: number, message = '') {
    super(message);
    this.name = 'ExitError';
  }
}

const HELP: FlagDef = { name: 'help', kind: 'bool', usage: 'Print usage' };

function checkArgs(rule: ArgsRule | undefined, path: string, n: number): string | null {
  if (rule === undefined) return null;
  const plural = (k: number) => (k === 1 ? 'argument' : 'arguments');
  switch (rule.kind) {
    case 'none':
      return n === 0 ? null : `"${path}" accepts no arguments.`;
    case 'exact':
      return n === rule.n ? null : `"${path}" requires exactly ${rule.n} ${plural(rule.n)}.`;
    case 'min':
      return n >= rule.n ? null : `"${path}" requires at least ${rule.n} ${plural(rule.n)}.`;
    case 'range':
      return n >= rule.min && n <= rule.max ? null : `"${path}" requires at least ${rule.min} and at most ${rule.max} ${plural(rule.max)}.`;
  }
}

export function usageText<G>(cmd: Command<G>, path: string, inherited: readonly FlagDef[]): string {
  const subs = cmd.subcommands ?? [];
  const lines = [`Usage:  ${path} ${cmd.usage ?? (subs.length > 0 ? 'COMMAND' : '[OPTIONS]')}`, '', cmd.short];
  if (cmd.aliases && cmd.aliases.length > 0) lines.push('', 'Aliases:', `  ${[cmd.name, ...cmd.aliases].join(', ')}`);
  if (subs.length > 0) {
    const w = Math.max(...subs.map((s) => s.name.length));
    lines.push('', 'Commands:', ...subs.map((s) => `  ${s.name.padEnd(w)}   ${s.short}`));
  }
  const own = [...(cmd.flags ?? [])];
  if (own.length > 0 || inherited.length > 0) lines.push('', 'Options:', formatFlagHelp([...own, ...inherited, HELP]));
  if (subs.length > 0) lines.push('', `Run '${path} COMMAND --help' for more information on a command.`);
  return lines.join('\n') + '\n';
}

/**
 * Run argv against the tree. `makeGlobal` turns the root's parsed flags into
 * the global options handed to every command. Returns the exit status.
 */
export async function runCommand<G>(root: Command<G>, argv: readonly string[], io: Io, makeGlobal: (flags: Flags, env: Io['env']) => G, onError: (err: unknown, io: Io) => number): Promise<number> {
  // Walk down the tree: leading non-flag words name subcommands. Root flags
  // (like -H) may come first.
  const rootFlags = root.flags ?? [];
  let cmd = root;
  let path = root.name;
  const rest: string[] = [];
  const rootArgv: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('-')) {
      const def = rootFlags.find((f) => a === `--${f.name}` || a === `-${f.short}` || a.startsWith(`--${f.name}=`));
      if (def === undefined || cmd !== root) {
        rest.push(a);
        continue;
      }
      rootArgv.push(a);
      if (def.kind !== 'bool' && !a.includes('=')) {
        const v = argv[i + 1];
        if (v !== undefined) rootArgv.push(v);
        i++;
      }
      continue;
    }
    const sub = (cmd.subcommands ?? []).find((s) => s.name === a || (s.aliases ?? []).includes(a));
    if (sub === undefined || rest.length > 0) {
      rest.push(...argv.slice(i));
      break;
    }
    cmd = sub;
    path += ` ${sub.name}`;
  }
  const inherited = cmd === root ? [] : rootFlags;
  try {
    const rootParsed = parseFlags(rootFlags, rootArgv);
    if (rest.includes('--help') || (cmd.run === undefined && rest.length === 0)) {
      io.out.write(usageText(cmd, path, inherited));
      return 0;
    }
    if (cmd.run === undefined) {
      io.err.write(`${path}: '${rest[0] ?? ''}' is not a ${root.name} command.\nSee '${path} --help'\n`);
      return 1;
    }
    const parsed = parseFlags([...(cmd.flags ?? []), ...inherited], rest, cmd.interspersed === false ? { interspersed: false } : {});
    const merged = new Map([...rootParsed.flags, ...parsed.flags]);
    const argErr = checkArgs(cmd.args, path, parsed.args.length);
    if (argErr !== null) {
      io.err.write(`${argErr}\nSee '${path} --help'.\n\nUsage:  ${path} ${cmd.usage ?? '[OPTIONS]'}\n\n${cmd.short}\n`);
      return 1;
    }
    const global = makeGlobal(new Flags(merged), io.env);
    const status = await cmd.run({ flags: new Flags(merged), args: parsed.args, io, global, path });
    return typeof status === 'number' ? status : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err.write(`${err.message}\nSee '${path} --help'.\n`);
      return 125;
    }
    if (err instanceof ExitError) {
      if (err.message !== '') io.err.write(`${err.message}\n`);
      return err.status;
    }
    return onError(err, io);
  }
}
