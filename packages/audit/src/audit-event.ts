import type { PurposeOfUse } from '@carequeue/core/context';

/**
 * The coarse kind of an audit event: a read, a change, a disclosure, or an authentication or
 * security event.
 *
 * @example
 * ```ts
 * const category: AuditCategory = 'access';
 * ```
 */
export type AuditCategory = 'access' | 'modification' | 'export' | 'auth';

/**
 * The authentication and security events `logAuthEvent` records.
 *
 * @example
 * ```ts
 * AUTH_EVENT_KINDS.includes('break_glass'); // true
 * ```
 */
export const AUTH_EVENT_KINDS = [
  'login',
  'logout',
  'login_failed',
  'mfa_challenge',
  'role_change',
  'permission_change',
  'break_glass',
  'audit_config_change',
] as const;

/**
 * One of {@link AUTH_EVENT_KINDS}.
 *
 * @example
 * ```ts
 * const kind: AuthEventKind = 'login_failed';
 * ```
 */
export type AuthEventKind = (typeof AUTH_EVENT_KINDS)[number];

/**
 * How the audited action ended. `denied` is an authorization refusal; `failure` any other error.
 *
 * @example
 * ```ts
 * const outcome: AuditOutcome = 'success';
 * ```
 */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * How long an event must be kept, and the partition it is stored in.
 *
 * `standard` keeps at least 6 years (HIPAA documentation floor); `extended` at least 10 years
 * (ASTM E2147 advises keeping audit data as long as the medical record).
 *
 * @example
 * ```ts
 * const retention: RetentionClass = 'extended';
 * ```
 */
export type RetentionClass = 'standard' | 'extended';

/**
 * A JSON value as stored in the metadata and old/new value columns.
 *
 * @example
 * ```ts
 * const value: AuditJsonValue = { reason: 'follow-up', count: 2 };
 * ```
 */
export type AuditJsonValue =
  | string
  | number
  | boolean
  | null
  | readonly AuditJsonValue[]
  | { readonly [key: string]: AuditJsonValue };

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
