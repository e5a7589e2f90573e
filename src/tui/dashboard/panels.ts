// What the dashboard's charts show, computed from the console's metrics
// and index (pure): series over the last minutes, node shares, recent
// events. Every chart's label carries the current figures in words, so
// the dashboard reads without colour.
import type { Aggregates } from '../state/aggregates.js';
import type { IndexView } from '../state/cluster-index.js';
import { clock, type EventEntry } from '../state/event-log.js';
import { nodeShares, type Metrics, type NodeShare } from '../state/metrics.js';
import type { Ring } from '../state/ring.js';

export interface Series {
  readonly title: string;
  readonly y: number[];
}

export interface Chart {
  readonly label: string;
  /** Seconds-ago labels, oldest first. */
  readonly x: string[];
  readonly series: Series[];
}

export interface Panels {
  readonly tasks: Chart;
  readonly raft: Chart;
  readonly nodes: Chart;
  readonly cpu: { readonly label: string; readonly shares: NodeShare[] };
  readonly memory: { readonly label: string; readonly shares: NodeShare[] };
  readonly events: string[];
}

const WINDOW = 120;

function xLabels(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `-${n - 1 - i}s`);
}

export function panels(metrics: Metrics, index: IndexView, agg: Aggregates, events: Ring<EventEntry>, maxBars: number): Panels {
  const samples = metrics.samples.toArray().slice(-WINDOW);
  const last = samples[samples.length - 1];
  const x = xLabels(Math.max(1, samples.length));
  const pad = (ys: number[]): number[] => (ys.length > 0 ? ys : [0]);
  const names = last === undefined ? [] : [...last.services.keys()];
  const tasks: Chart = {
    label: last === undefined ? ' Tasks ' : ` Tasks running ${last.running} / desired ${last.desired} `,
    x,
    series: [
      { title: 'running', y: pad(samples.map((s) => s.running)) },
      { title: 'desired', y: pad(samples.map((s) => s.desired)) },
      ...names.map((name) => ({ title: `${name} run`, y: pad(samples.map((s) => s.services.get(name)?.running ?? 0)) })),
    ],
  };
  const rates = metrics.commitRates().slice(-WINDOW);
  const rate = rates[rates.length - 1] ?? 0;
  const leader = last?.leader === undefined ? 'none' : (index.nodes.get(last.leader)?.Description.Hostname ?? last.leader.slice(0, 12));
  const raft: Chart = {
    label: ` Raft ${rate.toFixed(1)} commits/s, leader ${leader}, ${metrics.leaderChanges} change${metrics.leaderChanges === 1 ? '' : 's'} `,
    x: xLabels(Math.max(1, rates.length)),
    series: [{ title: 'commits/s', y: pad(rates.map((r) => Math.round(r * 10) / 10)) }],
  };
  const nodes: Chart = {
    label: last === undefined ? ' Nodes ' : ` Nodes ${last.nodesUp} up, ${last.nodesDown} not ready `,
    x,
    series: [
      { title: 'up', y: pad(samples.map((s) => s.nodesUp)) },
      { title: 'not ready', y: pad(samples.map((s) => s.nodesDown)) },
    ],
  };
  const shares = nodeShares(index, agg, maxBars);
  const top = shares[0];
  return {
    tasks,
    raft,
    nodes,
    cpu: { label: ` CPU reserved %${top !== undefined ? `, ${top.name} ${top.cpu}%` : ''} `, shares },
    memory: { label: ` Memory reserved %${top !== undefined ? `, ${top.name} ${top.memory}%` : ''} `, shares },
    events: events
      .toArray()
      .slice(-50)
      .map((e) => `${clock(e.atMs)} ${e.action.padEnd(6)} ${e.table.replace(/s$/, '').padEnd(7)} ${e.text}`),
  };
}
