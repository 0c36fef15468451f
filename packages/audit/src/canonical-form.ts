import { createHash } from 'node:crypto';
import type { AuditEvent, AuditJsonValue } from './audit-event.js';

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

const utf8 = new TextEncoder();

function compareKeys(a: string, b: string): number {
  // Postgres orders jsonb object keys by byte length first, then byte by byte.
  const left = utf8.encode(a);
  const right = utf8.encode(b);
  if (left.length !== right.length) return left.length - right.length;
  for (let index = 0; index < left.length; index += 1) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

// Postgres keeps a JSON number as an exact decimal and prints it without an exponent
// (1e+21 as 1000000000000000000000, 1.5e-10 as 0.00000000015); JavaScript switches to exponent
// notation from 1e21 and below 1e-6. Such numbers are written out in full here too.
function numericText(value: number): string {
  const text = JSON.stringify(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!match) return text;
  const [, sign = '', lead = '', fraction = '', exponent = '0'] = match;
  const digits = lead + fraction;
  const point = 1 + Number(exponent);
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

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
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numericText(value);
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) {
    return `[${(value as readonly AuditJsonValue[]).map((item) => jsonbText(item)).join(', ')}]`;
  }
  const record = value as { readonly [key: string]: AuditJsonValue };
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort(compareKeys);
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${jsonbText(record[key])}`).join(', ')}}`;
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
  return jsonbText([
    CANONICAL_FORM_VERSION,
    previousHash,
    event.tenantId,
    event.id,
    storedTimestamp(event.timestamp),
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
  return createHash('sha256').update(canonicalForm(event, previousHash), 'utf8').digest('hex');
}
