// What a shoald keeps in its data dir: its identity, its swarm membership
// and its credentials. Written atomically (write + rename), so a crash
// never leaves half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NodeRole } from '../../api/contract.js';
import * as s from '../../api/schema.js';

const stateSchema = s.object({
  nodeId: s.string({ min: 1 }),
  clusterId: s.string({ min: 1 }),
  role: s.literal('manager', 'worker'),
  listenAddr: s.string({ min: 1 }),
  advertiseAddr: s.string({ min: 1 }),
  managers: s.array(s.object({ NodeID: s.string(), Addr: s.string() })),
});
export type SwarmState = s.Infer<typeof stateSchema> & { readonly role: NodeRole };

export interface Credentials {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export class NodeFiles {
  constructor(readonly dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  }

  get raftDir(): string {
    return join(this.dataDir, 'raft');
  }

  get agentDir(): string {
    return join(this.dataDir, 'agent');
  }

  private path(name: string): string {
    return join(this.dataDir, name);
  }

  private write(name: string, data: string, mode = 0o600): void {
    const tmp = this.path(`${name}.tmp`);
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, this.path(name));
  }

  loadSwarm(): SwarmState | null {
    const p = this.path('swarm.json');
    if (!existsSync(p)) return null;
    return s.parse(stateSchema, JSON.parse(readFileSync(p, 'utf8')) as unknown, `${p}`) as SwarmState;
  }

  saveSwarm(state: SwarmState): void {
    this.write('swarm.json', JSON.stringify(state, null, 2) + '\n');
  }

  loadCredentials(): Credentials | null {
    const [ca, cert, key] = ['ca.pem', 'node.crt', 'node.key'].map((f) => this.path(f));
    if (!existsSync(ca!) || !existsSync(cert!) || !existsSync(key!)) return null;
    return { ca: readFileSync(ca!, 'utf8'), cert: readFileSync(cert!, 'utf8'), key: readFileSync(key!, 'utf8') };
  }

  saveCredentials(c: Credentials): void {
    this.write('ca.pem', c.ca, 0o644);
    this.write('node.key', c.key);
    this.write('node.crt', c.cert, 0o644);
  }

  /** Forget the swarm: state, credentials and the Raft log. */
  clear(): void {
    for (const f of ['swarm.json', 'ca.pem', 'node.crt', 'node.key']) rmSync(this.path(f), { force: true });
    rmSync(this.raftDir, { recursive: true, force: true });
  }
}
