// An in-process shoald for CLI and console tests: a real RpcServer on a
// unix socket in a temp dir, serving DaemonContract and ControlContract
// from an in-memory state that tests set up and inspect. Control calls
// are refused in the manager's words unless this node is an active
// manager; refs resolve as the daemon resolves them (id, hostname/name,
// unique id prefix). Every call is recorded; any method can be made to
// fail, or be replaced, for one test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Cluster } from '../../src/api/cluster.js';
import { ControlContract } from '../../src/api/contracts/control.js';
import { DaemonContract, type DaemonInfo } from '../../src/api/contracts/daemon.js';
import { ShoalError } from '../../src/api/errors.js';
import type { Node } from '../../src/api/node.js';
import type { Service } from '../../src/api/service.js';
import type { Task } from '../../src/api/task.js';
import { listenUnix, RpcServer, serve, type CallContext, type HandlerOf, type Listener, type StreamSink } from '../../src/net/rpc/index.js';
import { complete, controlHandlers, daemonHandlers, NOT_A_MANAGER, NOT_IN_SWARM } from './fake-handlers.js';
import { activeInfo, inactiveInfo, makeCluster, MANAGER_TOKEN, WORKER_TOKEN } from './fake-objects.js';
import { resolveRef } from './fake-refs.js';

type ControlMethods = (typeof ControlContract)['methods'];
type DaemonMethods = (typeof DaemonContract)['methods'];
type AnyHandler = (req: unknown, ctx: CallContext) => Promise<unknown>;
type AnyStreamHandler = (req: unknown, sink: StreamSink<unknown>, ctx: CallContext) => Promise<void>;

export { ALREADY_IN_SWARM, NOT_A_MANAGER, NOT_IN_SWARM } from './fake-handlers.js';

/** What the fake serves; tests change it freely between calls. */
export interface FakeState {
  info: DaemonInfo;
  nodes: Node[];
  cluster: Cluster | undefined;
  services: Service[];
  tasks: Task[];
  /** What `swarm init` reports as the address when none is given. */
  defaultAddr: string;
  /** Tokens `swarm join` accepts, and the role each gives. */
  joinTokens: { worker: string; manager: string };
  /** Raft index; every write takes the next one for the object's Version. */
  index: number;
}

export interface Call {
  readonly method: string;
  readonly request: unknown;
}

export class FakeDaemon {
  readonly state: FakeState = {
    info: inactiveInfo(),
    nodes: [],
    cluster: undefined,
    services: [],
    tasks: [],
    defaultAddr: '192.168.0.41',
    joinTokens: { worker: WORKER_TOKEN, manager: MANAGER_TOKEN },
    index: 100,
  };
  readonly calls: Call[] = [];
  private readonly failures = new Map<string, ShoalError>();
  private readonly overrides = new Map<string, AnyHandler>();
  private readonly streamOverrides = new Map<string, AnyStreamHandler>();
  private tokenSerial = 0;

  private constructor(
    readonly socketPath: string,
    private readonly dir: string,
    private readonly server: RpcServer,
    private readonly listener: Listener,
  ) {}

  /** `unix://<socket>`, for SHOAL_HOST or -H. */
  get host(): string {
    return `unix://${this.socketPath}`;
  }

  static async start(): Promise<FakeDaemon> {
    const dir = await mkdtemp(join(tmpdir(), 'shoal-fake-'));
    const socketPath = join(dir, 'shoald.sock');
    const started: { daemon?: FakeDaemon } = {};
    const me = (): FakeDaemon => {
      if (started.daemon === undefined) throw new Error('fake daemon not started');
      return started.daemon;
    };
    const server = new RpcServer({
      services: [serve(DaemonContract, complete(DaemonContract, daemonHandlers(me), me)), serve(ControlContract, complete(ControlContract, controlHandlers(me), me))],
      onInternalError: (error, method) => console.error(`fake daemon: ${method} threw`, error),
    });
    const listener = await listenUnix({ path: socketPath, server });
    started.daemon = new FakeDaemon(socketPath, dir, server, listener);
    return started.daemon;
  }

  async close(): Promise<void> {
    await this.listener.close();
    this.server.close();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Make every call of `method` fail with `error` (undefined clears it). */
  fail(method: keyof ControlMethods | keyof DaemonMethods, error: ShoalError | undefined): void {
    if (error === undefined) this.failures.delete(method);
    else this.failures.set(method, error);
  }

  /** Serve `method` with `handler` instead of the built-in behaviour. */
  override<K extends keyof ControlMethods>(method: K, handler: HandlerOf<ControlMethods[K]>): void {
    if (ControlContract.methods[method].kind === 'stream') this.streamOverrides.set(method, handler as unknown as AnyStreamHandler);
    else this.overrides.set(method, handler as unknown as AnyHandler);
  }

  /** The replacement for stream `method`, if a test gave one. */
  streamOverride(method: string): AnyStreamHandler | undefined {
    return this.streamOverrides.get(method);
  }

  /** The methods called, in order (without the requests). */
  methods(): string[] {
    return this.calls.map((c) => c.method);
  }

  // ---- state helpers ----

  /** A cluster of these nodes, seen from `self` (a node id among them). */
  useCluster(nodes: readonly Node[], selfId: string, cluster: Cluster = makeCluster()): void {
    const self = nodes.find((n) => n.ID === selfId);
    if (self === undefined) throw new Error(`no node ${selfId}`);
    this.state.nodes = [...nodes];
    this.state.cluster = cluster;
    this.state.info = activeInfo(self, nodes, cluster.ID);
  }

  nextIndex(): number {
    this.state.index += 1;
    return this.state.index;
  }

  newToken(role: 'worker' | 'manager'): string {
    this.tokenSerial += 1;
    return `SWMTKN-1-6difxlq3wc8emlwxzuw95gp8rmvbz2oq62kux3as0e4rbyqhk3-${role}rotated${this.tokenSerial}`;
  }

  /** Record, fail or delegate; Control calls also check this node is an active manager. */
  wrap<Req, Res>(method: string, control: boolean, handler: (req: Req, ctx: CallContext) => Promise<Res>): (req: Req, ctx: CallContext) => Promise<Res> {
    return async (req, ctx) => {
      this.calls.push({ method, request: req });
      const failure = this.failures.get(method);
      if (failure !== undefined) throw failure;
      const override = this.overrides.get(method);
      if (override !== undefined) return (await override(req, ctx)) as Res;
      if (control) this.requireManager();
      return handler(req, ctx);
    };
  }

  requireManager(): void {
    const sw = this.state.info.Swarm;
    if (sw.LocalNodeState !== 'active') throw new ShoalError('FailedPrecondition', NOT_IN_SWARM);
    if (!sw.ControlAvailable) throw new ShoalError('FailedPrecondition', NOT_A_MANAGER);
  }

  node(ref: string): Node {
    return resolveRef('node', ref, this.state.nodes, (n) => [n.Spec.Name ?? '', n.Description.Hostname]);
  }

  service(ref: string): Service {
    return resolveRef('service', ref, this.state.services, (s) => [s.Spec.Name]);
  }

  replaceNode(node: Node): void {
    this.state.nodes = this.state.nodes.map((n) => (n.ID === node.ID ? node : n));
  }
}

