import type { Meter, ObservableCallback, ObservableResult } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { createCacheService } from './cache-service.js';

interface Observation {
  readonly name: string;
  readonly value: number;
  readonly attributes: Record<string, unknown> | undefined;
}

function recordingMeter() {
  const callbacks = new Map<string, Set<ObservableCallback>>();
  const instrument = (name: string) => ({
    addCallback: (callback: ObservableCallback) => {
      callbacks.set(name, (callbacks.get(name) ?? new Set()).add(callback));
    },
    removeCallback: (callback: ObservableCallback) => callbacks.get(name)?.delete(callback),
  });
  const meter = {
    createObservableCounter: instrument,
    createObservableGauge: instrument,
  } as unknown as Meter;
  const collect = async (): Promise<Observation[]> => {
    const seen: Observation[] = [];
    for (const [name, set] of callbacks) {
      for (const callback of set) {
        const result = {
          observe: (value: number, attributes?: Record<string, unknown>) =>
            seen.push({ name, value, attributes }),
        } as ObservableResult;
        await callback(result);
      }
    }
    return seen;
  };
  return { meter, collect };
}

describe('observeCacheMetrics', () => {
  it('reports hits per namespace and tier and the L1 size when the SDK collects', async () => {
    const { meter, collect } = recordingMeter();
    const cache = createCacheService({ meter, tenant: () => 't-1' });
    await cache.set('clinic-settings:main', 1);
    await cache.get('clinic-settings:main');
    await cache.get('clinic-settings:other');
    const observations = await collect();
    expect(observations).toContainEqual({
      name: 'carequeue.cache.hits',
      value: 1,
      attributes: { namespace: 'clinic-settings', tier: 'l1' },
    });
    expect(observations).toContainEqual({
      name: 'carequeue.cache.misses',
      value: 1,
      attributes: { namespace: 'clinic-settings' },
    });
    expect(observations).toContainEqual({
      name: 'carequeue.cache.l1.entries',
      value: 1,
      attributes: undefined,
    });
    cache.close();
    expect(await collect()).toEqual([]);
  });
});
