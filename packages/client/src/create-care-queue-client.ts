import type { Clock } from '@carequeue/core';
import { isObject, requireArgument, requireOption } from './argument-checks.js';
import type { BackoffOptions } from './backoff.js';
import type { OperationInput, OperationOutput } from './contract/operation.js';
import { operations, type OperationId } from './contract/operations.js';
import { createEventHub, type EventHub, type StreamListener } from './event-hub.js';
import { httpTransport, type HttpTransport, type HttpTransportOptions } from './http-transport.js';
import { operationRequest, validatedResponse } from './operation-call.js';
import { paginate } from './paginate.js';

/**
 * The contract's operations, by operationId, as the client's types read them.
 *
 * @example
 * ```ts
 * type GetClinic = Operations['getClinic'];
 * ```
 */
export type Operations = typeof operations;

/**
 * Options of {@link createCareQueueClient}: those of the HTTP transport, plus response
 * validation and the event stream's reconnection policy.
 *
 * @example
 * ```ts
 * const options: CareQueueClientOptions = {
 *   baseUrl: 'https://clinic.example',
 *   getToken: () => session.accessToken,
 *   retries: 3,
 *   timeoutMs: 10_000,
 *   validateResponses: true,
 * };
 * ```
 */
export interface CareQueueClientOptions extends HttpTransportOptions {
  /** Check every answer against the contract and throw `ResponseValidationError` on a mismatch. @default false */
  validateResponses?: boolean;
  /** Reconnection back-off of the event stream. */
  streamReconnect?: BackoffOptions;
}

/**
 * Per-call options of a client method.
 *
 * @example
 * ```ts
 * await client.bookAppointment({ body }, { signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface CallOptions {
  /** Cancels the call, including a wait between retries. */
  readonly signal?: AbortSignal;
  /** The `Idempotency-Key` of a POST or PATCH; one is generated per call when absent. */
  readonly idempotencyKey?: string;
}

/**
 * Operations answered with JSON: every one but the event stream.
 *
 * @example
 * ```ts
 * const id: CallableId = 'getClinic';
 * ```
 */
export type CallableId = Exclude<OperationId, 'streamEvents'>;

/**
 * Operations answering a page of a list.
 *
 * @example
 * ```ts
 * const id: ListId = 'listClinics';
 * ```
 */
export type ListId = {
  [K in CallableId]: Operations[K] extends { readonly pagination: 'query' | 'body' } ? K : never;
}[CallableId];

/**
 * The item type of a list operation.
 *
 * @example
 * ```ts
 * const clinic: ListItem<'listClinics'> = page.items[0];
 * ```
 */
export type ListItem<K extends ListId> =
  OperationOutput<Operations[K]> extends { readonly items: readonly (infer T)[] } ? T : never;

/**
 * The arguments of a client method: its input (optional when the operation needs nothing) and
 * the call's options.
 *
 * @example
 * ```ts
 * const args: InputArgs<Operations['getClinic']> = [{ params: { clinicId } }];
 * ```
 */
export type InputArgs<O> =
  object extends OperationInput<O>
    ? [input?: OperationInput<O>, options?: CallOptions]
    : [input: OperationInput<O>, options?: CallOptions];

/**
 * One typed method per `/api/v1` operation, named by its operationId.
 *
 * @example
 * ```ts
 * const clinic = await client.getClinic({ params: { clinicId } });
 * ```
 */
export type OperationMethods = {
  readonly [K in CallableId]: (
    ...args: InputArgs<Operations[K]>
  ) => Promise<OperationOutput<Operations[K]>>;
};

/**
 * The CareQueue API client: a method per operation, auto-pagination and live updates.
 *
 * @example
 * ```ts
 * const client = createCareQueueClient({ baseUrl: 'https://clinic.example', getToken });
 * for await (const clinic of client.paginate('listClinics')) console.info(clinic.name);
 * ```
 */
export interface CareQueueClient extends OperationMethods {
  /**
   * Iterates every item of a list with `for await`, fetching pages as needed (the cursor goes
   * in the query, or in the body of a search).
   */
  paginate<K extends ListId>(
    operationId: K,
    ...args: InputArgs<Operations[K]>
  ): AsyncGenerator<ListItem<K>, void, undefined>;
  /**
   * Listens to the event stream. Every listener of a client shares one connection (browsers
   * allow about six per host), opened with the first listener and closed after the last.
   */
  subscribe(listener: StreamListener): { close(): void };
  /** The transport under the typed methods, for requests outside the contract. */
  readonly transport: HttpTransport;
}

/**
 * Creates a typed client of the CareQueue `/api/v1` API.
 *
 * Each method validates its input against the contract before anything is sent (a
 * `ValidationError` naming the fields), sends it with the transport's retries (`Retry-After`
 * honoured, one `Idempotency-Key` per logical POST, an `AbortSignal` that also cancels the wait
 * between retries) and maps error answers to `CarequeueError` subclasses with `requestId` and
 * `retryAfterMs`. With `validateResponses`, answers are checked too.
 *
 * @param options - base URL, token source, retries, time-out, hooks.
 * @returns the client.
 * @throws ClientConfigError when an option is invalid.
 * @example
 * ```ts
 * const client = createCareQueueClient({
 *   baseUrl: 'https://clinic.example',
 *   getToken: async () => (await auth.getSession()).accessToken,
 *   retries: { maxRetries: 3 },
 *   timeoutMs: 10_000,
 *   hooks: { onResponse: ({ status, requestId }) => console.debug(status, requestId) },
 * });
 * const slots = await client.listAvailableSlots({
 *   params: { clinicId },
 *   query: { serviceTypeId, from: '2026-03-02T00:00:00Z', to: '2026-03-03T00:00:00Z' },
 * });
 * const appointment = await client.bookMyAppointment({ body: { clinicId, staffId, serviceTypeId, start: slots.items[0].start } });
 * ```
 */
export function createCareQueueClient(options: CareQueueClientOptions): CareQueueClient {
  requireOption(isObject(options), 'the options must be an object.');
  requireOption(
    options.validateResponses === undefined || typeof options.validateResponses === 'boolean',
    'validateResponses must be a boolean.',
  );
  const transport = httpTransport(options);
  const validate = options.validateResponses ?? false;
  const clock: Clock | undefined = options.clock;

  async function call(operationId: CallableId, input: unknown, callOptions: CallOptions = {}) {
    requireArgument(input === undefined || isObject(input), 'input', 'must be an object');
    requireArgument(isObject(callOptions), 'options', 'must be an object');
    const operation = operations[operationId];
    const request = operationRequest(operationId, operation, input as object | undefined);
    const { body } = await transport.request({
      ...request,
      ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      ...(callOptions.idempotencyKey === undefined
        ? {}
        : { idempotencyKey: callOptions.idempotencyKey }),
    });
    return validate ? validatedResponse(operationId, operation, body) : body;
  }

  let hub: EventHub | undefined;
  const methods = Object.fromEntries(
    (Object.keys(operations) as OperationId[])
      .filter((id): id is CallableId => id !== 'streamEvents')
      .map((id) => [
        id,
        (input?: unknown, callOptions?: CallOptions) => call(id, input, callOptions),
      ]),
  ) as unknown as OperationMethods;

  return {
    ...methods,
    transport,
    paginate<K extends ListId>(operationId: K, ...args: InputArgs<Operations[K]>) {
      const [input, callOptions] = args as [
        Record<string, unknown> | undefined,
        CallOptions | undefined,
      ];
      const operation = operations[operationId] as { pagination?: 'query' | 'body' };
      requireArgument(
        operation.pagination !== undefined,
        'operationId',
        'must name a list operation',
      );
      const where = operation.pagination === 'body' ? 'body' : 'query';
      return paginate((cursor) => {
        const part = {
          ...(input?.[where] as object | undefined),
          ...(cursor === undefined ? {} : { cursor }),
        };
        return call(operationId, { ...input, [where]: part }, callOptions) as Promise<{
          items: ListItem<K>[];
          nextCursor: string | null;
        }>;
      });
    },
    subscribe(listener: StreamListener) {
      hub ??= createEventHub({
        transport,
        path: operations.streamEvents.path,
        ...(options.streamReconnect === undefined ? {} : { reconnect: options.streamReconnect }),
        ...(clock === undefined ? {} : { clock }),
        ...(options.random === undefined ? {} : { random: options.random }),
      });
      return hub.add(listener);
    },
  };
}
