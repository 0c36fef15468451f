import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { errors } from '../errors.js';
import { WaitTimeModelError } from './wait-time-model-error.js';

describe('WaitTimeModelError', () => {
  it('is a transient 502 CareQueue error when the model could not be reached', () => {
    const error = new WaitTimeModelError('WAIT_TIME_MODEL_UNREACHABLE');

    expect(isCarequeueError(error)).toBe(true);
    expect(error).toMatchObject({ status: 502, transient: true, upstreamStatus: undefined });
    expect(error.message).toMatch(/^\[wait-time-model\] /);
  });

  it.each([
    [429, true],
    [408, true],
    [404, false],
  ])('sets transient for upstream status %i to %s', (upstreamStatus, transient) => {
    expect(new WaitTimeModelError('WAIT_TIME_MODEL_BAD_STATUS', { upstreamStatus }).transient).toBe(
      transient,
    );
  });

  it('is listed in the errors map when imported from the package errors', () => {
    expect(errors.WaitTimeModelError).toBe(WaitTimeModelError);
  });
});
