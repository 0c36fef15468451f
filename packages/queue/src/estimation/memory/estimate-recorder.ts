/**
 * In-memory {@link EstimateRecorder}.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { EstimateRecorder, RecordedEstimate } from '../estimate-recorder.js';
import { summarizeWaitTimeAccuracy } from '../wait-time-accuracy.js';
import { checkedPort } from '../../arguments/checked-port.js';
import { recorderArguments } from '../estimation-arguments.js';
import { checkFactoryOptions } from '../../config/factory-options.js';

/**
 * Options of {@link memoryEstimateRecorder}.
 *
 * @example
 * ```ts
 * const options: MemoryEstimateRecorderOptions = { maxRecords: 1_000 };
 * ```
 */
export interface MemoryEstimateRecorderOptions {
  /**
   * How many entries are kept; the oldest is dropped when a new one would pass the limit.
   * @default 10000
   */
  readonly maxRecords?: number;
}

const MemoryEstimateRecorderOptionsSchema = z
  .object({ maxRecords: z.int().positive().optional() })
  .optional();

/**
 * An {@link EstimateRecorder} that keeps its records in this process, for tests and single
 * instances.
 *
 * @throws `QueueConfigError` when `maxRecords` is not a positive integer.
 * @example
 * ```ts
 * import { memoryEstimateRecorder } from '@carequeue/queue';
 *
 * const recorder = memoryEstimateRecorder();
 * await recorder.recordActual('entry-1', 540_000); // false: no estimate recorded for it
 * ```
 */
export function memoryEstimateRecorder(
  options: MemoryEstimateRecorderOptions = {},
): EstimateRecorder {
  checkFactoryOptions('memoryEstimateRecorder', MemoryEstimateRecorderOptionsSchema, options);
  const maxRecords = options.maxRecords ?? 10_000;
  const records = new Map<string, RecordedEstimate>();

  return checkedPort(
    'EstimateRecorder',
    {
      recordEstimate(record) {
        records.delete(record.entryId);
        records.set(record.entryId, { ...record, actualWaitMs: undefined });
        if (records.size > maxRecords) {
          const oldest = records.keys().next().value as string;
          records.delete(oldest);
        }
        return Promise.resolve();
      },
      recordActual(entryId, actualWaitMs) {
        const record = records.get(entryId);
        if (record === undefined) return Promise.resolve(false);
        records.set(entryId, { ...record, actualWaitMs });
        return Promise.resolve(true);
      },
      accuracy(query) {
        const clinicId = query?.clinicId;
        const selected = [...records.values()].filter(
          (record) => clinicId === undefined || record.clinicId === clinicId,
        );
        return Promise.resolve(summarizeWaitTimeAccuracy(selected));
      },
    },
    recorderArguments,
  );
}
