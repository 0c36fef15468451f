import { uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  circularObject,
  expectRefusedBeforeAnyPort,
  hostileValues,
  recordingPorts,
} from '../../test/hostile-arguments.js';
import { handleInboundSms } from './inbound-sms.js';
import { memoryOptOutStore } from './memory/opt-out-store.js';
import { normalizeAddress } from './opt-out-address.js';

const tenantId = uuidv7();
const otherTenantId = uuidv7();
const from = '+1 (415) 555-0100';

describe('handleInboundSms', () => {
  it('records an opt-out for STOP keywords and removes it for START keywords', async () => {
    const optOuts = memoryOptOutStore();

    expect(await handleInboundSms(optOuts, { tenantId, from, body: ' stop. ', at: 1 })).toBe(
      'opted-out',
    );
    expect(await optOuts.isOptedOut(tenantId, 'sms', '+14155550100')).toBe(true);
    expect(await optOuts.isOptedOut(otherTenantId, 'sms', '+14155550100')).toBe(false);

    expect(await handleInboundSms(optOuts, { tenantId, from, body: 'Unstop', at: 2 })).toBe(
      'opted-in',
    );
    expect(await optOuts.isOptedOut(tenantId, 'sms', from)).toBe(false);

    expect(await handleInboundSms(optOuts, { tenantId, from, body: 'UNSUBSCRIBE', at: 3 })).toBe(
      'opted-out',
    );
    expect(await optOuts.isOptedOut(tenantId, 'sms', from)).toBe(true);
  });

  it('ignores messages that are not just a keyword', async () => {
    const optOuts = memoryOptOutStore();

    expect(
      await handleInboundSms(optOuts, {
        tenantId,
        from,
        body: 'please stop calling me late',
        at: 1,
      }),
    ).toBe('ignored');
    expect(await optOuts.isOptedOut(tenantId, 'sms', from)).toBe(false);
  });

  it('normalizes phone numbers and email addresses before comparing them', () => {
    expect(normalizeAddress('sms', '+1 (415) 555-0100')).toBe('+14155550100');
    expect(normalizeAddress('email', ' Pat@Example.ORG ')).toBe('pat@example.org');
  });

  it('refuses a null, circular or non-UUID-tenant SMS with a ValidationError naming sms, before the store (raw TypeError)', async () => {
    for (const sms of [
      ...hostileValues(),
      { tenantId: 't1', from, body: 'STOP', at: 1 },
      { tenantId, from, body: 'STOP', at: 1, extra: circularObject() },
    ]) {
      const { calls, port } = recordingPorts();
      const optOuts = port<ReturnType<typeof memoryOptOutStore>>('optOuts');
      await expectRefusedBeforeAnyPort(
        () => handleInboundSms({ ...optOuts, record: optOuts.record }, sms as never),
        'sms',
        calls,
      );
    }
  });

  it('refuses a non-UUID tenant in every opt-out store method with a ValidationError, not a 502 on SQL', async () => {
    const optOuts = memoryOptOutStore();
    await expect(optOuts.isOptedOut('t1', 'sms', from)).rejects.toMatchObject({
      issues: [{ path: 'tenantId' }],
    });
    await expect(optOuts.remove(tenantId, 'fax' as never, from)).rejects.toMatchObject({
      issues: [{ path: 'channel' }],
    });
    await expect(
      optOuts.record({ tenantId, channel: 'sms', address: null as never, source: 'staff', at: 1 }),
    ).rejects.toMatchObject({ issues: [{ path: 'optOut.address' }] });
  });
});
