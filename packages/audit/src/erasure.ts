import type { ErrorIssue } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import {
  checkArguments,
  isRecord,
  objectIssues,
  portIssues,
  textIssues,
  uuidIssues,
} from './argument-checks.js';
import type { AuditLogService } from './audit-log-service.js';

/**
 * Options of {@link erasePatientAuditData}.
 *
 * @example
 * ```ts
 * const options: PatientErasureOptions = { encryptor, audit, tenantId, patientId, requestedBy: dpoUserId };
 * ```
 */
export interface PatientErasureOptions {
  /** The encryptor whose subject key store holds the patient's data key. */
  readonly encryptor: FieldEncryptor;
  /** Records the erasure itself in the trail. */
  readonly audit: AuditLogService;
  readonly tenantId: string;
  readonly patientId: string;
  /** The user who carried out the request (a data protection officer, say). */
  readonly requestedBy: string | null;
  /** @default 'GDPR Art. 17' */
  readonly legalBasis?: string;
}

// Checked in full before the key is destroyed: a shredding cannot be undone, and one whose
// erasure event could not be recorded would leave no trace of who erased whom.
function erasureIssues(options: unknown): ErrorIssue[] {
  if (!isRecord(options)) return objectIssues(options, 'options');
  return [
    ...portIssues(options['encryptor'], 'options.encryptor', 'a FieldEncryptor', ['shredSubject']),
    ...portIssues(options['audit'], 'options.audit', 'an AuditLogService', ['logDataModification']),
    ...uuidIssues(options['tenantId'], 'options.tenantId'),
    ...textIssues(options['patientId'], 'options.patientId', { nonEmpty: true, max: 256 }),
    ...textIssues(options['requestedBy'], 'options.requestedBy', { nullable: true, max: 256 }),
    ...textIssues(options['legalBasis'], 'options.legalBasis', { optional: true, nonEmpty: true }),
  ];
}

/**
 * Erases a patient from the audit trail by crypto-shredding (GDPR Art. 17 with the retention
 * exception of Art. 17(3)(b)): destroys the patient's data key, so every protected old/new value
 * encrypted for them becomes unreadable everywhere (trail, reports, archives, backups), while
 * rows, hashes and the chain stay intact and `verify()` still passes. The erasure is recorded
 * as a `crypto_shred` event about the patient, holding no value.
 *
 * Every option is checked before the key is destroyed: a `null` patient id (or any other bad
 * option) is a `ValidationError` naming it, and no key is shredded.
 *
 * @throws {ValidationError} when an option is missing or of the wrong type, before any call
 * @example
 * ```ts
 * await erasePatientAuditData({ encryptor, audit, tenantId, patientId, requestedBy: dpoUserId });
 * await revealValue(log.newValue, { eventId: log.id, column: 'new_value', subjectId: patientId, encryptor });
 * // { givenName: { $erased: true }, status: 'active' }
 * ```
 */
export async function erasePatientAuditData(options: PatientErasureOptions): Promise<void> {
  checkArguments('erasePatientAuditData', erasureIssues(options));
  await options.encryptor.shredSubject(options.patientId);
  await options.audit.logDataModification(
    options.requestedBy,
    `Patient/${options.patientId}`,
    null,
    null,
    {
      tenantId: options.tenantId,
      action: 'crypto_shred',
      purposeOfUse: 'HSYSADMIN',
      metadata: { legalBasis: options.legalBasis ?? 'GDPR Art. 17' },
    },
  );
}
