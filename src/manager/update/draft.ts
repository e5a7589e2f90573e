// The scratch pad of one decision: the tasks as this plan leaves them, the
// writes gathered so far and the earliest wake-up. Local to `decide`, so the
// decider stays a pure function of its inputs.
import type { TaskId } from '../../api/ids.js';
import type { Service } from '../../api/service.js';
import type { UpdateConfig } from '../../api/service-spec.js';
import type { Task } from '../../api/task.js';
import { TASK_STATE_NUMBER, type DesiredState } from '../../api/task-state.js';
import type { DesiredChange } from './plan.js';
import type { UpdaterSettings } from './settings.js';
import { nsToMs } from './settings.js';

export class Draft {
  readonly monitorMs: number;
  readonly delayMs: number;
  readonly created: Task[] = [];
  private readonly tasks = new Map<TaskId, Task>();
  private readonly changes = new Map<TaskId, DesiredChange>();
  private wake: number | undefined;

  constructor(
    readonly service: Service,
    readonly config: UpdateConfig,
    readonly settings: UpdaterSettings,
    readonly now: number,
    tasks: readonly Task[],
  ) {
    this.monitorMs = nsToMs(config.Monitor);
    this.delayMs = nsToMs(config.Delay);
    for (const t of tasks) this.tasks.set(t.ID, t);
  }

  /** A task as this plan leaves it. */
  task(id: TaskId): Task | undefined {
    return this.tasks.get(id);
  }

  create(task: Task): void {
    this.created.push(task);
    this.tasks.set(task.ID, task);
  }

  /** Move a task's desired state forward; a move that is not forward is a no-op (someone got there first). */
  setDesired(id: TaskId, to: DesiredState): void {
    const task = this.tasks.get(id);
    if (task === undefined || TASK_STATE_NUMBER[to] <= TASK_STATE_NUMBER[task.DesiredState]) return;
    this.tasks.set(id, { ...task, DesiredState: to });
    if (this.created.some((t) => t.ID === id)) {
      this.created.splice(
        this.created.findIndex((t) => t.ID === id),
        1,
        { ...task, DesiredState: to },
      );
      return;
    }
    const earlier = this.changes.get(id);
    this.changes.set(id, { taskId: id, from: earlier?.from ?? task.DesiredState, to });
  }

  wakeAt(at: number): void {
    if (this.wake === undefined || at < this.wake) this.wake = at;
  }

  get desired(): DesiredChange[] {
    return [...this.changes.values()];
  }

  get wakeTime(): number | undefined {
    return this.wake;
  }
}
