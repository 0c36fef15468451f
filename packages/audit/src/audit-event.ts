import type { PurposeOfUse } from '@carequeue/core/context';
import type { AuditCategory, AuditJsonValue, AuditOutcome, RetentionClass } from '@carequeue/core';

export {
  AUTH_EVENT_KINDS,
  AuditCategory,
  AuditJsonValue,
  AuditOutcome,
  AuthEventKind,
  RetentionClass,
} from '@carequeue/core';

/**
 * One audit event as written, before the chain seals it.
 *
 * Ids are lower-case text; `oldValue`/`newValue` never hold a tagged direct identifier in clear
 * (see `protectValue`).
 *
 * @example
 * ```ts
 * const event: AuditEvent = {
 *   id: uuidv7(), tenantId, userId, category: 'access', action: 'read',
 *   resourceType: 'Patient', resourceId: patientId, patientId, outcome: 'success',
 *   oldValue: null, newValue: null, changedFields: [], ipAddress: null, userAgent: null,
 *   timestamp: new Date(), metadata: {}, purposeOfUse: 'TREAT', recipient: null,
 *   disclosureBasis: null, sessionId: null, correlationId: null, dataCategories: ['demographics'],
 *   retentionClass: 'standard',
 * };
 * ```
 */
export interface AuditEvent {
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string | null;
  readonly category: AuditCategory;
  readonly action: string;
  readonly resourceType: string;
  readonly resourceId: string | null;
  readonly patientId: string | null;
  readonly outcome: AuditOutcome;
  readonly oldValue: AuditJsonValue | null;
  readonly newValue: AuditJsonValue | null;
  readonly changedFields: readonly string[];
  readonly ipAddress: string | null;
  readonly userAgent: string | null;
  readonly timestamp: Date;
  readonly metadata: { readonly [key: string]: AuditJsonValue };
  readonly purposeOfUse: PurposeOfUse | null;
  readonly recipient: string | null;
  readonly disclosureBasis: string | null;
  readonly sessionId: string | null;
  readonly correlationId: string | null;
  readonly dataCategories: readonly string[];
  readonly retentionClass: RetentionClass;
}

/**
 * An audit event as read back: the event plus its place in the tenant's chain. The chain fields
 * are null until the sealer has sealed the event.
 *
 * @example
 * ```ts
 * const [latest] = await service.getAuditTrail(patientId);
 * latest?.sequence; // 42, or null while unsealed
 * ```
 */
export interface AuditLog extends AuditEvent {
  readonly sequence: number | null;
  readonly payloadHash: string | null;
  readonly previousHash: string | null;
}
