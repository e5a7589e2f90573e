// What the service commands share: calls to the Control API with docker's
// words for a missing service, waiting for convergence, and the terminal
// the progress is drawn on.
import { ControlContract } from '../../../api/contracts/control.js';
import { isShoalError, ShoalError } from '../../../api/errors.js';
import type { Service } from '../../../api/service.js';
import type { Io, RunContext } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import type { RpcClient } from '../../../net/rpc/index.js';
import type { FollowResult, LoopClock, ProgressDisplay } from './progress-loop.js';
import { followConvergence } from './progress-loop.js';

export type Ctx = RunContext<Global>;

export function control(ctx: Ctx): RpcClient {
  return ctx.global.client();
}

/** ServiceInspectWithRaw: docker's "Error: No such service: web" when it is not there. */
export async function inspectService(ctx: Ctx, ref: string): Promise<Service> {
  try {
    return await control(ctx).call(ControlContract, 'getService', { ref });
  } catch (err) {
    if (isShoalError(err) && err.code === 'NotFound') throw new ExitError(1, `Error: No such service: ${ref}`);
    throw err;
  }
}

/** An error as docker prints it for one of several arguments (`service rm`, `scale`). */
export function errorText(err: unknown): string {
  if (err instanceof ExitError) return err.message;
  if (isShoalError(err)) return err.detail === 'local' ? err.message : `Error response from daemon: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

export interface Terminal {
  readonly isTTY: boolean;
  readonly columns: number | undefined;
}

/**
 * Whether stdout is a terminal, and how wide: from the Io's output when it
 * says so (`isTTY`, `columns`, as a tty.WriteStream does), else from the
 * process's stdout.
 */
export function terminalOf(io: Io): Terminal {
  const out = io.out as Io['out'] & { readonly isTTY?: unknown; readonly columns?: unknown };
  if (typeof out.isTTY === 'boolean') return { isTTY: out.isTTY, columns: typeof out.columns === 'number' ? out.columns : undefined };
  return { isTTY: process.stdout.isTTY === true, columns: process.stdout.columns };
}

/** Tests may hand a clock to the progress loop through the global options. */
function clockOf(ctx: Ctx): LoopClock | undefined {
  const g = ctx.global as Global & { readonly progressClock?: LoopClock };
  return g.progressClock;
}

export type Intent = 'converge' | 'rollback';

/**
 * WaitOnService: follow the service to convergence on the manager's watch
 * stream. Returns undefined when it converged (or the operator pressed
 * Ctrl-C), else the message docker prints ("service update paused: ...").
 * An update that was rolled back counts as a failure unless a rollback was
 * what the command asked for.
 */
export async function waitOnService(ctx: Ctx, serviceId: string, opts: { readonly quiet: boolean; readonly intent: Intent }): Promise<string | undefined> {
  const term = terminalOf(ctx.io);
  const display: ProgressDisplay = opts.quiet ? { kind: 'quiet' } : term.isTTY ? { kind: 'terminal', columns: term.columns ?? 200 } : { kind: 'final-frame' };
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once('SIGINT', onSigint);
  const stream = control(ctx).stream(ControlContract, 'watch', { tables: ['services', 'tasks', 'nodes'] }, { signal: interrupt.signal });
  let result: FollowResult;
  try {
    const clock = clockOf(ctx);
    result = await followConvergence({ serviceId, events: stream, out: ctx.io.out, display, signal: interrupt.signal, ...(clock !== undefined ? { clock } : {}) });
  } catch (err) {
    if (isShoalError(err)) throw err;
    throw new ShoalError('Unavailable', err instanceof Error ? err.message : String(err), 'local');
  } finally {
    process.removeListener('SIGINT', onSigint);
    await stream.return();
  }
  switch (result.kind) {
    case 'converged':
      if (result.rolledBack !== undefined && opts.intent === 'converge') return `service update rolled back: ${result.rolledBack}`;
      return undefined;
    case 'failed':
      return result.message;
    case 'interrupted':
      return undefined;
  }
}

/** Print the daemon's warnings on stderr, as docker does. */
export function printWarnings(ctx: Ctx, warnings: readonly string[]): void {
  for (const w of warnings) ctx.io.err.write(`${w}\n`);
}
