// The console's heart at the IO edge: it feeds watch events into the index
// (the reducer), key presses into the key handler, runs the effects
// (actions against the manager, the log stream and Raft status of the
// view on screen), and tells the ink components when to draw. Frames
// driven by events are coalesced (one per `frameMs`, longer when a frame
// is slow); a key press draws at once.
import type { LogLine, WatchEvent } from '../api/contracts/control.js';
import { shortId } from '../api/format.js';
import { execute } from './executor.js';
import { buildScreen } from './screen/screen.js';
import { TextViews, type TextInputs } from './screen/text-views.js';
import type { ConsoleSource } from './source.js';
import { Aggregates } from './state/aggregates.js';
import type { Glyphs, Line } from './state/cells.js';
import { ClusterIndex } from './state/cluster-index.js';
import { nodeNameOf, taskNameOf } from './state/columns.js';
import type { ConnectionView, LinkStatus, WatchPhase } from './state/connection.js';
import { describeEvent, type EventEntry } from './state/event-log.js';
import { LogFeed, NO_RAFT, type RaftFeed } from './state/feeds.js';
import type { Key } from './state/key.js';
import { handleKey, type Effect, type KeyContext } from './state/keys.js';
import { Metrics } from './state/metrics.js';
import { Ring } from './state/ring.js';
import { TableRows } from './state/table-rows.js';
import type { Action } from './state/actions.js';
import { current, initialState, isTable, type Size, type UiState } from './state/ui-state.js';
import { watchLoop, type RetryPolicy, type WatchSink } from './watch-loop.js';

export type Request = 'quit' | 'dashboard';

const SNAPSHOT_FRAME_MS = 200;

export interface ControllerOptions {
  readonly source: ConsoleSource;
  readonly size: Size;
  readonly readOnly: boolean;
  readonly glyphs: Glyphs;
  /** Wall clock for ages and event times (tests pin it). */
  readonly now?: () => number;
  /** Quit, or hand the terminal to the dashboard. */
  readonly onRequest?: (r: Request) => void;
  /** Shortest time between frames caused by events. */
  readonly frameMs?: number;
  /** A snapshot is over when the stream has been quiet this long (or a non-create event arrives). */
  readonly snapshotIdleMs?: number;
  readonly raftEveryMs?: number;
  /** Ages on screen and dashboard samples. */
  readonly tickMs?: number;
  readonly watchRetry?: RetryPolicy;
}

export class ConsoleController implements TextInputs, WatchSink {
  readonly index = new ClusterIndex();
  readonly agg = new Aggregates(this.index);
  readonly tables = new TableRows(this.index, this.agg);
  readonly texts = new TextViews(this);
  readonly events = new Ring<EventEntry>(2000);
  readonly metrics = new Metrics();
  logs: LogFeed | undefined = undefined;
  raft: RaftFeed = NO_RAFT;

  private ui: UiState;
  private link: LinkStatus;
  private watch: WatchPhase = { kind: 'starting' };
  private resync = false;
  private lastSnapshotEvent = 0;
  private snapshotTimer: NodeJS.Timeout | undefined;
  private frameTimer: NodeJS.Timeout | undefined;
  private version = 0;
  private built: { version: number; lines: Line[] } | undefined;
  /** How long the last screen took to build, and ink to render it: the frame interval stretches when they are slow. */
  private buildMs = 0;
  private renderMs = 0;
  private readonly listeners = new Set<() => void>();
  private readonly abort = new AbortController();
  private readonly disposers: (() => void)[] = [];
  private logsAbort: AbortController | undefined;
  private raftAbort: AbortController | undefined;
  /** Ends the Raft poller's pause early (after a promote or demote). */
  private raftWake: (() => void) | undefined;
  private dashboardOpen = false;
  private actions: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly o: ControllerOptions) {
    this.ui = initialState(o.size, o.readOnly);
    this.link = o.source.status();
    this.now = o.now ?? Date.now;
  }

  // ---- lifecycle ----

  start(): void {
    this.disposers.push(this.o.source.onStatus((s) => this.linkChanged(s)));
    this.pollRaft();
    void watchLoop(this.o.source, this, this.abort.signal, this.o.watchRetry);
    const tick = setInterval(() => this.tick(), this.o.tickMs ?? 1000);
    this.disposers.push(() => clearInterval(tick));
  }

  stop(): void {
    this.abort.abort();
    this.logsAbort?.abort();
    this.raftAbort?.abort();
    clearTimeout(this.snapshotTimer);
    clearTimeout(this.frameTimer);
    for (const d of this.disposers.splice(0)) d();
    this.listeners.clear();
  }

  // ---- for the ink components ----

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getVersion = (): number => this.version;

  get state(): UiState {
    return this.ui;
  }

  get connection(): ConnectionView {
    return { address: this.o.source.address, link: this.link, watch: this.watch };
  }

  /** The lines to draw, built once per version. */
  screen(): Line[] {
    if (this.built?.version === this.version) return this.built.lines;
    const t0 = performance.now();
    const lines = buildScreen({
      ui: this.ui,
      index: this.index,
      agg: this.agg,
      tables: this.tables,
      texts: this.texts,
      connection: this.connection,
      nowMs: this.now(),
      glyphs: this.o.glyphs,
    });
    this.buildMs = performance.now() - t0;
    this.built = { version: this.version, lines };
    return lines;
  }

  key(k: Key): void {
    const ctx: KeyContext = {
      index: this.index,
      tableRows: (f) => this.tables.rows(f, this.now()),
      textLines: (f) => this.texts.lines(f, this.ui.size.columns, this.o.glyphs).length,
      logCount: () => this.logs?.entries.total ?? 0,
    };
    const r = handleKey(this.ui, k, ctx);
    this.setUi(r.state);
    for (const e of r.effects) this.effect(e);
  }

  /** ink's own time for the last frame (its onRender metric). */
  noteRender(ms: number): void {
    this.renderMs = ms;
  }

  resize(size: Size): void {
    if (size.columns === this.ui.size.columns && size.rows === this.ui.size.rows) return;
    this.setUi({ ...this.ui, size });
  }

  /** The dashboard has the terminal: keep reading Raft status for its charts. */
  setDashboard(open: boolean): void {
    this.dashboardOpen = open;
    this.syncFeeds();
    if (!open) this.changed(true);
  }

  // ---- watch sink ----

  starting(resync: boolean): void {
    this.resync = resync;
    if (resync) this.index.beginResync();
    this.watch = { kind: 'starting' };
    this.changed(false);
  }

  event(e: WatchEvent): void {
    if (this.watch.kind === 'starting' || this.watch.kind === 'failed') this.watch = { kind: 'snapshot', objects: 0, resync: this.resync };
    if (this.watch.kind === 'snapshot') {
      if (e.Action === 'create') {
        this.index.apply(e);
        this.watch = { kind: 'snapshot', objects: this.watch.objects + 1, resync: this.watch.resync };
        this.lastSnapshotEvent = performance.now();
        this.armSnapshotTimer();
        this.changed(false);
        return;
      }
      this.goLive();
    }
    const prev = e.Table === 'nodes' ? this.index.nodes.get(e.Object.ID) : e.Table === 'services' ? this.index.services.get(e.Object.ID) : e.Table === 'tasks' ? this.index.tasks.get(e.Object.ID) : undefined;
    this.index.apply(e);
    this.events.push(describeEvent(e, prev, this.index, this.now()));
    this.changed(false);
  }

  failed(error: string): void {
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    this.watch = { kind: 'failed', error };
    this.changed(false);
  }

  // ---- internals ----

  private armSnapshotTimer(): void {
    if (this.snapshotTimer !== undefined) return;
    const idle = this.o.snapshotIdleMs ?? 300;
    const check = (): void => {
      const quiet = performance.now() - this.lastSnapshotEvent;
      if (quiet >= idle) {
        this.snapshotTimer = undefined;
        if (this.watch.kind === 'snapshot') this.goLive();
        this.changed(false);
        return;
      }
      this.snapshotTimer = setTimeout(check, idle - quiet);
    };
    this.snapshotTimer = setTimeout(check, idle);
  }

  /** The snapshot is complete: what it did not mention is gone. */
  private goLive(): void {
    clearTimeout(this.snapshotTimer);
    this.snapshotTimer = undefined;
    if (this.watch.kind === 'snapshot' && this.watch.resync) this.index.sweep();
    this.watch = { kind: 'live' };
  }

  private linkChanged(s: LinkStatus): void {
    this.link = s;
    this.changed(true);
  }

  private setUi(next: UiState): void {
    if (next === this.ui) return;
    const filtering = this.ui.mode.kind === 'filter';
    this.ui = next;
    this.syncFeeds();
    this.changed(true);
    if (!filtering && next.mode.kind === 'filter') this.warmSearch();
  }

  /** While the operator types the first filter character, prepare every row's search text in slices that keep keys flowing. */
  private warmSearch(): void {
    const step = (): void => {
      const frame = current(this.ui);
      if (this.ui.mode.kind !== 'filter' || !isTable(frame) || this.abort.signal.aborted) return;
      if (!this.tables.warmSearch(frame, this.now(), 8)) setImmediate(step);
    };
    setImmediate(step);
  }

  private effect(e: Effect): void {
    switch (e.kind) {
      case 'action':
        return this.run(e.action);
      case 'quit':
      case 'dashboard':
        return this.o.onRequest?.(e.kind);
    }
  }

  /** Actions run one at a time, in the order they were asked for. */
  private run(action: Action): void {
    this.actions = this.actions.then(async () => {
      const out = await execute(this.o.source.control, action);
      this.ui = { ...this.ui, status: { tone: out.ok ? 'ok' : 'error', text: out.text } };
      if (action.kind === 'node-role') this.raftWake?.();
      this.changed(true);
    });
  }

  /** Data changed (`urgent` for what the operator just did). */
  private changed(urgent: boolean): void {
    if (urgent) {
      clearTimeout(this.frameTimer);
      this.frameTimer = undefined;
      return this.emit();
    }
    if (this.frameTimer !== undefined) return;
    // While a snapshot streams in, a few frames a second say how far it got; drawing more would slow the load.
    const base = this.watch.kind === 'snapshot' ? SNAPSHOT_FRAME_MS : (this.o.frameMs ?? 33);
    const wait = Math.max(base, Math.min(500, 2 * (this.buildMs + this.renderMs)));
    this.frameTimer = setTimeout(() => {
      this.frameTimer = undefined;
      this.emit();
    }, wait);
  }

  private emit(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  private tick(): void {
    this.metrics.sample(this.now(), this.index, this.agg, this.raft);
    // Ages ("Running 5 seconds ago") move on.
    if (current(this.ui).kind === 'tasks' || this.dashboardOpen) this.changed(false);
  }

  /** Start or stop the log stream to match what is on screen. */
  private syncFeeds(): void {
    const frame = current(this.ui);
    const target = frame.kind === 'logs' ? frame.logs : undefined;
    const key = target === undefined ? undefined : `${target.kind}:${target.id}`;
    if (key !== this.logs?.key) {
      this.logsAbort?.abort();
      this.logsAbort = undefined;
      this.logs = undefined;
      if (target !== undefined && key !== undefined) this.followLogs(new LogFeed(key), target.id);
    }
  }

  private followLogs(feed: LogFeed, ref: string): void {
    const ac = new AbortController();
    this.logsAbort = ac;
    this.logs = feed;
    const prefix = (l: LogLine): string => {
      const t = this.index.tasks.get(l.TaskID);
      const name = t === undefined ? '' : `${taskNameOf(this.index, t)}.`;
      return `${name}${shortId(l.TaskID)}@${nodeNameOf(this.index, l.NodeID) || shortId(l.NodeID)}`;
    };
    void (async () => {
      try {
        for await (const l of this.o.source.logs(ref, ac.signal)) {
          feed.phase = { kind: 'streaming' };
          feed.push({ prefix: prefix(l), line: l.Line, stream: l.Stream });
          this.changed(false);
        }
        feed.phase = { kind: 'ended' };
      } catch (err) {
        if (ac.signal.aborted) return;
        feed.phase = { kind: 'failed', error: err instanceof Error ? err.message : String(err) };
      }
      this.changed(true);
    })();
  }

  private pollRaft(): void {
    const ac = new AbortController();
    this.raftAbort = ac;
    const every = this.o.raftEveryMs ?? 2000;
    void (async () => {
      while (!ac.signal.aborted) {
        try {
          const status = await this.o.source.raftStatus(ac.signal);
          const before = this.raft.status?.LeaderID;
          this.raft = { status, error: undefined, atMs: this.now() };
          this.index.setRaftMembers(status);
          if (before !== undefined && status.LeaderID !== before) {
            const who = status.LeaderID === null ? 'none (election in progress)' : nodeNameOf(this.index, status.LeaderID);
            this.events.push({ atMs: this.now(), action: 'update', table: 'clusters', text: `raft leader changed: ${who} (term ${status.Term})`, tone: 'warn' });
          }
        } catch (err) {
          if (ac.signal.aborted) return;
          this.raft = { ...this.raft, error: err instanceof Error ? err.message : String(err) };
        }
        this.changed(false);
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(t);
            ac.signal.removeEventListener('abort', done);
            this.raftWake = undefined;
            resolve();
          };
          const t = setTimeout(done, every);
          this.raftWake = done;
          ac.signal.addEventListener('abort', done, { once: true });
        });
      }
    })();
  }
}
