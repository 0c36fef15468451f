import { createCircuitBreaker } from '@carequeue/resilience';
import Opossum from 'opossum';
import { defineCase } from '../../case-definition.js';

const work = (): Promise<number> => Promise.resolve(1);

export default defineCase({
  id: 'resilience.breaker.execute',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: 1.15,
  peerName: 'opossum 10.0.0 (bare fire)',
  notes:
    'closed breaker, one resolved promise per call, timeout off on both; opossum with ' +
    'rollingPercentilesEnabled and enableSnapshots off (its fastest setting); ours with the ' +
    'default no-op OpenTelemetry meter and silent logger, volume threshold 5, 50% threshold',
  setup: () => ({
    ours: createCircuitBreaker({ name: 'bench', timeoutMs: false }),
    peer: new Opossum(work, {
      timeout: false,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    }),
  }),
  teardown: (state) => {
    state.ours.dispose();
    state.peer.shutdown();
  },
  ours: (state) => () => state.ours.execute(work),
  peer: (state) => () => state.peer.fire(),
});
