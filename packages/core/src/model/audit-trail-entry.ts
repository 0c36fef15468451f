/**
 * An audit event as the API answers it: the audit trail's wire form. Timestamps are ISO 8601
 * text; old and new values are already protected (a tagged direct identifier never appears in
 * clear).
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { PurposeOfUse } from '../context/purpose-of-use.js';
import { phi } from '../phi.js';
import { Timestamp } from './common.js';

/**
 * The coarse kind of an audit event: a read, a change, a disclosure, or an authentication or
 * security event.
 *
 * @example
 * ```ts
 * AuditCategory.parse('access');
 * ```
 */
export const AuditCategory = z.enum(['access', 'modification', 'export', 'auth']);
/** A parsed {@link AuditCategory}. */
export type AuditCategory = z.output<typeof AuditCategory>;

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
 * AuthEventKind.parse('login_failed');
 * ```
 */
export const AuthEventKind = z.enum(AUTH_EVENT_KINDS);
/** A parsed {@link AuthEventKind}. */
export type AuthEventKind = z.output<typeof AuthEventKind>;

/**
 * How the audited action ended. `denied` is an authorization refusal; `failure` any other error.
 *
 * @example
 * ```ts
 * AuditOutcome.parse('success');
 * ```
 */
export const AuditOutcome = z.enum(['success', 'failure', 'denied']);
/** A parsed {@link AuditOutcome}. */
export type AuditOutcome = z.output<typeof AuditOutcome>;

/**
 * How long an event must be kept, and the partition it is stored in: `standard` at least 6
 * years (HIPAA documentation floor), `extended` at least 10 years (ASTM E2147).
 *
 * @example
 * ```ts
 * RetentionClass.parse('extended');
 * ```
 */
export const RetentionClass = z.enum(['standard', 'extended']);
/** A parsed {@link RetentionClass}. */
export type RetentionClass = z.output<typeof RetentionClass>;

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
 * The schema of an {@link AuditJsonValue}.
 *
 * @example
 * ```ts
 * AuditJsonValue.parse({ reason: 'follow-up' });
 * ```
 */
export const AuditJsonValue: z.ZodType<AuditJsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(AuditJsonValue),
    z.record(z.string(), AuditJsonValue),
  ]),
);

/**
 * One audit event of the trail, with its place in the tenant's hash chain (the chain fields
 * are null until the event is sealed). Ids are lower-case text.
 *
 * @example
 * ```ts
 * const entries = z.array(AuditTrailEntry).parse(body.items);
 * entries[0]?.sequence; // 42, or null while unsealed
 * ```
 */
export const AuditTrailEntry = z.object({
  id: z.uuid(),
  tenantId: z.uuid(),
  userId: z.uuid().nullable(),
  category: AuditCategory,
  action: z.string().max(100),
  resourceType: z.string().max(100),
  resourceId: z.string().max(200).nullable(),
  patientId: z.uuid().nullable(),
  outcome: AuditOutcome,
  oldValue: AuditJsonValue.nullable(),
  newValue: AuditJsonValue.nullable(),
  changedFields: z.array(z.string()),
  /** The client address: an identifier under HIPAA, so it is tagged. */
  ipAddress: phi('direct', z.string().max(64)).nullable(),
  userAgent: z.string().max(1000).nullable(),
  timestamp: Timestamp,
  metadata: z.record(z.string(), AuditJsonValue),
  purposeOfUse: PurposeOfUse.nullable(),
  recipient: z.string().max(500).nullable(),
  disclosureBasis: z.string().max(500).nullable(),
  sessionId: z.string().max(200).nullable(),
  correlationId: z.string().max(200).nullable(),
  dataCategories: z.array(z.string()),
  retentionClass: RetentionClass,
  sequence: z.int().positive().nullable(),
  payloadHash: z.string().nullable(),
  previousHash: z.string().nullable(),
});
/** A parsed {@link AuditTrailEntry}. */
export type AuditTrailEntry = z.output<typeof AuditTrailEntry>;
