// The updater's own knobs (not in the service spec) and the update config
// an update runs under.
import type { Service } from '../../api/service.js';
import { DEFAULT_UPDATE_CONFIG, type UpdateConfig } from '../../api/service-spec.js';
import type { Direction } from './updater-state.js';

export interface UpdaterSettings {
  /**
   * How long a new task may take, once told to run, to reach running before
   * it counts as a failure. Swarm waits forever (updater.go: "TODO: Consider
   * adding a timeout here"); 0 restores that.
   */
  readonly startTimeoutMs: number;
  /**
   * How long to wait for a task told to shut down to stop before starting
   * its replacement anyway (stop-first) or freeing its lane (start-first):
   * swarmkit restart.Supervisor's defaultOldTaskTimeout.
   */
  readonly oldTaskTimeoutMs: number;
}

export const DEFAULT_UPDATER_SETTINGS: UpdaterSettings = {
  startTimeoutMs: 5 * 60_000,
  oldTaskTimeoutMs: 60_000,
};

/** swarmkit: RollbackConfig while UpdateStatus is rollback_started, UpdateConfig otherwise, defaults when absent. */
export function configFor(service: Service, direction: Direction): UpdateConfig {
  const config = direction === 'rollback' ? service.Spec.RollbackConfig : service.Spec.UpdateConfig;
  return config ?? DEFAULT_UPDATE_CONFIG;
}

/** Nanoseconds (Docker's durations) to the clock's milliseconds. */
export function nsToMs(ns: number): number {
  return ns / 1_000_000;
}
