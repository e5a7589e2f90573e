// Properties of the decider under any interleaving of decisions, agent
// steps and clock ticks, with no failures: every slot ends on the new spec,
// and the update never takes down (stop-first) or adds (start-first) more
// than Parallelism tasks at a time.
import test from 'ava';
import fc from 'fast-check';
import { TASK_STATE_NUMBER } from '../../../src/api/task-state.js';
import { Sim } from './sim.js';

type Command = { readonly kind: 'decide' } | { readonly kind: 'agent'; readonly pick: number } | { readonly kind: 'tick'; readonly ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant<Command>({ kind: 'decide' }),
  fc.nat(50).map<Command>((pick) => ({ kind: 'agent', pick })),
  fc.integer({ min: 0, max: 4000 }).map<Command>((ms) => ({ kind: 'tick', ms })),
);

const scenario = fc.record({
  replicas: fc.integer({ min: 1, max: 6 }),
  parallelism: fc.integer({ min: 0, max: 3 }),
  order: fc.constantFrom('stop-first' as const, 'start-first' as const),
  // Often 0: a lane freed at once is where ordering bugs show.
  delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  monitor: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  commands: fc.array(command, { minLength: 10, maxLength: 150, size: 'max' }),
});

test('no failures: every slot ends on the new spec, within Parallelism at every commit', (t) => {
  fc.assert(
    fc.property(scenario, (sc) => {
      const sim = new Sim({
        replicas: sc.replicas,
        update: { Parallelism: sc.parallelism, Order: sc.order, Delay: sc.delay, Monitor: sc.monitor },
        // Old tasks always stop in the end; no timeout may cut a wait short here.
        settings: { oldTaskTimeoutMs: Number.MAX_SAFE_INTEGER / 4, startTimeoutMs: 0 },
      });
      const slots = Array.from({ length: sc.replicas }, (_, i) => i + 1);
      const violations: string[] = [];
      sim.onCommit = (s) => {
        const tasks = s.tasks();
        const running = tasks.filter((x) => x.Status.State === 'running');
        if (sc.parallelism > 0 && sc.order === 'stop-first') {
          const lacking = slots.filter((slot) => !running.some((x) => x.Slot === slot)).length;
          if (lacking > sc.parallelism) violations.push(`${lacking} slots without a running task`);
        }
        if (sc.parallelism > 0 && sc.order === 'start-first' && running.length > sc.replicas + sc.parallelism) {
          violations.push(`${running.length} tasks running`);
        }
        if (s.state.kind !== 'idle') {
          const rs = s.state.progress.replacements;
          if (sc.parallelism > 0 && rs.length > sc.parallelism) violations.push(`${rs.length} replacements in flight`);
          if (new Set(rs.map((r) => r.slotId)).size !== rs.length) violations.push('two replacements in one slot');
        }
      };
      sim.updateSpec({ image: 'app:2' });
      for (const c of sc.commands) {
        if (c.kind === 'decide') sim.decide();
        else if (c.kind === 'tick') sim.advance(c.ms);
        else {
          const movable = sim.tasks().filter((x) => sim.nextStep(x) !== undefined);
          const task = movable[c.pick % Math.max(1, movable.length)];
          const step = task === undefined ? undefined : sim.nextStep(task);
          if (task !== undefined && step !== undefined) sim.report(task.ID, step);
        }
      }
      sim.runToIdle();
      const version = sim.service().SpecVersion.Index;
      const live = sim.liveBySlot();
      const ok =
        violations.length === 0 &&
        sim.service().UpdateStatus?.State === 'completed' &&
        live.size === sc.replicas &&
        [...live.values()].every(
          (ts) => ts.length === 1 && ts[0]?.ServiceVersion?.Index === version && ts[0].DesiredState === 'running' && TASK_STATE_NUMBER[ts[0].Status.State] === TASK_STATE_NUMBER.running,
        );
      if (!ok) t.log(violations.slice(0, 3), sim.service().UpdateStatus, [...live.entries()].map(([k, ts]) => `${k}:${ts.map((x) => `${x.ID}/${x.DesiredState}/${x.Status.State}`).join(',')}`));
      return ok;
    }),
    { numRuns: 300 },
  );
  t.pass();
});
