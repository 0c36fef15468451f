import type { NotificationChannel } from './notifier.js';

/**
 * Normalizes an address before hashing, so `+1 415-555-0100` and `+14155550100`, or
 * `Pat@Example.org` and `pat@example.org`, are one opt-out.
 *
 * @example
 * ```ts
 * normalizeAddress('sms', '+1 (415) 555-0100'); // '+14155550100'
 * ```
 */
export function normalizeAddress(channel: NotificationChannel, address: string): string {
  return channel === 'sms' ? address.replace(/[^\d+]/g, '') : address.trim().toLowerCase();
}
