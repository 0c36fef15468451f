import { systemClock } from '@carequeue/core';
import { listIssues, oneOfIssues, textIssues } from '../argument-checks.js';
import { checkReportArguments } from './report-arguments.js';
import { PURPOSES_OF_USE, type PurposeOfUse } from '@carequeue/core/context';
import type { AuditLog } from '../audit-event.js';
import type { AuditStore } from '../audit-store.js';
import type { AuditReport } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { listCell, reportStamp } from './report-rows.js';
import { readWholeTrail } from './trail-reader.js';

/**
 * Purposes whose disclosures HIPAA §164.528(a)(1) leaves out of the accounting: treatment,
 * payment and health care operations, and disclosures to the individual.
 *
 * @example
 * ```ts
 * DEFAULT_UNACCOUNTED_PURPOSES.includes('TREAT'); // true
 * ```
 */
export const DEFAULT_UNACCOUNTED_PURPOSES: readonly PurposeOfUse[] = [
  'TREAT',
  'HPAYMT',
  'HOPERAT',
  'PATRQT',
];

/**
 * The lookback of an accounting of disclosures: six years (HIPAA §164.528(a)).
 *
 * @example
 * ```ts
 * DISCLOSURE_LOOKBACK_YEARS; // 6
 * ```
 */
export const DISCLOSURE_LOOKBACK_YEARS = 6;

/**
 * Options of {@link disclosureAccounting}. `from` defaults to six years before the clock's now
 * and cannot reach further back; `to` defaults to now.
 *
 * @example
 * ```ts
 * const options: DisclosureAccountingOptions = { tenantId, patientId };
 * ```
 */
export interface DisclosureAccountingOptions extends ReportOptions {
  readonly patientId: string;
  /** @default DEFAULT_UNACCOUNTED_PURPOSES */
  readonly unaccountedPurposes?: readonly PurposeOfUse[];
}

function description(log: AuditLog): string {
  const fields = log.metadata.exportedFields;
  const exported = Array.isArray(fields)
    ? (fields as readonly unknown[]).filter((item): item is string => typeof item === 'string')
    : [];
  const categories = log.dataCategories.length > 0 ? log.dataCategories : exported;
  return categories.length > 0 ? categories.join(', ') : log.resourceType;
}

/**
 * The accounting of disclosures of HIPAA §164.528: every disclosure (export) of a patient's data
 * in the six years before now, with its date, recipient, a brief description of the data and
 * the purpose and legal basis, oldest first. Disclosures for treatment, payment, operations or
 * to the patient are left out (configurable), and so are refused or failed exports.
 *
 * @example
 * ```ts
 * const accounting = await disclosureAccounting(store, { tenantId, patientId });
 * renderReportCsv(accounting);
 * ```
 */
export async function disclosureAccounting(
  store: AuditStore,
  options: DisclosureAccountingOptions,
): Promise<AuditReport> {
  checkReportArguments('disclosureAccounting', store, options, (fields) => [
    ...textIssues(fields['patientId'], 'options.patientId', { nonEmpty: true }),
    ...(fields['unaccountedPurposes'] === undefined
      ? []
      : listIssues(fields['unaccountedPurposes'], 'options.unaccountedPurposes', (item, path) =>
          oneOfIssues(item, path, PURPOSES_OF_USE),
        )),
  ]);
  const now = new Date((options.clock ?? systemClock).now());
  const floor = new Date(now);
  floor.setUTCFullYear(floor.getUTCFullYear() - DISCLOSURE_LOOKBACK_YEARS);
  const from = options.from && options.from > floor ? options.from : floor;
  const to = options.to ?? now;
  const unaccounted = new Set(options.unaccountedPurposes ?? DEFAULT_UNACCOUNTED_PURPOSES);
  const logs = (
    await readWholeTrail(
      store,
      {
        tenantId: options.tenantId,
        patientId: options.patientId,
        category: 'export',
        outcome: 'success',
        from,
        to,
        sortBy: 'timestamp',
      },
      options.onProgress,
    )
  ).filter((log) => log.purposeOfUse === null || !unaccounted.has(log.purposeOfUse));
  return {
    kind: 'disclosure-accounting',
    title: 'Accounting of disclosures',
    tenantId: options.tenantId,
    ...reportStamp({ ...options, from, to }),
    columns: [
      EVENT_COLUMNS.timestamp,
      EVENT_COLUMNS.recipient,
      { key: 'description', label: 'Information disclosed' },
      EVENT_COLUMNS.purposeOfUse,
      EVENT_COLUMNS.disclosureBasis,
      EVENT_COLUMNS.dataCategories,
    ],
    rows: logs.map((log) => ({
      timestamp: log.timestamp.toISOString(),
      recipient: log.recipient ?? 'not recorded',
      description: description(log),
      purposeOfUse: log.purposeOfUse,
      disclosureBasis: log.disclosureBasis,
      dataCategories: listCell(log.dataCategories),
    })),
    charts: activityCharts(logs, { byUser: false }),
    notes: [
      `Disclosures of patient ${options.patientId} from ${from.toISOString()} to ${to.toISOString()} (HIPAA §164.528, six-year lookback).`,
      `Left out: disclosures for ${[...unaccounted].join(', ')}, and refused or failed exports.`,
    ],
  };
}
