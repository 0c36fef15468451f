import { entryChangeRunner, type RunEntryChanges } from './entry-changes.js';
import {
  entryStatusChanger,
  type ChangeEntryStatus,
  type EntryStatusMethod,
  type StatusChange,
} from './entry-status-change.js';
import {
  queueServiceSettings,
  type QueueServiceOptions,
  type QueueServiceSettings,
} from './queue-service-options.js';

/** What every use case of one queue service shares: its settings and how it changes entries. */
export interface QueueUseCaseContext {
  readonly settings: QueueServiceSettings;
  readonly runEntryChanges: RunEntryChanges;
  readonly changeEntryStatus: ChangeEntryStatus;
  /** The service method that makes `change`, for methods that take only an actor and an entry. */
  readonly statusChangeMethod: (change: StatusChange) => EntryStatusMethod;
}

/**
 * The shared context of the use cases of one queue service.
 *
 * @throws `QueueConfigError` for options that are missing or of the wrong kind.
 */
export function queueUseCaseContext(options: QueueServiceOptions): QueueUseCaseContext {
  const settings = queueServiceSettings(options);
  const runEntryChanges = entryChangeRunner(settings);
  const changeEntryStatus = entryStatusChanger(settings, runEntryChanges);
  return {
    settings,
    runEntryChanges,
    changeEntryStatus,
    statusChangeMethod: (change) => (actor, entryId) => changeEntryStatus(actor, entryId, change),
  };
}
