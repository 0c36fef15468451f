import { createHash } from 'node:crypto';
import { auditLogIssues, checkArguments, hashIssues, jsonIssues } from './argument-checks.js';
import type { AuditEvent, AuditJsonValue } from './audit-event.js';
import { jsonbTextOf } from './jsonb-text.js';

/**
 * The version tag that opens every canonical form; a new layout gets a new tag.
 *
 * @example
 * ```ts
 * canonicalForm(event, GENESIS_HASH).startsWith(`["${CANONICAL_FORM_VERSION}"`); // true
 * ```
 */
export const CANONICAL_FORM_VERSION = 'cq-audit-v1';

/**
 * The previous hash of the first event of every tenant's chain: 64 zeros.
 *
 * @example
 * ```ts
 * GENESIS_HASH.length; // 64
 * ```
 */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * Renders a JSON value the way Postgres renders a `jsonb` value as text: object keys ordered by
 * byte length then bytes, `", "` between items and `": "` after keys, numbers without exponents.
 *
 * @example
 * ```ts
 * jsonbText({ bb: 1, a: [true, null] }); // '{"a": [true, null], "bb": 1}'
 * ```
 */
export function jsonbText(value: AuditJsonValue | undefined): string {
  checkArguments('jsonbText', jsonIssues(value, 'value'));
  return jsonbTextOf(value);
}

/**
 * Renders a timestamp at the precision Postgres stores (microseconds), in UTC.
 *
 * @example
 * ```ts
 * storedTimestamp(new Date('2026-01-01T08:30:00.123Z')); // '2026-01-01T08:30:00.123000Z'
 * ```
 */
export function storedTimestamp(date: Date): string {
  checkArguments(
    'storedTimestamp',
    date instanceof Date && !Number.isNaN(date.getTime())
      ? []
      : [{ path: 'date', message: 'must be a valid Date' }],
  );
  return stampOf(date);
}

function stampOf(date: Date): string {
  return `${date.toISOString().slice(0, -1)}000Z`;
}

/**
 * The canonical form of an event in its chain: the text that is hashed.
 *
 * It is the `jsonb` text of an array of the version tag, the previous hash and every stored
 * field of the event in a fixed order. Old and new values enter as stored (ciphertext or
 * redaction markers), never as raw identifiers. The SQL function `audit.canonical_form`
 * produces the same text.
 *
 * @example
 * ```ts
 * const text = canonicalForm(event, GENESIS_HASH);
 * ```
 */
export function canonicalForm(event: AuditEvent, previousHash: string): string {
  checkCanonicalArguments('canonicalForm', event, previousHash);
  return canonicalText(event, previousHash);
}

function checkCanonicalArguments(operation: string, event: unknown, previousHash: unknown): void {
  checkArguments(
    operation,
    auditLogIssues(event, 'event'),
    hashIssues(previousHash, 'previousHash'),
  );
}

function canonicalText(event: AuditEvent, previousHash: string): string {
  return jsonbTextOf([
    CANONICAL_FORM_VERSION,
    previousHash,
    event.tenantId,
    event.id,
    stampOf(event.timestamp),
    event.userId,
    event.category,
    event.action,
    event.outcome,
    event.resourceType,
    event.resourceId,
    event.patientId,
    event.oldValue,
    event.newValue,
    [...event.changedFields],
    event.ipAddress,
    event.userAgent,
    event.metadata,
    event.purposeOfUse,
    event.recipient,
    event.disclosureBasis,
    event.sessionId,
    event.correlationId,
    [...event.dataCategories],
    event.retentionClass,
  ]);
}

/**
 * The payload hash of an event: SHA-256 (hex) of its UTF-8 canonical form.
 *
 * @example
 * ```ts
 * const hash = payloadHash(event, GENESIS_HASH); // 64 hex digits
 * ```
 */
export function payloadHash(event: AuditEvent, previousHash: string): string {
  checkCanonicalArguments('payloadHash', event, previousHash);
  return createHash('sha256').update(canonicalText(event, previousHash), 'utf8').digest('hex');
}
