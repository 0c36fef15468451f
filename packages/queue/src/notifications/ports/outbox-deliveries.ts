import type { NotificationKind } from '../notification-templates.js';
import type { NotificationChannel } from '../notifier.js';

/**
 * An outbox notification claimed for delivery: ids, kind and channel, and the encrypted payload
 * that holds the address.
 *
 * @example
 * ```ts
 * const [first] = await deliveries.claimDue({ channels: ['sms'], limit: 10, now, leaseUntil: now + 120_000 });
 * ```
 */
export interface ClaimedNotification {
  readonly id: string;
  readonly tenantId: string;
  readonly patientId: string | null;
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  readonly payloadCiphertext: string;
  /** Delivery attempts, this one included. */
  readonly attempts: number;
}

/**
 * How a claimed notification ended: sent, skipped (the recipient opted out) or parked as dead.
 *
 * @example
 * ```ts
 * const outcome: DeliveryOutcome = 'skipped';
 * ```
 */
export type DeliveryOutcome = 'sent' | 'skipped' | 'dead';

/**
 * What is recorded with an outcome: the provider's receipt, or the error code that ended it.
 *
 * @example
 * ```ts
 * const record: DeliveryRecord = { provider: 'twilio', providerMessageId: 'SM123' };
 * ```
 */
export interface DeliveryRecord {
  readonly provider?: string;
  readonly providerMessageId?: string;
  readonly errorCode?: string;
}

/**
 * The outbox as its dispatcher sees it: claims with a lease, so several dispatchers share the
 * work and a claim whose dispatcher died is taken again once its lease ran out.
 *
 * @example
 * ```ts
 * await deliveries.settle(claimed.id, 'sent', receipt, clock.now());
 * ```
 */
export interface OutboxDeliveries {
  /**
   * Claims up to `limit` notifications of the channels that are due at `now` (or whose earlier
   * claim lapsed), leased until `leaseUntil`, and counts the attempt.
   */
  claimDue(request: {
    readonly channels: readonly string[];
    readonly limit: number;
    readonly now: number;
    readonly leaseUntil: number;
  }): Promise<ClaimedNotification[]>;
  /** Records how a claimed notification ended and releases its claim. */
  settle(id: string, outcome: DeliveryOutcome, record: DeliveryRecord, now: number): Promise<void>;
  /**
   * Claims a dead notification again for a replay; `undefined` when it is no longer dead (sent
   * or skipped by an earlier replay).
   */
  reclaimDead(
    id: string,
    leaseUntil: number,
    now: number,
  ): Promise<ClaimedNotification | undefined>;
}
