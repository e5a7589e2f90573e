// `shoal service create [OPTIONS] IMAGE [COMMAND] [ARG...]` (docker/cli
// cli/command/service/create.go): send the spec, print the warnings and the
// new service's id, then follow it to convergence unless --detach.
import { ControlContract } from '../../../api/contracts/control.js';
import type { Command } from '../../framework/command.js';
import { ExitError } from '../../framework/command.js';
import type { Global } from '../../global.js';
import { CREATE_FLAGS } from './service-flags.js';
import { createSpecFromFlags } from './spec-from-flags.js';
import type { Ctx } from './service-rpc.js';
import { control, printWarnings, waitOnService } from './service-rpc.js';

// moby's namesgenerator gives a service without --name a name like
// "focused_hawking"; a few of its words do the same here.
const LEFT = ['admiring', 'brave', 'busy', 'clever', 'eager', 'elated', 'focused', 'gallant', 'happy', 'jolly', 'keen', 'laughing', 'modest', 'nifty', 'quirky', 'serene', 'stoic', 'tender', 'vibrant', 'wizardly'];
const RIGHT = ['babbage', 'curie', 'darwin', 'euler', 'fermi', 'galileo', 'hawking', 'hopper', 'kepler', 'lamport', 'lovelace', 'noether', 'pasteur', 'ritchie', 'shannon', 'tesla', 'thompson', 'torvalds', 'turing', 'wozniak'];

export function randomServiceName(random: () => number = Math.random): string {
  const pick = (words: readonly string[]) => words[Math.floor(random() * words.length)] ?? words[0] ?? 'service';
  return `${pick(LEFT)}_${pick(RIGHT)}`;
}

async function runCreate(ctx: Ctx): Promise<number> {
  const spec = createSpecFromFlags(ctx.flags, ctx.args, ctx.io.env);
  const named = spec.Name === undefined ? { ...spec, Name: randomServiceName() } : spec;
  const res = await control(ctx).call(ControlContract, 'createService', { spec: named });
  printWarnings(ctx, res.warnings);
  ctx.io.out.write(`${res.id}\n`);
  if (ctx.flags.bool('detach')) return 0;
  const failure = await waitOnService(ctx, res.id, { quiet: ctx.flags.bool('quiet'), intent: 'converge' });
  if (failure !== undefined) throw new ExitError(1, failure);
  return 0;
}

export const createCommand: Command<Global> = {
  name: 'create',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  short: 'Create a new service',
  args: { kind: 'min', n: 1 },
  interspersed: false,
  flags: CREATE_FLAGS,
  run: runCreate,
};
