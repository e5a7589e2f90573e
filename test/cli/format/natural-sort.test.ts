import test from 'ava';
import fc from 'fast-check';
import { naturalCompare, naturalLess } from '../../../src/cli/format/natural-sort.js';

test('numbers compare as numbers, digits before other bytes (sortorder examples)', (t) => {
  const sorted = ['node10', 'node2', 'node1', 'Node3', 'node01', 'node', 'web.10', 'web.9', 'a-1', 'a1'].sort(naturalCompare);
  t.deepEqual(sorted, ['Node3', 'a1', 'a-1', 'node', 'node1', 'node01', 'node2', 'node10', 'web.9', 'web.10']);
  t.false(naturalLess('x', 'x'));
  t.true(naturalLess('0', '00'));
});

type Token = { readonly digits: true; readonly value: bigint; readonly zeros: number } | { readonly digits: false; readonly byte: number };

/** The obvious version: split into digit runs and single bytes, compare token by token. */
function naiveCompare(a: string, b: string): number {
  const tokens = (s: string): Token[] => {
    const bytes = [...Buffer.from(s, 'utf8')];
    const out: Token[] = [];
    for (let i = 0; i < bytes.length; ) {
      const isDigit = (x: number | undefined) => x !== undefined && x >= 0x30 && x <= 0x39;
      if (!isDigit(bytes[i])) {
        out.push({ digits: false, byte: bytes[i] as number });
        i++;
        continue;
      }
      let j = i;
      while (isDigit(bytes[j])) j++;
      const run = String.fromCharCode(...bytes.slice(i, j));
      out.push({ digits: true, value: BigInt(run), zeros: run.length - run.replace(/^0+/, '').length });
      i = j;
    }
    return out;
  };
  const ta = tokens(a);
  const tb = tokens(b);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i] as Token;
    const y = tb[i] as Token;
    if (x.digits !== y.digits) return x.digits ? -1 : 1;
    if (x.digits && y.digits) {
      if (x.value !== y.value) return x.value < y.value ? -1 : 1;
      if (x.zeros !== y.zeros) return x.zeros - y.zeros;
    } else if (!x.digits && !y.digits && x.byte !== y.byte) return x.byte - y.byte;
  }
  return ta.length - tb.length;
}

test('naturalCompare agrees with the token-by-token version', (t) => {
  const text = fc.string({ unit: fc.constantFrom('0', '1', '9', '00', 'a', 'B', '.', '-', 'é', 'z') });
  fc.assert(
    fc.property(text, text, (a, b) => Math.sign(naturalCompare(a, b)) === Math.sign(naiveCompare(a, b))),
    { numRuns: 5000 },
  );
  t.pass();
});
