import test, { type ExecutionContext } from 'ava';
import { generateKeyPairSync } from 'node:crypto';
import { isShoalError } from '../../../src/api/errors.js';
import { createCsr, MAX_CSR_BYTES, verifyCsr } from '../../../src/net/pki/csr.js';
import { bitString, implicit, integer, sequence } from '../../../src/net/pki/der-encode.js';
import { generateKey, samePublicKey, spkiDer } from '../../../src/net/pki/keys.js';
import { OID } from '../../../src/net/pki/oids.js';
import { fromPem, toPem } from '../../../src/net/pki/pem.js';
import { ecdsaWithSha256, signEcdsaSha256 } from '../../../src/net/pki/x509-build.js';
import { encodeName, valuesOf } from '../../../src/net/pki/x509-name.js';

function refusedAsInvalid(t: ExecutionContext, input: string | Uint8Array, message: RegExp): void {
  const err = t.throws(() => verifyCsr(input));
  t.true(isShoalError(err) && err.code === 'InvalidArgument');
  t.regex(err?.message ?? '', message);
}

test('CSR round trip: verifyCsr returns the public key that signed it and the claimed subject', (t) => {
  const key = generateKey();
  const pem = createCsr(key, { commonName: 'whoever', organizationalUnit: 'swarm-manager' });
  t.true(pem.startsWith('-----BEGIN CERTIFICATE REQUEST-----\n'));
  const csr = verifyCsr(pem);
  t.true(samePublicKey(csr.publicKey, key));
  t.deepEqual(valuesOf(csr.claimedSubject, OID.commonName), ['whoever']);
  // DER input works too.
  t.true(samePublicKey(verifyCsr(fromPem(pem, 'CERTIFICATE REQUEST')).publicKey, key));
});

test('a CSR whose signature bytes were altered is refused', (t) => {
  const der = fromPem(createCsr(generateKey()), 'CERTIFICATE REQUEST');
  const tampered = new Uint8Array(der);
  // The last byte belongs to the signature's s value.
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 0x01;
  refusedAsInvalid(t, tampered, /signature does not verify/);
});

test('a CSR whose public key was swapped after signing is refused (proof of possession)', (t) => {
  const signer = generateKey();
  const victim = generateKey();
  const der = Buffer.from(fromPem(createCsr(signer), 'CERTIFICATE REQUEST'));
  const swapped = Buffer.from(der);
  const at = der.indexOf(Buffer.from(spkiDer(signer)));
  t.true(at > 0);
  Buffer.from(spkiDer(victim)).copy(swapped, at);
  refusedAsInvalid(t, swapped, /signature does not verify/);
});

test('a CSR for a key that is not P-256 is refused', (t) => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey;
  // createCsr will not make one, so build it by hand: correctly self-signed, wrong curve.
  t.throws(() => createCsr(p384), { message: /P-256/ });
  const info = sequence(integer(0), encodeName({}), spkiDer(p384), implicit(0, new Uint8Array(0), true));
  const der = sequence(info, ecdsaWithSha256(), bitString(signEcdsaSha256(info, p384)));
  refusedAsInvalid(t, toPem('CERTIFICATE REQUEST', der), /must be an ECDSA P-256 key/);
});

test('garbage, a wrong PEM label, trailing bytes and oversized input are refused with InvalidArgument', (t) => {
  const good = fromPem(createCsr(generateKey()), 'CERTIFICATE REQUEST');
  refusedAsInvalid(t, 'hello', /no PEM CERTIFICATE REQUEST block/);
  refusedAsInvalid(t, toPem('CERTIFICATE', good), /no PEM CERTIFICATE REQUEST block/);
  refusedAsInvalid(t, '-----BEGIN CERTIFICATE REQUEST-----\n@@@@\n-----END CERTIFICATE REQUEST-----\n', /not valid base64/);
  refusedAsInvalid(t, Buffer.concat([good, Buffer.from([0])]), /trailing bytes/);
  refusedAsInvalid(t, new Uint8Array(MAX_CSR_BYTES + 1), /larger than/);
  refusedAsInvalid(t, sequence(integer(1)), /CertificationRequestInfo/);
});
