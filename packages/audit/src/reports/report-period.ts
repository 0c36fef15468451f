import type { AuditTrailQuery } from '../trail-query.js';
import type { ReportOptions } from './report-options.js';

/**
 * The `from` and `to` of a report's trail query: only the bounds the options give, so an open
 * end stays absent from the query rather than `undefined`. Internal to the reports: the package
 * entry does not export it.
 *
 * @example
 * ```ts
 * const logs = await readWholeTrail(store, { tenantId, ...periodQuery(options), sortBy: 'timestamp' });
 * ```
 */
export function periodQuery(
  options: Pick<ReportOptions, 'from' | 'to'>,
): Pick<AuditTrailQuery, 'from' | 'to'> {
  return {
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  };
}
