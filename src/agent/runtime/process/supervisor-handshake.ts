// The one line a new supervisor writes on its stdout: "ok <pid>" once the
// task's command runs, "err <message>" when it could not be started. After it
// the pipe is closed: the supervisor must not depend on the agent.
import type { ChildProcess } from 'node:child_process';

export type Handshake = { readonly kind: 'ok'; readonly pid: number } | { readonly kind: 'failed'; readonly message: string };

export function parseHandshake(line: string): Handshake {
  if (line.startsWith('ok ')) {
    const pid = Number.parseInt(line.slice(3), 10);
    if (!Number.isNaN(pid)) return { kind: 'ok', pid };
  }
  if (line.startsWith('err ')) return { kind: 'failed', message: line.slice(4) };
  return { kind: 'failed', message: `unexpected answer from the supervisor: ${JSON.stringify(line.slice(0, 200))}` };
}

export function readSupervisorHandshake(child: ChildProcess, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    const stdout = child.stdout;
    if (stdout === null) {
      resolve({ kind: 'failed', message: 'the supervisor has no stdout' });
      return;
    }
    let text = '';
    const finish = (answer: Handshake): void => {
      clearTimeout(timer);
      stdout.removeAllListeners('data');
      stdout.destroy();
      child.removeListener('close', onClose);
      resolve(answer);
    };
    // 'close', not 'exit': the line may still be in the pipe when the process has exited.
    const onClose = (): void =>
      finish(
        text.includes('\n')
          ? parseHandshake(text.slice(0, text.indexOf('\n')))
          : { kind: 'failed', message: 'the supervisor exited before starting the task (see supervisor.log in the task dir)' },
      );
    const timer = setTimeout(
      () => finish({ kind: 'failed', message: `the supervisor did not start the task within ${timeoutMs} ms` }),
      timeoutMs,
    );
    stdout.setEncoding('utf8');
    stdout.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline !== -1) finish(parseHandshake(text.slice(0, newline)));
    });
    stdout.on('error', () => {});
    child.once('close', onClose);
  });
}
