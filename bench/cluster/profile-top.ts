// Top costs in a V8 .cpuprofile (node --cpu-prof): self and inclusive time
// per function (name, file:line) and self time per file.
//   npx tsx bench/cluster/profile-top.ts FILE.cpuprofile [--top 25] [--match src/] [--callers FUNCTION]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

const short = (url: string): string => url.replace(/^file:\/\/\/work\/main\//, '').replace(/^file:\/\/.*\/node_modules\//, 'node_modules/');
const keyOf = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${short(f.url) || '(native)'}:${f.lineNumber + 1}`;

export interface ProfileTop {
  readonly totalMs: number;
  /** For `callersOf`: self time of that function by the chain of its 3 nearest callers. */
  readonly callers: Array<[string, number]>;
  readonly self: Array<[string, number]>;
  readonly inclusive: Array<[string, number]>;
  readonly files: Array<[string, number]>;
}

export function profileTop(profile: CpuProfile, callersOf = ''): ProfileTop {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const files = new Map<string, number>();
  const callers = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const leaf = byId.get(id);
    if (leaf === undefined) return;
    self.set(keyOf(leaf.callFrame), (self.get(keyOf(leaf.callFrame)) ?? 0) + dt);
    const file = short(leaf.callFrame.url) || `(${leaf.callFrame.functionName})`;
    files.set(file, (files.get(file) ?? 0) + dt);
    if (callersOf !== '' && leaf.callFrame.functionName === callersOf) {
      const chain: string[] = [];
      for (let p = parent.get(id), d = 0; p !== undefined && d < 3; p = parent.get(p), d++) chain.push(keyOf(byId.get(p)?.callFrame ?? leaf.callFrame));
      const k = chain.join(' < ');
      callers.set(k, (callers.get(k) ?? 0) + dt);
    }
    const seen = new Set<string>();
    // Walk to the root (bounded by the node count: a profile's tree has no cycles).
    let cur: number | undefined = id;
    for (let depth = 0; cur !== undefined && depth < profile.nodes.length; depth++) {
      const n = byId.get(cur);
      if (n === undefined) break;
      const k = keyOf(n.callFrame);
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + dt);
      }
      cur = parent.get(cur);
    }
  });
  const sorted = (m: Map<string, number>): Array<[string, number]> => [...m].sort((a, b) => b[1] - a[1]);
  return { totalMs: total, callers: sorted(callers), self: sorted(self), inclusive: sorted(incl), files: sorted(files) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' }, match: { type: 'string', default: '' }, callers: { type: 'string', default: '' } } });
  const file = positionals[0];
  if (file === undefined) throw new Error('usage: profile-top.ts FILE.cpuprofile [--top N] [--match TEXT]');
  const top = Number(values.top);
  const r = profileTop(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, values.callers);
  const idle = r.self.find(([k]) => k.startsWith('(idle)'))?.[1] ?? 0;
  const busy = r.totalMs - idle;
  const line = ([k, ms]: [string, number]): string => `${ms.toFixed(0).padStart(8)} ms ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${k}`;
  console.log(`${file}: ${(r.totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (percentages of busy time)`);
  console.log('\nself time:');
  for (const e of r.self.filter(([k]) => !k.startsWith('(idle)')).slice(0, top)) console.log(line(e));
  console.log(`\ninclusive time${values.match !== '' ? ` (functions in files matching ${values.match})` : ''}:`);
  for (const e of r.inclusive.filter(([k]) => k.includes(values.match) && !k.startsWith('(root)')).slice(0, top)) console.log(line(e));
  if (values.callers !== '') {
    console.log(`\nself time of ${values.callers} by caller chain:`);
    for (const e of r.callers.slice(0, top)) console.log(line(e));
  }
  console.log('\nself time by file:');
  for (const e of r.files.filter(([k]) => k !== '((idle))').slice(0, top)) console.log(line(e));
}
