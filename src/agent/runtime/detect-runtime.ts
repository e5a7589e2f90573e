// Which runtime a node uses: `docker` (the engine must answer), `process`, or
// `auto` (docker when /var/run/docker.sock answers a ping quickly, else
// process: the embedded default on machines without Docker).
import Docker from 'dockerode';
import { ShoalError } from '../../api/errors.js';
import { DockerRuntime } from './docker/docker-runtime.js';
import { DEFAULT_DOCKER_SOCKET, DockerodeClient } from './docker/dockerode-client.js';
import type { EngineClient } from './docker/engine-client.js';
import { ProcessRuntime } from './process/process-runtime.js';
import type { TaskRuntime } from './types.js';
import { errorMessage } from './unknown.js';

export type RuntimeMode = 'docker' | 'process' | 'auto';

export interface DetectRuntimeOptions {
  readonly nodeId: string;
  readonly stateDir: string;
  readonly socketPath?: string;
  /** How long `auto` and `docker` wait for the engine's ping (default 1 s). */
  readonly pingTimeoutMs?: number;
  /** Instead of a dockerode client on `socketPath` (tests). */
  readonly client?: EngineClient;
}

export function isRuntimeMode(value: string): value is RuntimeMode {
  return value === 'docker' || value === 'process' || value === 'auto';
}

/** The decision, apart from the ping: undefined means "docker, but it did not answer". */
export function chooseRuntime(mode: RuntimeMode, engineAnswers: boolean): 'docker' | 'process' | undefined {
  switch (mode) {
    case 'process':
      return 'process';
    case 'docker':
      return engineAnswers ? 'docker' : undefined;
    case 'auto':
      return engineAnswers ? 'docker' : 'process';
    default: {
      const never: never = mode;
      throw new Error(`unexpected runtime mode ${String(never)}`);
    }
  }
}

async function pingError(client: EngineClient, timeoutMs: number): Promise<string | undefined> {
  try {
    await client.ping(AbortSignal.timeout(timeoutMs));
    return undefined;
  } catch (error) {
    return errorMessage(error);
  }
}

export async function detectRuntime(mode: RuntimeMode, options: DetectRuntimeOptions): Promise<TaskRuntime> {
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  const client = options.client ?? new DockerodeClient(new Docker({ socketPath }));
  const failure = mode === 'process' ? 'not asked' : await pingError(client, options.pingTimeoutMs ?? 1000);
  const choice = chooseRuntime(mode, failure === undefined);
  if (choice === undefined) {
    throw new ShoalError('Unavailable', `the Docker engine does not answer at ${socketPath}: ${failure ?? ''}`);
  }
  return choice === 'docker'
    ? new DockerRuntime({ nodeId: options.nodeId, stateDir: options.stateDir, client })
    : new ProcessRuntime({ nodeId: options.nodeId, stateDir: options.stateDir });
}
