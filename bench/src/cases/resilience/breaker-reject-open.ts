import { createCircuitBreaker } from '@carequeue/resilience';
import { defineCase } from '../../case-definition.js';

const failing = (): Promise<never> => Promise.reject(new Error('dependency down'));
const ignore = (): undefined => undefined;

export default defineCase({
  id: 'resilience.breaker.reject-open',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: 1_000,
  peerName: null,
  notes:
    'open breaker (tripped by 5 failures, 30 s reset), no fallback; each call is rejected with ' +
    'the preallocated CircuitOpenError and the rejection is caught',
  setup: async () => {
    const breaker = createCircuitBreaker({
      name: 'bench',
      timeoutMs: false,
      resetTimeoutMs: 3_600_000,
    });
    for (let i = 0; i < 5; i += 1) await breaker.execute(failing).catch(ignore);
    if (breaker.getState() !== 'open') throw new Error('The breaker did not open during setup.');
    return { breaker };
  },
  teardown: (state) => state.breaker.dispose(),
  ours: (state) => () => state.breaker.execute(failing).catch(ignore),
});
