import { ExternalServiceError } from '@carequeue/core';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RealtimeChange } from '../realtime-event.js';
import { supabaseRealtimeEventBus } from './event-bus.js';

/** A client whose one channel joins at once and whose connection the test drops and restores. */
function droppableClient() {
  let onStatus: (status: string) => void = () => undefined;
  const channel = {
    state: 'closed',
    on: () => channel,
    subscribe(callback: (status: string) => void) {
      onStatus = callback;
      channel.state = 'joined';
      callback('SUBSCRIBED');
      return channel;
    },
    send: vi.fn(() => Promise.resolve('ok')),
  };
  const connection = { up: true };
  const client = {
    channel: () => channel,
    removeChannel: () => Promise.resolve('ok'),
    realtime: { setAuth: () => Promise.resolve(), isConnected: () => connection.up },
  };
  return {
    client: client as unknown as SupabaseClient,
    channel,
    drop() {
      connection.up = false;
      channel.state = 'errored';
      onStatus('CHANNEL_ERROR');
    },
    rejoin() {
      connection.up = true;
      channel.state = 'joined';
      onStatus('SUBSCRIBED');
    },
  };
}

const change = (entityVersion: number): RealtimeChange => ({
  topic: 'queue:0190a000-0000-7000-8000-000000000001:0190a000-0000-7000-8000-000000000002',
  tenantId: '0190a000-0000-7000-8000-000000000001',
  queueId: '0190a000-0000-7000-8000-000000000002',
  type: 'queue.called',
  entityId: '0190a000-0000-7000-8000-000000000003',
  entityVersion,
  occurredAt: '2026-03-02T09:00:00.000Z',
});

afterEach(() => {
  vi.useRealTimers();
});

describe('supabaseRealtimeEventBus while its connection is down', () => {
  it('sends a broadcast only once the channel is joined again', async () => {
    const fake = droppableClient();
    const bus = supabaseRealtimeEventBus({ client: fake.client });
    await bus.publish(change(0));
    fake.drop();

    const published = bus.publish(change(1));
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.channel.send).toHaveBeenCalledTimes(1);
    fake.rejoin();

    await expect(published).resolves.toMatchObject({ sequence: 2, entityVersion: 1 });
    expect(fake.channel.send).toHaveBeenCalledTimes(2);
  });

  it('fails with an ExternalServiceError when the channel is not joined again in time, sending nothing', async () => {
    vi.useFakeTimers();
    const fake = droppableClient();
    const bus = supabaseRealtimeEventBus({ client: fake.client, rejoinTimeoutMs: 5_000 });
    await bus.publish(change(0));
    fake.drop();

    const published = bus.publish(change(1));
    const failure = expect(published).rejects.toThrow(/not joined again within 5000 ms/);
    await vi.advanceTimersByTimeAsync(5_000);

    await failure;
    await expect(published).rejects.toBeInstanceOf(ExternalServiceError);
    expect(fake.channel.send).toHaveBeenCalledTimes(1);
  });

  it('fails a waiting publish when the bus closes, sending nothing', async () => {
    const fake = droppableClient();
    const bus = supabaseRealtimeEventBus({ client: fake.client });
    await bus.publish(change(0));
    fake.drop();

    const published = bus.publish(change(1));
    await Promise.resolve();
    await bus.close();

    await expect(published).rejects.toThrow(/closed before the channel was joined again/);
    expect(fake.channel.send).toHaveBeenCalledTimes(1);
  });

  it('refuses a rejoin timeout that is not a positive whole number of milliseconds', () => {
    const fake = droppableClient();
    expect(() => supabaseRealtimeEventBus({ client: fake.client, rejoinTimeoutMs: 0 })).toThrow(
      /rejoinTimeoutMs/,
    );
  });
});
