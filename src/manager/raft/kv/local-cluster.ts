// Starts the replicated KV service as N separate processes on loopback, with
// certificates from a throwaway CA: for the real-process Raft tests and the
// Raft benchmark. Each member is a real process that can be killed with -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { newObjectId } from '../../../api/ids.js';
import { certFilesFor, readCertFiles, writeClusterCertificates } from '../../../net/pki/cert-files.js';
import { createClient, dialTls, type RpcClient } from '../../../net/rpc/index.js';
import { KvContract } from './kv-contract.js';

const SERVER = fileURLToPath(new URL('./kv-server.ts', import.meta.url));

export interface KvMember {
  readonly id: string;
  readonly port: number;
  proc: ChildProcess | null;
  /** The last lines the process wrote to stderr, for failure reports. */
  readonly stderr: string[];
}

export interface LocalKvClusterOptions {
  readonly size: number;
  readonly basePort: number;
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly snapshotEvery?: number;
}

export class LocalKvCluster {
  readonly dir = mkdtempSync(join(tmpdir(), 'shoal-kv-'));
  readonly members: KvMember[];
  /** A client identity (a manager certificate) for callers. */
  readonly clientId = newObjectId();

  constructor(private readonly opts: LocalKvClusterOptions) {
    this.members = Array.from({ length: opts.size }, (_, i) => ({ id: newObjectId(), port: opts.basePort + i, proc: null, stderr: [] }));
    writeClusterCertificates(join(this.dir, 'certs'), [...this.members.map((m) => ({ id: m.id, role: 'manager' as const })), { id: this.clientId, role: 'manager' }]);
  }

  /** Start member i (first start bootstraps the whole membership). Resolves when it serves. */
  start(i: number): Promise<void> {
    const m = this.members[i];
    if (m === undefined) throw new Error(`no member ${i}`);
    const args = [
      '--import=tsx',
      SERVER,
      '--id', m.id,
      '--data', join(this.dir, `data-${m.id}`),
      '--listen', `127.0.0.1:${m.port}`,
      '--certs', join(this.dir, 'certs'),
      '--bootstrap', this.members.map((x) => x.id).join(','),
      '--tick-ms', String(this.opts.tickMs ?? 50),
      '--election-ticks', String(this.opts.electionTicks ?? 5),
      '--snapshot-every', String(this.opts.snapshotEvery ?? 10_000),
      ...this.members.filter((x) => x !== m).flatMap((x) => ['--peer', `${x.id}=127.0.0.1:${x.port}`]),
    ];
    const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    m.proc = proc;
    createInterface({ input: proc.stderr! }).on('line', (l) => {
      m.stderr.push(l);
      if (m.stderr.length > 50) m.stderr.shift();
    });
    return new Promise((resolve, reject) => {
      const rl = createInterface({ input: proc.stdout! });
      rl.once('line', (line) => (line.includes('"ready":true') ? resolve() : reject(new Error(`member ${i} said: ${line}`))));
      proc.once('exit', (code) => reject(new Error(`member ${i} exited (${code}) before it served: ${m.stderr.join('\n')}`)));
    });
  }

  async startAll(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.start(i)));
  }

  /** A client connected to member i. */
  client(i: number): RpcClient {
    const m = this.members[i];
    if (m === undefined) throw new Error(`no member ${i}`);
    const creds = readCertFiles(certFilesFor(join(this.dir, 'certs'), this.clientId));
    return createClient({ dialer: dialTls({ host: '127.0.0.1', port: m.port, ...creds }), peerName: `kv member ${i}`, backoff: { initialMs: 20, maxMs: 200 } });
  }

  /** The index of the member that leads, as the members see it. */
  async leader(clients: readonly RpcClient[], timeoutMs = 10_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < clients.length; i++) {
        if (this.members[i]?.proc === null) continue;
        try {
          const st = await clients[i]!.call(KvContract, 'status', {}, { deadlineMs: 500 });
          if (st.role === 'leader') return i;
        } catch {
          // not answering
        }
      }
      if (Date.now() > end) throw new Error('no leader in the kv cluster');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  kill(i: number, signal: NodeJS.Signals = 'SIGKILL'): void {
    const m = this.members[i];
    if (m?.proc?.pid !== undefined) process.kill(m.proc.pid, signal);
    if (m !== undefined) m.proc = null;
  }

  stop(): void {
    for (let i = 0; i < this.members.length; i++) this.kill(i);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
