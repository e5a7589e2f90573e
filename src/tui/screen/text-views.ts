// The lines of the text views (events, logs, inspect, cluster), filtered
// and (logs) wrapped, memoized on what they depend on so a key press that
// only scrolls does not rebuild them.
import { shortId } from '../../api/format.js';
import { serviceInspectView } from '../../api/service.js';
import type { Glyphs, Line, Tone } from '../state/cells.js';
import type { IndexView } from '../state/cluster-index.js';
import { nodeNameOf } from '../state/columns.js';
import { clock, type EventEntry } from '../state/event-log.js';
import type { LogFeed, RaftFeed } from '../state/feeds.js';
import type { Ring } from '../state/ring.js';
import { filterWords } from '../state/table-rows.js';
import type { Filter, TextFrame } from '../state/ui-state.js';
import { toYaml } from '../state/yaml.js';

export interface TextInputs {
  readonly index: IndexView;
  readonly events: Ring<EventEntry>;
  readonly logs: LogFeed | undefined;
  readonly raft: RaftFeed;
}

function matcher(f: Filter): (text: string) => boolean {
  const words = filterWords(f);
  if (words.length === 0) return () => true;
  return (text) => {
    const t = text.toLowerCase();
    return words.every((w) => t.includes(w)) !== f.invert;
  };
}

function wrapped(text: string, width: number): string[] {
  if (width <= 0 || text.length <= width) return [text];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}

export class TextViews {
  private memo: { key: string; lines: readonly Line[] } | undefined;

  constructor(private readonly inputs: TextInputs) {}

  logsFeed(): LogFeed | undefined {
    return this.inputs.logs;
  }

  /** Every line of the view (the renderer shows a window of them). */
  lines(frame: TextFrame, width: number, glyphs: Glyphs): readonly Line[] {
    const key = this.keyOf(frame, width);
    if (key !== undefined && this.memo?.key === key) return this.memo.lines;
    const lines = this.build(frame, width, glyphs);
    if (key !== undefined) this.memo = { key, lines };
    return lines;
  }

  private keyOf(frame: TextFrame, width: number): string | undefined {
    const f = `${frame.filter.invert ? '!' : ''}${frame.filter.text}`;
    switch (frame.kind) {
      case 'events':
        return `events|${this.inputs.events.total}|${f}`;
      case 'logs': {
        const logs = this.inputs.logs;
        return `logs|${logs?.key ?? ''}|${logs?.entries.total ?? 0}|${logs?.phase.kind ?? ''}|${frame.pausedAt ?? ''}|${frame.wrap ? width : 0}|${f}`;
      }
      case 'inspect':
        return `inspect|${frame.inspect?.id ?? ''}|${this.inputs.index.rev}|${f}`;
      case 'cluster':
        return undefined;
    }
  }

  private build(frame: TextFrame, width: number, glyphs: Glyphs): readonly Line[] {
    const keep = matcher(frame.filter);
    switch (frame.kind) {
      case 'events':
        return this.inputs.events
          .toArray()
          .map((e): Line => [{ text: `${clock(e.atMs)}  ${e.action.padEnd(6)} ${e.table.replace(/s$/, '').padEnd(7)} ` , tone: 'dim' }, { text: e.text, tone: e.tone }])
          .filter((l) => keep(l.map((s) => s.text).join('')));
      case 'logs':
        return this.logLines(frame, width, keep);
      case 'inspect':
        return this.inspectLines(frame).filter((l) => keep(l)).map((text): Line => [{ text }]);
      case 'cluster':
        return clusterLines(this.inputs, glyphs, width);
    }
  }

  private logLines(frame: TextFrame, width: number, keep: (t: string) => boolean): Line[] {
    const feed = this.inputs.logs;
    if (feed === undefined) return [];
    const all = feed.entries.toArray();
    // While paused the view holds the lines it had; the ring keeps filling.
    const dropped = feed.entries.total - feed.entries.length;
    const shown = frame.pausedAt === undefined ? all : all.slice(0, Math.max(0, frame.pausedAt - dropped));
    const out: Line[] = [];
    for (const e of shown) {
      const text = `${e.prefix.padEnd(feed.prefixWidth)} | ${e.line}`;
      if (!keep(text)) continue;
      const tone: Tone = e.stream === 'stderr' ? 'warn' : 'normal';
      for (const part of frame.wrap ? wrapped(text, width) : [text]) out.push([{ text: part, tone }]);
    }
    return out;
  }

  private inspectLines(frame: TextFrame): string[] {
    const t = frame.inspect;
    if (t === undefined) return [];
    const { index } = this.inputs;
    const obj = t.table === 'nodes' ? index.nodes.get(t.id) : t.table === 'services' ? index.services.get(t.id) : index.tasks.get(t.id);
    if (obj === undefined) return [`(${t.name} no longer exists)`];
    const shown = t.table === 'services' && 'Spec' in obj && 'SpecHistory' in obj ? serviceInspectView(obj) : obj;
    return toYaml(shown);
  }
}

function clusterLines(inputs: TextInputs, glyphs: Glyphs, width: number): Line[] {
  const { raft, index } = inputs;
  const out: Line[] = [];
  const c = index.cluster;
  if (c !== undefined) out.push([{ text: `Cluster ${c.ID}  (${c.Spec.Name})`, tone: 'title', bold: true }]);
  const st = raft.status;
  if (st === undefined) {
    out.push([{ text: raft.error !== undefined ? `raft status: ${raft.error}` : 'raft status: asking the manager…', tone: raft.error !== undefined ? 'bad' : 'dim' }]);
  } else {
    const leader = st.LeaderID === null ? 'none (election in progress)' : `${nodeNameOf(index, st.LeaderID)} (${shortId(st.LeaderID)})`;
    out.push([{ text: `Leader ${leader}`, tone: st.LeaderID === null ? 'bad' : 'accent' }, { text: `   term ${st.Term}` }]);
    out.push([{ text: `Commit index ${st.CommitIndex}   applied index ${st.AppliedIndex}   (read ${clock(raft.atMs)}${raft.error !== undefined ? `, last refresh failed: ${raft.error}` : ''})` }]);
    out.push([{ text: '' }]);
    // NODE ID only when there is room: the hostname says which node it is.
    const withId = width >= 100;
    const names = st.Members.map((m) => `${nodeNameOf(index, m.NodeID)}${m.Leader ? ' (leader)' : ''}`);
    const nw = Math.min(28, Math.max(9, ...names.map((n) => n.length + 1)));
    const aw = Math.min(24, Math.max(5, ...st.Members.map((m) => m.Addr.length + 1)));
    out.push([{ text: `${withId ? 'NODE ID'.padEnd(13) : ''}${'HOSTNAME'.padEnd(nw)}${'ADDR'.padEnd(aw)}${'ROLE'.padEnd(7)}${'REACHABILITY'.padEnd(13)}${'MATCH'.padStart(8)}${'LAG'.padStart(7)}`, tone: 'title', bold: true }]);
    st.Members.forEach((m, i) => {
      const tone: Tone = m.Reachability === 'unreachable' ? 'bad' : m.Lag > 0 ? 'warn' : 'normal';
      out.push([
        { text: `${withId ? shortId(m.NodeID).padEnd(13) : ''}${(names[i] ?? '').padEnd(nw)}${m.Addr.padEnd(aw)}${m.Role.padEnd(7)}` },
        { text: m.Reachability.padEnd(13), tone },
        { text: `${String(m.MatchIndex).padStart(8)}${String(m.Lag).padStart(7)}`, tone: m.Lag > 0 ? 'warn' : 'normal' },
      ]);
    });
  }
  const managers = [...index.nodes.values()].filter((n) => n.ManagerStatus !== undefined);
  if (managers.length > 0) {
    out.push([{ text: '' }], [{ text: `Managers as the nodes table reports them ${glyphs.sep} ${managers.length}`, tone: 'dim' }]);
    for (const n of managers) {
      const ms = n.ManagerStatus;
      const status = ms?.Leader === true ? 'Leader' : (ms?.Reachability ?? '');
      out.push([{ text: `  ${n.Description.Hostname.padEnd(18)}${(ms?.Addr ?? '').padEnd(22)}` }, { text: status, tone: status === 'unreachable' ? 'bad' : status === 'Leader' ? 'accent' : 'normal' }]);
    }
  }
  return out;
}
