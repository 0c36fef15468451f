import { defineCase } from '../../case-definition.js';
import {
  KEY_COUNT,
  MIX_OPERATIONS,
  mixSteps,
  ourMixSide,
  patientLikeValue,
} from './getorset-mix.js';

const HOT_KEYS = 100;

export default defineCase({
  id: 'cache.db-queries-saved',
  kind: 'samples',
  unit: 'ratio',
  better: 'lower',
  target: 0.5,
  peerName: null,
  notes:
    `factory calls with the cache divided by factory calls without it (one per read) on the ` +
    `cache.getorset-mix steps (3 instances, ${MIX_OPERATIONS} steps, ${KEY_COUNT} keys, Zipf 1.0, ` +
    `10% deletes), starting cold each round; the measured hit rate of the ${HOT_KEYS} hottest keys ` +
    'is printed per round',
  rounds: 3,
  setup: ({ services }) => ({ redis: services.redis }),
  ours: async (state, round) => {
    const steps = mixSteps(round.smoke ? 200 : MIX_OPERATIONS, 7);
    const side = await ourMixSide(state.redis);
    const value = patientLikeValue();
    let calls = 0;
    let hotCalls = 0;
    let reads = 0;
    let hotReads = 0;
    try {
      for (const step of steps) {
        const key = `k${step.key}`;
        if (step.write) {
          await side.write(step.instance, key);
          continue;
        }
        reads += 1;
        if (step.key < HOT_KEYS) hotReads += 1;
        await side.read(step.instance, key, () => {
          calls += 1;
          if (step.key < HOT_KEYS) hotCalls += 1;
          return value;
        });
      }
    } finally {
      await side.close();
    }
    console.log(
      `cache.db-queries-saved: ${calls} factory calls for ${reads} reads; hot-key (top ${HOT_KEYS}) ` +
        `hit rate ${(1 - hotCalls / Math.max(1, hotReads)).toFixed(3)} over ${hotReads} reads`,
    );
    return [calls / reads];
  },
});
