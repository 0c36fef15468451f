import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createBulkhead } from './bulkhead.js';
import { BulkheadRejectedError, ResilienceConfigError } from './errors.js';

interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

const tick = async (): Promise<void> => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('Bulkhead', () => {
  it('runs at most maxConcurrent calls and rejects beyond the queue when full', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 2, maxQueued: 1 });
    const blocker = gate();
    const started: number[] = [];
    const calls = [1, 2, 3].map((n) =>
      bulkhead.execute(async () => {
        started.push(n);
        await blocker.promise;
        return n;
      }),
    );
    await expect(bulkhead.execute(() => Promise.resolve(4))).rejects.toBeInstanceOf(
      BulkheadRejectedError,
    );
    await tick();
    expect(started).toEqual([1, 2]);
    expect([bulkhead.running, bulkhead.queued]).toEqual([2, 1]);
    blocker.open();
    await expect(Promise.all(calls)).resolves.toEqual([1, 2, 3]);
    expect(started).toEqual([1, 2, 3]);
    expect([bulkhead.running, bulkhead.queued]).toEqual([0, 0]);
  });

  it('starts queued calls round-robin across keys when one tenant floods the queue', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 10 });
    const order: string[] = [];
    const blocker = gate();
    const first = bulkhead.execute(() => blocker.promise);
    const queued = [
      ['a', 1],
      ['a', 2],
      ['a', 3],
      ['b', 1],
      ['c', 1],
      ['b', 2],
    ].map(([key, n]) =>
      bulkhead.execute(
        () => {
          order.push(`${key}${n}`);
          return Promise.resolve();
        },
        { key: key as string },
      ),
    );
    blocker.open();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
  });

  it('removes a queued call whose signal aborts so it never runs', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 1 });
    const blocker = gate();
    const running = bulkhead.execute(() => blocker.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = bulkhead.execute(
      () => {
        ran = true;
        return Promise.resolve();
      },
      { signal: controller.signal },
    );
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(bulkhead.queued).toBe(0);
    const next = bulkhead.execute(() => Promise.resolve('next in queue'));
    expect(bulkhead.queued).toBe(1);
    blocker.open();
    await running;
    await expect(next).resolves.toBe('next in queue');
    expect(ran).toBe(false);
    await expect(
      bulkhead.execute(() => Promise.resolve(1), { signal: controller.signal }),
    ).rejects.toThrow('gone');
  });

  it('frees the slot when a call fails', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    await expect(bulkhead.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(bulkhead.execute(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });

  it('rejects invalid limits when created', () => {
    expect(() => createBulkhead({ maxConcurrent: 0 })).toThrow(ResilienceConfigError);
    expect(() => createBulkhead({ maxConcurrent: 1, maxQueued: -1 })).toThrow(
      ResilienceConfigError,
    );
  });

  it('refuses non-integer maxConcurrent and maxQueued when created', () => {
    expect(() => createBulkhead({ maxConcurrent: 1.5 })).toThrow(
      'Bulkhead options.maxConcurrent must be an integer of 1 or more',
    );
    expect(() => createBulkhead({ maxConcurrent: 1, maxQueued: 0.5 })).toThrow(
      'Bulkhead options.maxQueued must be an integer of 0 or more',
    );
  });

  it('throws ResilienceConfigError, not a raw TypeError, when options is not an object', () => {
    for (const options of [null, 'ml', 4]) {
      expect(() => createBulkhead(options as never)).toThrow('Bulkhead options must be an object');
    }
  });
});

describe('Bulkhead.execute arguments', () => {
  it('Bulkhead.execute refuses a non-function operation with a ValidationError instead of a raw TypeError, without taking a slot', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1 });
    for (const operation of ['+1Zq81LmXv03Pa', 8.64e15, null, [() => Promise.resolve()]]) {
      const error = await bulkhead.execute(operation as never).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual(['operation']);
      expect(JSON.stringify((error as ValidationError).toProblem())).not.toContain('Zq81LmXv03Pa');
    }
    expect(bulkhead.running).toBe(0);
    await expect(bulkhead.execute(() => Promise.resolve('done'))).resolves.toBe('done');
  });

  it('Bulkhead.execute refuses options whose signal is not an AbortSignal or whose key is not a string with a ValidationError instead of a raw TypeError', async () => {
    const bulkhead = createBulkhead({ maxConcurrent: 1, maxQueued: 1 });
    for (const [options, path] of [
      ['Zq81LmXv03Pa', 'options'],
      [{ signal: 'Zq81LmXv03Pa' }, 'options.signal'],
      [{ key: { id: 'Zq81LmXv03Pa' } }, 'options.key'],
      [{ deadline: Number.NaN }, 'options.deadline'],
    ] as const) {
      await expect(
        bulkhead.execute(() => Promise.resolve(), options as never),
      ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path }] });
    }
  });
});
