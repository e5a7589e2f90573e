// The task runtimes' public surface, for the agent.
export type * from './types.js';
export { LABEL_NODE_ID, LABEL_SERVICE_ID, LABEL_SERVICE_NAME, LABEL_TASK_ID, taskName } from './labels.js';
export { DockerRuntime, type DockerRuntimeOptions } from './docker/docker-runtime.js';
export { DockerodeClient } from './docker/dockerode-client.js';
export type { EngineClient } from './docker/engine-client.js';
export { ProcessRuntime, type ProcessRuntimeOptions } from './process/process-runtime.js';
export { detectRuntime, isRuntimeMode, type DetectRuntimeOptions, type RuntimeMode } from './detect-runtime.js';
