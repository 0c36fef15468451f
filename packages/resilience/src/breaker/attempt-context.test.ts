import { describe, expect, it } from 'vitest';
import { AttemptContext } from './attempt-context.js';

describe('AttemptContext', () => {
  it('hands out an already aborted signal when aborted before the signal is read', () => {
    const context = new AttemptContext(undefined, 1_000);
    const reason = new Error('timed out');
    context.abort(reason);
    expect(context.signal.aborted).toBe(true);
    expect(context.signal.reason).toBe(reason);
    expect(context.deadline).toBe(1_000);
  });

  it('follows the caller signal once read and stops after release', () => {
    const parent = new AbortController();
    const context = new AttemptContext(parent.signal, undefined);
    const signal = context.signal;
    expect(context.signal).toBe(signal);
    const reason = new Error('client left');
    parent.abort(reason);
    expect(signal.reason).toBe(reason);

    const later = new AbortController();
    const released = new AttemptContext(later.signal, undefined);
    const releasedSignal = released.signal;
    released.release();
    later.abort();
    expect(releasedSignal.aborted).toBe(false);
  });

  it('is aborted at once when the caller signal was already aborted', () => {
    const parent = new AbortController();
    parent.abort(new Error('gone'));
    expect(new AttemptContext(parent.signal, undefined).signal.aborted).toBe(true);
  });

  it('does not follow the caller signal when the signal is first read after the call settled', () => {
    const parent = new AbortController();
    const context = new AttemptContext(parent.signal, undefined);
    context.release();
    const signal = context.signal;
    parent.abort(new Error('client left'));
    expect(signal.aborted).toBe(false);
  });
});
