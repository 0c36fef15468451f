/**
 * The kinds of notification CareQueue sends.
 *
 * @packageDocumentation
 */

/**
 * What a notification is about.
 *
 * @example
 * ```ts
 * const kind: NotificationKind = 'queue.next';
 * ```
 */
export type NotificationKind =
  'queue.next' | 'queue.called' | 'booking.confirmed' | 'booking.reminder' | 'booking.cancelled';

/**
 * Every notification kind, in a stable order.
 *
 * @example
 * ```ts
 * NOTIFICATION_KINDS.includes('queue.called'); // true
 * ```
 */
export const NOTIFICATION_KINDS: readonly NotificationKind[] = [
  'queue.next',
  'queue.called',
  'booking.confirmed',
  'booking.reminder',
  'booking.cancelled',
];
