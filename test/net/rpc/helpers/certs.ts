// Test certificates made with the openssl CLI, shaped like the ones
// src/net/pki issues: ECDSA P-256, CN = node id, OU = swarm-manager |
// swarm-worker, O = cluster id. Generated once per process into a temp dir.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PeerCertificate } from 'node:tls';
import type { Peer } from '../../../../src/api/contract.js';
import { asNodeId } from '../../../../src/api/ids.js';

const run = promisify(execFile);

export interface KeyPair {
  readonly cert: string;
  readonly key: string;
}

export interface TestPki {
  readonly ca: string;
  readonly manager: KeyPair;
  readonly manager2: KeyPair;
  readonly worker: KeyPair;
  /** Signed by our CA, but with no shoal role in OU. */
  readonly stranger: KeyPair;
  /** A whole other CA, and a manager-looking certificate it signed. */
  readonly foreignCa: string;
  readonly foreign: KeyPair;
}

export const CLUSTER_ID = 'testcluster0000000000000a';

const EXT = [
  'basicConstraints = critical, CA:FALSE',
  'keyUsage = critical, digitalSignature, keyEncipherment',
  'extendedKeyUsage = serverAuth, clientAuth',
  'subjectAltName = DNS:localhost, IP:127.0.0.1',
].join('\n');

async function makeCa(dir: string, name: string): Promise<void> {
  await run('openssl', [
    'req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.crt`), '-subj', `/CN=${name}`, '-days', '2', '-sha256',
  ]);
}

async function makeLeaf(dir: string, ca: string, name: string, subject: string): Promise<KeyPair> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const crt = join(dir, `${name}.crt`);
  await run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', csr, '-subj', subject]);
  await run('openssl', [
    'x509', '-req', '-in', csr, '-CA', join(dir, `${ca}.crt`), '-CAkey', join(dir, `${ca}.key`), '-set_serial', String(Date.now() % 1e9),
    '-days', '2', '-sha256', '-extfile', join(dir, 'leaf.ext'), '-out', crt,
  ]);
  return { cert: await readFile(crt, 'utf8'), key: await readFile(key, 'utf8') };
}

let cached: Promise<TestPki> | undefined;

export function testPki(): Promise<TestPki> {
  cached ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-rpc-pki-'));
    try {
      await writeFile(join(dir, 'leaf.ext'), EXT);
      await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'foreign-ca')]);
      const [manager, manager2, worker, stranger, foreign] = await Promise.all([
        makeLeaf(dir, 'ca', 'manager', `/CN=managernode00000000000001/OU=swarm-manager/O=${CLUSTER_ID}`),
        makeLeaf(dir, 'ca', 'manager2', `/CN=managernode00000000000002/OU=swarm-manager/O=${CLUSTER_ID}`),
        makeLeaf(dir, 'ca', 'worker', `/CN=workernode000000000000001/OU=swarm-worker/O=${CLUSTER_ID}`),
        makeLeaf(dir, 'ca', 'stranger', `/CN=someone/OU=accounting/O=${CLUSTER_ID}`),
        makeLeaf(dir, 'foreign-ca', 'foreign', `/CN=managernode00000000000009/OU=swarm-manager/O=${CLUSTER_ID}`),
      ]);
      return {
        ca: await readFile(join(dir, 'ca.crt'), 'utf8'),
        foreignCa: await readFile(join(dir, 'foreign-ca.crt'), 'utf8'),
        manager,
        manager2,
        worker,
        stranger,
        foreign,
      } as TestPki;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return cached;
}

function one(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The test stand-in for src/net/pki's identify: CN = node id, OU = role, O = cluster. */
export function identifyTestCert(cert: PeerCertificate): Peer | null {
  const cn = one(cert.subject?.CN);
  const ou = one(cert.subject?.OU);
  const o = one(cert.subject?.O);
  if (cn === undefined || o !== CLUSTER_ID) return null;
  const role = ou === 'swarm-manager' ? 'manager' : ou === 'swarm-worker' ? 'worker' : undefined;
  if (role === undefined) return null;
  return { kind: 'node', nodeId: asNodeId(cn), role, clusterId: o };
}
