import { randomBytes } from 'node:crypto';
import { createCacheService } from '@carequeue/cache';
import { redisCacheStore } from '@carequeue/cache/redis';
import { Redis } from 'ioredis';
import { defineCase } from '../../case-definition.js';
import { BENCH_TENANT, deletePrefix, patientLikeValue } from './getorset-mix.js';

export default defineCase({
  id: 'cache.l2-hit',
  kind: 'latency',
  unit: 'us/op',
  better: 'lower',
  target: 1.3,
  peerName: 'ioredis 6.1.0 (raw GET + JSON.parse)',
  notes:
    'one key, 1 KB patient-like value, non-sensitive namespace with L1 off, so every get is one ' +
    'MGET of the value and the generation it depends on (one round trip, no script) plus decoding ' +
    'to a frozen value; the peer is a GET of the same JSON on its own connection plus JSON.parse; ' +
    'both clients with ioredis defaults (no auto-pipelining); sequential, loopback',
  opsPerBatch: 500,
  setup: async ({ services }) => {
    const prefix = `cq:bench:${randomBytes(4).toString('hex')}:`;
    const ourClient = new Redis(services.redis);
    const peerClient = new Redis(services.redis);
    const ours = createCacheService({
      namespaces: { 'clinic-settings': { ttlMs: 300_000, l1: false } },
      store: redisCacheStore({ client: ourClient, keyPrefix: prefix }),
      keySecret: randomBytes(32),
      tenant: () => BENCH_TENANT,
    });
    await ours.set('clinic-settings:main', patientLikeValue());
    const peerKey = `${prefix}raw`;
    await peerClient.set(peerKey, JSON.stringify(patientLikeValue()), 'PX', 300_000);
    return { ours, ourClient, peerClient, peerKey, prefix };
  },
  teardown: async (state) => {
    state.ours.close();
    await deletePrefix(state.peerClient, state.prefix);
    await Promise.all([state.ourClient.quit(), state.peerClient.quit()]);
  },
  ours: (state) => () => state.ours.get('clinic-settings:main'),
  peer: (state) => async () =>
    JSON.parse((await state.peerClient.get(state.peerKey)) ?? 'null') as unknown,
});
