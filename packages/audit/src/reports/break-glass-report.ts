import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { AuditJsonValue, AuditLog } from '../audit-event.js';
import { revealValue } from '../value-reveal.js';
import { checkReportArguments } from './report-arguments.js';
import type { AuditStore } from '../audit-store.js';
import type { AuditReport } from './audit-report.js';
import { EVENT_COLUMNS } from './report-columns.js';
import { activityCharts } from './report-charts.js';
import type { ReportOptions } from './report-options.js';
import { eventCells, reportStamp } from './report-rows.js';
import { periodQuery } from './report-period.js';
import { readWholeTrail } from './trail-reader.js';

const EMERGENCY_PURPOSES = new Set(['ETREAT', 'BTG']);

// The reason is free text about a patient, stored encrypted under their key: it reads only with
// the encryptor, and not at all once the patient was erased.
async function reasonOf(
  log: AuditLog,
  encryptor: FieldEncryptor | undefined,
): Promise<string | null> {
  const metadata = await revealValue(log.metadata, {
    eventId: log.id,
    column: 'metadata',
    subjectId: log.patientId,
    ...(encryptor ? { encryptor } : {}),
  });
  const reason = (metadata as Record<string, AuditJsonValue> | null)?.reason;
  return typeof reason === 'string' ? reason : null;
}

/**
 * Every emergency access: each break-glass event and each access made with an emergency
 * purpose (`ETREAT`, `BTG`), with the user, patient and stated reason, oldest first, so each can
 * be reviewed after the fact. A reason about a patient is stored encrypted: pass the encryptor to
 * read it (an erased patient's stays unreadable).
 *
 * @example
 * ```ts
 * const report = await breakGlassReport(store, { tenantId, from, to });
 * ```
 */
export async function breakGlassReport(
  store: AuditStore,
  options: ReportOptions,
): Promise<AuditReport> {
  checkReportArguments('breakGlassReport', store, options);
  const logs = (
    await readWholeTrail(
      store,
      {
        tenantId: options.tenantId,
        ...periodQuery(options),
        sortBy: 'timestamp',
      },
      options.onProgress,
    )
  ).filter(
    (log) =>
      log.action === 'break_glass' ||
      (log.purposeOfUse !== null && EMERGENCY_PURPOSES.has(log.purposeOfUse)),
  );
  const grants = logs.filter((log) => log.action === 'break_glass').length;
  return {
    kind: 'break-glass',
    title: 'Break-glass (emergency) access',
    tenantId: options.tenantId,
    ...reportStamp(options),
    columns: [
      EVENT_COLUMNS.timestamp,
      EVENT_COLUMNS.userId,
      EVENT_COLUMNS.action,
      EVENT_COLUMNS.outcome,
      EVENT_COLUMNS.patientId,
      EVENT_COLUMNS.resource,
      EVENT_COLUMNS.purposeOfUse,
      { key: 'reason', label: 'Stated reason' },
    ],
    rows: await Promise.all(
      logs.map(async (log) => ({
        ...eventCells(log),
        userId: log.userId,
        patientId: log.patientId,
        reason: await reasonOf(log, options.encryptor),
      })),
    ),
    charts: activityCharts(logs, { byUser: true }),
    notes: [`${grants} break-glass events and ${logs.length - grants} emergency-purpose accesses.`],
  };
}
