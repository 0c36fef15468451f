import { defineCase } from '../../case-definition.js';
import { ourMixSide, patientLikeValue } from './getorset-mix.js';

export default defineCase({
  id: 'cache.invalidation-propagation',
  kind: 'samples',
  unit: 'ms',
  better: 'lower',
  target: 50,
  peerName: null,
  notes:
    'two of three instances on one Redis with the pub/sub bus; instance B fills a key into its L1 ' +
    'with getOrSet, then A deletes it; a sample is the time from the delete call until B no longer ' +
    'holds it in L1 (polled on every event-loop turn); 200 samples per round',
  rounds: 4,
  setup: async ({ services }) => ourMixSide(services.redis),
  teardown: (state) => state.close(),
  ours: async (state, round) => {
    const [a, b] = state.caches;
    const samples: number[] = [];
    const value = patientLikeValue();
    for (let i = 0; i < (round.smoke ? 5 : 200); i += 1) {
      const key = `clinic-settings:p${i}`;
      // B fills its own L1 through getOrSet, which sends nothing on the bus, so no earlier
      // message can race the measurement.
      await b!.getOrSet(key, () => value);
      const held = b!.stats().l1.entries;
      const began = performance.now();
      await a!.delete(key);
      while (b!.stats().l1.entries >= held) {
        await new Promise((resolve) => setImmediate(resolve));
        if (performance.now() - began > 5_000)
          throw new Error('the invalidation did not arrive in 5 s');
      }
      samples.push(performance.now() - began);
    }
    return samples;
  },
});
