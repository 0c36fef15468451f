import type { Meter, ObservableResult } from '@opentelemetry/api';
import type { CacheStats, NamespaceStats } from './cache-stats.js';
import { CacheArgumentError } from './errors.js';

type CounterName = Exclude<keyof NamespaceStats, 'hitRate'>;

const COUNTERS: readonly (readonly [string, string, CounterName, Record<string, string>])[] = [
  ['carequeue.cache.hits', 'Reads answered from the cache', 'l1Hits', { tier: 'l1' }],
  ['carequeue.cache.hits', 'Reads answered from the cache', 'l2Hits', { tier: 'l2' }],
  ['carequeue.cache.hits', 'Reads answered from the cache', 'staleHits', { tier: 'stale' }],
  ['carequeue.cache.misses', 'Reads that found nothing fresh', 'misses', {}],
  ['carequeue.cache.sets', 'Values written', 'sets', {}],
  [
    'carequeue.cache.invalidations',
    'Deletions and pattern or tag invalidations',
    'invalidations',
    {},
  ],
  ['carequeue.cache.errors', 'Failed shared-tier calls and factories', 'errors', {}],
  [
    'carequeue.cache.l2.write_failures',
    'Shared-tier writes, deletions and invalidations that failed',
    'l2WriteFailures',
    {},
  ],
  ['carequeue.cache.l2.calls', 'Shared-tier calls', 'l2Calls', {}],
  ['carequeue.cache.l2.duration', 'Time spent in shared-tier calls, in ms', 'l2LatencyMs', {}],
  ['carequeue.cache.factory.calls', 'Factory runs', 'factoryCalls', {}],
  ['carequeue.cache.factory.duration', 'Time spent in factories, in ms', 'factoryLatencyMs', {}],
];

/**
 * Publishes a cache's stats as OpenTelemetry observable counters (per namespace and tier) and
 * gauges (L1 size), read only when the host's SDK collects. Returns the function that stops it.
 *
 * @example
 * ```ts
 * import { metrics } from '@opentelemetry/api';
 * const stop = observeCacheMetrics(() => cache.stats(), metrics.getMeter('@carequeue/cache'));
 * ```
 */
export function observeCacheMetrics(stats: () => CacheStats, meter: Meter): () => void {
  if (typeof stats !== 'function') {
    throw new CacheArgumentError('stats', 'must be a function returning CacheStats');
  }
  const port: unknown = meter;
  if (
    typeof port !== 'object' ||
    port === null ||
    typeof (port as Partial<Meter>).createObservableCounter !== 'function' ||
    typeof (port as Partial<Meter>).createObservableGauge !== 'function'
  ) {
    throw new CacheArgumentError('meter', 'must be an OpenTelemetry Meter');
  }
  const stops: (() => void)[] = [];
  const byName = new Map<string, (typeof COUNTERS)[number][]>();
  for (const row of COUNTERS) byName.set(row[0], [...(byName.get(row[0]) ?? []), row]);
  for (const [name, rows] of byName) {
    const counter = meter.createObservableCounter(name, { description: rows[0]?.[1] });
    const callback = (result: ObservableResult): void => {
      for (const [namespace, values] of Object.entries(stats().namespaces)) {
        for (const [, , field, attributes] of rows) {
          result.observe(values[field], { namespace, ...attributes });
        }
      }
    };
    counter.addCallback(callback);
    stops.push(() => counter.removeCallback(callback));
  }
  const entries = meter.createObservableGauge('carequeue.cache.l1.entries', {
    description: 'Entries held in the in-process tier',
  });
  const bytes = meter.createObservableGauge('carequeue.cache.l1.bytes', {
    description: 'Bytes held in the in-process tier',
  });
  const observeEntries = (result: ObservableResult): void => result.observe(stats().l1.entries);
  const observeBytes = (result: ObservableResult): void => result.observe(stats().l1.bytes);
  entries.addCallback(observeEntries);
  bytes.addCallback(observeBytes);
  stops.push(
    () => entries.removeCallback(observeEntries),
    () => bytes.removeCallback(observeBytes),
  );
  return () => {
    for (const stop of stops) stop();
  };
}
