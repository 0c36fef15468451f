import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@carequeue/core';
import { queueTopic, type EventBus, type RealtimeChange } from '@carequeue/queue';
import { redisEventBus } from '@carequeue/queue/redis';
import { Redis } from 'ioredis';
import { defineCase } from '../../case-definition.js';
import { arrivalTracker, type ArrivalTracker } from './event-propagation-postgres.js';

interface RedisPropagationState {
  readonly publisher: EventBus;
  readonly arrivals: ArrivalTracker;
  readonly change: RealtimeChange;
  readonly close: () => Promise<void>;
}

export default defineCase({
  id: 'queue.event-propagation.redis',
  kind: 'samples',
  unit: 'ms',
  better: 'lower',
  target: 50,
  peerName: null,
  notes:
    'two bus instances on one Redis, each with its own command and subscriber connections; ' +
    'instance A runs the publish script (INCR of the topic sequence and PUBLISH in one EVAL), ' +
    'instance B is subscribed to the topic; a sample is the time from the publish call until B ' +
    'has the event with that sequence; 200 samples per round',
  rounds: 4,
  setup: async ({ services }): Promise<RedisPropagationState> => {
    const prefix = `cq:bench:rt:${randomUUID()}:`;
    const connections = [0, 1, 2, 3].map(() => new Redis(services.redis));
    const [aCommands, aSubscriber, bCommands, bSubscriber] = connections as [
      Redis,
      Redis,
      Redis,
      Redis,
    ];
    const publisher = redisEventBus({ publisher: aCommands, subscriber: aSubscriber, prefix });
    const subscriber = redisEventBus({ publisher: bCommands, subscriber: bSubscriber, prefix });
    const tenantId = uuidv7();
    const queueId = uuidv7();
    const topic = queueTopic(tenantId, queueId);
    const arrivals = arrivalTracker();
    await subscriber.subscribe(topic, { onEvent: (event) => arrivals.arrived(event.sequence) });
    return {
      publisher,
      arrivals,
      change: {
        topic,
        tenantId,
        queueId,
        type: 'queue.called',
        entityId: uuidv7(),
        entityVersion: 1,
        occurredAt: new Date().toISOString(),
      },
      async close() {
        await subscriber.close();
        await publisher.close();
        await aCommands.del(`${prefix}seq:${tenantId}:${topic}`);
        for (const connection of connections) await connection.quit();
      },
    };
  },
  teardown: (state) => state.close(),
  ours: async (state, round) => {
    const samples: number[] = [];
    for (let i = 0; i < (round.smoke ? 5 : 200); i += 1) {
      const began = performance.now();
      const event = await state.publisher.publish(state.change);
      await state.arrivals.waitFor(event.sequence);
      samples.push(performance.now() - began);
    }
    return samples;
  },
});
