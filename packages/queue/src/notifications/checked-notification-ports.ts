import { TenantId } from '@carequeue/core';
import { checkedPort } from '../arguments/checked-port.js';
import {
  AddressArgument,
  ChannelArgument,
  OptOutArgument,
  OutgoingMessageArgument,
  SendOptionsArgument,
} from './notification-arguments.js';
import type { Notifier } from './notifier.js';
import type { OptOutStore } from './ports/opt-out-store.js';

/**
 * `store` refusing, with a `ValidationError` and before it runs, a tenant id that is not a UUID,
 * an unknown channel or source and an address that is not one line of at most 320 characters.
 * Every opt-out store wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedOptOutStore({ record, isOptedOut, remove });
 * ```
 */
export function checkedOptOutStore(store: OptOutStore): OptOutStore {
  const address = [
    ['tenantId', TenantId],
    ['channel', ChannelArgument],
    ['address', AddressArgument],
  ] as const;
  return checkedPort('OptOutStore', store, {
    record: [['optOut', OptOutArgument]],
    isOptedOut: address,
    remove: address,
  });
}

/**
 * `notifier` refusing a message that is not an `OutgoingMessage` (a missing body, a recipient
 * that is not one line) with a `ValidationError`, before any provider is called. Every notifier
 * wraps itself with it.
 *
 * @example
 * ```ts
 * return checkedNotifier({ channel: 'sms', provider: 'twilio', send });
 * ```
 */
export function checkedNotifier<N extends Notifier>(notifier: N): N {
  return checkedPort('Notifier', notifier, {
    send: [
      ['message', OutgoingMessageArgument],
      ['options', SendOptionsArgument],
    ],
  } as Parameters<typeof checkedPort<N>>[2]);
}
