// Docker-style text the CLI and the console share: short ids, "5 seconds
// ago", "1.5GiB", Go duration strings. Each mirrors the Go function Docker
// calls, so the tables read exactly like Docker's:
// - shortId: moby stringid.TruncateID
// - humanDuration: docker/go-units HumanDuration
// - bytesSize / humanSize: go-units BytesSize / HumanSize ("%.4g" + unit)
// - formatGoDuration: Go's time.Duration.String
import type { Nanoseconds, Timestamp } from './object-meta.js';
import { parseTimestamp } from './object-meta.js';

const SHORT_ID_LENGTH = 12;

/** The 12-character id Docker's tables show; an `algo:` prefix is dropped first. */
export function shortId(id: string): string {
  const colon = id.indexOf(':');
  const bare = colon >= 0 ? id.slice(colon + 1) : id;
  return bare.length > SHORT_ID_LENGTH ? bare.slice(0, SHORT_ID_LENGTH) : bare;
}

/**
 * go-units HumanDuration: "Less than a second", "1 second", "59 seconds",
 * "About a minute", "2 minutes", "About an hour", "47 hours", "13 days",
 * "8 weeks", "23 months", "2 years". Hours are rounded, the rest truncated.
 */
export function humanDuration(ns: Nanoseconds): string {
  const seconds = Math.trunc(ns / 1e9);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ns / 60e9);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ns / 3600e9 + 0.5); // d.Round(time.Hour).Hours()
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ns / 3600e9) / 24 / 365)} years`;
}

/** `docker ps` CREATED: "About an hour ago". */
export function ago(thenMs: number, nowMs: number): string {
  return `${humanDuration((nowMs - thenMs) * 1e6)} ago`;
}

/** Docker's command.PrettyPrint for states: first letter upper-cased ("running" -> "Running"). */
export function prettyState(state: string): string {
  return state.charAt(0).toUpperCase() + state.slice(1);
}

/**
 * `docker service ps` CURRENT STATE: "Running 5 seconds ago",
 * "Shutdown about a minute ago" (HumanDuration lower-cased).
 */
export function stateSince(state: string, since: Timestamp, nowMs: number): string {
  const thenMs = parseTimestamp(since);
  const elapsed = Number.isNaN(thenMs) ? 0 : (nowMs - thenMs) * 1e6;
  return `${prettyState(state)} ${humanDuration(elapsed).toLowerCase()} ago`;
}

// ---- sizes ----

const BINARY_ABBRS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] as const;
const DECIMAL_ABBRS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'] as const;

function customSize(size: number, base: number, abbrs: readonly string[]): string {
  let i = 0;
  while (size >= base && i < abbrs.length - 1) {
    size /= base;
    i++;
  }
  return `${formatGoG(size, 4)}${abbrs[i] ?? ''}`;
}

/** go-units BytesSize: binary units, 4 significant digits ("1.5GiB", "3.686GiB", "512MiB"). */
export function bytesSize(bytes: number): string {
  return customSize(bytes, 1024, BINARY_ABBRS);
}

/** go-units HumanSize: decimal units, 4 significant digits ("133MB", "1.5GB"). */
export function humanSize(bytes: number): string {
  return customSize(bytes, 1000, DECIMAL_ABBRS);
}

/** Decimal digits of |x| rounded half-to-even to `prec` significant digits, and the decimal point position. */
function roundedDigits(x: number, prec: number): { readonly digits: string; readonly dp: number } {
  // 100 significant digits are the exact expansion for the magnitudes we print.
  const [mant = '0', expText = '0'] = Math.abs(x).toExponential(99).split('e');
  const all = mant.replace('.', '');
  let dp = Number(expText) + 1;
  let digits = all.slice(0, prec);
  const next = all.charAt(prec);
  const tail = all.slice(prec + 1);
  const last = Number(digits.charAt(digits.length - 1));
  if (next > '5' || (next === '5' && (/[1-9]/.test(tail) || last % 2 === 1))) {
    const bumped = (BigInt(digits) + 1n).toString();
    if (bumped.length > digits.length) dp += 1;
    digits = bumped.slice(0, prec);
  }
  return { digits: digits.replace(/0+$/, '') || '0', dp };
}

/** The shortest digits that read back as |x| (what Go's `%v`/`%g` print). */
function shortestDigits(x: number): { readonly digits: string; readonly dp: number } {
  const [mant = '0', expText = '0'] = Math.abs(x).toExponential().split('e');
  return { digits: mant.replace('.', '').replace(/0+$/, '') || '0', dp: Number(expText) + 1 };
}

/**
 * Go's fmt `%.<prec>g` (or `%g` when `prec` is omitted): `prec` significant
 * digits rounded half-to-even on the exact binary value, trailing zeros
 * dropped, exponent form when the exponent is < -4 or >= prec (6 for `%g`):
 * `1.5`, `1024`, `1.234e+04`, `1e-07`.
 */
export function formatGoG(x: number, prec?: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return '0';
  const sign = x < 0 ? '-' : '';
  const shortest = prec === undefined;
  const { digits, dp } = shortest ? shortestDigits(x) : roundedDigits(x, prec);
  const nd = digits.length;
  let p = shortest ? nd : prec;
  let eprec = p;
  if (eprec > nd && nd >= dp) eprec = nd;
  if (shortest) eprec = 6;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    p = Math.min(p, nd);
    const frac = digits.slice(1, p).padEnd(p - 1, '0');
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${digits.charAt(0)}${frac === '' ? '' : `.${frac}`}e${exp < 0 ? '-' : '+'}${e}`;
  }
  if (p > dp) p = nd;
  const fracDigits = Math.max(p - dp, 0);
  let intPart = '';
  if (dp <= 0) intPart = '0';
  else for (let i = 0; i < dp; i++) intPart += i < nd ? digits.charAt(i) : '0';
  let frac = '';
  for (let i = 1; i <= fracDigits; i++) {
    const j = dp + i - 1;
    frac += j >= 0 && j < nd ? digits.charAt(j) : '0';
  }
  return `${sign}${intPart}${frac === '' ? '' : `.${frac}`}`;
}

// ---- Go's time.Duration.String ----

/** fmtFrac: `v / 10^prec` split into its integer part and ".fraction" without trailing zeros. */
function splitFraction(v: bigint, prec: number): { readonly int: bigint; readonly frac: string } {
  const scale = 10n ** BigInt(prec);
  const fracDigits = (v % scale).toString().padStart(prec, '0').replace(/0+$/, '');
  return { int: v / scale, frac: fracDigits === '' ? '' : `.${fracDigits}` };
}

/**
 * Go's time.Duration.String: "0s", "500ms", "1.5µs", "5s", "1m30s",
 * "1h0m0s", "2160h0m0s". Hours are the largest unit.
 */
export function formatGoDuration(ns: Nanoseconds): string {
  let u = BigInt(Math.trunc(ns));
  const neg = u < 0n;
  if (neg) u = -u;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    const [prec, unit] = u < 1_000n ? [0, 'ns'] : u < 1_000_000n ? [3, 'µs'] : [6, 'ms'];
    const { int, frac } = splitFraction(u, prec);
    out = `${int}${frac}${unit}`;
  } else {
    const { int: secs, frac } = splitFraction(u, 9);
    out = `${secs % 60n}${frac}s`;
    const mins = secs / 60n;
    if (mins > 0n) {
      out = `${mins % 60n}m${out}`;
      const hours = mins / 60n;
      if (hours > 0n) out = `${hours}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}
