import { createCircuitBreaker } from '@carequeue/resilience';
import { circuitBreaker, handleAll, SamplingBreaker } from 'cockatiel';
import { defineCase } from '../../case-definition.js';

const work = (): Promise<number> => Promise.resolve(1);

export default defineCase({
  id: 'resilience.breaker.execute-cockatiel',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: null,
  peerName: 'cockatiel 3.2.1 (SamplingBreaker)',
  notes:
    'report only; closed breaker, no timeout on either side; cockatiel SamplingBreaker with ' +
    'threshold 0.5 over 10 s (the same rule as ours), halfOpenAfter 30 s',
  setup: () => ({
    ours: createCircuitBreaker({ name: 'bench', timeoutMs: false }),
    peer: circuitBreaker(handleAll, {
      halfOpenAfter: 30_000,
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000 }),
    }),
  }),
  teardown: (state) => state.ours.dispose(),
  ours: (state) => () => state.ours.execute(work),
  peer: (state) => () => state.peer.execute(work),
});
