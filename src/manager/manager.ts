// A manager: Raft (LMDB, mutual-TLS transport) under the replicated store,
// the control API, the NodeCA, the dispatcher, Raft membership, and the
// leader-only loops. Followers forward control calls to the leader, so every
// answer comes from the one place that knows (as swarmkit's raft proxy).
import { mkdirSync } from 'node:fs';
import { ControlContract, type LogLine, type RaftStatusView, type WatchEvent } from '../api/contracts/control.js';
import { RaftMembershipContract } from '../api/contracts/dispatcher.js';
import { NodeCAContract } from '../api/contracts/node-ca.js';
import { ShoalError } from '../api/errors.js';
import type { NodeId } from '../api/ids.js';
import type { Dialer } from '../net/rpc/dial.js';
import { createClient, serve, type RpcClient, type Service } from '../net/rpc/index.js';
import { nodeCAService } from './ca/node-ca-service.js';
import { getCluster, updateCluster } from './controlapi/cluster-handlers.js';
import { getNode, listNodes, removeNode, updateNode } from './controlapi/node-handlers.js';
import { createService, getService, getTask, listServices, listTasks, removeService, updateService } from './controlapi/service-handlers.js';
import { watch } from './controlapi/watch-handler.js';
import { Dispatcher } from './dispatcher/dispatcher.js';
import { forceNewCluster } from './force-new-cluster.js';
import { managerView } from './manager-view-impl.js';
import { RaftDriver } from './raft/driver/raft-driver.js';
import { LmdbRaftStorage } from './raft/storage/index.js';
import { RpcRaftTransport } from './raft/transport/rpc-transport.js';
import { RoleReconciler } from './role-reconciler.js';
import { LeaderServices } from './leader-services.js';
import { LogBroker } from './logbroker/log-broker.js';
import { MemoryStore } from './store/memory-store.js';
import { NO_LEADER_MESSAGE, RaftProposer, StoreStateMachine } from './store/raft-adapter.js';
import { Store } from './store/store.js';

export interface ManagerOptions {
  readonly nodeId: NodeId;
  readonly raftDir: string;
  /** host:port where other managers reach this one. */
  readonly advertiseAddr: string;
  /** Opens a mutual-TLS connection to another manager. */
  readonly dial: (address: string) => Dialer;
  /** Found a new swarm with this manager alone. */
  readonly bootstrap?: boolean;
  readonly forceNewCluster?: boolean;
  /** Raft members known when joining. */
  readonly peers?: Readonly<Record<string, string>>;
  readonly heartbeatMs?: number;
  readonly tickMs?: number;
  readonly now?: () => number;
  readonly onFatal?: (err: Error) => void;
  /** Leadership gained or lost. */
  readonly onLeadership?: (leader: boolean) => void;
}

export class Manager {
  readonly store: Store;
  readonly view;
  private readonly dispatcher: Dispatcher;
  private readonly logs: LogBroker;
  private readonly roles: RoleReconciler;
  private readonly leaderLoops: LeaderServices;
  private leaderLink: { addr: string; client: RpcClient } | null = null;
  private readonly now: () => number;

  private constructor(
    readonly opts: ManagerOptions,
    readonly driver: RaftDriver,
    private readonly transport: RpcRaftTransport,
    readonly memory: MemoryStore,
  ) {
    this.now = opts.now ?? Date.now;
    this.store = new Store(this.memory, new RaftProposer(driver), { now: () => new Date(this.now()) });
    this.view = managerView(driver);
    this.dispatcher = new Dispatcher({
      store: this.store,
      now: this.now,
      isLeader: () => driver.isLeader,
      notLeader: () => this.notLeader(),
      managers: () => this.managers(),
      ...(opts.heartbeatMs !== undefined ? { heartbeatMs: opts.heartbeatMs } : {}),
    });
    this.logs = new LogBroker({ store: this.store, isLeader: () => driver.isLeader, notLeader: () => this.notLeader() });
    this.roles = new RoleReconciler(this.store, driver);
    this.leaderLoops = new LeaderServices(this.store, (l) => process.stderr.write(`shoal manager ${opts.nodeId}: ${l}\n`));
  }

  static async start(opts: ManagerOptions): Promise<Manager> {
    mkdirSync(opts.raftDir, { recursive: true, mode: 0o700 });
    const storage = await LmdbRaftStorage.open(opts.raftDir);
    if (opts.forceNewCluster === true) await forceNewCluster(storage, opts.nodeId);
    const transport = new RpcRaftTransport({ self: opts.nodeId, dial: opts.dial });
    // The driver needs the store to apply into, and reports leadership to the manager built after it.
    let self: Manager | null = null;
    const memory = new MemoryStore();
    const driver = await RaftDriver.open({
      id: opts.nodeId,
      storage,
      transport,
      stateMachine: new StoreStateMachine(memory),
      peers: { ...(opts.peers ?? {}), [opts.nodeId]: opts.advertiseAddr },
      ...(opts.bootstrap === true ? { bootstrap: { voters: [opts.nodeId] } } : {}),
      ...(opts.tickMs !== undefined ? { tickMs: opts.tickMs } : {}),
      onSoftState: (role) => self?.leadershipChanged(role === 'leader'),
      ...(opts.onFatal !== undefined ? { onFatal: opts.onFatal } : {}),
    });
    self = new Manager(opts, driver, transport, memory);
    if (driver.isLeader) self.leadershipChanged(true);
    return self;
  }

  get isLeader(): boolean {
    return this.driver.isLeader;
  }

  /** The raft members and their addresses (what agents and joiners fall back to). */
  managers(): Array<{ NodeID: string; Addr: string }> {
    const st = this.driver.status();
    return [...st.conf.voters, ...st.conf.learners].map((id) => ({ NodeID: id, Addr: st.addresses[id] ?? '' })).filter((m) => m.Addr !== '');
  }

  leaderAddr(): string | null {
    const st = this.driver.status();
    return st.leader === null ? null : (st.addresses[st.leader] ?? null);
  }

  /** Every RPC service a manager serves on its cluster port. */
  services(): Service[] {
    return [this.transport.service(), this.controlService(), this.nodeCA(), this.dispatcher.service(), this.logs.service(), this.membershipService()];
  }

  /** Control API only (for the local socket). */
  controlService(): Service {
    const v = this.view;
    const st = this.store;
    const now = this.now;
    return serve(ControlContract, {
      listNodes: (req) => this.lead(() => listNodes(st, v), (c) => c.call(ControlContract, 'listNodes', req)),
      getNode: (req) => this.lead(() => getNode(st, v, req.ref), (c) => c.call(ControlContract, 'getNode', req)),
      updateNode: (req) => this.lead(() => updateNode(st, v, now, req.ref, req.version, req.spec), (c) => c.call(ControlContract, 'updateNode', req)),
      removeNode: (req) => this.lead(() => removeNode(st, v, req.ref, req.force === true), (c) => c.call(ControlContract, 'removeNode', req)),
      getCluster: (req) => this.lead(() => getCluster(st, v), (c) => c.call(ControlContract, 'getCluster', req)),
      updateCluster: (req) => this.lead(() => updateCluster(st, now, req), (c) => c.call(ControlContract, 'updateCluster', req)),
      raftStatus: (req) => this.lead(async () => this.raftStatus(), (c) => c.call(ControlContract, 'raftStatus', req)),
      listServices: (req) => this.lead(() => listServices(st, v), (c) => c.call(ControlContract, 'listServices', req)),
      getService: (req) => this.lead(() => getService(st, v, req.ref), (c) => c.call(ControlContract, 'getService', req)),
      createService: (req) => this.lead(() => createService(st, now, req.spec), (c) => c.call(ControlContract, 'createService', req)),
      updateService: (req) => this.lead(() => updateService(st, now, req), (c) => c.call(ControlContract, 'updateService', req)),
      removeService: (req) => this.lead(() => removeService(st, req.ref), (c) => c.call(ControlContract, 'removeService', req)),
      listTasks: (req) => this.lead(() => listTasks(st, v, req), (c) => c.call(ControlContract, 'listTasks', req)),
      getTask: (req) => this.lead(() => getTask(st, v, req.ref), (c) => c.call(ControlContract, 'getTask', req)),
      watch: async (req, sink, ctx) => {
        if (this.driver.isLeader) return watch(st, req.tables, sink, ctx.signal);
        const c = this.leaderClient();
        for await (const e of c.stream(ControlContract, 'watch', req, { signal: ctx.signal })) await sink.send(e as WatchEvent);
      },
      // The leader's log broker asks the agents holding the tasks; followers forward the stream.
      serviceLogs: async (req, sink, ctx) => {
        if (this.driver.isLeader) return this.logs.serviceLogs(req, sink, ctx.signal);
        const c = this.leaderClient();
        for await (const l of c.stream(ControlContract, 'serviceLogs', req, { signal: ctx.signal })) await sink.send(l as LogLine);
      },
    });
  }

  raftStatus(): RaftStatusView {
    const st = this.driver.status();
    return {
      Term: st.term,
      LeaderID: st.leader,
      CommitIndex: st.commit,
      AppliedIndex: st.applied,
      Members: this.view.members().map((m) => ({ NodeID: m.id, Addr: m.addr, Role: m.voter ? 'voter' : 'learner', Leader: m.leader, Reachability: m.reachable ? 'reachable' : 'unreachable', MatchIndex: m.match, Lag: m.lag })),
    };
  }

  async stop(): Promise<void> {
    this.dispatcher.stop();
    this.logs.stop();
    this.roles.stop();
    await this.leaderLoops.stop();
    if (this.leaderLink !== null) await this.leaderLink.client.close();
    await this.driver.stop();
  }

  // ---- internals ----

  private nodeCA(): Service {
    return nodeCAService({
      store: this.store,
      now: this.now,
      onLeader: (local, forward) => this.lead(local, () => forward()),
      forwardIssue: (req) => this.leaderClient().call(NodeCAContract, 'issueNodeCertificate', req),
      managers: () => this.managers(),
    });
  }

  private membershipService(): Service {
    return serve(RaftMembershipContract, {
      // Not forwarded: a forwarded call would reach the leader as this manager,
      // not as the joining node. Followers answer with the leader's address.
      join: async (req, ctx) => {
        if (ctx.peer.kind !== 'node') throw new ShoalError('Unauthenticated', 'raft members must present their node certificate');
        if (!this.driver.isLeader) throw this.notLeader();
        const id = ctx.peer.nodeId;
        const node = this.store.view((tx) => tx.get('nodes', id));
        if (node === undefined || (node as unknown as { Spec: { Role: string } }).Spec.Role !== 'manager') throw new ShoalError('PermissionDenied', `node ${id} is not a manager`);
        const st = this.driver.status();
        if (![...st.conf.voters, ...st.conf.learners].includes(id)) await this.driver.addLearner(id, req.addr);
        // A joining manager votes once it has caught up with the log.
        if (!this.driver.status().conf.voters.includes(id)) await this.driver.promote(id);
        return { members: this.managers() };
      },
      leave: async (_req, ctx) => {
        if (ctx.peer.kind !== 'node') throw new ShoalError('Unauthenticated', 'raft members must present their node certificate');
        if (!this.driver.isLeader) throw this.notLeader();
        await this.driver.removeMember(ctx.peer.nodeId);
        return {};
      },
    });
  }

  private leadershipChanged(leader: boolean): void {
    if (leader) {
      this.dispatcher.start();
      this.roles.start();
      this.leaderLoops.start();
    } else {
      this.dispatcher.stop();
      this.logs.stop();
      this.roles.stop();
      void this.leaderLoops.stop();
    }
    this.opts.onLeadership?.(leader);
  }

  private notLeader(): ShoalError {
    const addr = this.leaderAddr();
    return addr === null ? new ShoalError('Unavailable', NO_LEADER_MESSAGE) : new ShoalError('FailedPrecondition', `this manager is not the leader; the leader is at ${addr}`, `leader=${addr}`);
  }

  /** Run `local` on the leader, or forward to it. */
  private async lead<T>(local: () => Promise<T>, forward: (leader: RpcClient) => Promise<T>): Promise<T> {
    if (this.driver.isLeader) return local();
    return forward(this.leaderClient());
  }

  private leaderClient(): RpcClient {
    const addr = this.leaderAddr();
    if (addr === null || addr === this.opts.advertiseAddr) throw new ShoalError('Unavailable', NO_LEADER_MESSAGE);
    if (this.leaderLink?.addr !== addr) {
      if (this.leaderLink !== null) void this.leaderLink.client.close();
      this.leaderLink = { addr, client: createClient({ dialer: this.opts.dial(addr), peerName: `the leader at ${addr}`, connectWaitMs: 2000 }) };
    }
    return this.leaderLink.client;
  }
}
