import { createFakeClock } from '@carequeue/core';
import { requireRedis, useTestRedis, waitUntil } from '@carequeue/test-harness';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, ResilienceStoreError } from '../../src/index.js';
import { redisBreakerStateBus } from '../../src/redis/index.js';

const redis = await requireRedis();

const failing = (): Promise<never> => Promise.reject(new Error('503 from provider'));

describe.skipIf(!redis.available)('redisBreakerStateBus', () => {
  const keys = useTestRedis();

  it('opens the breaker of a second instance when the first one opens', async () => {
    const channel = `${keys.prefix}breaker-state`;
    const busA = redisBreakerStateBus({ client: keys.client(), channel });
    const busB = redisBreakerStateBus({ client: keys.client(), channel });
    await Promise.all([busA.ready(), busB.ready()]);
    const clock = createFakeClock();
    const options = { name: 'twilio', clock, timeoutMs: false as const, resetTimeoutMs: 30_000 };
    const a = createCircuitBreaker({ ...options, stateBus: busA, instanceId: 'api-1' });
    const b = createCircuitBreaker({ ...options, stateBus: busB, instanceId: 'api-2' });
    const remoteOpens: boolean[] = [];
    b.on('open', ({ remote }) => remoteOpens.push(remote));
    try {
      for (let call = 0; call < 5; call += 1) await a.execute(failing).catch(() => undefined);
      expect(a.getState()).toBe('open');
      await waitUntil(() => b.getState() === 'open', {
        timeoutMs: 10_000,
        description: 'the second breaker to learn that the first opened',
      });
      expect(remoteOpens).toEqual([true]);
    } finally {
      a.dispose();
      b.dispose();
      await Promise.all([busA.close(), busB.close()]);
    }
  });

  it('ignores malformed messages and messages of other channels when they arrive', async () => {
    const channel = `${keys.prefix}breaker-state`;
    const client = keys.client();
    const bus = redisBreakerStateBus({ client, channel });
    await bus.ready();
    const received: string[] = [];
    bus.subscribe((change) => received.push(change.state));
    try {
      await client.publish(channel, 'not json');
      await client.publish(
        channel,
        JSON.stringify({ breaker: 'twilio', state: 'melted', source: 'x' }),
      );
      await client.publish(
        channel,
        JSON.stringify({ breaker: 'twilio', state: 'open', source: 'x', openUntil: 'soon' }),
      );
      await client.publish(channel, 'null');
      await bus.publish({ breaker: 'twilio', state: 'closed', source: 'api-1' });
      await waitUntil(() => received.length > 0, {
        timeoutMs: 10_000,
        description: 'a valid change',
      });
      expect(received).toEqual(['closed']);
    } finally {
      await bus.close();
    }
  });

  it('throws a prefixed store error wrapping the driver error when Redis is gone', async () => {
    const client = keys.client();
    const bus = redisBreakerStateBus({ client, channel: `${keys.prefix}breaker-state` });
    await bus.ready();
    await bus.close();
    client.disconnect();
    const failure = bus.publish({ breaker: 'twilio', state: 'open', source: 'api-1' });
    await expect(failure).rejects.toBeInstanceOf(ResilienceStoreError);
    await expect(failure).rejects.toThrow(/^\[resilience:redis\]/);
  });
});
