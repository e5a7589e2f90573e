// shoald: one per host. Always an agent; also a manager while its role is
// manager. Serves the local control socket (unix, 0600) and, on managers,
// the cluster port (WebSocket over mutual TLS). Its identity, role and
// credentials live in the data dir, so a restart resumes where it was.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { NodeRole } from '../../api/contract.js';
import { DaemonContract, type DaemonInfo, type SwarmInitRequest, type SwarmJoinRequest } from '../../api/contracts/daemon.js';
import { RaftMembershipContract } from '../../api/contracts/dispatcher.js';
import { NodeCAContract } from '../../api/contracts/node-ca.js';
import { newCluster, withClusterDefaults } from '../../api/cluster.js';
import { ShoalError } from '../../api/errors.js';
import { asNodeId, newObjectId, type ClusterId } from '../../api/ids.js';
import type { Node } from '../../api/node.js';
import { newMeta } from '../../api/object-meta.js';
import { DispatcherSession } from '../../agent/dispatcher-session.js';
import { detectRuntime, type TaskRuntime } from '../../agent/runtime/index.js';
import { LogPublisher, Worker } from '../../agent/worker/index.js';
import type { TaskStatusUpdate } from '../../api/contracts/dispatcher.js';
import { createCsr } from '../../net/pki/csr.js';
import { createJoinTokens } from '../../net/pki/join-token-set.js';
import { parseJoinToken } from '../../net/pki/join-token.js';
import { generateKey, privateKeyPem } from '../../net/pki/keys.js';
import { issueNodeCertificate } from '../../net/pki/node-cert.js';
import { identifyPeer } from '../../net/pki/peer-identity.js';
import { caDigest, createRootCa } from '../../net/pki/root-ca.js';
import { trustCaForToken } from '../../net/pki/trust-ca.js';
import { createClient, dialTls, listenTls, listenUnix, RpcServer, serve, type Dialer, type Listener, type TlsListener } from '../../net/rpc/index.js';
import type { StoredCluster } from '../../manager/controlapi/cluster-handlers.js';
import { Manager } from '../../manager/manager.js';
import { createObject } from '../../manager/store/typed.js';
import { advertiseFor, hostPort, splitHostPort } from './addresses.js';
import { describeNode, SHOAL_VERSION } from './description.js';
import { delegatingControl } from './local-control.js';
import { NodeFiles, type Credentials, type SwarmState } from './node-state.js';

export interface DaemonOptions {
  readonly dataDir: string;
  readonly socket: string;
  readonly hostname?: string;
  readonly runtime: 'docker' | 'process';
  readonly engineVersion: string;
  readonly log?: (line: string) => void;
}

type Mode =
  | { readonly kind: 'inactive' }
  | { readonly kind: 'worker'; readonly state: SwarmState; readonly creds: Credentials }
  | { readonly kind: 'manager'; readonly state: SwarmState; readonly creds: Credentials; readonly manager: Manager; readonly listener: TlsListener };

export class Daemon {
  private readonly files: NodeFiles;
  private mode: Mode = { kind: 'inactive' };
  private session: DispatcherSession | null = null;
  /** The task runtime, the worker driving it and the log publisher, while in a swarm. */
  private agent: { readonly runtime: TaskRuntime; readonly worker: Worker; readonly logs: LogPublisher } | null = null;
  private local: Listener | null = null;
  private changing: Promise<unknown> = Promise.resolve();
  private readonly log: (line: string) => void;
  /** The role the store last gave this node, and whether a loop is moving towards it. */
  private desiredRole: NodeRole | null = null;
  private roleLoop = false;

  constructor(private readonly opts: DaemonOptions) {
    this.files = new NodeFiles(opts.dataDir);
    this.log = opts.log ?? ((l) => process.stderr.write(`shoald: ${l}\n`));
  }

  get hostname(): string {
    return describeNode(this.opts.hostname, this.opts.engineVersion).Hostname;
  }

  /** Resume the swarm role from the data dir, then serve the local socket. */
  async start(): Promise<void> {
    const state = this.files.loadSwarm();
    const creds = this.files.loadCredentials();
    if (state !== null && creds !== null) await this.enter(state, creds, {});
    mkdirSync(dirname(this.opts.socket), { recursive: true });
    const server = new RpcServer({ services: [this.daemonService(), delegatingControl(() => (this.mode.kind === 'manager' ? this.mode.manager.controlService() : this.mode.kind === 'worker' ? 'worker' : 'none'))] });
    this.local = await listenUnix({ server, path: this.opts.socket });
  }

  async stop(): Promise<void> {
    await this.local?.close();
    await this.leaveRole();
  }

  // ---- the Daemon contract ----

  private daemonService() {
    return serve(DaemonContract, {
      info: async () => this.info(),
      swarmInit: (req) => this.serial(() => this.init(req)),
      swarmJoin: (req) => this.serial(() => this.join(req)),
      swarmLeave: (req) => this.serial(() => this.leave(req.force === true)),
    });
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.changing.then(fn, fn);
    this.changing = next.catch(() => undefined);
    return next;
  }

  private info(): DaemonInfo {
    const m = this.mode;
    const state = m.kind === 'inactive' ? null : m.state;
    return {
      ID: state?.nodeId ?? '',
      Name: this.hostname,
      ServerVersion: SHOAL_VERSION,
      Runtime: this.opts.runtime,
      Swarm: {
        LocalNodeState: m.kind === 'inactive' ? 'inactive' : 'active',
        NodeID: state?.nodeId ?? '',
        NodeAddr: state === null ? '' : splitHostPort(state.advertiseAddr).host,
        ControlAvailable: m.kind === 'manager',
        Error: '',
        RemoteManagers: m.kind === 'manager' ? m.manager.managers() : (state?.managers ?? []),
        ClusterID: state?.clusterId ?? '',
      },
    };
  }

  private async init(req: SwarmInitRequest): Promise<{ nodeId: string; workerToken: string; advertiseAddr: string }> {
    if (req.forceNewCluster === true) {
      const state = this.files.loadSwarm();
      const creds = this.files.loadCredentials();
      if (state === null || creds === null || state.role !== 'manager') throw new ShoalError('FailedPrecondition', 'This node is not a manager of a swarm: --force-new-cluster recovers a manager whose swarm lost its quorum', 'local');
      await this.leaveRole();
      await this.enter(state, creds, { forceNewCluster: true });
      await this.waitLeader();
      const mgr = this.managerNow();
      const cluster = mgr?.store.view((tx) => tx.all('clusters')[0]) as StoredCluster | undefined;
      return { nodeId: state.nodeId, workerToken: cluster?.JoinTokens.Worker ?? '', advertiseAddr: state.advertiseAddr };
    }
    if (this.mode.kind !== 'inactive') throw new ShoalError('FailedPrecondition', 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.', 'local');
    const listen = splitHostPort(req.listenAddr ?? '0.0.0.0:2377');
    const advertise = advertiseFor(listen, req.advertiseAddr);
    const now = Date.now();
    const nodeId = asNodeId(newObjectId());
    const clusterId = newObjectId() as ClusterId;
    const ca = createRootCa({ now });
    const key = generateKey();
    const cert = issueNodeCertificate(ca, { csr: createCsr(key), nodeId, role: 'manager', clusterId, now });
    const creds: Credentials = { ca: ca.certPem, cert, key: privateKeyPem(key) };
    const state: SwarmState = { nodeId, clusterId, role: 'manager', listenAddr: hostPort(listen), advertiseAddr: hostPort(advertise), managers: [{ NodeID: nodeId, Addr: hostPort(advertise) }] };
    const digest = caDigest(ca.certPem);
    const tokens = createJoinTokens(digest);
    this.files.saveCredentials(creds);
    this.files.saveSwarm(state);
    await this.enter(state, creds, { bootstrap: true });
    await this.waitLeader();
    const mgr = this.managerNow();
    if (mgr === null) throw new ShoalError('Internal', 'the manager did not start');
    const spec = withClusterDefaults({
      ...(req.taskHistoryLimit !== undefined ? { Orchestration: { TaskHistoryRetentionLimit: req.taskHistoryLimit } } : {}),
      ...(req.dispatcherHeartbeat !== undefined ? { Dispatcher: { HeartbeatPeriod: req.dispatcherHeartbeat } } : {}),
    });
    const cluster: StoredCluster = {
      ...newCluster({
        id: clusterId,
        nowMs: now,
        spec,
        tlsInfo: { TrustRoot: ca.certPem, CertIssuerSubject: '', CertIssuerPublicKey: '' },
        rootCADigest: `sha256:${digest}`,
        joinTokens: { Worker: tokens.worker, Manager: tokens.manager },
        ...(req.defaultAddrPool !== undefined ? { defaultAddrPool: req.defaultAddrPool } : {}),
        ...(req.subnetSize !== undefined ? { subnetSize: req.subnetSize } : {}),
      }),
      RootCAKey: privateKeyPem(ca.key),
    };
    const node: Node = {
      ID: nodeId,
      ...newMeta(now),
      Spec: { Labels: {}, Role: 'manager', Availability: 'active' },
      Description: describeNode(this.opts.hostname, this.opts.engineVersion),
      Status: { State: 'ready', Addr: advertise.host },
    };
    await mgr.store.update((tx) => {
      createObject(tx, 'clusters', cluster);
      createObject(tx, 'nodes', node);
    });
    return { nodeId, workerToken: tokens.worker, advertiseAddr: hostPort(advertise) };
  }

  private async join(req: SwarmJoinRequest): Promise<{ nodeId: string; role: NodeRole }> {
    if (this.mode.kind !== 'inactive') throw new ShoalError('FailedPrecondition', 'This node is already part of a swarm. Use "shoal swarm leave" to leave this swarm and join another one.', 'local');
    const token = parseJoinToken(req.token);
    const remote = splitHostPort(req.remoteAddr);
    // 1. Fetch the CA without trusting it, and check it against the token's digest.
    const probe = createClient({ dialer: dialTls({ host: remote.host, port: remote.port, verifyServer: () => undefined }), peerName: `the manager at ${req.remoteAddr}`, connectWaitMs: 5000 });
    let caPem: string;
    try {
      caPem = (await probe.call(NodeCAContract, 'getRootCACertificate', {}, { deadlineMs: 10_000 })).certPem;
    } finally {
      await probe.close();
    }
    trustCaForToken(token, caPem);
    // 2. With the CA pinned, trade the token and a CSR for a certificate.
    const listen = splitHostPort(req.listenAddr ?? '0.0.0.0:2377');
    const advertise = advertiseFor(listen, req.advertiseAddr);
    const key = generateKey();
    const ca = createClient({ dialer: dialTls({ host: remote.host, port: remote.port, ca: caPem }), peerName: `the manager at ${req.remoteAddr}`, connectWaitMs: 5000 });
    let issued;
    try {
      issued = await ca.call(
        NodeCAContract,
        'issueNodeCertificate',
        { csr: createCsr(key), token: req.token, hostname: this.hostname, advertiseAddr: hostPort(advertise), ...(req.availability !== undefined ? { availability: req.availability } : {}) },
        { deadlineMs: 15_000 },
      );
    } finally {
      await ca.close();
    }
    const creds: Credentials = { ca: caPem, cert: issued.certPem, key: privateKeyPem(key) };
    const state: SwarmState = { nodeId: issued.nodeId, clusterId: issued.clusterId, role: issued.role, listenAddr: hostPort(listen), advertiseAddr: hostPort(advertise), managers: issued.managers };
    this.files.saveCredentials(creds);
    this.files.saveSwarm(state);
    await this.enter(state, creds, { awaitRaft: true });
    return { nodeId: issued.nodeId, role: issued.role };
  }

  private async leave(force: boolean): Promise<Record<string, never>> {
    const m = this.mode;
    if (m.kind === 'inactive') throw new ShoalError('FailedPrecondition', 'This node is not part of a swarm', 'local');
    const isVoter = m.kind === 'manager' && m.manager.view.members().some((x) => x.voter && x.id === m.state.nodeId);
    if (m.kind === 'manager' && !force && isVoter) {
      const voters = m.manager.view.members().filter((x) => x.voter);
      const reachable = voters.filter((x) => x.reachable).length;
      const unreachable = voters.length - reachable;
      // moby daemon/cluster: isLastManager and removingManagerCausesLossOfQuorum.
      let msg = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
      if (reachable === 1 && unreachable === 0) {
        msg += 'Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ';
        throw new ShoalError('FailedPrecondition', msg.trim(), 'local');
      }
      if (reachable - 2 <= unreachable) {
        msg += `Removing this node leaves ${reachable - 1} managers out of ${reachable + unreachable}. Without a Raft quorum your swarm will be inaccessible. `;
      }
      msg += 'The only way to restore a swarm that has lost consensus is to reinitialize it with `--force-new-cluster`. Use `--force` to suppress this message.';
      throw new ShoalError('FailedPrecondition', msg, 'local');
    }
    if (m.kind === 'manager') {
      try {
        const leaderAddr = m.manager.leaderAddr();
        if (leaderAddr !== null && !m.manager.isLeader) {
          const c = createClient({ dialer: this.dialer(m.creds)(leaderAddr), connectWaitMs: 2000 });
          await c.call(RaftMembershipContract, 'leave', {}, { deadlineMs: 3000 }).finally(() => c.close());
        }
      } catch (err) {
        this.log(`leaving raft: ${err instanceof Error ? err.message : String(err)} (continuing)`);
      }
    }
    // Docker stops and removes the node's tasks when it leaves.
    if (this.agent !== null && !(await this.agent.worker.removeAll(30_000))) this.log('leaving: some tasks could not be removed in time');
    await this.leaveRole();
    this.files.clear();
    return {};
  }

  // ---- roles ----

  private dialer(creds: Credentials): (address: string) => Dialer {
    return (address) => {
      const { host, port } = splitHostPort(address);
      return dialTls({ host, port, ca: creds.ca, cert: creds.cert, key: creds.key });
    };
  }

  /** Start the agent session and, for managers, the manager and the cluster listener. */
  private async enter(state: SwarmState, creds: Credentials, how: { bootstrap?: boolean; forceNewCluster?: boolean; awaitRaft?: boolean }): Promise<void> {
    const dial = this.dialer(creds);
    if (state.role === 'manager') {
      const peers = Object.fromEntries(state.managers.filter((x) => x.NodeID !== state.nodeId).map((x) => [x.NodeID, x.Addr]));
      const manager = await Manager.start({
        nodeId: asNodeId(state.nodeId),
        raftDir: this.files.raftDir,
        advertiseAddr: state.advertiseAddr,
        dial,
        peers,
        ...(how.bootstrap === true ? { bootstrap: true } : {}),
        ...(how.forceNewCluster === true ? { forceNewCluster: true } : {}),
        onFatal: (err) => this.log(`manager stopped: ${err.message}`),
      });
      const server = new RpcServer({ services: manager.services() });
      const listen = splitHostPort(state.listenAddr);
      const listener = await listenTls({ server, identify: identifyPeer, host: listen.host, port: listen.port, cert: creds.cert, key: creds.key, ca: creds.ca });
      this.mode = { kind: 'manager', state, creds, manager, listener };
      if (how.bootstrap !== true && how.forceNewCluster !== true) {
        const joined = this.joinRaft(state, dial);
        // `swarm join` as a manager answers once this node votes (bounded); a restart rejoins in the background.
        if (how.awaitRaft === true) await Promise.race([joined, new Promise((r) => setTimeout(r, 30_000))]);
      }
    } else {
      this.mode = { kind: 'worker', state, creds };
    }
    await this.startAgent(state);
    this.startSession(state, creds);
  }

  /** A manager that is not yet a raft member asks the leader to take it in. */
  private async joinRaft(state: SwarmState, dial: (a: string) => Dialer): Promise<void> {
    let redirect: string | null = null;
    for (let attempt = 0; this.mode.kind === 'manager'; attempt++) {
      const m = this.mode;
      if (m.state.nodeId !== state.nodeId) return;
      const st = m.manager.driver.status();
      if (st.conf.voters.includes(asNodeId(state.nodeId))) return;
      const others = state.managers.filter((x) => x.NodeID !== state.nodeId);
      const addr = redirect ?? m.manager.leaderAddr() ?? others[attempt % Math.max(1, others.length)]?.Addr;
      redirect = null;
      if (addr !== undefined && addr !== state.advertiseAddr) {
        const c = createClient({ dialer: dial(addr), connectWaitMs: 2000 });
        try {
          await c.call(RaftMembershipContract, 'join', { addr: state.advertiseAddr }, { deadlineMs: 5000 });
          return;
        } catch (err) {
          // A follower names the leader to ask instead.
          const detail = err instanceof ShoalError ? err.detail : undefined;
          if (detail?.startsWith('leader=')) {
            redirect = detail.slice('leader='.length);
            continue;
          }
          this.log(`joining raft via ${addr}: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          await c.close();
        }
      }
      await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** Math.min(attempt, 5))));
    }
  }

  private startSession(state: SwarmState, creds: Credentials): void {
    let known = state.managers.map((m) => m.Addr);
    this.session = new DispatcherSession({
      managers: () => (this.mode.kind === 'manager' ? [this.mode.manager.leaderAddr() ?? state.advertiseAddr, ...known] : known),
      dial: this.dialer(creds),
      description: () => describeNode(this.opts.hostname, this.opts.engineVersion),
      addr: splitHostPort(state.advertiseAddr).host,
      onNode: (node, managers) => {
        known = managers.map((m) => m.Addr);
        const cur = this.files.loadSwarm();
        if (cur !== null) this.files.saveSwarm({ ...cur, managers });
        this.desiredRole = node.Spec.Role;
        if (node.Spec.Role !== state.role) void this.reconcileRole();
      },
      onAssignments: (tasks, serviceNames) => this.agent?.worker.assign(tasks, serviceNames),
      onConnected: (rpc, signal) => void this.agent?.logs.run(rpc, signal),
      onState: (s, detail) => {
        if (s === 'disconnected') this.log(`dispatcher session: ${detail}`);
      },
    });
    this.session.start();
  }

  /** Keep trying to become the role the store gives this node, until it is or the node leaves. */
  private async reconcileRole(): Promise<void> {
    if (this.roleLoop) return;
    this.roleLoop = true;
    try {
      for (let attempt = 0; ; attempt++) {
        const m = this.mode;
        const want = this.desiredRole;
        if (m.kind === 'inactive' || want === null || m.state.role === want) return;
        try {
          await this.serial(() => this.changeRole(want));
        } catch (err) {
          this.log(`becoming a ${want}: ${err instanceof Error ? err.message : String(err)}; retrying`);
          await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 5))));
        }
      }
    } finally {
      this.roleLoop = false;
    }
  }

  /** The runtime and the worker (which adopts the tasks a previous agent left running). */
  private async startAgent(state: SwarmState): Promise<void> {
    try {
      const runtime = await detectRuntime(this.opts.runtime, { nodeId: state.nodeId, stateDir: this.files.agentDir });
      const worker = new Worker({ nodeId: state.nodeId, runtime, report: (updates) => this.reportStatus(updates), log: (l) => this.log(`worker: ${l}`) });
      await worker.start();
      this.agent = { runtime, worker, logs: new LogPublisher({ runtime, log: (l) => this.log(`logs: ${l}`) }) };
    } catch (err) {
      this.log(`this node cannot run tasks: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async reportStatus(updates: TaskStatusUpdate[]): Promise<void> {
    if (this.session === null) throw new ShoalError('Unavailable', 'not connected to a manager');
    await this.session.report(updates);
  }

  /** Promotion or demotion: renew the certificate for the new role, then become it. */
  private async changeRole(role: NodeRole): Promise<void> {
    const m = this.mode;
    if (m.kind === 'inactive' || m.state.role === role) return;
    const key = generateKey();
    const addr = m.kind === 'manager' ? (m.manager.leaderAddr() ?? m.state.advertiseAddr) : m.state.managers[0]?.Addr;
    if (addr === undefined) return;
    const c = createClient({ dialer: this.dialer(m.creds)(addr), connectWaitMs: 3000 });
    let certPem: string;
    try {
      certPem = (await c.call(NodeCAContract, 'renewNodeCertificate', { csr: createCsr(key) }, { deadlineMs: 10_000 })).certPem;
    } finally {
      await c.close();
    }
    const creds: Credentials = { ca: m.creds.ca, cert: certPem, key: privateKeyPem(key) };
    const state: SwarmState = { ...m.state, role };
    await this.leaveRole();
    if (role === 'worker') this.files.clear();
    this.files.saveCredentials(creds);
    this.files.saveSwarm(state);
    await this.enter(state, creds, {});
    this.log(`role changed to ${role}`);
  }

  private async leaveRole(): Promise<void> {
    const m = this.mode;
    this.mode = { kind: 'inactive' };
    // Tasks keep running (a restarted agent adopts them); pending reports go out first.
    const agent = this.agent;
    this.agent = null;
    agent?.logs.close();
    await agent?.worker.stop();
    await this.session?.stop();
    this.session = null;
    await agent?.runtime.close();
    if (m.kind === 'manager') {
      await m.listener.close();
      await m.manager.stop();
    }
  }

  /** The running manager, if any (a method, so TypeScript does not narrow across awaits). */
  private managerNow(): Manager | null {
    return this.mode.kind === 'manager' ? this.mode.manager : null;
  }

  private async waitLeader(timeoutMs = 15_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (this.managerNow()?.isLeader !== true) {
      if (Date.now() > end) throw new ShoalError('Unavailable', 'the new manager did not become leader in time');
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}
