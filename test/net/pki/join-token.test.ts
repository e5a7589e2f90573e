import test from 'ava';
import fc from 'fast-check';
import { isShoalError, type ErrorCode } from '../../../src/api/errors.js';
import {
  base36ToDigest,
  digestToBase36,
  generateJoinToken,
  generateSecret,
  JOIN_TOKEN_PATTERN,
  parseJoinToken,
} from '../../../src/net/pki/join-token.js';
import { createJoinTokens, joinTokenFor, roleForJoinToken, rotateJoinToken } from '../../../src/net/pki/join-token-set.js';
import { createRootCa } from '../../../src/net/pki/root-ca.js';
import { trustCaForToken } from '../../../src/net/pki/trust-ca.js';
import { NOW, seededBytes } from './fixtures.js';

const ca = createRootCa({ now: NOW });
const otherCa = createRootCa({ now: NOW });

function codeOf(f: () => unknown): ErrorCode | 'no error' | 'not a ShoalError' {
  try {
    f();
    return 'no error';
  } catch (err) {
    return isShoalError(err) ? err.code : 'not a ShoalError';
  }
}

test('a generated token is SWMTKN-1-<CA digest, 50 base-36>-<secret, 25 base-36> and parses back (property)', (t) => {
  const token = generateJoinToken(ca.digest);
  t.regex(token, JOIN_TOKEN_PATTERN);
  t.regex(token, /^SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}$/);
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (digestBytes, secretBytes) => {
      const digest = Buffer.from(digestBytes).toString('hex');
      const secret = generateSecret(() => secretBytes);
      const parsed = parseJoinToken(generateJoinToken(digest, () => secretBytes));
      return parsed.caDigest === digest && parsed.secret === secret && parsed.version === 1 && !parsed.fips;
    }),
  );
});

test('base-36 digest and secret match values computed independently (Python int conversion)', (t) => {
  const max = 'f'.repeat(64);
  t.is(digestToBase36(max), '6dp5qcb22im238nr3wvp0ic7q99w035jmy2iw7i6n43d37jtof');
  t.is(digestToBase36('0'.repeat(64)), '0'.repeat(50));
  t.is(
    digestToBase36('888696c38e895dd742b8494f449219c12a256a16d0841b93813c841a298df92c'),
    '3ehz0vy1rgir1h8uo2q69suaxdq9642xlts8ii6awu7y8a9e0c',
  );
  t.is(base36ToDigest('6dp5qcb22im238nr3wvp0ic7q99w035jmy2iw7i6n43d37jtof'), max);
  t.is(generateSecret(() => Uint8Array.from({ length: 16 }, (_, i) => i)), '000avh9he7dy896m08s18udxr');
});

test('malformed tokens are refused as "invalid join token" (InvalidArgument), as swarmkit refuses them', (t) => {
  const good = generateJoinToken(ca.digest, seededBytes('t'));
  const [, , digest = '', secret = ''] = good.split('-');
  const cases: Record<string, string> = {
    empty: '',
    'not a token': 'invalidtoken',
    'wrong prefix': `SWMTKM-1-${digest}-${secret}`,
    'unknown version': `SWMTKN-0-${digest}-${secret}`,
    'v1 with five parts': `SWMTKN-1-1-${digest}-${secret}`,
    'v2 with four parts': `SWMTKN-2-${digest}-${secret}`,
    'v2 with a bad FIPS flag': `SWMTKN-2-x-${digest}-${secret}`,
    'digest too short': `SWMTKN-1-${digest.slice(1)}-${secret}`,
    'secret too long': `SWMTKN-1-${digest}-${secret}0`,
    'upper case': good.toUpperCase(),
    'digest above 2^256': `SWMTKN-1-${'z'.repeat(50)}-${secret}`,
    'mistyped (swarmkit test vector)': 'SWMTKN-1-3wkodtpeoipd1u1hi0ykdcdwhw16dk73ulqqtn14b3indz68rf-4myj5xihyto11dg1cn55w8p6',
  };
  for (const [name, token] of Object.entries(cases)) {
    const err = t.throws(() => parseJoinToken(token), undefined, name);
    t.true(isShoalError(err) && err.code === 'InvalidArgument', name);
    t.is(err?.message, 'invalid join token', name);
  }
});

test('a version 2 token parses with its FIPS flag', (t) => {
  const [, , digest = '', secret = ''] = generateJoinToken(ca.digest).split('-');
  t.like(parseJoinToken(`SWMTKN-2-1-${digest}-${secret}`), { version: 2, fips: true, caDigest: ca.digest, secret });
  t.like(parseJoinToken(`SWMTKN-2-0-${digest}-${secret}`), { version: 2, fips: false });
});

test('the joining node trusts the CA certificate whose digest is in its token', (t) => {
  const token = generateJoinToken(ca.digest);
  const trust = trustCaForToken(token, ca.certPem);
  t.is(trust.digest, ca.digest);
  t.true(trust.cert.ca);
});

test('a CA certificate that does not match the token digest is refused ("remote CA does not match fingerprint")', (t) => {
  const token = generateJoinToken(ca.digest);
  const err = t.throws(() => trustCaForToken(token, otherCa.certPem));
  t.true(isShoalError(err) && err.code === 'Unauthenticated');
  t.regex(err?.message ?? '', new RegExp(`^remote CA does not match fingerprint\\. Expected: ${ca.digest}`));
  // A single changed character in the served PEM is enough.
  const tampered = ca.certPem.replace('\n-----END', ' \n-----END');
  t.is(codeOf(() => trustCaForToken(token, tampered)), 'Unauthenticated');
  t.is(codeOf(() => trustCaForToken('SWMTKN-1-nope', ca.certPem)), 'InvalidArgument');
});

test('the manager grants the role of the token presented', (t) => {
  const tokens = createJoinTokens(ca.digest);
  t.not(tokens.worker, tokens.manager);
  t.is(roleForJoinToken(tokens, tokens.worker), 'worker');
  t.is(roleForJoinToken(tokens, tokens.manager), 'manager');
  t.is(joinTokenFor(tokens, 'manager'), tokens.manager);
});

test('a token with the right CA digest but a wrong secret is refused (PermissionDenied, Docker\'s message)', (t) => {
  const tokens = createJoinTokens(ca.digest);
  const guess = generateJoinToken(ca.digest);
  const err = t.throws(() => roleForJoinToken(tokens, guess));
  t.true(isShoalError(err) && err.code === 'PermissionDenied');
  t.is(err?.message, 'A valid join token is necessary to join this cluster');
  // The right secret under another CA's digest is not the cluster's token either.
  const secret = tokens.worker.split('-')[3] ?? '';
  const [, , otherDigest = ''] = generateJoinToken(otherCa.digest).split('-');
  t.is(codeOf(() => roleForJoinToken(tokens, `SWMTKN-1-${otherDigest}-${secret}`)), 'PermissionDenied');
  t.is(codeOf(() => roleForJoinToken(tokens, 'SWMTKN-1-garbage')), 'InvalidArgument');
});

test('rotation: the new token is granted, the old one refused, the other role untouched', (t) => {
  const before = createJoinTokens(ca.digest);
  const after = rotateJoinToken(before, 'worker', ca.digest);
  t.not(after.worker, before.worker);
  t.is(after.manager, before.manager);
  t.regex(after.worker, JOIN_TOKEN_PATTERN);
  t.is(after.worker.split('-')[2], before.worker.split('-')[2]); // same CA digest, new secret
  t.is(roleForJoinToken(after, after.worker), 'worker');
  t.is(codeOf(() => roleForJoinToken(after, before.worker)), 'PermissionDenied');
  const both = rotateJoinToken(after, 'manager', ca.digest);
  t.is(codeOf(() => roleForJoinToken(both, before.manager)), 'PermissionDenied');
  t.is(roleForJoinToken(both, both.manager), 'manager');
});
