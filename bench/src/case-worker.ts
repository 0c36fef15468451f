// The entry point of a case worker: a fresh Node process that runs one repeat of one case, so
// that no case measures with the JIT state, heap or leftover timers and connections of another.
// runCaseInWorker starts it with an IPC channel and reads its one reply.
import { decodeWorkerRequest, failureReply, type WorkerReply } from './case-worker-protocol.js';
import { runRequestedCase } from './run-requested-case.js';

if (process.send === undefined) {
  throw new Error('case-worker.ts reports over IPC; start it through runCaseInWorker.');
}
const send = process.send.bind(process);

let replied = false;

function reply(message: WorkerReply): void {
  if (replied) return;
  replied = true;
  // Exit once the reply is out: a timer or socket the case left open must not keep this process
  // alive (and the run waiting) after its samples are in.
  send(message, undefined, undefined, () => process.exit(message.kind === 'samples' ? 0 : 1));
}

// An error thrown outside the awaited rounds (a timer callback, an unawaited promise) would end
// the process with its stack only on stderr; report it as the case's failure instead.
process.on('uncaughtException', (error) => reply(failureReply(error)));

try {
  reply({ kind: 'samples', samples: await runRequestedCase(decodeWorkerRequest(process.argv[2])) });
} catch (error: unknown) {
  reply(failureReply(error));
}
