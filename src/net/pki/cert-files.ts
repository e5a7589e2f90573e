// Certificates for a set of nodes written to a folder, for processes that
// start with credentials already in place (the Raft test cluster, benchmarks).
// A real cluster issues them through `swarm init` / `swarm join` instead.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeRole } from '../../api/contract.js';
import { asNodeId, newObjectId } from '../../api/ids.js';
import { createCsr } from './csr.js';
import { generateKey, privateKeyPem } from './keys.js';
import { issueNodeCertificate } from './node-cert.js';
import { createRootCa } from './root-ca.js';

export interface CertFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** Write `ca.pem` and `<id>.crt`/`<id>.key` for every node into `dir`. */
export function writeClusterCertificates(dir: string, nodes: ReadonlyArray<{ readonly id: string; readonly role: NodeRole }>, now = Date.now()): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = createRootCa({ now });
  const clusterId = newObjectId();
  writeFileSync(join(dir, 'ca.pem'), ca.certPem);
  for (const n of nodes) {
    const key = generateKey();
    const cert = issueNodeCertificate(ca, { csr: createCsr(key), nodeId: asNodeId(n.id), role: n.role, clusterId, now });
    writeFileSync(join(dir, `${n.id}.crt`), cert);
    writeFileSync(join(dir, `${n.id}.key`), privateKeyPem(key), { mode: 0o600 });
  }
}

export function certFilesFor(dir: string, id: string): CertFiles {
  return { ca: join(dir, 'ca.pem'), cert: join(dir, `${id}.crt`), key: join(dir, `${id}.key`) };
}

export function readCertFiles(files: CertFiles): { ca: string; cert: string; key: string } {
  return { ca: readFileSync(files.ca, 'utf8'), cert: readFileSync(files.cert, 'utf8'), key: readFileSync(files.key, 'utf8') };
}
