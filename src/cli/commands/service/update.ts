// `shoal service update [OPTIONS] SERVICE` (docker/cli update.go) and
// `shoal service rollback [OPTIONS] SERVICE` (rollback.go, plus shoal's
// --to-version): read the service, send the new spec (or ask the manager to
// roll back), print the service as given, then follow it to convergence
// unless --detach.
import { ControlContract } from '../../../api/contracts/control.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import { DETACH_FLAG, QUIET_PROGRESS_FLAG, UPDATE_FLAGS } from './service-flags.js';
import { checkRollbackAlone, updateSpecFromFlags } from './spec-update.js';
import type { Ctx, Intent } from './service-rpc.js';
import { control, inspectService, printWarnings, waitOnService } from './service-rpc.js';
import { FlagReader } from './flag-reader.js';

async function finish(ctx: Ctx, ref: string, serviceId: string, warnings: readonly string[], intent: Intent): Promise<number> {
  printWarnings(ctx, warnings);
  ctx.io.out.write(`${ref}\n`);
  if (ctx.flags.bool('detach')) return 0;
  const failure = await waitOnService(ctx, serviceId, { quiet: ctx.flags.bool('quiet'), intent });
  if (failure !== undefined) throw new ExitError(1, failure);
  return 0;
}

async function runUpdate(ctx: Ctx): Promise<number> {
  const ref = ctx.args[0] ?? '';
  const service = await inspectService(ctx, ref);
  if (ctx.flags.bool('rollback')) {
    checkRollbackAlone(ctx.flags);
    const res = await control(ctx).call(ControlContract, 'updateService', { ref: service.ID, version: service.Version.Index, rollback: {} });
    return finish(ctx, ref, service.ID, res.warnings, 'rollback');
  }
  const spec = updateSpecFromFlags(service.Spec, ctx.flags, ctx.io.env);
  const res = await control(ctx).call(ControlContract, 'updateService', { ref: service.ID, version: service.Version.Index, spec });
  return finish(ctx, ref, service.ID, res.warnings, 'converge');
}

async function runRollback(ctx: Ctx): Promise<number> {
  const ref = ctx.args[0] ?? '';
  const toVersion = new FlagReader(ctx.flags, ROLLBACK_FLAGS).uint('to-version');
  const service = await inspectService(ctx, ref);
  const res = await control(ctx).call(ControlContract, 'updateService', {
    ref: service.ID,
    version: service.Version.Index,
    rollback: toVersion === undefined ? {} : { toVersion },
  });
  return finish(ctx, ref, service.ID, res.warnings, 'rollback');
}

export const updateCommand: Command<Global> = {
  name: 'update',
  usage: '[OPTIONS] SERVICE',
  short: 'Update a service',
  args: { kind: 'exact', n: 1 },
  flags: UPDATE_FLAGS,
  run: runUpdate,
};

const ROLLBACK_FLAGS = [
  DETACH_FLAG,
  QUIET_PROGRESS_FLAG,
  { name: 'to-version', kind: 'string', usage: 'Roll back to this kept spec version (see "service inspect --pretty") instead of the previous one', valueName: 'uint' },
] as const;

export const rollbackCommand: Command<Global> = {
  name: 'rollback',
  usage: '[OPTIONS] SERVICE',
  short: "Revert changes to a service's configuration",
  args: { kind: 'exact', n: 1 },
  flags: ROLLBACK_FLAGS,
  run: runRollback,
};
