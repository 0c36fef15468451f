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

  it('clears its timer once no timeout is pending, so settled calls do not hold a process open', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: string[] = [];
    const first = queue.add(clock.now() + 100, () => fired.push('first'));
    const second = queue.add(clock.now() + 10_000, () => fired.push('second'));
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(100);
    first?.cancel();
    second?.cancel();
    second?.cancel();
    await clock.advance(0);
    expect(clock.pendingTimers()).toBe(0);
    queue.add(clock.now() + 50, () => fired.push('third'));
    await clock.advance(50);
    expect(fired).toEqual(['first', 'third']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps sharing its timer when a timeout is added again before the idle check runs', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: string[] = [];
    queue.add(clock.now() + 1_000, () => fired.push('settled'))?.cancel();
    queue.add(clock.now() + 1_000, () => fired.push('next'));
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(0);
    expect(clock.pendingTimers({ background: false })).toBe(1);
    await clock.advance(1_000);
    expect(fired).toEqual(['next']);
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

  it('fires a timeout on time when the timer was armed for a later entry that settled since', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: string[] = [];
    queue.add(clock.now() + 10_000, () => fired.push('long'))?.cancel();
    const short = queue.add(clock.now() + 500, () => fired.push('short'));
    expect(short).toBeDefined();
    await clock.advance(500);
    expect(fired).toEqual(['short']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('keeps the order of pending timeouts when the buffer grows while its start has moved', async () => {
    const clock = createFakeClock();
    const queue = new TimeoutQueue(clock);
    const fired: number[] = [];
    for (let i = 0; i < 10; i += 1) queue.add(clock.now() + 1, () => fired.push(i))?.cancel();
    for (let i = 0; i < 40; i += 1) queue.add(clock.now() + 5 + i, () => fired.push(i));
    await clock.advance(100);
    expect(fired).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});
