// `shoal node rm` (docker/cli cli/command/node/remove.go): each node
// removed is printed as named; failures are reported together at the end.
import { ControlContract } from '../../api/contracts/control.js';
import type { Command } from '../framework/command.js';
import type { Global } from '../global.js';
import { errorLine, failWithLines } from '../format/error-lines.js';

export const nodeRmCommand: Command<Global> = {
  name: 'rm',
  aliases: ['remove'],
  usage: '[OPTIONS] NODE [NODE...]',
  short: 'Remove one or more nodes from the swarm',
  args: { kind: 'min', n: 1 },
  flags: [{ name: 'force', short: 'f', kind: 'bool', usage: 'Force remove a node from the swarm' }],
  run: async (ctx) => {
    const force = ctx.flags.bool('force');
    const client = ctx.global.client();
    const errors: string[] = [];
    for (const ref of ctx.args) {
      try {
        await client.call(ControlContract, 'removeNode', force ? { ref, force } : { ref });
        ctx.io.out.write(`${ref}\n`);
      } catch (err) {
        errors.push(errorLine(err, ctx.global.host));
      }
    }
    failWithLines(errors);
  },
};
