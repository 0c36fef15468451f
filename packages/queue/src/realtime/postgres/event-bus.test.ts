import { EventEmitter } from 'node:events';
import { createFakeClock } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { postgresEventBus, type PgListenClient } from './event-bus.js';

class FakeListenClient extends EventEmitter implements PgListenClient {
  connected = false;

  connect(): Promise<void> {
    this.connected = true;
    return Promise.resolve();
  }

  query(): Promise<void> {
    return Promise.resolve();
  }

  end(): Promise<void> {
    this.connected = false;
    return Promise.resolve();
  }
}

describe('postgresEventBus', () => {
  it('reconnects a lost listener on a background timer and resyncs its subscribers', async () => {
    const clock = createFakeClock();
    const clients: FakeListenClient[] = [];
    const bus = postgresEventBus({
      executor: { query: () => Promise.reject(new Error('not used')) } as unknown as SqlExecutor,
      createListener: () => {
        const client = new FakeListenClient();
        clients.push(client);
        return client;
      },
      reconnectDelayMs: 1000,
      clock,
    });
    let resets = 0;
    await bus.subscribe('tenant/queue', { onEvent: () => undefined, onReset: () => (resets += 1) });

    clients[0]?.emit('end');
    expect(clock.pendingTimers({ background: true })).toBe(1);
    expect(clock.pendingTimers({ background: false })).toBe(0);
    await clock.advance(1000);

    expect(clients).toHaveLength(2);
    expect(clients[1]?.connected).toBe(true);
    expect(resets).toBe(2);
    await bus.close();
    expect(clients[1]?.connected).toBe(false);
  });
});
