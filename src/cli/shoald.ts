// The `shoald` node daemon:
//   shoald --data-dir PATH --socket PATH [--runtime docker|process|auto] [--hostname NAME]
// The same settings come from SHOALD_DATA_DIR, SHOALD_SOCKET, SHOALD_RUNTIME
// and SHOALD_HOSTNAME; flags win.
import Docker from 'dockerode';
import { parseArgs } from 'node:util';
import { chooseRuntime, isRuntimeMode } from '../agent/runtime/detect-runtime.js';
import { Daemon } from './daemon/daemon.js';
import { SHOAL_VERSION } from './daemon/description.js';
import { DEFAULT_SOCKET } from './connect.js';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    socket: { type: 'string' },
    runtime: { type: 'string' },
    hostname: { type: 'string' },
    help: { type: 'boolean' },
  },
});
if (values.help === true) {
  process.stdout.write('Usage:  shoald --data-dir PATH --socket PATH [--runtime docker|process|auto] [--hostname NAME]\n\nThe shoal node daemon.\n');
  process.exit(0);
}
const env = process.env;
const dataDir = values['data-dir'] ?? env['SHOALD_DATA_DIR'] ?? '/var/lib/shoal';
const socket = values.socket ?? env['SHOALD_SOCKET'] ?? DEFAULT_SOCKET;
const runtimeMode = values.runtime ?? env['SHOALD_RUNTIME'] ?? 'auto';
const hostname = values.hostname ?? env['SHOALD_HOSTNAME'];
if (!isRuntimeMode(runtimeMode)) {
  process.stderr.write(`shoald: invalid --runtime "${runtimeMode}": use docker, process or auto\n`);
  process.exit(2);
}

let engineVersion: string | null = null;
if (runtimeMode !== 'process') {
  try {
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000).unref());
    const v = await Promise.race([new Docker({ socketPath: '/var/run/docker.sock' }).version(), timeout]);
    engineVersion = typeof v.Version === 'string' ? v.Version : null;
  } catch {
    engineVersion = null;
  }
}
const runtime = chooseRuntime(runtimeMode, engineVersion !== null);
if (runtime === undefined) {
  process.stderr.write('shoald: --runtime docker, but the Docker engine does not answer at /var/run/docker.sock\n');
  process.exit(1);
}

const daemon = new Daemon({ dataDir, socket, runtime, engineVersion: engineVersion ?? SHOAL_VERSION, ...(hostname !== undefined ? { hostname } : {}) });
await daemon.start();
process.stdout.write(`shoald ${SHOAL_VERSION} serving on unix://${socket} (data ${dataDir}, runtime ${runtime})\n`);
let stopping = false;
const shutdown = (): void => {
  if (stopping) return;
  stopping = true;
  daemon.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`shoald: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
