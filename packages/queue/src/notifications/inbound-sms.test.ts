import { describe, expect, it } from 'vitest';
import { handleInboundSms } from './inbound-sms.js';
import { memoryOptOutStore, normalizeAddress } from './opt-out-store.js';

const tenantId = 't1';
const from = '+1 (415) 555-0100';

describe('handleInboundSms', () => {
  it('records an opt-out for STOP keywords and removes it for START keywords', async () => {
    const optOuts = memoryOptOutStore();

    expect(await handleInboundSms(optOuts, { tenantId, from, body: ' stop. ', at: 1 })).toBe(
      'opted-out',
    );
    expect(await optOuts.isOptedOut(tenantId, 'sms', '+14155550100')).toBe(true);
    expect(await optOuts.isOptedOut('t2', 'sms', '+14155550100')).toBe(false);

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
});
