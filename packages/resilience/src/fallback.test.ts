import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createFallbackPolicy } from './fallback.js';

describe('fallback', () => {
  it('answers a failure with the substitute when the operation fails', async () => {
    const withDefault = createFallbackPolicy((error) => ({
      degraded: true,
      reason: (error as Error).message,
    }));
    await expect(withDefault.execute(() => Promise.reject(new Error('ml down')))).resolves.toEqual({
      degraded: true,
      reason: 'ml down',
    });
    await expect(withDefault.execute(() => Promise.resolve('live'))).resolves.toBe('live');
  });

  it('lets failures through when shouldHandle declines them', async () => {
    const invalid = new ValidationError('bad');
    const withDefault = createFallbackPolicy(() => 'default', {
      shouldHandle: (error) => !(error instanceof ValidationError),
    });
    await expect(withDefault.execute(() => Promise.reject(invalid))).rejects.toBe(invalid);
  });
});
