// RPC round trips over mutual TLS on loopback, next to a bare ws + cbor-x
// echo server with the same TLS setup, measured in the same run.
//
//   npx tsx bench/rpc/round-trip.ts [--rounds 5] [--seconds 1] [--cases bare-1,rpc-1,bare-64,rpc-64]
//
// The servers run in a forked child process (as on another machine: own
// event loop, own core); the clients run here. Rounds alternate bare/RPC and
// the medians over rounds are reported.
import { fork } from 'node:child_process';
import { createServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Decoder, Encoder } from 'cbor-x';
import { WebSocket, WebSocketServer } from 'ws';
import { defineContract, unary } from '../../src/api/contract.js';
import * as s from '../../src/api/schema.js';
import { createClient, type RpcClient } from '../../src/net/rpc/client.js';
import { dialTls } from '../../src/net/rpc/dial.js';
import { serve } from '../../src/net/rpc/handlers.js';
import { listenTls } from '../../src/net/rpc/listen-tls.js';
import { RpcServer } from '../../src/net/rpc/server.js';
import { identifyTestCert, testPki, type TestPki } from '../../test/net/rpc/helpers/certs.js';

const Bench = defineContract('Bench', {
  echo: unary(s.object({ text: s.string(), n: s.number() }), s.object({ text: s.string(), n: s.number() }), ['manager', 'worker']),
});
const REQUEST = { text: 'status of node managernode00000000000001', n: 1 };

// ---------------- server side (child process) ----------------

async function runServers(): Promise<void> {
  // The parent's certificates (each process would otherwise make its own CA).
  const pki = await new Promise<TestPki>((resolve) => process.once('message', (m) => resolve(m as TestPki)));
  // Bare: decode the frame, encode it back. No ids checked, no schemas, no auth.
  const enc = new Encoder({ useRecords: false, mapsAsObjects: true });
  const dec = new Decoder({ useRecords: false, mapsAsObjects: true });
  const https = createServer({ ...pki.manager, ca: pki.ca, requestCert: true, rejectUnauthorized: false });
  const wss = new WebSocketServer({ server: https, perMessageDeflate: false });
  wss.on('connection', (ws) => ws.on('message', (data: Buffer) => ws.send(enc.encode(dec.decode(data)))));
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const barePort = (https.address() as { port: number }).port;

  const server = new RpcServer({ services: [serve(Bench, { echo: async (req) => req })] });
  const listener = await listenTls({ server, host: '127.0.0.1', port: 0, ...pki.manager, ca: pki.ca, identify: identifyTestCert });
  process.send?.({ barePort, rpcPort: listener.port });
  // The parent asks for this process's CPU time around each measurement.
  process.on('message', () => process.send?.(process.cpuUsage()));
  process.on('disconnect', () => process.exit(0));
}

// ---------------- client side ----------------

type Call = () => Promise<unknown>;

interface Target {
  readonly call: Call;
  close(): Promise<void>;
}

async function bareClient(port: number): Promise<Target> {
  const pki = await testPki();
  const enc = new Encoder({ useRecords: false, mapsAsObjects: true });
  const dec = new Decoder({ useRecords: false, mapsAsObjects: true });
  const ws = new WebSocket(`wss://127.0.0.1:${port}/`, { ...pki.worker, ca: pki.ca, perMessageDeflate: false }); // the test certificate names 127.0.0.1
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const waiting = new Map<number, (v: unknown) => void>();
  let nextId = 1;
  ws.on('message', (data: Buffer) => {
    const frame = dec.decode(data) as { id: number; params: unknown };
    const resolve = waiting.get(frame.id);
    waiting.delete(frame.id);
    resolve?.(frame.params);
  });
  return {
    call: () =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        ws.send(enc.encode({ t: 'req', id, method: 'Bench.echo', params: REQUEST }));
      }),
    close: async () => {
      ws.close();
      await new Promise((resolve) => ws.once('close', resolve));
    },
  };
}

async function rpcClient(port: number): Promise<Target> {
  const pki = await testPki();
  const client: RpcClient = createClient({ dialer: dialTls({ host: '127.0.0.1', port, ca: pki.ca, ...pki.worker }) });
  await client.call(Bench, 'echo', REQUEST, { deadlineMs: 10_000 });
  return { call: () => client.call(Bench, 'echo', REQUEST, { deadlineMs: 5000 }), close: () => client.close() };
}

interface Sample {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** CPU microseconds per call, client process + server process. */
  readonly cpuClient: number;
  readonly cpuServer: number;
}

type ServerCpu = () => Promise<NodeJS.CpuUsage>;

async function measure(call: Call, concurrency: number, seconds: number, serverCpu: ServerCpu): Promise<Sample> {
  const latencies: number[] = [];
  const server0 = await serverCpu();
  const client0 = process.cpuUsage();
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const client = process.cpuUsage(client0);
  const server1 = await serverCpu();
  const n = latencies.length;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(n - 1, Math.floor(q * n))] ?? NaN;
  return {
    perSecond: n / elapsed,
    p50: at(0.5),
    p99: at(0.99),
    cpuClient: (client.user + client.system) / n,
    cpuServer: (server1.user - server0.user + server1.system - server0.system) / n,
  };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
      rounds: { type: 'string', default: '5' },
      seconds: { type: 'string', default: '1' },
      cases: { type: 'string', default: 'bare-1,rpc-1,bare-64,rpc-64' },
      server: { type: 'boolean' },
    },
  });
  const cases = new Set(values.cases.split(','));
  if (values.server === true) return runServers();
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const pki = await testPki();
  const child = fork(fileURLToPath(import.meta.url), ['--server'], { stdio: 'inherit' });
  child.send(pki);
  const ports = await new Promise<{ barePort: number; rpcPort: number }>((resolve) => child.once('message', (m) => resolve(m as never)));
  const serverCpu: ServerCpu = () =>
    new Promise((resolve) => {
      child.once('message', (m) => resolve(m as NodeJS.CpuUsage));
      child.send('cpu');
    });
  const bare = await bareClient(ports.barePort);
  const rpc = await rpcClient(ports.rpcPort);
  // Warm up both paths (JIT, TLS buffers).
  await measure(bare.call, 64, 0.5, serverCpu);
  await measure(rpc.call, 64, 0.5, serverCpu);

  const results: Record<string, Sample[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const c of [1, 64]) {
      for (const [name, target] of [['bare', bare], ['rpc', rpc]] as const) {
        if (!cases.has(`${name}-${c}`)) continue;
        const key = `${name} x${c}`;
        (results[key] ??= []).push(await measure(target.call, c, seconds, serverCpu));
      }
    }
  }
  await bare.close();
  await rpc.close();
  child.disconnect();

  console.log(`node ${process.version}, ${rounds} rounds x ${seconds}s, medians; latency in ms`);
  console.log('case       calls/s    p50 ms  p99 ms  cpu us/call (client+server)');
  const med: Record<string, Sample> = {};
  for (const [key, samples] of Object.entries(results)) {
    const pick = (f: (x: Sample) => number): number => median(samples.map(f));
    const m: Sample = {
      perSecond: pick((x) => x.perSecond),
      p50: pick((x) => x.p50),
      p99: pick((x) => x.p99),
      cpuClient: pick((x) => x.cpuClient),
      cpuServer: pick((x) => x.cpuServer),
    };
    med[key] = m;
    const cpu = `${(m.cpuClient + m.cpuServer).toFixed(1)} (${m.cpuClient.toFixed(1)}+${m.cpuServer.toFixed(1)})`;
    console.log(`${key.padEnd(10)} ${m.perSecond.toFixed(0).padStart(8)} ${m.p50.toFixed(3).padStart(7)} ${m.p99.toFixed(3).padStart(7)}  ${cpu}`);
  }
  for (const c of [1, 64]) {
    // Paired per round (bare and rpc ran back to back), so load drift between rounds cancels out.
    const bareRounds = results[`bare x${c}`] ?? [];
    const rpcRounds = results[`rpc x${c}`] ?? [];
    const paired = median(rpcRounds.map((r, i) => r.perSecond / (bareRounds[i]?.perSecond ?? NaN)));
    const b = med[`bare x${c}`];
    const r = med[`rpc x${c}`];
    const cpuRatio = b !== undefined && r !== undefined ? (b.cpuClient + b.cpuServer) / (r.cpuClient + r.cpuServer) : NaN;
    console.log(`x${c}: rpc/bare throughput ${paired.toFixed(2)} (median of per-round ratios); bare/rpc cpu per call ${cpuRatio.toFixed(2)}`);
  }
}

await main();
