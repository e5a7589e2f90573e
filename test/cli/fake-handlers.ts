// The behaviour of the fake daemon (fake-daemon.ts): Docker's daemon and
// swarmkit's control API in miniature, with their messages, over the
// fake's in-memory state.
import type { Cluster } from '../../src/api/cluster.js';
import { decodeClusterSpec } from '../../src/api/cluster.js';
import type { Contract, MethodTable, RequestOf } from '../../src/api/contract.js';
import type { ControlContract} from '../../src/api/contracts/control.js';
import { type RaftStatusView, type WatchEvent } from '../../src/api/contracts/control.js';
import type { DaemonContract } from '../../src/api/contracts/daemon.js';
import { ShoalError } from '../../src/api/errors.js';
import { checkNodeSpec, type Node } from '../../src/api/node.js';
import type { Service } from '../../src/api/service.js';
import { serviceSpecSchema, withServiceDefaults } from '../../src/api/service-spec.js';
import { decode, issueError } from '../../src/api/validation.js';
import type { CallContext, Handlers, StreamSink } from '../../src/net/rpc/index.js';
import type { FakeDaemon } from './fake-daemon.js';
import { inactiveInfo, makeCluster, makeNode, makeService } from './fake-objects.js';
import { resolveRef } from './fake-refs.js';

type ControlMethods = (typeof ControlContract)['methods'];
type DaemonMethods = (typeof DaemonContract)['methods'];
type CReq<K extends keyof ControlMethods> = RequestOf<ControlMethods[K]>;
type DReq<K extends keyof DaemonMethods> = RequestOf<DaemonMethods[K]>;

export const NOT_A_MANAGER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";
export const NOT_IN_SWARM = 'This node is not a swarm manager. Use "shoal swarm init" or "shoal swarm join" to connect this node to swarm and try again.';
export const ALREADY_IN_SWARM = 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.';

/**
 * Fill in every method the fake has no behaviour for (the contracts grow):
 * it fails with a message saying so, unless a test overrides it.
 */
export function complete<M extends MethodTable>(contract: Contract<M>, given: Partial<Handlers<M>>, me: () => FakeDaemon): Handlers<M> {
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

export function daemonHandlers(me: () => FakeDaemon): Partial<Handlers<DaemonMethods>> {
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

export function controlHandlers(me: () => FakeDaemon): Partial<Handlers<ControlMethods>> {
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
