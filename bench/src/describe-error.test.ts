import { describe, expect, it } from 'vitest';
import { describeError } from './describe-error.js';

describe('describeError', () => {
  it('gives the stack, starting with name and message, when given an Error', () => {
    const text = describeError(new TypeError('bad input'));
    expect(text).toMatch(/^TypeError: bad input\n\s+at /);
  });

  it('gives the message when an Error has no stack', () => {
    const error = new Error('no stack');
    error.stack = undefined;
    expect(describeError(error)).toBe('no stack');
  });

  it('gives the value as text when something other than an Error was thrown', () => {
    expect(describeError('plain text')).toBe('plain text');
    expect(describeError(42)).toBe('42');
  });
});
