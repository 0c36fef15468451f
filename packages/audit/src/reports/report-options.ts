import type { Clock } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { ReportProgress } from './trail-reader.js';

/**
 * Options every report takes: the tenant, an optional inclusive time range, the clock that
 * stamps the report, a progress callback, and an encryptor to reveal protected values to an
 * authorized reader (values of erased patients stay unreadable).
 *
 * @example
 * ```ts
 * const options: ReportOptions = { tenantId, from: new Date('2026-01-01'), to: new Date('2026-03-31') };
 * ```
 */
export interface ReportOptions {
  readonly tenantId: string;
  readonly from?: Date;
  readonly to?: Date;
  /** @default systemClock */
  readonly clock?: Clock;
  readonly onProgress?: ReportProgress;
  /**
   * Reveals protected values in reports that show them: old and new values (the range report)
   * and stated reasons (the break-glass report).
   */
  readonly encryptor?: FieldEncryptor;
}
