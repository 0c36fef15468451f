import { createFakeClock } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { TimeoutQueue } from './timeout-queue.js';

describe('TimeoutQueue', () => {
  it('fires due timeouts in order on one timer and skips cancelled ones', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: string[] = [];
    queue.add(clock.now() + 100, () => fired.push('a'));
    const b = queue.add(clock.now() + 150, () => fired.push('b'));
    queue.add(clock.now() + 200, () => fired.push('c'));
    expect(clock.pendingTimers()).toBe(1);
    b?.cancel();
    await clock.advance(100);
    expect(fired).toEqual(['a']);
    await clock.advance(100);
    expect(fired).toEqual(['a', 'c']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('refuses a timeout due before the last one added so the caller times it itself', () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    expect(queue.add(clock.now() + 100, () => undefined)).toBeDefined();
    expect(queue.add(clock.now() + 50, () => undefined)).toBeUndefined();
  });

  it('keeps firing correctly when many settled entries are compacted away', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: number[] = [];
    const keep = queue.add(clock.now() + 10, () => fired.push(-1));
    for (let i = 0; i < 3_000; i += 1) queue.add(clock.now() + 10, () => fired.push(i))?.cancel();
    queue.add(clock.now() + 20, () => fired.push(3_000));
    keep?.cancel();
    queue.add(clock.now() + 20, () => fired.push(3_001));
    await clock.advance(20);
    expect(fired).toEqual([3_000, 3_001]);
  });
});
