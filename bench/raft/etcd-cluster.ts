// A 3-node etcd 3.4 cluster on loopback (Debian's etcd-server), the baseline
// for shoal's Raft benchmark. Talks to its v3 JSON gateway over keep-alive
// HTTP connections.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly port: number;
  proc: ChildProcess | null;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

export function postJson(port: number, path: string, body: unknown, timeoutMs = 5000): Promise<unknown> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`etcd ${path}: HTTP ${res.statusCode}: ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text) as unknown);
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(data);
  });
}

export class EtcdCluster {
  readonly members: EtcdMember[];
  private readonly dir: string;

  constructor(basePort = 23790) {
    this.dir = mkdtempSync(join(tmpdir(), 'shoal-etcd-'));
    this.members = [1, 2, 3].map((i) => ({ name: `e${i}`, clientUrl: `http://127.0.0.1:${basePort + i}`, port: basePort + i, proc: null }));
  }

  private peerUrl(i: number): string {
    return `http://127.0.0.1:${this.members[i]!.port + 100}`;
  }

  start(i: number, state: 'new' | 'existing' = 'new'): void {
    const m = this.members[i]!;
    const cluster = this.members.map((x, j) => `${x.name}=${this.peerUrl(j)}`).join(',');
    m.proc = spawn(
      'etcd',
      [
        '--name', m.name,
        '--data-dir', join(this.dir, m.name),
        '--listen-client-urls', m.clientUrl,
        '--advertise-client-urls', m.clientUrl,
        '--listen-peer-urls', this.peerUrl(i),
        '--initial-advertise-peer-urls', this.peerUrl(i),
        '--initial-cluster', cluster,
        '--initial-cluster-state', state,
        '--log-level', 'error',
        '--logger', 'zap',
      ],
      { stdio: 'ignore' },
    );
  }

  async startAll(): Promise<void> {
    for (let i = 0; i < 3; i++) this.start(i);
    await this.waitWritable(30_000);
  }

  /** Put through any member; etcd forwards to its leader. */
  put(i: number, key: string, value: Buffer, timeoutMs = 5000): Promise<unknown> {
    const m = this.members[i % 3]!;
    return postJson(m.port, '/v3/kv/put', { key: Buffer.from(key).toString('base64'), value: value.toString('base64') }, timeoutMs);
  }

  async leaderIndex(): Promise<number> {
    for (let i = 0; i < 3; i++) {
      const m = this.members[i]!;
      if (m.proc === null) continue;
      try {
        const st = (await postJson(m.port, '/v3/maintenance/status', {}, 1000)) as { leader?: string; header?: { member_id?: string } };
        if (st.leader !== undefined && st.leader === st.header?.member_id) return i;
      } catch {
        // not answering; try the next one
      }
    }
    return -1;
  }

  async waitWritable(timeoutMs: number): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      for (let i = 0; i < 3; i++) {
        if (this.members[i]!.proc === null) continue;
        try {
          await postJson(this.members[i]!.port, '/v3/kv/put', { key: 'cHJvYmU=', value: 'eA==' }, 500);
          return;
        } catch {
          // keep trying until the deadline
        }
      }
      if (Date.now() > end) throw new Error('etcd cluster did not become writable');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  kill(i: number): void {
    const m = this.members[i]!;
    if (m.proc?.pid !== undefined) process.kill(m.proc.pid, 'SIGKILL');
    m.proc = null;
  }

  stop(): void {
    for (let i = 0; i < 3; i++) this.kill(i);
    agent.destroy();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
