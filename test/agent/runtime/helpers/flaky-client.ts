// An EngineClient that passes through to a real one, except that a test can
// cut the event stream (as an engine restart does) and keep the engine
// "down" until it heals it.
import type { ContainerCreateBody } from '../../../../src/agent/runtime/docker/container-config.js';
import {
  EngineError,
  type EngineClient,
  type EngineContainer,
  type EngineContainerSummary,
  type EngineEvent,
  type EventFilters,
} from '../../../../src/agent/runtime/docker/engine-client.js';

export class FlakyClient implements EngineClient {
  connects = 0;
  refused = 0;
  pulls = 0;
  private down = false;
  private readonly streams = new Set<AbortController>();

  constructor(private readonly inner: EngineClient) {}

  /** End every open event stream and refuse new connections until heal(). */
  cut(): void {
    this.down = true;
    for (const stream of this.streams) stream.abort();
    this.streams.clear();
  }

  heal(): void {
    this.down = false;
  }

  private check(): void {
    if (this.down) {
      this.refused += 1;
      throw new EngineError('connect ECONNREFUSED /var/run/docker.sock (injected)', undefined);
    }
  }

  async events(filters: EventFilters, signal: AbortSignal): Promise<AsyncIterable<EngineEvent>> {
    this.check();
    this.connects += 1;
    const stream = new AbortController();
    this.streams.add(stream);
    return this.inner.events(filters, AbortSignal.any([signal, stream.signal]));
  }

  async ping(signal?: AbortSignal): Promise<void> {
    this.check();
    return this.inner.ping(signal);
  }
  async imageExists(ref: string): Promise<boolean> {
    this.check();
    return this.inner.imageExists(ref);
  }
  async pullImage(ref: string, signal?: AbortSignal): Promise<void> {
    this.check();
    this.pulls += 1;
    return this.inner.pullImage(ref, signal);
  }
  async createContainer(name: string, body: ContainerCreateBody): Promise<string> {
    this.check();
    return this.inner.createContainer(name, body);
  }
  async startContainer(id: string): Promise<void> {
    this.check();
    return this.inner.startContainer(id);
  }
  async killContainer(id: string, signal: string): Promise<void> {
    this.check();
    return this.inner.killContainer(id, signal);
  }
  async waitContainer(id: string, signal?: AbortSignal): Promise<void> {
    this.check();
    return this.inner.waitContainer(id, signal);
  }
  async removeContainer(id: string, force: boolean): Promise<void> {
    this.check();
    return this.inner.removeContainer(id, force);
  }
  async inspectContainer(id: string): Promise<EngineContainer | undefined> {
    this.check();
    return this.inner.inspectContainer(id);
  }
  async listContainers(labels: readonly string[]): Promise<EngineContainerSummary[]> {
    this.check();
    return this.inner.listContainers(labels);
  }
  async logs(
    id: string,
    options: { follow: boolean; tail: number | undefined; signal: AbortSignal | undefined },
  ): Promise<AsyncIterable<Uint8Array>> {
    this.check();
    return this.inner.logs(id, options);
  }
}
