// Spec changes that roll a service back, as pure functions on the service
// object (the manual `service rollback` is src/api's rollbackServiceSpec).
import type { Service, Rollback, UpdateStatus } from '../../api/service.js';
import { pushSpecHistory, specAtVersion } from '../../api/service.js';
import { timestampOf } from '../../api/object-meta.js';
import { manualRollbackToVersion } from './messages.js';

/**
 * FailureAction rollback (swarmkit updater rollbackUpdate): the previous
 * spec becomes current again and the previous one is forgotten, so a second
 * automatic rollback cannot bounce back; the status says rollback_started
 * with `message`, keeping the update's StartedAt. Undefined when there is
 * no previous spec.
 */
export function autoRollback(service: Service, status: UpdateStatus, message: string, nowMs: number): Service | undefined {
  const previous = service.PreviousSpec;
  const previousVersion = service.PreviousSpecVersion;
  if (previous === undefined || previousVersion === undefined) return undefined;
  const at = timestampOf(nowMs);
  const { PreviousSpec: _spec, PreviousSpecVersion: _version, ...rest } = service;
  return {
    ...rest,
    UpdatedAt: at,
    Spec: previous,
    SpecVersion: previousVersion,
    UpdateStatus: { State: 'rollback_started', StartedAt: status.StartedAt, Message: message },
    SpecHistory: pushSpecHistory(service.SpecHistory, { Version: previousVersion, Spec: previous, At: at }),
  };
}

/**
 * shoal's `service rollback --to-version N`: any spec still in the history
 * (the last 10) becomes current under its old version, so tasks still
 * running it stay; the current spec becomes the previous one, and the
 * updater rolls back under RollbackConfig as for `--rollback`.
 */
export function rollbackToVersion(service: Service, version: number, nowMs: number): Rollback {
  if (version === service.SpecVersion.Index) {
    return { ok: false, reason: `service ${service.ID} is already at version ${version}` };
  }
  const spec = specAtVersion(service, { Index: version });
  if (spec === undefined) {
    const kept = service.SpecHistory.map((e) => e.Version.Index).join(', ');
    return { ok: false, reason: `service ${service.ID} has no spec version ${version} in its history (kept: ${kept})` };
  }
  const at = timestampOf(nowMs);
  return {
    ok: true,
    service: {
      ...service,
      UpdatedAt: at,
      Spec: spec,
      PreviousSpec: service.Spec,
      UpdateStatus: { State: 'rollback_started', StartedAt: at, Message: manualRollbackToVersion(version) },
      SpecVersion: { Index: version },
      PreviousSpecVersion: service.SpecVersion,
      SpecHistory: pushSpecHistory(service.SpecHistory, { Version: { Index: version }, Spec: spec, At: at }),
    },
  };
}
