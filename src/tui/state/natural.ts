// Sort keys that order plain string comparison the way docker/cli orders
// names (fvbommel/sortorder: runs of digits compare as numbers, digits
// before other characters), so 50,000 rows sort with `<` on cached keys
// instead of a natural comparator per comparison.

/**
 * Each digit run becomes \x01, its length in 3 digits, the digits without
 * leading zeros, and a character for how many zeros there were (fewer
 * first, as sortorder breaks ties): `web.10` -> `web.\x01002 10\x02`.
 */
export function naturalKey(s: string): string {
  return s.replace(/\d+/g, (run) => {
    const digits = run.replace(/^0+(?=\d)/, '');
    const zeros = run.length - digits.length;
    return `\x01${String(digits.length).padStart(3, '0')}${digits}${String.fromCharCode(2 + Math.min(zeros, 29))}`;
  });
}

export function compareKeys(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
