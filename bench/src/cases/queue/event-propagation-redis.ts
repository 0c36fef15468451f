import { randomUUID } from 'node:crypto';
import { uuidv7 } from '@carequeue/core';
import type { EventBus, RealtimeChange } from '@carequeue/queue';
import { redisEventBus } from '@carequeue/queue/redis';
import { Redis } from 'ioredis';
import { defineCase } from '../../case-definition.js';
import {
  arrivalTracker,
  calledChange,
  propagationSamples,
  type ArrivalTracker,
} from './event-propagation-postgres.js';

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
    const change = calledChange(tenantId);
    const arrivals = arrivalTracker();
    await subscriber.subscribe(change.topic, {
      onEvent: (event) => arrivals.arrived(event.sequence),
    });
    return {
      publisher,
      arrivals,
      change,
      async close() {
        await subscriber.close();
        await publisher.close();
        await aCommands.del(`${prefix}seq:${tenantId}:${change.topic}`);
        for (const connection of connections) await connection.quit();
      },
    };
  },
  teardown: (state) => state.close(),
  ours: (state, round) =>
    propagationSamples(state.publisher, state.arrivals, state.change, round.smoke ? 5 : 200),
});
