// `shoal service inspect [--pretty] SERVICE...` (docker/cli inspect.go) and
// `shoal service rm SERVICE...` (remove.go).
import { ControlContract } from '../../../api/contracts/control.js';
import { isShoalError } from '../../../api/errors.js';
import type { Service } from '../../../api/service.js';
import { serviceInspectView } from '../../../api/service.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import { renderPretty } from './inspect-pretty.js';
import type { Ctx } from './service-rpc.js';
import { control, errorText } from './service-rpc.js';

async function lookup(ctx: Ctx, ref: string): Promise<Service | string> {
  try {
    return await control(ctx).call(ControlContract, 'getService', { ref });
  } catch (err) {
    if (isShoalError(err) && err.code === 'NotFound') return `Error: no such service: ${ref}`;
    throw err;
  }
}

async function runInspect(ctx: Ctx): Promise<number> {
  const pretty = ctx.flags.bool('pretty');
  if (pretty) {
    // The pretty template stops at the first service it cannot find.
    for (const ref of ctx.args) {
      const found = await lookup(ctx, ref);
      if (typeof found === 'string') throw new ExitError(1, found);
      ctx.io.out.write(renderPretty(found, { nowMs: Date.now() }));
    }
    return 0;
  }
  const views: Record<string, unknown>[] = [];
  const errors: string[] = [];
  for (const ref of ctx.args) {
    const found = await lookup(ctx, ref);
    if (typeof found === 'string') errors.push(found);
    else views.push(serviceInspectView(found));
  }
  ctx.io.out.write(views.length === 0 ? '[]\n' : `${JSON.stringify(views, null, 4)}\n`);
  if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
  return 0;
}

export const inspectCommand: Command<Global> = {
  name: 'inspect',
  usage: '[OPTIONS] SERVICE [SERVICE...]',
  short: 'Display detailed information on one or more services',
  args: { kind: 'min', n: 1 },
  flags: [{ name: 'pretty', kind: 'bool', usage: 'Print the information in a human friendly format' }],
  run: runInspect,
};

async function runRemove(ctx: Ctx): Promise<number> {
  const errors: string[] = [];
  for (const ref of ctx.args) {
    try {
      await control(ctx).call(ControlContract, 'removeService', { ref });
      ctx.io.out.write(`${ref}\n`);
    } catch (err) {
      errors.push(isShoalError(err) && err.code === 'NotFound' ? `Error: No such service: ${ref}` : errorText(err));
    }
  }
  if (errors.length > 0) throw new ExitError(1, errors.join('\n'));
  return 0;
}

export const removeCommand: Command<Global> = {
  name: 'rm',
  aliases: ['remove'],
  usage: 'SERVICE [SERVICE...]',
  short: 'Remove one or more services',
  args: { kind: 'min', n: 1 },
  run: runRemove,
};
