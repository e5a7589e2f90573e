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
import type { Contract, MethodTable, RequestOf } from '../../src/api/contract.js';
import { decodeClusterSpec } from '../../src/api/cluster.js';
import { ControlContract, type RaftStatusView, type WatchEvent } from '../../src/api/contracts/control.js';
import { DaemonContract, type DaemonInfo } from '../../src/api/contracts/daemon.js';
import { ShoalError } from '../../src/api/errors.js';
import { checkNodeSpec, type Node } from '../../src/api/node.js';
import type { Service } from '../../src/api/service.js';
import { serviceSpecSchema, withServiceDefaults } from '../../src/api/service-spec.js';
import type { Task } from '../../src/api/task.js';
import { decode, issueError } from '../../src/api/validation.js';
import { listenUnix, RpcServer, serve, type CallContext, type HandlerOf, type Handlers, type Listener, type StreamSink } from '../../src/net/rpc/index.js';
import { activeInfo, inactiveInfo, makeCluster, makeNode, makeService, MANAGER_TOKEN, WORKER_TOKEN } from './fake-objects.js';
import { resolveRef } from './fake-refs.js';

type ControlMethods = (typeof ControlContract)['methods'];
type DaemonMethods = (typeof DaemonContract)['methods'];
type AnyHandler = (req: unknown, ctx: CallContext) => Promise<unknown>;
type AnyStreamHandler = (req: unknown, sink: StreamSink<unknown>, ctx: CallContext) => Promise<void>;
type CReq<K extends keyof ControlMethods> = RequestOf<ControlMethods[K]>;
type DReq<K extends keyof DaemonMethods> = RequestOf<DaemonMethods[K]>;

export const NOT_A_MANAGER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
export const NOT_IN_SWARM = 'This node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again.';
export const ALREADY_IN_SWARM = 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.';

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

/**
 * Fill in every method the fake has no behaviour for (the contracts grow):
 * it fails with a message saying so, unless a test overrides it.
 */
function complete<M extends MethodTable>(contract: Contract<M>, given: Partial<Handlers<M>>, me: () => FakeDaemon): Handlers<M> {
  const out: Record<string, unknown> = { ...given };
  for (const [name, def] of Object.entries(contract.methods)) {
    if (out[name] !== undefined) continue;
    const missing = () => new ShoalError('Internal', `the fake daemon does not implement ${contract.name}.${name}; override it in the test`);
    out[name] =
      def.kind === 'unary'
        ? (req: unknown, ctx: CallContext) =>
            me().wrap(name, false, async () => {
              throw missing();
            })(req, ctx)
        : async (req: unknown, sink: StreamSink<unknown>, ctx: CallContext) => {
            me().calls.push({ method: name, request: req });
            const o = me().streamOverride(name);
            if (o === undefined) throw missing();
            await o(req, sink, ctx);
          };
  }
  return out as Handlers<M>;
}

function daemonHandlers(me: () => FakeDaemon): Partial<Handlers<DaemonMethods>> {
  const w = <Req, Res>(m: string, h: (req: Req) => Promise<Res>) => (req: Req, ctx: CallContext) => me().wrap(m, false, h)(req, ctx);
  return {
    info: w('info', async () => me().state.info),
    swarmInit: w('swarmInit', async (req: DReq<'swarmInit'>) => {
      const f = me();
      const active = f.state.info.Swarm.LocalNodeState === 'active';
      if (active && req.forceNewCluster !== true) throw new ShoalError('FailedPrecondition', ALREADY_IN_SWARM);
      const addr = (req.advertiseAddr ?? f.state.defaultAddr).replace(/:\d+$/, '');
      const id = active ? f.state.info.Swarm.NodeID : 'ynz304mbltxx10v3i15ldkmj1';
      const self = makeNode({ id, hostname: f.state.info.Name, role: 'manager', leader: true, addr, version: f.nextIndex() });
      const others = active ? f.state.nodes.filter((n) => n.ID !== id).map((n): Node => ({ ...n, Status: { ...n.Status, State: 'unknown' } })) : [];
      const cluster = f.state.cluster ?? makeCluster({ workerToken: f.state.joinTokens.worker, managerToken: f.state.joinTokens.manager });
      f.useCluster([self, ...others.map(({ ManagerStatus: _ms, ...n }) => n)], id, cluster);
      return { nodeId: id, workerToken: cluster.JoinTokens.Worker, advertiseAddr: `${addr}:2377` };
    }),
    swarmJoin: w('swarmJoin', async (req: DReq<'swarmJoin'>) => {
      const f = me();
      if (f.state.info.Swarm.LocalNodeState === 'active') throw new ShoalError('FailedPrecondition', ALREADY_IN_SWARM);
      const role = req.token === f.state.joinTokens.manager ? ('manager' as const) : req.token === f.state.joinTokens.worker ? ('worker' as const) : undefined;
      if (role === undefined) throw new ShoalError('InvalidArgument', 'A valid join token is necessary to join this cluster');
      const addr = (req.advertiseAddr ?? f.state.defaultAddr).replace(/:\d+$/, '');
      const node = makeNode({ id: 'tzkm0ymzjdmc1r8d54snievf1', hostname: f.state.info.Name, role, addr });
      f.state.info = {
        ...f.state.info,
        Swarm: {
          LocalNodeState: 'active',
          NodeID: node.ID,
          NodeAddr: addr,
          ControlAvailable: role === 'manager',
          Error: '',
          RemoteManagers: [{ NodeID: 'remote', Addr: req.remoteAddr }],
          ClusterID: '9vs5ygs0gguyyec4iqf2314c0',
        },
      };
      return { nodeId: node.ID, role };
    }),
    swarmLeave: w('swarmLeave', async (req: DReq<'swarmLeave'>) => {
      const f = me();
      const sw = f.state.info.Swarm;
      if (sw.LocalNodeState === 'inactive') throw new ShoalError('FailedPrecondition', 'This node is not part of a swarm');
      if (sw.ControlAvailable && req.force !== true) {
        const managers = f.state.nodes.filter((n) => n.ManagerStatus !== undefined);
        const reachable = managers.filter((n) => n.ManagerStatus?.Reachability === 'reachable').length;
        let msg = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
        if (managers.length <= 1) {
          msg += 'Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ';
          throw new ShoalError('FailedPrecondition', msg);
        }
        msg += `Removing this node leaves ${reachable - 1} managers out of ${managers.length}. `;
        if (reachable - 1 <= managers.length / 2) msg += 'Without a Raft quorum your swarm will be inaccessible. ';
        msg += 'The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.';
        throw new ShoalError('FailedPrecondition', msg);
      }
      f.state.info = inactiveInfo(f.state.info.Name);
      f.state.nodes = [];
      f.state.cluster = undefined;
      return {};
    }),
  };
}

function controlHandlers(me: () => FakeDaemon): Partial<Handlers<ControlMethods>> {
  const w = <Req, Res>(m: string, h: (req: Req, ctx: CallContext) => Promise<Res>) => (req: Req, ctx: CallContext) => me().wrap(m, true, h)(req, ctx);
  const cluster = (): Cluster => {
    const c = me().state.cluster;
    if (c === undefined) throw new ShoalError('NotFound', 'cluster not found');
    return c;
  };
  return {
    listNodes: w('listNodes', async () => ({ nodes: me().state.nodes })),
    getNode: w('getNode', async (req: CReq<'getNode'>) => me().node(req.ref)),
    updateNode: w('updateNode', async (req: CReq<'updateNode'>) => {
      const f = me();
      const node = f.node(req.ref);
      if (req.version !== node.Version.Index) throw new ShoalError('FailedPrecondition', 'update out of sequence');
      const checked = checkNodeSpec(req.spec);
      if (!checked.ok) throw issueError('node spec', checked.issue);
      const spec = checked.value;
      if (node.Spec.Role === 'manager' && spec.Role === 'worker') {
        const managers = f.state.nodes.filter((n) => n.Spec.Role === 'manager');
        if (managers.length === 1) throw new ShoalError('FailedPrecondition', 'attempting to demote the last manager of the swarm');
      }
      const { ManagerStatus: ms, ...rest } = node;
      const managerStatus = spec.Role === 'manager' ? (ms ?? { Reachability: 'reachable' as const, Addr: `${node.Status.Addr}:2377` }) : undefined;
      const updated: Node = { ...rest, Version: { Index: f.nextIndex() }, Spec: spec, ...(managerStatus !== undefined ? { ManagerStatus: managerStatus } : {}) };
      f.replaceNode(updated);
      return updated;
    }),
    removeNode: w('removeNode', async (req: CReq<'removeNode'>) => {
      const f = me();
      const node = f.node(req.ref);
      if (node.Spec.Role === 'manager' && node.ManagerStatus !== undefined) {
        throw new ShoalError('FailedPrecondition', `node ${node.ID} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`);
      }
      if (req.force !== true && node.Status.State === 'ready') throw new ShoalError('FailedPrecondition', `node ${node.ID} is not down and can't be removed`);
      f.state.nodes = f.state.nodes.filter((n) => n.ID !== node.ID);
      return { id: node.ID };
    }),
    getCluster: w('getCluster', async () => cluster()),
    updateCluster: w('updateCluster', async (req: CReq<'updateCluster'>) => {
      const f = me();
      const c = cluster();
      if (req.version !== c.Version.Index) throw new ShoalError('FailedPrecondition', 'update out of sequence');
      let spec = c.Spec;
      if (req.spec !== undefined) {
        const checked = decodeClusterSpec(req.spec);
        if (!checked.ok) throw new ShoalError('InvalidArgument', checked.issue.message);
        spec = checked.value;
      }
      const tokens = {
        Worker: req.rotateWorkerToken === true ? f.newToken('worker') : c.JoinTokens.Worker,
        Manager: req.rotateManagerToken === true ? f.newToken('manager') : c.JoinTokens.Manager,
      };
      f.state.joinTokens = { worker: tokens.Worker, manager: tokens.Manager };
      const updated: Cluster = { ...c, Version: { Index: f.nextIndex() }, Spec: spec, JoinTokens: tokens };
      f.state.cluster = updated;
      return updated;
    }),
    raftStatus: w('raftStatus', async (): Promise<RaftStatusView> => {
      const managers = me().state.nodes.filter((n) => n.ManagerStatus !== undefined);
      const leader = managers.find((n) => n.ManagerStatus?.Leader === true);
      return {
        Term: 1,
        LeaderID: leader?.ID ?? null,
        CommitIndex: me().state.index,
        AppliedIndex: me().state.index,
        Members: managers.map((n) => ({
          NodeID: n.ID,
          Addr: n.ManagerStatus?.Addr ?? '',
          Role: 'voter' as const,
          Leader: n.ManagerStatus?.Leader === true,
          Reachability: n.ManagerStatus?.Reachability ?? 'unknown',
          MatchIndex: me().state.index,
          Lag: 0,
        })),
      };
    }),
    listServices: w('listServices', async () => ({ services: me().state.services })),
    getService: w('getService', async (req: CReq<'getService'>) => me().service(req.ref)),
    createService: w('createService', async (req: CReq<'createService'>) => {
      const f = me();
      const d = decode(serviceSpecSchema, req.spec);
      if (!d.ok) throw issueError('service spec', d.issue);
      const id = `svc${String(f.nextIndex()).padStart(22, '0')}`;
      const spec = withServiceDefaults(d.value);
      if (f.state.services.some((s) => s.Spec.Name === spec.Name)) throw new ShoalError('AlreadyExists', `service ${spec.Name} already exists`);
      f.state.services.push(makeService(id, d.value));
      return { id, warnings: [] };
    }),
    updateService: w('updateService', async (req: CReq<'updateService'>) => {
      const f = me();
      const svc = f.service(req.ref);
      if (req.version !== svc.Version.Index) throw new ShoalError('FailedPrecondition', 'update out of sequence');
      if (req.spec !== undefined) {
        const d = decode(serviceSpecSchema, req.spec);
        if (!d.ok) throw issueError('service spec', d.issue);
        const updated: Service = { ...svc, Version: { Index: f.nextIndex() }, PreviousSpec: svc.Spec, Spec: withServiceDefaults(d.value) };
        f.state.services = f.state.services.map((s) => (s.ID === svc.ID ? updated : s));
      }
      return { warnings: [] };
    }),
    removeService: w('removeService', async (req: CReq<'removeService'>) => {
      const f = me();
      const svc = f.service(req.ref);
      f.state.services = f.state.services.filter((s) => s.ID !== svc.ID);
      return { id: svc.ID };
    }),
    listTasks: w('listTasks', async (req: CReq<'listTasks'>) => ({
      tasks: me().state.tasks.filter(
        (t) =>
          (req.serviceIds === undefined || req.serviceIds.includes(t.ServiceID)) &&
          (req.nodeIds === undefined || (t.NodeID !== undefined && req.nodeIds.includes(t.NodeID))),
      ),
    })),
    getTask: w('getTask', async (req: CReq<'getTask'>) => resolveRef('task', req.ref, me().state.tasks, () => [])),
    /** A snapshot of the state as create events; the stream then ends. */
    watch: async (req: CReq<'watch'>, sink: StreamSink<WatchEvent>, ctx: CallContext) => {
      const f = me();
      f.calls.push({ method: 'watch', request: req });
      const o = f.streamOverride('watch');
      if (o !== undefined) return o(req, sink as StreamSink<unknown>, ctx);
      f.requireManager();
      const tables: [WatchEvent['Table'], readonly { ID: string }[]][] = [
        ['nodes', f.state.nodes],
        ['services', f.state.services],
        ['tasks', f.state.tasks],
        ['clusters', f.state.cluster === undefined ? [] : [f.state.cluster]],
      ];
      for (const [table, objects] of tables) {
        if (req.tables !== undefined && !req.tables.includes(table)) continue;
        for (const o of objects) await sink.send({ Action: 'create', Table: table, Object: o, Index: f.state.index });
      }
    },
  };
}
