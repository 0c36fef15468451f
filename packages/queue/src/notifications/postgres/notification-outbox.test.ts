import { createFakeClock, uuidv7 } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import {
  circularObject,
  expectRefusedBeforeAnyPort,
  hostileValues,
  MARKER,
  recordingPorts,
} from '../../../test/hostile-arguments.js';
import type { NewNotification } from '../ports/notification-outbox.js';
import { createNotificationOutbox } from './notification-outbox.js';

const notification: NewNotification = {
  tenantId: uuidv7(),
  kind: 'queue.called',
  channel: 'sms',
  to: '+14155550100',
  locales: ['en'],
  variables: { clinicName: 'Riverside', ticket: 'A-017', counter: 'Room 3' },
  dedupeKey: `queue.called:${uuidv7()}:1`,
};

function outboxWithSpies() {
  const { calls, port } = recordingPorts();
  const outbox = createNotificationOutbox({
    encryptor: port<FieldEncryptor>('encryptor'),
    clock: createFakeClock(0),
  });
  return { calls, outbox, tx: port<SqlExecutor>('tx') };
}

describe('NotificationOutbox.enqueue arguments', () => {
  it('encrypts the payload when the notification is valid (the spies see the call)', async () => {
    const { calls, outbox, tx } = outboxWithSpies();
    await expect(outbox.enqueue(tx, notification)).rejects.toThrow(/encryptor.encrypt/);
    expect(calls).toEqual(['encryptor.encrypt']);
  });

  it('refuses a null, circular or malformed notification with a ValidationError naming it, before encrypting or writing (raw TypeError)', async () => {
    for (const bad of [
      ...hostileValues(),
      { ...notification, tenantId: 't1' },
      { ...notification, kind: 'queue.marketing' },
      { ...notification, dedupeKey: '' },
      { ...notification, dedupeKey: `${MARKER}\n` },
      { ...notification, variables: { clinicName: 'Riverside', diagnosis: MARKER } },
      { ...notification, variables: circularObject() },
    ]) {
      const { calls, outbox, tx } = outboxWithSpies();
      await expectRefusedBeforeAnyPort(
        () => outbox.enqueue(tx, bad as NewNotification),
        'notification',
        calls,
      );
    }
  });

  it('refuses a transaction that is not a SqlExecutor with a ValidationError naming tx', async () => {
    const { calls, outbox } = outboxWithSpies();
    await expectRefusedBeforeAnyPort(
      () => outbox.enqueue(null as unknown as SqlExecutor, notification),
      'tx',
      calls,
    );
  });
});
