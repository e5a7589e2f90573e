import test from 'ava';
import fc from 'fast-check';
import { LineSplitter } from '../../../src/agent/runtime/line-splitter.js';

test('lines across chunks, CRLF, and the unterminated rest', (t) => {
  const splitter = new LineSplitter();
  t.deepEqual(splitter.push(Buffer.from('a\r\nb')), ['a']);
  t.deepEqual(splitter.push(Buffer.from('c\n\n')), ['bc', '']);
  t.deepEqual(splitter.push(Buffer.from('tail')), []);
  t.is(splitter.flush(), 'tail');
  t.is(splitter.flush(), undefined);
});

test('a line longer than the limit is cut into pieces', (t) => {
  const splitter = new LineSplitter(4);
  t.deepEqual(splitter.push(Buffer.from('abcdefghij\nxy')), ['abcd', 'efgh', 'ij']);
  t.is(splitter.flush(), 'xy');
});

test('same lines as a naive split, however the text is chunked (property)', (t) => {
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\n') }), fc.array(fc.nat()), (text, cuts) => {
      const splitter = new LineSplitter(1024);
      const out: string[] = [];
      let last = 0;
      for (const cut of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
        out.push(...splitter.push(Buffer.from(text.slice(last, cut))));
        last = Math.max(last, cut);
      }
      out.push(...splitter.push(Buffer.from(text.slice(last))));
      const rest = splitter.flush();
      if (rest !== undefined) out.push(rest);
      const naive = text.split('\n');
      if (naive.at(-1) === '') naive.pop();
      return JSON.stringify(out) === JSON.stringify(naive);
    }),
  );
  t.pass();
});
