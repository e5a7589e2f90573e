// EngineClient over dockerode. dockerode's results are loosely typed: every
// answer is read as `unknown` and narrowed here, so nothing past this file
// trusts the engine's JSON shape.
import Docker from 'dockerode';
import { LineSplitter } from '../line-splitter.js';
import { isRecord, numberField, recordField, stringField, stringMap } from '../unknown.js';
import type { ContainerCreateBody } from './container-config.js';
import {
  EngineError,
  type EngineClient,
  type EngineContainer,
  type EngineContainerSummary,
  type EngineEvent,
  type EventFilters,
} from './engine-client.js';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** The engine's own message ("No such image: x") from a dockerode error. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (!isRecord(error) && !(error instanceof Error)) return new EngineError(String(error), undefined);
  const fields: Record<string, unknown> = isRecord(error) ? error : { message: error.message };
  const statusCode = numberField(fields, 'statusCode');
  const json = fields['json'];
  const fromJson = isRecord(json) ? stringField(json, 'message') : undefined;
  const message = fromJson ?? stringField(fields, 'reason') ?? (error instanceof Error ? error.message : 'engine error');
  return new EngineError(message.trim(), statusCode);
}

async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toEngineError(error);
  }
}

export function parseEngineContainer(value: unknown): EngineContainer {
  if (!isRecord(value)) throw new EngineError('container inspect: not an object', undefined);
  const config = recordField(value, 'Config') ?? {};
  const state = recordField(value, 'State') ?? {};
  const health = recordField(state, 'Health');
  const id = stringField(value, 'Id');
  if (id === undefined) throw new EngineError('container inspect: no Id', undefined);
  return {
    id,
    name: (stringField(value, 'Name') ?? '').replace(/^\//, ''),
    image: stringField(config, 'Image') ?? '',
    labels: stringMap(config['Labels']),
    stopSignal: stringField(config, 'StopSignal'),
    state: {
      status: stringField(state, 'Status') ?? 'unknown',
      pid: numberField(state, 'Pid') ?? 0,
      exitCode: numberField(state, 'ExitCode') ?? 0,
      oomKilled: state['OOMKilled'] === true,
      error: stringField(state, 'Error') ?? '',
      health: health === undefined ? undefined : stringField(health, 'Status'),
    },
  };
}

export function parseEngineEvent(value: unknown): EngineEvent | undefined {
  if (!isRecord(value)) return undefined;
  const actor = recordField(value, 'Actor');
  const id = (actor && stringField(actor, 'ID')) ?? stringField(value, 'id');
  const action = stringField(value, 'Action') ?? stringField(value, 'status');
  if (id === undefined || action === undefined) return undefined;
  return { id, action, attributes: stringMap(actor?.['Attributes']) };
}

/** JSON lines (the events and pull progress streams) as parsed values. */
async function* jsonLines(stream: AsyncIterable<unknown>): AsyncGenerator<unknown> {
  const splitter = new LineSplitter(4 * 1024 * 1024);
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk instanceof Uint8Array ? chunk : undefined;
    if (bytes === undefined) continue;
    for (const line of splitter.push(bytes)) {
      if (line.trim() === '') continue;
      try {
        yield JSON.parse(line) as unknown;
      } catch {
        // A line that is not JSON is not an event; skip it.
      }
    }
  }
}

function asChunks(stream: unknown): AsyncIterable<unknown> {
  if (typeof stream === 'object' && stream !== null && Symbol.asyncIterator in stream) {
    return stream as AsyncIterable<unknown>;
  }
  throw new EngineError('the engine did not answer with a stream', undefined);
}

export class DockerodeClient implements EngineClient {
  constructor(private readonly docker: Docker = new Docker({ socketPath: DEFAULT_DOCKER_SOCKET })) {}

  async ping(signal?: AbortSignal): Promise<void> {
    // dockerode's types omit ping's options; its code takes {abortSignal}.
    const ping = this.docker.ping.bind(this.docker) as unknown as (options: { abortSignal?: AbortSignal }) => Promise<unknown>;
    await engineCall(() => ping(signal === undefined ? {} : { abortSignal: signal }));
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      const engineError = toEngineError(error);
      if (engineError.statusCode === 404) return false;
      throw engineError;
    }
  }

  async pullImage(ref: string, signal?: AbortSignal): Promise<void> {
    const stream: unknown = await engineCall(() =>
      this.docker.pull(ref, signal === undefined ? {} : { abortSignal: signal }),
    );
    // Progress messages; a failure mid-pull arrives as {"error": "..."}.
    for await (const message of jsonLines(asChunks(stream))) {
      if (isRecord(message)) {
        const error = stringField(message, 'error');
        if (error !== undefined) throw new EngineError(error, undefined);
      }
    }
  }

  async createContainer(name: string, body: ContainerCreateBody): Promise<string> {
    // dockerode's MountSettings wants a Source even where the engine takes none (tmpfs).
    const Mounts = body.HostConfig.Mounts.map((mount) => ({ ...mount, Source: mount.Source ?? '' }));
    const container = await engineCall(() =>
      this.docker.createContainer({ name, ...body, HostConfig: { ...body.HostConfig, Mounts } }),
    );
    return container.id;
  }

  async startContainer(id: string): Promise<void> {
    await engineCall(() => this.docker.getContainer(id).start());
  }

  async killContainer(id: string, signal: string): Promise<void> {
    await engineCall(() => this.docker.getContainer(id).kill({ signal }));
  }

  async waitContainer(id: string, signal?: AbortSignal): Promise<void> {
    const options = { condition: 'not-running' as const, ...(signal === undefined ? {} : { abortSignal: signal }) };
    await engineCall(() => this.docker.getContainer(id).wait(options));
  }

  async removeContainer(id: string, force: boolean): Promise<void> {
    await engineCall(() => this.docker.getContainer(id).remove({ force, v: false }));
  }

  async inspectContainer(id: string): Promise<EngineContainer | undefined> {
    try {
      const info: unknown = await this.docker.getContainer(id).inspect();
      return parseEngineContainer(info);
    } catch (error) {
      const engineError = toEngineError(error);
      if (engineError.statusCode === 404) return undefined;
      throw engineError;
    }
  }

  async listContainers(labels: readonly string[]): Promise<EngineContainerSummary[]> {
    const list: unknown = await engineCall(() =>
      this.docker.listContainers({ all: true, filters: { label: [...labels] } }),
    );
    if (!Array.isArray(list)) throw new EngineError('container list: not an array', undefined);
    const out: EngineContainerSummary[] = [];
    for (const item of list as unknown[]) {
      if (!isRecord(item)) continue;
      const id = stringField(item, 'Id');
      if (id !== undefined) out.push({ id, labels: stringMap(item['Labels']) });
    }
    return out;
  }

  async events(filters: EventFilters, signal: AbortSignal): Promise<AsyncIterable<EngineEvent>> {
    const stream: unknown = await engineCall(() =>
      this.docker.getEvents({ filters: JSON.stringify(filters), abortSignal: signal }),
    );
    const chunks = asChunks(stream);
    return (async function* () {
      try {
        for await (const message of jsonLines(chunks)) {
          const event = parseEngineEvent(message);
          if (event !== undefined) yield event;
        }
      } catch (error) {
        if (signal.aborted) return;
        throw toEngineError(error);
      }
    })();
  }

  async logs(
    id: string,
    options: { follow: boolean; tail: number | undefined; signal: AbortSignal | undefined },
  ): Promise<AsyncIterable<Uint8Array>> {
    const container = this.docker.getContainer(id);
    const base = {
      stdout: true,
      stderr: true,
      timestamps: true,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
      ...(options.signal === undefined ? {} : { abortSignal: options.signal }),
    };
    if (!options.follow) {
      const buffer = await engineCall(() => container.logs({ ...base, follow: false }));
      return (async function* () {
        yield buffer;
      })();
    }
    const stream = asChunks(await engineCall(() => container.logs({ ...base, follow: true })));
    const signal = options.signal;
    return (async function* () {
      try {
        for await (const chunk of stream) {
          if (chunk instanceof Uint8Array) yield chunk;
          else if (typeof chunk === 'string') yield Buffer.from(chunk);
        }
      } catch (error) {
        if (signal?.aborted === true) return;
        throw toEngineError(error);
      }
    })();
  }
}
