// Parsers for the values operators type, with the errors in Docker's words:
// Go durations (time.ParseDuration), memory sizes (go-units RAMInBytes),
// CPUs (docker/cli opts.NanoCPUs), unsigned integers and floats (Go strconv).
// The CLI wraps a failure the way pflag does: see `flagArgumentError`.

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function ok<T>(value: T): Parsed<T> {
  return { ok: true, value };
}

function err<T = never>(error: string): Parsed<T> {
  return { ok: false, error };
}

/** Go's strconv.Quote for the printable text operators type. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/** pflag's wrapping: `invalid argument "abc" for "--update-delay" flag: time: invalid duration "abc"`. */
export function flagArgumentError(flag: string, value: string, error: string): string {
  const name = flag.startsWith('-') ? flag : `--${flag}`;
  return `invalid argument ${quote(value)} for ${quote(name)} flag: ${error}`;
}

// ---- time.ParseDuration ----

const UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX_DURATION = (1n << 63n) - 1n;

/**
 * Go's time.ParseDuration: a possibly signed sequence of decimal numbers,
 * each with an optional fraction and a unit (`300ms`, `-1.5h`, `2h45m`).
 * The result is in nanoseconds; beyond 2^53 ns (about 104 days) it is exact
 * only to the nearest representable double.
 */
export function parseGoDuration(text: string): Parsed<number> {
  const invalid = err<number>(`time: invalid duration ${quote(text)}`);
  let rest = text;
  let neg = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    neg = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') return ok(0);
  if (rest === '') return invalid;
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?/.exec(rest);
    const whole = m?.[1] ?? '';
    const frac = m?.[2];
    if (m === null || (whole === '' && (frac === undefined || frac === ''))) return invalid;
    rest = rest.slice(m[0].length);
    const unitMatch = /^[^0-9.]+/.exec(rest);
    if (unitMatch === null) return err(`time: missing unit in duration ${quote(text)}`);
    const unitName = unitMatch[0];
    rest = rest.slice(unitName.length);
    const unit = UNIT_NS[unitName];
    if (unit === undefined) return err(`time: unknown unit ${quote(unitName)} in duration ${quote(text)}`);
    let v = whole === '' ? 0n : BigInt(whole);
    if (v > (1n << 63n) / unit) return invalid;
    v *= unit;
    if (frac !== undefined && frac !== '') {
      // Like Go: the fraction goes through float64, nanosecond-accurate for hours.
      const digits = frac.slice(0, 18);
      const f = Number(digits);
      v += BigInt(Math.trunc(f * (Number(unit) / 10 ** digits.length)));
      if (v > 1n << 63n) return invalid;
    }
    total += v;
    if (total > 1n << 63n) return invalid;
  }
  if (!neg && total > MAX_DURATION) return invalid;
  return ok(Number(neg ? -total : total));
}

/** docker/cli's PositiveDurationOpt: a Go duration that may not be negative. */
export function parsePositiveDuration(text: string): Parsed<number> {
  const r = parseGoDuration(text);
  if (r.ok && r.value < 0) return err('duration cannot be negative');
  return r;
}

// ---- go-units RAMInBytes ----

const BINARY_UNITS: Readonly<Record<string, number>> = {
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
  p: 1024 ** 5,
};

const GO_FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Go's strconv.ParseFloat(s, 64) for decimal text. */
export function parseGoFloat(text: string): Parsed<number> {
  if (!GO_FLOAT.test(text)) return err(`strconv.ParseFloat: parsing ${quote(text)}: invalid syntax`);
  const value = Number(text);
  if (!Number.isFinite(value)) return err(`strconv.ParseFloat: parsing ${quote(text)}: value out of range`);
  return ok(value);
}

/**
 * go-units RAMInBytes, as `--limit-memory`/`--reserve-memory` use it:
 * `512m`, `1g`, `100MiB`, `1.5GB`, `1024` (bytes). Units are binary and
 * case-insensitive; the `b` suffix is optional.
 */
export function parseRamInBytes(text: string): Parsed<number> {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text.charAt(i))) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return err(`invalid size: '${text}'`);
  const num = text.charAt(sep) === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  const rawSuffix = text.slice(sep + 1);
  const size = parseGoFloat(num);
  if (!size.ok) return size;
  if (size.value < 0) return err(`invalid size: '${text}'`);
  if (rawSuffix === '') return ok(Math.trunc(size.value));
  if (rawSuffix.length > 3) return err(`invalid suffix: '${rawSuffix}'`);
  const sfx = rawSuffix.toLowerCase();
  const badSuffix = err<number>(`invalid suffix: '${sfx}'`);
  if (sfx.startsWith('b')) return sfx.length > 1 ? badSuffix : ok(Math.trunc(size.value));
  const mul = BINARY_UNITS[sfx.charAt(0)];
  if (mul === undefined) return badSuffix;
  if (sfx.length === 2 && sfx.charAt(1) !== 'b') return badSuffix;
  if (sfx.length === 3 && sfx.slice(1) !== 'ib') return badSuffix;
  return ok(Math.trunc(size.value * mul));
}

// ---- docker/cli opts.ParseCPUs ----

/**
 * `--limit-cpu 0.5` -> 500000000 NanoCPUs. Like Go's big.Rat it takes
 * decimals (`1.5`, `2e-1`) and fractions (`3/2`); anything finer than a
 * nanoCPU is refused.
 */
export function parseNanoCpus(text: string): Parsed<number> {
  const notRational = err<number>(`failed to parse ${text} as a rational number`);
  let num: bigint;
  let den: bigint;
  const fraction = /^([+-]?\d+)\/(\d+)$/.exec(text);
  const decimal = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (fraction !== null) {
    num = BigInt(fraction[1] ?? '0');
    den = BigInt(fraction[2] ?? '1');
    if (den === 0n) return notRational;
  } else if (decimal !== null && ((decimal[2] ?? '') !== '' || (decimal[3] ?? '') !== '')) {
    const whole = decimal[2] ?? '';
    const frac = decimal[3] ?? '';
    const exp = Number(decimal[4] ?? '0');
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 400) return notRational;
    num = BigInt(`${whole}${frac}` === '' ? '0' : `${whole}${frac}`);
    if (decimal[1] === '-') num = -num;
    den = 10n ** BigInt(frac.length);
    if (exp >= 0) num *= 10n ** BigInt(exp);
    else den *= 10n ** BigInt(-exp);
  } else {
    return notRational;
  }
  const scaled = num * 1_000_000_000n;
  if (scaled % den !== 0n) return err('value is too precise');
  return ok(Number(scaled / den));
}

// ---- strconv.ParseUint(s, 0, 64) ----

const MAX_UINT64 = (1n << 64n) - 1n;

/** Go's strconv.ParseUint with base 0 (`12`, `0x1f`, `0o17`, `017`, `0b101`), as Uint64Opt uses it. */
export function parseGoUint(text: string): Parsed<number> {
  const syntax = err<number>(`strconv.ParseUint: parsing ${quote(text)}: invalid syntax`);
  const body = text.replace(/(?<=[0-9a-fA-F])_(?=[0-9a-fA-F])/g, '');
  let digits = body;
  let radix = 10;
  if (/^0[xX]/.test(body)) [digits, radix] = [body.slice(2), 16];
  else if (/^0[oO]/.test(body)) [digits, radix] = [body.slice(2), 8];
  else if (/^0[bB]/.test(body)) [digits, radix] = [body.slice(2), 2];
  else if (/^0\d/.test(body)) [digits, radix] = [body.slice(1), 8];
  const alphabet = '0123456789abcdef'.slice(0, radix);
  if (digits === '' || ![...digits.toLowerCase()].every((c) => alphabet.includes(c))) return syntax;
  let value = 0n;
  for (const c of digits.toLowerCase()) value = value * BigInt(radix) + BigInt(alphabet.indexOf(c));
  if (value > MAX_UINT64) return err(`strconv.ParseUint: parsing ${quote(text)}: value out of range`);
  return ok(Number(value));
}
