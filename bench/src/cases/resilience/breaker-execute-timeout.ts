import type { ExecutionContext } from '@carequeue/resilience';
import { createCircuitBreaker } from '@carequeue/resilience';
import Opossum from 'opossum';
import { defineCase } from '../../case-definition.js';

const workWith = (signal: AbortSignal): Promise<boolean> => Promise.resolve(signal.aborted);

export default defineCase({
  id: 'resilience.breaker.execute-timeout',
  kind: 'latency',
  unit: 'ns/op',
  better: 'lower',
  target: 1.15,
  peerName: 'opossum 10.0.0 (timeout 10 s, abortController)',
  notes:
    'closed breaker, 10 s timeout on both, the operation reads its abort signal; ours creates ' +
    'a signal per call, opossum shares one AbortController per breaker (the trap ours avoids); ' +
    'opossum with rollingPercentilesEnabled and enableSnapshots off; a new AbortSignal costs ' +
    'about 2.5 us on Node 20 and 0.1 us from Node 22 on, so the ratio depends on the runtime ' +
    '(ADR 0003: 4.3-4.4 on Node 20.20.2, 0.94-0.97 on 22.23.3, 0.70 on 24.21.0, same machine)',
  setup: () => {
    const controller = new AbortController();
    return {
      ours: createCircuitBreaker({ name: 'bench', timeoutMs: 10_000 }),
      peer: new Opossum(() => workWith(controller.signal), {
        timeout: 10_000,
        abortController: controller,
        rollingPercentilesEnabled: false,
        enableSnapshots: false,
      }),
    };
  },
  teardown: (state) => {
    state.ours.dispose();
    state.peer.shutdown();
  },
  ours: (state) => () => state.ours.execute(({ signal }: ExecutionContext) => workWith(signal)),
  peer: (state) => () => state.peer.fire(),
});
