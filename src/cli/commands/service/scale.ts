// `shoal service scale SERVICE=REPLICAS [SERVICE=REPLICAS...]` (docker/cli
// scale.go): set each service's replicas (a replicated job's total
// completions), printing "web scaled to 5"; then follow each to
// convergence unless --detach. Failures are collected per service and
// reported together (exit 1).
import { ControlContract } from '../../../api/contracts/control.js';
import type { ServiceSpec } from '../../../api/service-spec.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import { parseUintBits } from './go-text.js';
import { DETACH_FLAG } from './service-flags.js';
import type { Ctx } from './service-rpc.js';
import { control, errorText, inspectService, printWarnings, waitOnService } from './service-rpc.js';

const USAGE = 'SERVICE=REPLICAS [SERVICE=REPLICAS...]';
const SHORT = 'Scale one or multiple replicated services';

/** The spec with `replicas`, or docker's refusal for modes without a replica count. */
export function scaledSpec(spec: ServiceSpec, replicas: number): ServiceSpec {
  const mode = spec.Mode;
  if (mode.Replicated !== undefined) return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
  if (mode.ReplicatedJob !== undefined) return { ...spec, Mode: { ReplicatedJob: { ...mode.ReplicatedJob, TotalCompletions: replicas } } };
  throw new ExitError(1, 'scale can only be used with replicated or replicated-job mode');
}

async function scaleOne(ctx: Ctx, ref: string, replicas: number): Promise<string> {
  const service = await inspectService(ctx, ref);
  const res = await control(ctx).call(ControlContract, 'updateService', { ref: service.ID, version: service.Version.Index, spec: scaledSpec(service.Spec, replicas) });
  printWarnings(ctx, res.warnings);
  ctx.io.out.write(`${ref} scaled to ${replicas}\n`);
  return service.ID;
}

async function runScale(ctx: Ctx): Promise<number> {
  for (const arg of ctx.args) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) {
      ctx.io.err.write(`Invalid scale specifier '${arg}'.\nSee '${ctx.path} --help'.\n\nUsage:  ${ctx.path} ${USAGE}\n\n${SHORT}\n`);
      return 1;
    }
  }
  const errors: string[] = [];
  const scaled: { ref: string; id: string }[] = [];
  for (const arg of ctx.args) {
    const eq = arg.indexOf('=');
    const ref = arg.slice(0, eq);
    const text = arg.slice(eq + 1);
    const replicas = parseUintBits(text, 64);
    if (!replicas.ok) {
      errors.push(`${ref}: invalid replicas value ${text}: ${replicas.error}`);
      continue;
    }
    try {
      scaled.push({ ref, id: await scaleOne(ctx, ref, replicas.value) });
    } catch (err) {
      errors.push(`${ref}: ${errorText(err)}`);
    }
  }
  if (!ctx.flags.bool('detach')) {
    for (const { ref, id } of scaled) {
      const failure = await waitOnService(ctx, id, { quiet: false, intent: 'converge' });
      if (failure !== undefined) errors.push(`${ref}: ${failure}`);
    }
  }
  if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
  return 0;
}

export const scaleCommand: Command<Global> = {
  name: 'scale',
  usage: USAGE,
  short: SHORT,
  args: { kind: 'min', n: 1 },
  flags: [DETACH_FLAG],
  run: runScale,
};
