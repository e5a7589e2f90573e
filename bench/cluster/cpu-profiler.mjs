// Preloaded into shoald by the cluster benchmarks (NODE_OPTIONS=--import=<this
// file>; Node 20 refuses --cpu-prof there). SIGUSR2 starts the V8 sampling
// profiler and an event-loop delay histogram; the next SIGUSR2 stops both and
// writes $SHOAL_CPU_PROF_DIR/<pid>-<n>.cpuprofile and <pid>-<n>.loop.json
// (event-loop delay percentiles and max in ms), so a benchmark profiles
// exactly the phase it measures.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const dir = process.env.SHOAL_CPU_PROF_DIR ?? '.';
const session = new Session();
session.connect();
let loop = null;
let n = 0;

process.on('SIGUSR2', () => {
  if (loop === null) {
    loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));
    return;
  }
  const h = loop;
  loop = null;
  h.disable();
  const seq = ++n;
  const ms = (ns) => Math.round(ns / 1e5) / 10;
  writeFileSync(join(dir, `${process.pid}-${seq}.loop.json`), JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), over250: countOver(h, 250e6) }));
  session.post('Profiler.stop', (err, res) => {
    if (err === null && res !== undefined) writeFileSync(join(dir, `${process.pid}-${seq}.cpuprofile`), JSON.stringify(res.profile));
  });
});

/** Share of samples whose delay exceeded `ns` (Raft's shortest election timeout is 250 ms). */
function countOver(h, ns) {
  let over = 0;
  for (const [p, v] of h.percentiles) if (v > ns) over = Math.max(over, 100 - p);
  return Math.round(over * 100) / 100;
}
