/**
 * Checks of the arguments of {@link DeadLetterQueue}'s methods. They run before any store call,
 * and accept only what every store can hold: the Postgres store keeps the tenant as a `uuid`,
 * `kind` and `id` as text of 1 to 200 characters, attempts as an `integer` and times as
 * `timestamptz`, so the memory store refuses the same values instead of storing them.
 *
 * @packageDocumentation
 */
import { TenantId, type ErrorIssue } from '@carequeue/core';
import { isValidCorrelationId } from '@carequeue/core/context';
import { integerIssues, isRecord, numberIssues, textIssues } from '../call-arguments.js';
import type { DeadLetterFilter } from './dead-letter.js';

/** The longest `kind` or `id` of a dead letter (the Postgres store's check constraints). */
const MAX_TEXT_LENGTH = 200;

/** The largest attempt count (a Postgres `integer`). */
const MAX_ATTEMPTS = 2_147_483_647;

/** The latest instant a filter may name: the last one a `Date` can hold. */
const LATEST_INSTANT = 8.64e15;

/** The oldest age `purge` accepts: about 100 years, so the cut-off stays a storable time. */
export const MAX_PURGE_AGE_MS = 3_153_600_000_000;

/** Statuses a listing may ask for. */
const STATUSES: readonly unknown[] = ['pending', 'replayed', 'all'];

/**
 * The issue of a tenant id argument, if it is not a UUID.
 *
 * @example
 * ```ts
 * tenantIdIssues(capture.tenantId, 'capture.tenantId'); // [] for a UUID
 * ```
 */
export function tenantIdIssues(value: unknown, path: string): ErrorIssue[] {
  return TenantId.safeParse(value).success ? [] : [{ path, message: 'must be a UUID' }];
}

/**
 * The issue of a `kind` or `id` of a dead letter, if it is not a string of 1 to 200 characters
 * free of NUL characters and unpaired surrogates.
 *
 * @example
 * ```ts
 * letterTextIssues('sms.reminder', 'capture.kind'); // []
 * ```
 */
export function letterTextIssues(value: unknown, path: string): ErrorIssue[] {
  return textIssues(value, path, 1, MAX_TEXT_LENGTH);
}

/**
 * The issues of the optional fields of a {@link DeadLetterFilter} at `path`: a UUID tenant, a
 * kind, and times from 0 to 8.64e15 epoch milliseconds.
 *
 * @example
 * ```ts
 * filterIssues({ tenantId, failedSince: clock.now() - 3_600_000 }, 'query'); // []
 * ```
 */
export function filterIssues(filter: Record<string, unknown>, path: string): ErrorIssue[] {
  const { tenantId, kind, failedSince, failedBefore } = filter as Record<
    keyof DeadLetterFilter,
    unknown
  >;
  return [
    ...(tenantId === undefined ? [] : tenantIdIssues(tenantId, `${path}.tenantId`)),
    ...(kind === undefined ? [] : letterTextIssues(kind, `${path}.kind`)),
    ...(failedSince === undefined
      ? []
      : numberIssues(failedSince, `${path}.failedSince`, 0, LATEST_INSTANT)),
    ...(failedBefore === undefined
      ? []
      : numberIssues(failedBefore, `${path}.failedBefore`, 0, LATEST_INSTANT)),
  ];
}

/**
 * The issues of a capture: an object with a `kind`, a UUID `tenantId`, and, when given, an
 * `attempts` count, a correlation id and an `id`. The payload is checked when it is serialized.
 *
 * @example
 * ```ts
 * captureIssues({ kind: 'sms.reminder', tenantId, payload, error }); // []
 * ```
 */
export function captureIssues(capture: unknown): ErrorIssue[] {
  if (!isRecord(capture)) {
    return [
      { path: 'capture', message: 'must be an object with kind, tenantId, payload and error' },
    ];
  }
  const { kind, tenantId, attempts, correlationId, id } = capture;
  return [
    ...letterTextIssues(kind, 'capture.kind'),
    ...tenantIdIssues(tenantId, 'capture.tenantId'),
    ...(attempts === undefined ? [] : integerIssues(attempts, 'capture.attempts', 1, MAX_ATTEMPTS)),
    ...(correlationId === undefined ||
    (typeof correlationId === 'string' && isValidCorrelationId(correlationId))
      ? []
      : [
          {
            path: 'capture.correlationId',
            message: 'must be 1 to 128 letters, digits, dots, underscores, colons or dashes',
          },
        ]),
    ...(id === undefined ? [] : letterTextIssues(id, 'capture.id')),
  ];
}

/**
 * The issues of a listing query's own fields (the filter's are {@link filterIssues}): a status
 * and a cursor string, each when given. The page size is checked by `deadLetterPageSize`, the
 * cursor's content by decoding it.
 *
 * @example
 * ```ts
 * listQueryIssues({ status: 'pending' }); // []
 * ```
 */
export function listQueryIssues(query: Record<string, unknown>): ErrorIssue[] {
  const { status, cursor } = query;
  return [
    ...filterIssues(query, 'query'),
    ...(status === undefined || STATUSES.includes(status)
      ? []
      : [{ path: 'query.status', message: 'must be one of: pending, replayed, all' }]),
    ...(cursor === undefined || typeof cursor === 'string'
      ? []
      : [{ path: 'query.cursor', message: 'must be the nextCursor of a previous page' }]),
  ];
}
