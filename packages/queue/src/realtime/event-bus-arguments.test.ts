import { uuidv7 } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import {
  expectRefusedBeforeAnyPort,
  hostileValues,
  MARKER,
  recordingPorts,
} from '../../test/hostile-arguments.js';
import type { EventBus } from './event-bus.js';
import { memoryEventBus } from './memory/event-bus.js';
import type { RealtimeChange } from './realtime-event.js';
import { followTopic } from './topic-follower.js';

const tenantId = uuidv7();
const change: RealtimeChange = {
  topic: `queue:${tenantId}:${uuidv7()}`,
  tenantId,
  type: 'queue.called',
  entityId: uuidv7(),
  entityVersion: 1,
  occurredAt: '2026-03-02T09:00:00.000Z',
};

describe('event bus arguments', () => {
  it('publishes a valid change', async () => {
    expect((await memoryEventBus().publish(change)).sequence).toBe(1);
  });

  it('refuses a null, circular or non-UUID-tenant change with a ValidationError naming change, publishing nothing (raw TypeError, or a 502 on the Postgres bus)', async () => {
    const bus = memoryEventBus();
    for (const bad of [
      ...hostileValues(),
      { ...change, tenantId: 't1' },
      { ...change, topic: `${MARKER}\n` },
    ]) {
      await expectRefusedBeforeAnyPort(() => bus.publish(bad as RealtimeChange), 'change', []);
    }
    expect(await bus.currentSequence(tenantId, change.topic)).toBe(0);
  });

  it('refuses a listener without onEvent and a non-UUID tenant in currentSequence', async () => {
    const bus = memoryEventBus();
    await expectRefusedBeforeAnyPort(
      () => bus.subscribe(change.topic, null as never),
      'listener',
      [],
    );
    await expectRefusedBeforeAnyPort(() => bus.currentSequence('t1', change.topic), 'tenantId', []);
  });

  it('followTopic(null) is a ValidationError naming options, before subscribing (raw TypeError)', async () => {
    const { calls, port } = recordingPorts();
    const bus = port<EventBus>('bus');
    for (const options of [null, { bus, topic: change.topic }, { ...circularObjectOf(bus) }]) {
      await expectRefusedBeforeAnyPort(() => followTopic(options as never), 'options', calls);
    }
  });
});

function circularObjectOf(bus: EventBus): Record<string, unknown> {
  const options: Record<string, unknown> = { bus, topic: change.topic, apply: () => undefined };
  options['loadSnapshot'] = options;
  return options;
}
