import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  encodeWorkerRequest,
  samplesFromReply,
  type WorkerRequest,
} from './case-worker-protocol.js';
import type { CaseSamples } from './run-case.js';

/** Limits on one case worker. */
export interface WorkerLimits {
  /** After this long without a reply and exit, the worker is killed and the case fails. */
  readonly timeLimitMs: number;
}

const WORKER_FILE = fileURLToPath(new URL('./case-worker.ts', import.meta.url));
// Resolved from this package rather than from the working directory, which is the repository
// root when vitest runs every project.
const TSX_LOADER = import.meta.resolve('tsx');

function exitDescription(code: number | null, signal: NodeJS.Signals | null): string {
  return code === null ? `signal ${signal}` : `code ${code}`;
}

// Resolves with the worker's one reply, still unread, once the worker has exited.
function replyOnExit(request: WorkerRequest, limits: WorkerLimits): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const worker = fork(WORKER_FILE, [encodeWorkerRequest(request)], {
      execPath: process.execPath,
      execArgv: ['--import', TSX_LOADER],
      // Structured clone keeps NaN and Infinity samples, which JSON would turn into null.
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let reply: { readonly message: unknown } | null = null;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      worker.kill('SIGKILL');
    }, limits.timeLimitMs);
    worker.once('message', (message) => {
      reply = { message };
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('close', (code, signal) => {
      clearTimeout(timer);
      if (reply !== null) {
        resolve(reply.message);
      } else if (timedOut) {
        reject(
          new Error(
            `${request.id} gave no result within ${limits.timeLimitMs} ms ` +
              '(CAREQUEUE_BENCH_CASE_TIMEOUT_MS); its process was killed.',
          ),
        );
      } else {
        reject(
          new Error(
            `The process running ${request.id} exited with ${exitDescription(code, signal)} ` +
              'before reporting; its output is above.',
          ),
        );
      }
    });
  });
}

/**
 * Runs one repeat of one case in a fresh Node process (`src/case-worker.ts`) and returns its
 * samples, so that the case sees no JIT state, heap or open handles of the cases before it. The
 * worker runs on the same Node binary as this process, so `machine.node` describes it too.
 *
 * Settles only once the worker has exited, so that the next case never shares the CPU with it.
 *
 * @throws Error carrying the worker's stack when the case throws; Error when the worker exits
 * without a reply (a crash, `process.exit`) or is killed at the time limit.
 * @example
 * ```ts
 * const samples = await runCaseInWorker(
 *   { file: '/repo/bench/src/cases/core/uuidv7.ts', id: 'core.id.uuidv7', smoke: false, services },
 *   { timeLimitMs: 15 * 60_000 },
 * );
 * ```
 */
export async function runCaseInWorker(
  request: WorkerRequest,
  limits: WorkerLimits,
): Promise<CaseSamples> {
  return samplesFromReply(await replyOnExit(request, limits), request.id);
}
