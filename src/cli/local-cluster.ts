// A shoal cluster on this machine: several shoald processes on 127.0.0.x
// loopback addresses, each with its own data dir and control socket. Used by
// the embedded default (`shoal up`), the end-to-end tests and benchmarks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ControlContract } from '../api/contracts/control.js';
import { DaemonContract } from '../api/contracts/daemon.js';
import type { NodeRole } from '../api/contract.js';
import { createClient, dialUnix, type RpcClient } from '../net/rpc/index.js';
import { detectRuntime } from '../agent/runtime/index.js';

const SHOALD = fileURLToPath(new URL('../../bin/shoald.js', import.meta.url));

export interface LocalNode {
  readonly name: string;
  readonly ip: string;
  readonly dataDir: string;
  readonly socket: string;
  proc: ChildProcess | null;
  readonly log: string[];
}

export interface LocalClusterOptions {
  readonly dir: string;
  /** Node names, e.g. ['manager1', 'manager2', 'manager3', 'worker1', 'worker2']. */
  readonly names: readonly string[];
  /** Third octet base for 127.0.<subnet>.<i+1> addresses (default 77). */
  readonly subnet?: number;
  readonly port?: number;
  readonly runtime?: 'docker' | 'process' | 'auto';
}

export class LocalCluster {
  readonly nodes: LocalNode[];
  readonly port: number;
  private readonly clients = new Map<string, RpcClient>();

  constructor(private readonly opts: LocalClusterOptions) {
    mkdirSync(opts.dir, { recursive: true });
    this.port = opts.port ?? 2377;
    this.nodes = opts.names.map((name, i) => ({
      name,
      ip: `127.0.${opts.subnet ?? 77}.${i + 1}`,
      dataDir: join(opts.dir, name),
      socket: join(opts.dir, `${name}.sock`),
      proc: null,
      log: [],
    }));
  }

  node(name: string): LocalNode {
    const n = this.nodes.find((x) => x.name === name);
    if (n === undefined) throw new Error(`no node ${name}`);
    return n;
  }

  addr(name: string): string {
    return `${this.node(name).ip}:${this.port}`;
  }

  /** Start a node's shoald; resolves when its control socket serves. */
  start(name: string): Promise<void> {
    const n = this.node(name);
    const proc = spawn(process.execPath, [SHOALD, '--data-dir', n.dataDir, '--socket', n.socket, '--hostname', n.name, '--runtime', this.opts.runtime ?? 'process'], { stdio: ['ignore', 'pipe', 'pipe'] });
    n.proc = proc;
    const keep = (l: string): void => {
      n.log.push(l);
      if (n.log.length > 200) n.log.shift();
    };
    createInterface({ input: proc.stderr! }).on('line', keep);
    return new Promise((resolve, reject) => {
      createInterface({ input: proc.stdout! }).on('line', (l) => {
        keep(l);
        if (l.includes('serving on')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`shoald ${name} exited (${code}): ${n.log.slice(-20).join('\n')}`)));
    });
  }

  /**
   * Start a node's shoald in the background, detached from this process
   * (its output goes to <dir>/<name>.log, its pid to <dir>/<name>.pid), and
   * wait until its control socket answers.
   */
  async startDetached(name: string, timeoutMs = 60_000): Promise<number> {
    const n = this.node(name);
    const out = openSync(join(this.opts.dir, `${name}.log`), 'a');
    const proc = spawn(process.execPath, [SHOALD, '--data-dir', n.dataDir, '--socket', n.socket, '--hostname', n.name, '--runtime', this.opts.runtime ?? 'process'], {
      stdio: ['ignore', out, out],
      detached: true,
    });
    proc.unref();
    const pid = proc.pid;
    if (pid === undefined) throw new Error(`could not start shoald ${name}`);
    writeFileSync(join(this.opts.dir, `${name}.pid`), `${pid}\n`);
    const end = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.client(name).call(DaemonContract, 'info', {}, { deadlineMs: 1000 });
        return pid;
      } catch {
        if (Date.now() > end) throw new Error(`shoald ${name} did not answer within ${timeoutMs} ms; see ${join(this.opts.dir, `${name}.log`)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** The pid a detached node recorded, if that process is still alive. */
  runningPid(name: string): number | null {
    const file = join(this.opts.dir, `${name}.pid`);
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').trim());
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return null;
    }
  }

  /** Stop detached nodes by their recorded pids (SIGTERM, then SIGKILL after `graceMs`). */
  async stopDetached(graceMs = 10_000): Promise<string[]> {
    const stopped: string[] = [];
    for (const n of this.nodes) {
      const pid = this.runningPid(n.name);
      if (pid === null) continue;
      process.kill(pid, 'SIGTERM');
      const end = Date.now() + graceMs;
      while (this.runningPid(n.name) !== null && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      if (this.runningPid(n.name) !== null) process.kill(pid, 'SIGKILL');
      rmSync(join(this.opts.dir, `${n.name}.pid`), { force: true });
      stopped.push(n.name);
    }
    await this.closeClients();
    return stopped;
  }

  async closeClients(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }

  client(name: string): RpcClient {
    let c = this.clients.get(name);
    if (c === undefined) {
      c = createClient({ dialer: dialUnix(this.node(name).socket), peerName: `shoald ${name}`, connectWaitMs: 5000, backoff: { initialMs: 20, maxMs: 200 } });
      this.clients.set(name, c);
    }
    return c;
  }

  async init(name: string): Promise<{ workerToken: string; managerToken: string }> {
    await this.client(name).call(DaemonContract, 'swarmInit', { listenAddr: this.addr(name), advertiseAddr: this.addr(name) }, { deadlineMs: 30_000 });
    const cluster = await this.client(name).call(ControlContract, 'getCluster', {}, { deadlineMs: 10_000 });
    return { workerToken: cluster.JoinTokens.Worker, managerToken: cluster.JoinTokens.Manager };
  }

  async join(name: string, via: string, token: string): Promise<NodeRole> {
    const r = await this.client(name).call(DaemonContract, 'swarmJoin', { token, remoteAddr: this.addr(via), listenAddr: this.addr(name), advertiseAddr: this.addr(name) }, { deadlineMs: 30_000 });
    return r.role;
  }

  kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): void {
    const n = this.node(name);
    if (n.proc?.pid !== undefined) process.kill(n.proc.pid, signal);
    n.proc = null;
    const c = this.clients.get(name);
    if (c !== undefined) void c.close();
    this.clients.delete(name);
  }

  /**
   * Stop and remove the tasks the nodes' agents started: they outlive a
   * stopped shoald on purpose (a restarted agent adopts them), so a cluster
   * that goes away must remove them itself. Uses each node's runtime and
   * identity from its data dir.
   */
  async removeTasks(): Promise<number> {
    let removed = 0;
    for (const n of this.nodes) {
      const state = join(n.dataDir, 'swarm.json');
      if (!existsSync(state)) continue;
      const parsed: unknown = JSON.parse(readFileSync(state, 'utf8'));
      const nodeId = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['nodeId'] : undefined;
      if (typeof nodeId !== 'string') continue;
      // The node may have run either runtime (auto picks per start): look in both.
      for (const mode of ['process', 'docker'] as const) {
        const runtime = await detectRuntime(mode, { nodeId, stateDir: join(n.dataDir, 'agent') }).catch(() => null);
        if (runtime === null) continue;
        try {
          for (const task of await runtime.list()) {
            await runtime.stop(task.taskId, 2000).catch(() => undefined);
            await runtime.remove(task.taskId).catch(() => undefined);
            removed++;
          }
        } finally {
          await runtime.close();
        }
      }
    }
    return removed;
  }

  async stop(remove = true): Promise<void> {
    for (const n of this.nodes) this.kill(n.name);
    await this.removeTasks();
    if (remove) rmSync(this.opts.dir, { recursive: true, force: true });
  }
}
