// The agent's worker: reconciles assigned tasks against the runtime, reports
// their status, and serves their logs to the managers.
export { Worker, type WorkerOptions } from './worker.js';
export { decide, decideTask, exitError, exitStatus, opFailure, MESSAGES, type Observation, type ReportedStatus, type TaskFacts, type WorkerAction } from './decide.js';
export { runtimeSpecOf, stopGraceMs, type RuntimeSpecContext } from './runtime-spec.js';
export { StatusReporter, type StatusReporterOptions } from './status-reporter.js';
export { LogPublisher, type LogPublisherOptions, type Publish } from './log-publisher.js';
