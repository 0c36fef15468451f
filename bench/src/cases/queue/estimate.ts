import {
  createCalibratedWaitTimeEstimator,
  createServiceTimeTracker,
  createWaitTimeEstimator,
  type QueueSnapshot,
} from '@carequeue/queue';
import { defineCase } from '../../case-definition.js';

const MINUTE = 60_000;
const TYPES = ['consultation', 'vaccination', 'follow-up'] as const;

/** A calibrated estimator that has seen a day's worth of called patients, and a queue of 200. */
function setup(): { estimate: () => unknown } {
  const tracker = createServiceTimeTracker({
    priors: {
      consultation: { meanMs: 15 * MINUTE, sdMs: 7.5 * MINUTE },
      vaccination: { meanMs: 5 * MINUTE, sdMs: 2.5 * MINUTE },
      'follow-up': { meanMs: 20 * MINUTE, sdMs: 10 * MINUTE },
    },
    defaultPrior: { meanMs: 15 * MINUTE, sdMs: 7.5 * MINUTE },
  });
  const estimator = createCalibratedWaitTimeEstimator({
    rule: createWaitTimeEstimator({ tracker }),
  });
  const snapshot: QueueSnapshot = {
    activeServers: 3,
    ahead: Array.from({ length: 199 }, (_, index) => ({
      serviceType: TYPES[index % TYPES.length] as string,
    })),
    inService: TYPES.map((serviceType, index) => ({ serviceType, elapsedMs: index * 4 * MINUTE })),
    staffingPlan: [
      { afterMs: 60 * MINUTE, activeServers: 2 },
      { afterMs: 180 * MINUTE, activeServers: 3 },
    ],
  };
  const { rule } = estimator.estimate(snapshot);
  for (let called = 0; called < 80; called += 1) {
    estimator.observeCall({ rule, waitedMs: rule.p50Ms * (0.6 + (called % 20) / 20) });
  }
  return { estimate: () => estimator.estimate(snapshot) };
}

export default defineCase({
  id: 'queue.estimate',
  kind: 'latency',
  unit: 'ms',
  better: 'lower',
  target: 1,
  peerName: null,
  notes:
    'one calibrated P50/P90 for the last of 200 patients: 199 ahead, 3 in service, 3 staff with two planned changes, 80 called patients in the calibration window; input validation included',
  setup,
  ours: (state) => state.estimate,
});
