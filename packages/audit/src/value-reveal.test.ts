import { DecryptionFailedError } from '@carequeue/core/crypto';
import { describe, expect, it } from 'vitest';
import { testEncryptor } from '../test/support/report-trail.js';
import { protectValue, DEFAULT_PROTECTED_FIELDS } from './value-protection.js';
import { revealValue } from './value-reveal.js';

describe('revealValue', () => {
  const encryptor = testEncryptor();
  const eventId = '018f0000-0000-7000-8000-000000000009';

  async function stored() {
    return protectValue(
      { givenName: 'Ada', contacts: [{ email: 'ada@example.org' }], status: 'active' },
      {
        protectedFields: DEFAULT_PROTECTED_FIELDS,
        eventId,
        column: 'new_value',
        subjectId: 'patient-1',
        encryptor,
      },
    );
  }

  it('decrypts protected fields, nested in objects and arrays, for the right event and subject', async () => {
    expect(
      await revealValue(await stored(), {
        eventId,
        column: 'new_value',
        subjectId: 'patient-1',
        encryptor,
      }),
    ).toEqual({
      givenName: 'Ada',
      contacts: [{ email: 'ada@example.org' }],
      status: 'active',
    });
    expect(
      await revealValue(null, { eventId, column: 'new_value', subjectId: 'patient-1', encryptor }),
    ).toBeNull();
  });

  it('shows encrypted fields as markers without an encryptor or subject, never the ciphertext', async () => {
    const value = await stored();
    const hidden = {
      givenName: { $encrypted: true },
      contacts: [{ email: { $encrypted: true } }],
      status: 'active',
    };
    expect(
      await revealValue(value, { eventId, column: 'new_value', subjectId: 'patient-1' }),
    ).toEqual(hidden);
    expect(
      await revealValue(value, { eventId, column: 'new_value', subjectId: null, encryptor }),
    ).toEqual(hidden);
  });

  it('refuses a ciphertext moved to another event', async () => {
    await expect(
      revealValue(await stored(), {
        eventId: '018f0000-0000-7000-8000-00000000000a',
        column: 'new_value',
        subjectId: 'patient-1',
        encryptor,
      }),
    ).rejects.toBeInstanceOf(DecryptionFailedError);
  });
});
