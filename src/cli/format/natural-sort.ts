// fvbommel/sortorder NaturalLess, which docker/cli sorts node and task
// lists with: runs of digits compare as numbers ("node2" < "node10"),
// digits sort before other bytes, everything else compares bytewise (UTF-8).

const ZERO = 0x30;
const NINE = 0x39;

function isDigit(b: number | undefined): boolean {
  return b !== undefined && b >= ZERO && b <= NINE;
}

export function naturalLess(a: string, b: string): boolean {
  const s1 = Buffer.from(a, 'utf8');
  const s2 = Buffer.from(b, 'utf8');
  let i1 = 0;
  let i2 = 0;
  while (i1 < s1.length && i2 < s2.length) {
    const c1 = s1[i1] as number;
    const c2 = s2[i2] as number;
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i1++;
      i2++;
      continue;
    }
    while (i1 < s1.length && s1[i1] === ZERO) i1++;
    while (i2 < s2.length && s2[i2] === ZERO) i2++;
    const nz1 = i1;
    const nz2 = i2;
    while (isDigit(s1[i1])) i1++;
    while (isDigit(s2[i2])) i2++;
    const len1 = i1 - nz1;
    const len2 = i2 - nz2;
    if (len1 !== len2) return len1 < len2;
    const n1 = s1.subarray(nz1, i1).toString('latin1');
    const n2 = s2.subarray(nz2, i2).toString('latin1');
    if (n1 !== n2) return n1 < n2;
    if (nz1 !== nz2) return nz1 < nz2;
  }
  return s1.length < s2.length;
}

/** A comparator for Array.prototype.sort (stable) from naturalLess. */
export function naturalCompare(a: string, b: string): number {
  if (naturalLess(a, b)) return -1;
  if (naturalLess(b, a)) return 1;
  return 0;
}
