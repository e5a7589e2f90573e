// The worker when the runtime's event stream is lost: it resubscribes, lists
// again, and a task that died meanwhile still ends as a status (process runtime
// behind a wrapper that can cut the stream and hold the next subscription).
import test from 'ava';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AsyncQueue } from '../../../src/agent/runtime/async-queue.js';
import { ProcessRuntime } from '../../../src/agent/runtime/process/process-runtime.js';
import type { LogOptions, RuntimeEvent, RuntimeEventStream, RuntimeTaskSpec, TaskRuntime } from '../../../src/agent/runtime/types.js';
import { waitFor } from '../runtime/helpers/wait-for.js';
import { harness, type WorkerFixture } from './helpers/worker-scenarios.js';

class CuttableEvents implements TaskRuntime {
  readonly kind = 'process' as const;
  private current: AsyncQueue<RuntimeEvent> | null = null;
  private held: Promise<void> | null = null;
  private release: (() => void) | null = null;
  subscriptions = 0;

  constructor(private readonly inner: TaskRuntime) {}

  prepare = (spec: RuntimeTaskSpec, signal?: AbortSignal) => this.inner.prepare(spec, signal);
  start = (taskId: string) => this.inner.start(taskId);
  stop = (taskId: string, graceMs: number) => this.inner.stop(taskId, graceMs);
  remove = (taskId: string) => this.inner.remove(taskId);
  inspect = (taskId: string) => this.inner.inspect(taskId);
  list = () => this.inner.list();
  logs = (taskId: string, options?: LogOptions) => this.inner.logs(taskId, options);
  close = () => this.inner.close();

  events(signal: AbortSignal): RuntimeEventStream {
    this.subscriptions++;
    const queue = new AsyncQueue<RuntimeEvent>(signal);
    const source = this.inner.events(signal);
    this.current = queue;
    void (async () => {
      for await (const e of source) {
        if (this.current !== queue) return;
        queue.push(e);
      }
    })();
    const held = this.held ?? Promise.resolve();
    return Object.assign(queue, { ready: Promise.all([source.ready, held]).then(() => undefined) });
  }

  /** End the live stream with an error; the next subscription is not ready until `resume()`. */
  cut(): void {
    this.held = new Promise((resolve) => {
      this.release = resolve;
    });
    const q = this.current;
    this.current = null;
    q?.fail(new Error('the engine closed the event stream'));
  }

  resume(): void {
    this.release?.();
    this.held = null;
  }
}

let stateDir = '';
let wrapper: CuttableEvents | null = null;

const fixture: WorkerFixture = {
  name: 'process',
  runtime: (nodeId) => {
    wrapper = new CuttableEvents(new ProcessRuntime({ nodeId, stateDir, livenessPollMs: 200 }));
    return wrapper;
  },
  killBehindBack: async () => undefined,
  workDir: undefined,
};

test.before(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'shoal-worker-events-'));
});

test.after.always(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

test('a task that dies while the event stream is down still ends failed (137) once the worker resubscribes', async (t) => {
  const h = await harness(t, fixture);
  const rt = wrapper;
  if (rt === null) throw new Error('no runtime');
  const task = h.task();
  h.dispatcher.add(task);
  const running = await h.dispatcher.untilState(task.ID, 'running');
  rt.cut();
  await waitFor('the worker to resubscribe', () => (rt.subscriptions >= 2 ? true : undefined));
  process.kill(running.Status.ContainerStatus?.PID ?? 0, 'SIGKILL');
  await waitFor('the runtime to see the exit', async () => ((await rt.inspect(task.ID)).observed.state === 'exited' ? true : undefined));
  rt.resume();
  const failed = await h.dispatcher.untilState(task.ID, 'failed');
  t.like(failed.Status, { Err: 'task: non-zero exit (137)', ContainerStatus: { ExitCode: 137 } });
});
