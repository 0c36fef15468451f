import type { NotificationChannel } from '../notifier.js';
import type { OptOutStore } from '../ports/opt-out-store.js';
import { normalizeAddress } from '../opt-out-address.js';
import { checkedOptOutStore } from '../checked-notification-ports.js';

/**
 * An {@link OptOutStore} in memory, keyed by the normalized address.
 *
 * @example
 * ```ts
 * const optOuts = memoryOptOutStore();
 * await optOuts.record({ tenantId, channel: 'sms', address, source: 'patient', at: clock.now() });
 * ```
 */
export function memoryOptOutStore(): OptOutStore {
  const entries = new Set<string>();
  const key = (tenantId: string, channel: NotificationChannel, address: string): string =>
    `${tenantId}|${channel}|${normalizeAddress(channel, address)}`;
  return checkedOptOutStore({
    record(optOut) {
      entries.add(key(optOut.tenantId, optOut.channel, optOut.address));
      return Promise.resolve();
    },
    isOptedOut(tenantId, channel, address) {
      return Promise.resolve(entries.has(key(tenantId, channel, address)));
    },
    remove(tenantId, channel, address) {
      entries.delete(key(tenantId, channel, address));
      return Promise.resolve();
    },
  });
}
