import { describe, expect, it } from 'vitest';
import { errorStatus, problemDetails } from './problem-details.js';

describe('problemDetails', () => {
  it('drops the code when it is not a SCREAMING_SNAKE constant', () => {
    expect(problemDetails(400, 'name=Jane Doe')).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
    });
  });
});

describe('errorStatus', () => {
  it('answers 500 when the thrown value has no client or server error status', () => {
    expect(errorStatus(new Error('bug'))).toBe(500);
    expect(errorStatus(Object.assign(new Error('redirect'), { statusCode: 302 }))).toBe(500);
    expect(errorStatus('thrown string')).toBe(500);
  });
});
