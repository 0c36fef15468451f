import { createCacheService } from '@carequeue/cache';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { defineCase } from '../../case-definition.js';
import { BENCH_TENANT, patientLikeValue } from './getorset-mix.js';

export default defineCase({
  id: 'cache.l1-hit',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: 0.5,
  peerName: 'bentocache 1.6.1 (memoryDriver serialize:false, L1 only)',
  notes:
    'get of one key already in L1, 1 KB patient-like value; ours returns the frozen shared value ' +
    '(read-only semantics), bentocache returns the stored reference (serialize:false, its fastest ' +
    'documented L1 setup; it throws with an L2 in 1.6.1, upstream #111); ttl 5 min on both; ' +
    'absolute target <= 1,000 ns',
  setup: async () => {
    const ours = createCacheService({ tenant: () => BENCH_TENANT });
    await ours.set('clinic-settings:main', patientLikeValue());
    const peer = new BentoCache({
      default: 'memory',
      ttl: '5m',
      stores: {
        memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize: false })),
      },
    });
    await peer.set({ key: 'clinic-settings:main', value: patientLikeValue() });
    return { ours, peer };
  },
  teardown: async (state) => {
    state.ours.close();
    await state.peer.disconnectAll();
  },
  ours: (state) => () => state.ours.get('clinic-settings:main'),
  peer: (state) => () => state.peer.get({ key: 'clinic-settings:main' }),
});
