// Typed reads of parsed flags, failing the way pflag does when a value does
// not parse: `invalid argument "x" for "--replicas" flag: strconv.ParseUint:
// parsing "x": invalid syntax` (exit 125). docker/cli declares most of the
// service flags as custom pflag Values (Uint64Opt, DurationOpt, NanoCPUs,
// MemBytes, ListOpts with a validator); the framework keeps them as strings
// and this module gives them their types.
import type { FlagDef, Flags } from '../../framework/flags.js';
import { UsageError } from '../../framework/flags.js';
import type { Parsed } from '../../../api/units.js';
import { flagArgumentError, parseGoDuration, parseGoFloat, parseGoUint, parseNanoCpus, parsePositiveDuration, parseRamInBytes } from '../../../api/units.js';

/** A flag-value validator: the value to keep, or Docker's complaint. */
export type Validator = (value: string) => Parsed<string>;

export class FlagReader {
  private readonly defs: ReadonlyMap<string, FlagDef>;

  constructor(
    readonly flags: Flags,
    defs: readonly FlagDef[],
  ) {
    this.defs = new Map(defs.map((d) => [d.name, d]));
  }

  /** Whether the flag was given (pflag's Changed). */
  has(name: string): boolean {
    return this.flags.has(name);
  }

  bool(name: string): boolean {
    return this.flags.bool(name);
  }

  string(name: string): string | undefined {
    return this.flags.string(name);
  }

  /** pflag's label for the flag: `-e, --env` or `--replicas`. */
  label(name: string): string {
    const short = this.defs.get(name)?.short;
    return short === undefined ? `--${name}` : `-${short}, --${name}`;
  }

  /** Throw pflag's error for a bad value of `name`. */
  refuse(name: string, value: string, error: string): never {
    throw new UsageError(flagArgumentError(this.label(name), value, error));
  }

  /** A parsed string flag, or undefined when not given. */
  parsed<T>(name: string, parse: (text: string) => Parsed<T>): T | undefined {
    const text = this.flags.string(name);
    if (text === undefined) return undefined;
    const r = parse(text);
    if (!r.ok) this.refuse(name, text, r.error);
    return r.value;
  }

  /** Uint64Opt / Uint64Var: strconv.ParseUint(s, 0, 64). */
  uint(name: string): number | undefined {
    return this.parsed(name, parseGoUint);
  }

  /** DurationOpt / DurationVar: time.ParseDuration, in nanoseconds. */
  duration(name: string): number | undefined {
    return this.parsed(name, parseGoDuration);
  }

  /** PositiveDurationOpt: a duration that may not be negative. */
  positiveDuration(name: string): number | undefined {
    return this.parsed(name, parsePositiveDuration);
  }

  /** floatValue: strconv.ParseFloat. */
  float(name: string): number | undefined {
    return this.parsed(name, parseGoFloat);
  }

  /** opts.NanoCPUs. */
  nanoCpus(name: string): number | undefined {
    return this.parsed(name, parseNanoCpus);
  }

  /** opts.MemBytes. */
  memBytes(name: string): number | undefined {
    return this.parsed(name, parseRamInBytes);
  }

  /** An int flag (the framework parsed it). */
  int(name: string): number | undefined {
    return this.flags.number(name);
  }

  /** Every value of a repeated flag, each through `validate` (ListOpts with a validator). */
  list(name: string, validate?: Validator): string[] {
    const values = this.flags.list(name);
    if (validate === undefined) return values;
    return values.map((v) => {
      const r = validate(v);
      if (!r.ok) this.refuse(name, v, r.error);
      return r.value;
    });
  }

  /** Every value of a repeated flag parsed into a structure (MountOpt, PortOpt, SecretOpt…). */
  each<T>(name: string, parse: (value: string) => Parsed<T>): T[] {
    return this.flags.list(name).map((v) => {
      const r = parse(v);
      if (!r.ok) this.refuse(name, v, r.error);
      return r.value;
    });
  }

  /** Whether any of the flags was given (docker/cli anyChanged). */
  any(...names: string[]): boolean {
    return names.some((n) => this.flags.has(n));
  }
}
