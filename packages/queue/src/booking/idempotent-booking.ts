import { createHash } from 'node:crypto';
import type { Actor } from '@carequeue/core';
import { IdempotencyKeyReusedError, payloadFingerprint } from '@carequeue/resilience';
import type { BookingDependencies } from './booking-dependencies.js';
import type { StoredAppointment } from './ports/appointment-repository.js';
import type { BookingWorkScope } from './ports/booking-unit-of-work.js';

/** The caller's key, scoped to tenant and user, as stored: a SHA-256 digest, never as sent. */
export interface KeyedRequest {
  readonly scopedKey: string;
  readonly digest: string;
  readonly payload: unknown;
  readonly fingerprint: string;
}

/** Scopes the caller's idempotency key to their tenant and user and fingerprints the request. */
export function keyedRequestOf(actor: Actor, key: string, payload: unknown): KeyedRequest {
  const scopedKey = `booking:${actor.tenantId}:${actor.userId}:${key}`;
  return {
    scopedKey,
    digest: createHash('sha256').update(scopedKey).digest('hex'),
    payload,
    fingerprint: payloadFingerprint(payload),
  };
}

/**
 * The appointment a previous run with this key committed, if any.
 *
 * @throws `IdempotencyKeyReusedError` when that run booked a different request.
 */
export async function findBookingWithKey(
  work: BookingWorkScope,
  actor: Actor,
  keyed: KeyedRequest,
): Promise<StoredAppointment | undefined> {
  const found = await work.appointments.findByIdempotencyKey(actor.tenantId, keyed.digest);
  if (found === undefined) return undefined;
  if (found.fingerprint !== keyed.fingerprint) throw new IdempotencyKeyReusedError();
  return found.appointment;
}

/**
 * Books once per key: replays the answer the idempotency store kept, or the appointment the key
 * is stored on (when the process stopped before the answer was kept), or else runs `book` in a
 * unit of work.
 */
export function bookOncePerKey(
  { idempotency, unitOfWork }: BookingDependencies,
  actor: Actor,
  keyed: KeyedRequest,
  book: (work: BookingWorkScope) => Promise<StoredAppointment>,
): Promise<StoredAppointment> {
  return idempotency.run(keyed.scopedKey, keyed.payload, () =>
    unitOfWork.run(
      actor,
      async (work) => (await findBookingWithKey(work, actor, keyed)) ?? book(work),
    ),
  );
}
