// The narrow, typed view of the Docker Engine API that the docker runtime
// uses. dockerode-client.ts implements it over dockerode; tests wrap it to
// inject failures (a dropped event stream, an engine that does not answer).
import type { ContainerCreateBody } from './container-config.js';

/** What the runtime reads from `GET /containers/{id}/json`. */
export interface EngineContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly stopSignal: string | undefined;
  readonly state: {
    /** created | running | paused | restarting | removing | exited | dead */
    readonly status: string;
    readonly pid: number;
    readonly exitCode: number;
    readonly oomKilled: boolean;
    readonly error: string;
    /** starting | healthy | unhealthy, when the container has a health check. */
    readonly health: string | undefined;
  };
}

/** What the runtime reads from `GET /containers/json`. */
export interface EngineContainerSummary {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** One message of `GET /events` (container events only). */
export interface EngineEvent {
  /** start, die, oom, destroy, "health_status: healthy", ... */
  readonly action: string;
  readonly id: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface EventFilters {
  readonly type?: readonly string[];
  readonly label?: readonly string[];
  readonly event?: readonly string[];
}

/** An error the engine answered with (statusCode set), or a transport error (unset). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export interface EngineClient {
  ping(signal?: AbortSignal): Promise<void>;
  imageExists(ref: string): Promise<boolean>;
  /** Resolves once the pull finished; rejects with the engine's error text. */
  pullImage(ref: string, signal?: AbortSignal): Promise<void>;
  /** Returns the new container's id. */
  createContainer(name: string, body: ContainerCreateBody): Promise<string>;
  startContainer(id: string): Promise<void>;
  killContainer(id: string, signal: string): Promise<void>;
  /** Resolves when the container is not running (at once if it is not). */
  waitContainer(id: string, signal?: AbortSignal): Promise<void>;
  removeContainer(id: string, force: boolean): Promise<void>;
  /** undefined when there is no such container. */
  inspectContainer(id: string): Promise<EngineContainer | undefined>;
  /** All containers (running or not) carrying every `key=value` label given. */
  listContainers(labels: readonly string[]): Promise<EngineContainerSummary[]>;
  /**
   * Subscribe to the event stream. Resolves once subscribed (so nothing after
   * that point is missed); the iterable ends when the engine closes the stream
   * and throws on a transport error.
   */
  events(filters: EventFilters, signal: AbortSignal): Promise<AsyncIterable<EngineEvent>>;
  /** The raw (multiplexed, timestamped) log stream of a non-TTY container. */
  logs(
    id: string,
    options: { follow: boolean; tail: number | undefined; signal: AbortSignal | undefined },
  ): Promise<AsyncIterable<Uint8Array>>;
}
