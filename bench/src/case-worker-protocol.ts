import type { ServiceUrls } from './case-definition.js';
import { describeError } from './describe-error.js';
import type { CaseSamples } from './run-case.js';

/** What the harness asks a case worker process to do: run one case module once. */
export interface WorkerRequest {
  /** Absolute path of the case module; the worker imports this module and no other case. */
  readonly file: string;
  /** The id that module must export, so that a stale path fails instead of running another case. */
  readonly id: string;
  readonly smoke: boolean;
  readonly services: ServiceUrls;
}

/** What a case worker sends back over its IPC channel: the samples, or why there are none. */
export type WorkerReply =
  | { readonly kind: 'samples'; readonly samples: CaseSamples }
  | {
      readonly kind: 'failure';
      readonly name: string;
      readonly message: string;
      /** The failure as the report shows it: the stack from the worker, or the thrown value. */
      readonly stack: string;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isNumberArray(value: unknown): value is number[] {
  // NaN and Infinity count as numbers here: summarizeCase reports them with the case's id.
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

/**
 * Encodes a request as the worker's single command-line argument.
 *
 * @example
 * ```ts
 * fork(workerFile, [encodeWorkerRequest({ file, id: 'core.id.uuidv7', smoke: false, services })]);
 * ```
 */
export function encodeWorkerRequest(request: WorkerRequest): string {
  return JSON.stringify(request);
}

/**
 * Decodes the worker's command-line argument back into a request.
 *
 * @throws Error when the argument is missing or is not an encoded request.
 * @example
 * ```ts
 * const request = decodeWorkerRequest(process.argv[2]);
 * ```
 */
export function decodeWorkerRequest(text: string | undefined): WorkerRequest {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    value = undefined;
  }
  if (
    isRecord(value) &&
    typeof value.file === 'string' &&
    typeof value.id === 'string' &&
    typeof value.smoke === 'boolean' &&
    isRecord(value.services) &&
    typeof value.services.postgres === 'string' &&
    typeof value.services.redis === 'string'
  ) {
    const { file, id, smoke } = value;
    const { postgres, redis } = value.services;
    return { file, id, smoke, services: { postgres, redis } };
  }
  throw new Error(`A case worker takes one encoded request as its argument (got ${text}).`);
}

/**
 * The reply reporting that the case threw (or crashed the worker): the error's name, message and
 * stack as text, so that the harness reports the stack from the worker process.
 *
 * @example
 * ```ts
 * process.on('uncaughtException', (error) => finish(failureReply(error)));
 * ```
 */
export function failureReply(error: unknown): WorkerReply {
  return {
    kind: 'failure',
    name: error instanceof Error ? error.name : 'Error',
    message: error instanceof Error ? error.message : String(error),
    stack: describeError(error),
  };
}

/**
 * Reads a worker's reply to the request for case `id`: returns its samples, or throws the
 * worker's failure as an Error whose stack is the one from the worker.
 *
 * @throws Error with the worker's name, message and stack when the reply is a failure; Error
 * when the reply is malformed or carries another case's samples.
 * @example
 * ```ts
 * child.once('message', (message) => resolve(samplesFromReply(message, 'core.id.uuidv7')));
 * ```
 */
export function samplesFromReply(reply: unknown, id: string): CaseSamples {
  if (
    isRecord(reply) &&
    reply.kind === 'failure' &&
    typeof reply.name === 'string' &&
    typeof reply.message === 'string' &&
    typeof reply.stack === 'string'
  ) {
    const error = new Error(reply.message);
    error.name = reply.name;
    error.stack = reply.stack;
    throw error;
  }
  if (isRecord(reply) && reply.kind === 'samples' && isRecord(reply.samples)) {
    const { samples } = reply;
    if (
      samples.id === id &&
      isNumberArray(samples.ours) &&
      (samples.peer === null || isNumberArray(samples.peer))
    ) {
      return { id, ours: samples.ours, peer: samples.peer };
    }
  }
  throw new Error(`The worker running ${id} sent a reply that is not its samples.`);
}
