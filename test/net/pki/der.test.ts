import test from 'ava';
import fc from 'fast-check';
import { isShoalError } from '../../../src/api/errors.js';
import {
  children,
  decodeBitString,
  decodeOid,
  decodeOne,
  decodeString,
  decodeTime,
  decodeUnsignedInteger,
} from '../../../src/net/pki/der-decode.js';
import { encodeLength, integer, namedBits, oid, sequence, time, utf8String } from '../../../src/net/pki/der-encode.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

test('lengths use the short form below 128 and the minimal long form above', (t) => {
  t.is(hex(encodeLength(0)), '00');
  t.is(hex(encodeLength(127)), '7f');
  t.is(hex(encodeLength(128)), '8180');
  t.is(hex(encodeLength(255)), '81ff');
  t.is(hex(encodeLength(256)), '820100');
  t.is(hex(encodeLength(70000)), '83011170');
});

test('integers are minimal two\'s complement (X.690 8.3.2) and decode back (property)', (t) => {
  t.is(hex(integer(0)), '020100');
  t.is(hex(integer(127)), '02017f');
  t.is(hex(integer(128)), '02020080');
  t.is(hex(integer(256)), '02020100');
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 200n) - 1n }), (n) => decodeUnsignedInteger(decodeOne(integer(n))) === n),
  );
});

test('OIDs encode as RFC 5280 examples and round-trip (property)', (t) => {
  t.is(hex(oid('2.5.4.3')), '0603550403');
  t.is(hex(oid('1.2.840.10045.4.3.2')), '06082a8648ce3d040302');
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 0, max: 39 }),
      fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { maxLength: 8 }),
      (a, b, rest) => {
        const dotted = [a, b, ...rest].join('.');
        return decodeOid(decodeOne(oid(dotted))) === dotted;
      },
    ),
  );
});

test('named bits drop trailing zero bits: keyUsage certSign+cRLSign is 03 02 01 06', (t) => {
  t.is(hex(namedBits([5, 6])), '03020106');
  t.is(hex(namedBits([0])), '03020780'); // digitalSignature only
  t.is(hex(namedBits([0, 8])), '0303078080');
  t.deepEqual(decodeBitString(decodeOne(namedBits([5, 6]))).unusedBits, 1);
});

test('times before 2050 are UTCTime, from 2050 GeneralizedTime, and decode back (RFC 5280 4.1.2.5)', (t) => {
  const y2049 = Date.UTC(2049, 11, 31, 23, 59, 59);
  const y2050 = Date.UTC(2050, 0, 1);
  t.is(Buffer.from(decodeOne(time(y2049)).content).toString(), '491231235959Z');
  t.is(decodeOne(time(y2049)).tag, 0x17);
  t.is(Buffer.from(decodeOne(time(y2050)).content).toString(), '20500101000000Z');
  t.is(decodeOne(time(y2050)).tag, 0x18);
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(1950, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
      const whole = Math.floor(ms / 1000) * 1000;
      return decodeTime(decodeOne(time(ms))) === whole;
    }),
  );
});

test('nested sequences and strings decode to what was encoded', (t) => {
  const der = sequence(utf8String('swarm-ca'), sequence(integer(5)));
  const [s, inner] = children(decodeOne(der));
  t.is(decodeString(s!), 'swarm-ca');
  t.is(decodeUnsignedInteger(children(inner!)[0]!), 5n);
});

test('malformed DER is refused with InvalidArgument: truncated, indefinite, non-minimal, trailing bytes', (t) => {
  const cases: Array<[string, string]> = [
    ['', 'unexpected end'],
    ['30', 'missing length'],
    ['30030201', 'past the end'],
    ['3080', 'indefinite'],
    ['30810100', 'non-minimal length'],
    ['020100ff', 'trailing bytes'],
    ['0185ffffffffff', 'length too large'],
  ];
  for (const [input, message] of cases) {
    const err = t.throws(() => decodeOne(Buffer.from(input, 'hex')));
    t.true(isShoalError(err) && err.code === 'InvalidArgument', input);
    t.regex(err?.message ?? '', new RegExp(message), input);
  }
  t.throws(() => decodeUnsignedInteger(decodeOne(Buffer.from('02020001', 'hex'))), { message: /non-minimal INTEGER/ });
  t.throws(() => decodeUnsignedInteger(decodeOne(Buffer.from('0201ff', 'hex'))), { message: /negative/ });
  t.throws(() => decodeTime(decodeOne(Buffer.from(`170d${Buffer.from('251301000000Z').toString('hex')}`, 'hex'))), {
    message: /invalid date/,
  });
});

test('decoding arbitrary bytes only ever fails with a ShoalError (fuzz property)', (t) => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      try {
        const top = decodeOne(bytes);
        if (top.tag & 0x20) children(top);
        return true;
      } catch (err) {
        return isShoalError(err) && err.code === 'InvalidArgument';
      }
    }),
  );
  t.pass();
});
