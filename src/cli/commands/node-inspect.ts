// `shoal node inspect` (docker/cli cli/command/node/inspect.go and
// cli/command/inspect/inspector.go): a JSON array (4-space indent; compact
// with --format json), a template per node, or the --pretty text. Nodes
// that cannot be read are reported after the others, and the exit status is 1.
import { ControlContract } from '../../api/contracts/control.js';
import type { Node } from '../../api/node.js';
import type { Command } from '../framework/command.js';
import { ExitError } from '../framework/command.js';
import type { Global } from '../global.js';
import { errorLine, failWithLines } from '../format/error-lines.js';
import { inspectJson } from '../format/go-json.js';
import { parseTemplate, renderTemplate, type Template } from '../format/go-template.js';
import { nodeInspectView, prettyNode } from '../format/node-inspect.js';
import { nodeReference } from './node-refs.js';

/** The inspect template, or exit 64 as docker's inspect does for a template it cannot parse. */
function inspectTemplate(format: string): Template {
  try {
    return parseTemplate(format);
  } catch (err) {
    throw new ExitError(64, err instanceof Error ? err.message : String(err));
  }
}

export const nodeInspectCommand: Command<Global> = {
  name: 'inspect',
  usage: '[OPTIONS] self|NODE [NODE...]',
  short: 'Display detailed information on one or more nodes',
  args: { kind: 'min', n: 1 },
  flags: [
    { name: 'format', short: 'f', kind: 'string', valueName: 'string', usage: "Format output using a custom template: 'json' or 'TEMPLATE'" },
    { name: 'pretty', kind: 'bool', usage: 'Print the information in a human friendly format' },
  ],
  run: async (ctx) => {
    const format = ctx.flags.bool('pretty') ? 'pretty' : (ctx.flags.string('format') ?? '');
    if (format.startsWith('pretty') && format !== 'pretty') throw new ExitError(1, 'cannot supply extra formatting options to the pretty template');
    const client = ctx.global.client();
    const get = async (ref: string): Promise<Node> => client.call(ControlContract, 'getNode', { ref: await nodeReference(client, ref) });

    if (format === 'pretty') {
      // Docker renders the pretty text into a buffer and stops at the first failure, printing none of it.
      let text = '';
      for (const ref of ctx.args) {
        try {
          text += prettyNode(await get(ref));
        } catch (err) {
          throw new ExitError(1, errorLine(err, ctx.global.host));
        }
      }
      ctx.io.out.write(text);
      return;
    }

    const template = format === '' || format === 'json' ? undefined : inspectTemplate(format);
    const found: Node[] = [];
    const errors: string[] = [];
    for (const ref of ctx.args) {
      try {
        found.push(await get(ref));
      } catch (err) {
        errors.push(errorLine(err, ctx.global.host));
      }
    }
    if (template === undefined) ctx.io.out.write(inspectJson(found.map(nodeInspectView), format === 'json'));
    else {
      const text = found.map((n) => `${renderTemplate(template, nodeInspectView(n))}\n`).join('');
      ctx.io.out.write(text === '' ? '\n' : text);
    }
    failWithLines(errors);
  },
};
