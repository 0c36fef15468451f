import { operations, type OperationId } from '../contract/operations.js';
import type { OperationDefinition } from '../contract/operation.js';

/**
 * A record the fake stores, found by its id.
 *
 * @example
 * ```ts
 * const record: StoredRecord = { id: clinicId, version: 0, name: 'Main Street' };
 * ```
 */
export type StoredRecord = Record<string, unknown> & { id?: unknown; version?: unknown };

/**
 * What the fake answers one call: a status and a JSON body (a record, a page or a problem).
 *
 * @example
 * ```ts
 * const { status, body } = fake.handle('getClinic', { params: { clinicId } });
 * ```
 */
export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * An in-memory CareQueue behind the msw handlers: records created through the API are stored
 * by id and read back, changed and listed; anything not created answers the contract's example.
 *
 * @example
 * ```ts
 * const fake = createFakeCareQueue();
 * const handlers = careQueueHandlers({ baseUrl, fake });
 * ```
 */
export interface FakeCareQueue {
  /** Answers a call as the API would, after its input was validated. */
  handle(
    operationId: OperationId,
    input: { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
  ): FakeAnswer;
  /** The records created so far, by id. */
  readonly records: ReadonlyMap<string, Readonly<StoredRecord>>;
}

function notFound(resource: string): FakeAnswer {
  return {
    status: 404,
    body: {
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      code: 'NOT_FOUND',
      detail: `The ${resource} was not found.`,
      requestId: 'fake-request',
      resource,
    },
  };
}

/**
 * Creates an empty in-memory fake of the API.
 *
 * @param newId - mints ids of created records; random UUIDs by default.
 * @returns the fake.
 * @example
 * ```ts
 * const fake = createFakeCareQueue();
 * ```
 */
export function createFakeCareQueue(
  newId: () => string = () => crypto.randomUUID(),
): FakeCareQueue {
  const records = new Map<string, StoredRecord>();
  const kinds = new Map<string, string>();

  function answer(op: OperationDefinition, body: unknown): FakeAnswer {
    return { status: op.status, body };
  }

  return {
    records,
    handle(operationId, input) {
      const op: OperationDefinition = operations[operationId];
      const example = op.example.response as StoredRecord | undefined;
      const params = input.params ?? {};
      const lastParam = Object.keys(op.params?.shape ?? {}).at(-1);
      const targetId = lastParam === undefined ? undefined : params[lastParam];
      const stored = targetId === undefined ? undefined : records.get(targetId);
      const exampleParams = (op.example.params ?? {}) as Record<string, string>;
      const isKnown =
        stored !== undefined ||
        targetId === undefined ||
        exampleParams[lastParam ?? ''] === targetId;

      if (op.pagination !== undefined) {
        if (!isKnown) return notFound(op.tag);
        const own = [...records.values()].filter(
          (record) => kinds.get(String(record.id)) === op.tag,
        );
        const options = (op.pagination === 'body' ? input.body : input.query) as
          { cursor?: string; limit?: number } | undefined;
        const items = own.length > 0 ? own : ((example?.['items'] as unknown[]) ?? []);
        const from = Number(options?.cursor ?? 0);
        const limit = options?.limit ?? 50;
        const next = from + limit < items.length ? String(from + limit) : null;
        return answer(op, { items: items.slice(from, from + limit), nextCursor: next });
      }
      if (op.method === 'POST' && op.status === 201 && example !== undefined) {
        const record: StoredRecord = { ...example, ...(input.body as object), id: newId() };
        for (const key of ['clinicIds', 'expectedVersion']) {
          if (!(key in example)) Reflect.deleteProperty(record, key);
        }
        if ('consent' in example) record['consent'] = example['consent'];
        records.set(String(record.id), record);
        kinds.set(String(record.id), op.tag);
        return answer(op, record);
      }
      if (!isKnown) return notFound(lastParam?.replace(/Id$/, '') ?? 'record');
      if (stored !== undefined && (op.method === 'PATCH' || op.method === 'PUT')) {
        const { expectedVersion, ...changes } = (input.body ?? {}) as Record<string, unknown>;
        if (expectedVersion !== undefined && expectedVersion !== stored.version) {
          return {
            status: 409,
            body: {
              type: 'about:blank',
              title: 'Conflict',
              status: 409,
              code: 'STALE_VERSION',
              detail: 'The record changed since it was read; read it again.',
              requestId: 'fake-request',
            },
          };
        }
        const updated = { ...stored, ...changes, version: Number(stored.version ?? 0) + 1 };
        records.set(String(stored.id), updated);
        return answer(op, updated);
      }
      if (stored !== undefined && op.method === 'GET' && example !== undefined && 'id' in example) {
        return answer(op, stored);
      }
      return answer(op, example);
    },
  };
}
