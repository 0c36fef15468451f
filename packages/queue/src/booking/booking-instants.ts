import { Timestamp, ValidationError } from '@carequeue/core';

/** The instant as the ISO 8601 UTC text the ports store. */
export const toIso = (ms: number): string => new Date(ms).toISOString();

/**
 * The epoch milliseconds of an ISO 8601 timestamp argument.
 *
 * @throws `ValidationError` naming `field` when the text is not a timestamp with an offset.
 */
export function parseInstant(value: string, field: string): number {
  if (!Timestamp.safeParse(value).success) {
    throw new ValidationError(`The ${field} is not a valid timestamp.`, [
      {
        path: field,
        message: 'must be an ISO 8601 timestamp with an offset, such as 2026-03-02T08:00:00Z',
      },
    ]);
  }
  return Date.parse(value);
}
