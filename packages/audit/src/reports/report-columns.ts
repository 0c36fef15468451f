import type { ReportColumn } from './audit-report.js';

/**
 * The columns of the cells reports share for an event (those of `eventCells` and the event's
 * user, patient, recipient, legal basis and IP address), labelled alike in every report.
 * Internal to the reports: the package entry does not export it.
 *
 * @example
 * ```ts
 * const columns = [EVENT_COLUMNS.timestamp, EVENT_COLUMNS.userId, { key: 'reason', label: 'Reason' }];
 * ```
 */
export const EVENT_COLUMNS = {
  timestamp: { key: 'timestamp', label: 'Date (UTC)' },
  userId: { key: 'userId', label: 'User' },
  category: { key: 'category', label: 'Kind' },
  action: { key: 'action', label: 'Action' },
  outcome: { key: 'outcome', label: 'Outcome' },
  resource: { key: 'resource', label: 'Resource' },
  patientId: { key: 'patientId', label: 'Patient' },
  purposeOfUse: { key: 'purposeOfUse', label: 'Purpose' },
  dataCategories: { key: 'dataCategories', label: 'Data categories' },
  recipient: { key: 'recipient', label: 'Recipient' },
  disclosureBasis: { key: 'disclosureBasis', label: 'Legal basis' },
  ipAddress: { key: 'ipAddress', label: 'IP address' },
} as const satisfies Record<string, ReportColumn>;
