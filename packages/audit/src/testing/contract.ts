import { randomUUID } from 'node:crypto';
import {
  checkArguments,
  functionIssues,
  isRecord,
  objectIssues,
  portIssues,
  textIssues,
} from '../argument-checks.js';
import type { AuditEvent, AuditLog } from '../audit-event.js';
import type { AuditStore } from '../audit-store.js';
import { GENESIS_HASH } from '../canonical-form.js';
import type { AuditSortField, AuditTrailQuery } from '../trail-query.js';
import { sampleAuditEvent } from './sample-event.js';

/**
 * The assertions the contract suite uses; vitest's and jest's `expect` both fit.
 *
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * const api: ContractExpect = expect;
 * ```
 */
export type ContractExpect = (actual: unknown) => {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toHaveLength(length: number): void;
  toBeNull(): void;
};

/**
 * The test functions the contract suite registers its tests with.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * const api: ContractTestApi = { describe, it, expect };
 * ```
 */
export interface ContractTestApi {
  readonly describe: (name: string, body: () => void) => void;
  readonly it: (name: string, body: () => Promise<void>, timeoutMs?: number) => void;
  readonly expect: ContractExpect;
}

/**
 * What the contract suite needs from an adapter: a name and a way to get the store under test.
 * Every test uses its own random tenant, so one store (and one database) may serve them all.
 *
 * @example
 * ```ts
 * const target: AuditStoreContractTarget = { name: 'memory', store: () => memoryAuditStore() };
 * ```
 */
export interface AuditStoreContractTarget {
  readonly name: string;
  readonly store: () => AuditStore | Promise<AuditStore>;
}

async function allPages(store: AuditStore, query: AuditTrailQuery): Promise<AuditLog[]> {
  const items: AuditLog[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.query({ ...query, cursor });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

interface Refusal {
  readonly code: unknown;
  readonly status: unknown;
  readonly paths: unknown;
}

// The store is called as a parsed request or JavaScript would call it, so the query is untyped.
async function refusalOf(store: AuditStore, query: unknown): Promise<Refusal | 'accepted'> {
  try {
    await store.query(query as AuditTrailQuery);
  } catch (error: unknown) {
    const { code, status, issues } = error as {
      code?: unknown;
      status?: unknown;
      issues?: readonly { path: string }[];
    };
    return { code, status, paths: issues?.map((issue) => issue.path) };
  }
  return 'accepted';
}

function invalid(...paths: string[]): Refusal {
  return { code: 'VALIDATION_FAILED', status: 400, paths };
}

const REFUSED_TRAIL_QUERIES: readonly (readonly [string, Record<string, unknown>, string])[] = [
  ['an unknown order', { order: 'sideways' }, 'order'],
  ['a limit of 0', { limit: 0 }, 'limit'],
  ['a negative limit', { limit: -1 }, 'limit'],
  ['a limit above the maximum', { limit: 1_000_000 }, 'limit'],
  ['an infinite limit', { limit: Number.POSITIVE_INFINITY }, 'limit'],
  ['a date after year 9999', { to: new Date(Date.UTC(275_000, 0, 1)) }, 'to'],
  ['an invalid Date', { from: new Date(Number.NaN) }, 'from'],
  [
    'from after to',
    { from: new Date(Date.UTC(2026, 1, 1)), to: new Date(Date.UTC(2026, 0, 1)) },
    'from',
  ],
  ['a filter that is not a string', { patientId: 42 }, 'patientId'],
  ['a cursor that is not a string', { cursor: 42 }, 'cursor'],
  [
    'a filter holding a NUL (a 503 on SQL, an empty page in memory before)',
    { action: 'read\u0000' },
    'action',
  ],
  [
    'a tenant that is not a UUID (a 503 on SQL, an empty page in memory before)',
    { tenantId: 'clinic-1' },
    'tenantId',
  ],
];

async function pathsOfRefusal(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error: unknown) {
    const { code, issues } = error as { code?: unknown; issues?: readonly { path: string }[] };
    return { code, paths: issues?.map((issue) => issue.path) };
  }
  return 'accepted';
}

function eventsFor(tenantId: string, count: number, start = Date.UTC(2026, 0, 1)): AuditEvent[] {
  return Array.from({ length: count }, (_, index) =>
    sampleAuditEvent({
      tenantId,
      timestamp: new Date(start + Math.floor(index / 2) * 1_000),
      userId: index % 3 === 0 ? null : `user-${index % 4}`,
      patientId: `patient-${index % 2}`,
      action: index % 2 === 0 ? 'read' : 'update',
    }),
  );
}

/**
 * Registers the `AuditStore` contract: every adapter must pass it. It takes the test functions
 * as arguments, so the package needs no test-runner dependency.
 *
 * @example
 * ```ts
 * import { describe, expect, it } from 'vitest';
 * import { memoryAuditStore } from '@carequeue/audit';
 * import { runAuditStoreContract } from '@carequeue/audit/testing';
 *
 * runAuditStoreContract({ describe, it, expect }, { name: 'memory', store: () => memoryAuditStore() });
 * ```
 */
export function runAuditStoreContract(
  api: ContractTestApi,
  target: AuditStoreContractTarget,
): void {
  checkArguments(
    'runAuditStoreContract',
    portIssues(api, 'api', 'a test API', ['describe', 'it', 'expect']),
    objectIssues(target, 'target'),
    isRecord(target)
      ? [
          ...textIssues(target['name'], 'target.name', { nonEmpty: true, max: 256 }),
          ...functionIssues(target['store'], 'target.store'),
        ]
      : [],
  );
  const { describe, it, expect } = api;

  describe(`AuditStore contract (${target.name})`, () => {
    it('returns every field of an event unsealed when it was appended', async () => {
      const store = await target.store();
      const event = sampleAuditEvent({ oldValue: { givenName: { $redacted: true } } });
      await store.append([event]);
      const page = await store.query({ tenantId: event.tenantId });
      expect(page.items).toEqual([
        { ...event, sequence: null, payloadHash: null, previousHash: null },
      ]);
      expect(page.nextCursor).toBeNull();
    });

    it('stores an event once when it is appended twice', async () => {
      const store = await target.store();
      const event = sampleAuditEvent();
      await store.append([event]);
      await store.append([event]);
      expect((await store.query({ tenantId: event.tenantId })).items).toHaveLength(1);
    });

    it('links events from the genesis hash when they are sealed', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await store.append(eventsFor(tenantId, 3));
      expect(await store.seal(tenantId)).toBe(3);
      const logs = await allPages(store, { tenantId, sortBy: 'sequence' });
      expect(logs.map((log) => log.sequence)).toEqual([1, 2, 3]);
      expect(logs[0]?.previousHash).toBe(GENESIS_HASH);
      expect(logs[1]?.previousHash).toBe(logs[0]?.payloadHash);
      expect(logs[2]?.previousHash).toBe(logs[1]?.payloadHash);
      expect(await store.head(tenantId)).toEqual({ sequence: 3, hash: logs[2]?.payloadHash });
    });

    it('continues the chain across seal runs when the limit splits them', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await store.append(eventsFor(tenantId, 5));
      expect(await store.seal(tenantId, 2)).toBe(2);
      await store.append(eventsFor(tenantId, 2));
      expect(await store.seal(tenantId)).toBe(5);
      expect(await store.seal(tenantId)).toBe(0);
      const result = await store.verify(tenantId);
      expect(result.ok).toBe(true);
      expect(result.checked).toBe(7);
    });

    it('gives one unbroken chain when writers append concurrently', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await Promise.all(Array.from({ length: 8 }, () => store.append(eventsFor(tenantId, 10))));
      await Promise.all([store.seal(tenantId), store.seal(tenantId)]);
      await store.seal(tenantId);
      const result = await store.verify(tenantId);
      expect(result).toEqual({ ok: true, checked: 80, head: await store.head(tenantId) });
    });

    it('keeps tenants apart when both write', async () => {
      const store = await target.store();
      const first = randomUUID();
      const second = randomUUID();
      await store.append([...eventsFor(first, 2), ...eventsFor(second, 3)]);
      await store.seal(first);
      expect(
        (await store.query({ tenantId: second })).items.every((log) => log.sequence === null),
      ).toBe(true);
      expect(await allPages(store, { tenantId: first })).toHaveLength(2);
      expect((await store.head(second)).sequence).toBe(0);
    });

    it('applies every filter when a trail is queried', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      const events = eventsFor(tenantId, 12);
      await store.append(events);
      const byPatient = await allPages(store, { tenantId, patientId: 'patient-1' });
      expect(byPatient.map((log) => log.id).sort()).toEqual(
        events
          .filter((event) => event.patientId === 'patient-1')
          .map((event) => event.id)
          .sort(),
      );
      const from = new Date(Date.UTC(2026, 0, 1, 0, 0, 2));
      const to = new Date(Date.UTC(2026, 0, 1, 0, 0, 3));
      const ranged = await allPages(store, {
        tenantId,
        from,
        to,
        userId: 'user-1',
        action: 'update',
      });
      expect(ranged.map((log) => log.id).sort()).toEqual(
        events
          .filter(
            (event) =>
              event.timestamp >= from &&
              event.timestamp <= to &&
              event.userId === 'user-1' &&
              event.action === 'update',
          )
          .map((event) => event.id)
          .sort(),
      );
    });

    const sorts: readonly AuditSortField[] = ['timestamp', 'userId', 'sequence', 'action'];
    for (const sortBy of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        it(`pages through every event once when sorted by ${sortBy} ${order}`, async () => {
          const store = await target.store();
          const tenantId = randomUUID();
          await store.append(eventsFor(tenantId, 11));
          await store.seal(tenantId, 6);
          const paged = await allPages(store, { tenantId, sortBy, order, limit: 3 });
          const whole = (await store.query({ tenantId, sortBy, order, limit: 100 })).items;
          expect(paged.map((log) => log.id)).toEqual(whole.map((log) => log.id));
          expect(new Set(paged.map((log) => log.id)).size).toBe(11);
          const keys = whole.map((log) =>
            sortBy === 'timestamp' ? log.timestamp.getTime() : log[sortBy],
          );
          const nonNull = keys.filter((key) => key !== null);
          const sorted = [...nonNull].sort((a, b) =>
            a === b ? 0 : (a as string) < (b as string) ? -1 : 1,
          );
          expect(nonNull).toEqual(order === 'asc' ? sorted : sorted.reverse());
        });
      }
    }

    it('rejects a cursor when the sort changed', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await store.append(eventsFor(tenantId, 3));
      const page = await store.query({ tenantId, limit: 1 });
      let code: unknown;
      try {
        await store.query({ tenantId, limit: 1, cursor: page.nextCursor, sortBy: 'userId' });
      } catch (error: unknown) {
        code = (error as { code?: unknown }).code;
      }
      expect(code).toBe('AUDIT_CURSOR_INVALID');
    });

    it('refuses an unknown sortBy with a ValidationError, not a raw TypeError', async () => {
      const store = await target.store();
      const refusal = await refusalOf(store, { tenantId: randomUUID(), sortBy: 'constructor' });
      expect(refusal).toEqual(invalid('sortBy'));
    });

    it('refuses limit NaN as invalid input instead of a 503 blaming the database', async () => {
      const store = await target.store();
      const refusal = await refusalOf(store, { tenantId: randomUUID(), limit: Number.NaN });
      expect(refusal).toEqual(invalid('limit'));
    });

    it('refuses an out-of-range date as invalid input instead of a 503', async () => {
      const store = await target.store();
      const before1970 = new Date(Date.UTC(-50, 0, 1));
      const refusal = await refusalOf(store, { tenantId: randomUUID(), from: before1970 });
      expect(refusal).toEqual(invalid('from'));
    });

    for (const [name, fields, path] of REFUSED_TRAIL_QUERIES) {
      it(`refuses ${name} with a ValidationError naming ${path}`, async () => {
        const store = await target.store();
        expect(await refusalOf(store, { tenantId: randomUUID(), ...fields })).toEqual(
          invalid(path),
        );
      });
    }

    it('refuses a query that is not an object with a ValidationError', async () => {
      const store = await target.store();
      expect(await refusalOf(store, null)).toEqual(invalid(''));
      expect(await refusalOf(store, 'tenant')).toEqual(invalid(''));
    });

    it('refuses a forged cursor as AUDIT_CURSOR_INVALID when its key does not fit the sort', async () => {
      const store = await target.store();
      const forged = Buffer.from(
        JSON.stringify(['timestamp', 'asc', 'tomorrow', randomUUID()]),
      ).toString('base64url');
      const refusal = await refusalOf(store, { tenantId: randomUUID(), cursor: forged });
      expect(refusal).toEqual({ code: 'AUDIT_CURSOR_INVALID', status: 400, paths: undefined });
    });

    it('refuses a tenant id that is not a UUID in seal, verify, head and append with a ValidationError before reading', async () => {
      const store = await target.store();
      const refused = (...paths: string[]) => ({ code: 'VALIDATION_FAILED', paths });
      expect(await pathsOfRefusal(() => store.seal('clinic-1'))).toEqual(refused('tenantId'));
      expect(await pathsOfRefusal(() => store.verify('clinic-1'))).toEqual(refused('tenantId'));
      expect(await pathsOfRefusal(() => store.head('clinic-1'))).toEqual(refused('tenantId'));
      expect(
        await pathsOfRefusal(() => store.append([sampleAuditEvent({ tenantId: 'clinic-1' })])),
      ).toEqual(refused('events.0.tenantId'));
      expect(
        await pathsOfRefusal(() => store.append([sampleAuditEvent({ action: 'read\u0000' })])),
      ).toEqual(refused('events.0.action'));
    });

    it("verifies against a signed position: the hash there must be the chain's (rewritten otherwise), and the chain must reach it", async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await store.append(eventsFor(tenantId, 5));
      await store.seal(tenantId, 3);
      const third = await store.head(tenantId);
      await store.seal(tenantId);
      expect(await store.verify(tenantId, { checkpoint: third })).toEqual({
        ok: true,
        checked: 5,
        head: await store.head(tenantId),
      });
      const forgedHash = third.hash === GENESIS_HASH ? 'f'.repeat(64) : GENESIS_HASH;
      expect(await store.verify(tenantId, { checkpoint: { ...third, hash: forgedHash } })).toEqual({
        ok: false,
        checked: 2,
        break: { sequence: 3, kind: 'rewritten' },
      });
      expect(
        await store.verify(tenantId, { checkpoint: { sequence: 9, hash: third.hash } }),
      ).toEqual({ ok: false, checked: 5, break: { sequence: 6, kind: 'deleted' } });
    });

    it('verifies from a trusted position and flags a cut tail when an end is expected', async () => {
      const store = await target.store();
      const tenantId = randomUUID();
      await store.append(eventsFor(tenantId, 6));
      await store.seal(tenantId, 4);
      const middle = await store.head(tenantId);
      await store.seal(tenantId);
      const fromMiddle = await store.verify(tenantId, { start: middle });
      expect(fromMiddle.ok).toBe(true);
      expect(fromMiddle.checked).toBe(2);
      const upToMiddle = await store.verify(tenantId, { toSequence: 4, expectedEnd: 4 });
      expect(upToMiddle).toEqual({ ok: true, checked: 4, head: middle });
      const beyond = await store.verify(tenantId, { expectedEnd: 9 });
      expect(beyond).toEqual({ ok: false, checked: 6, break: { sequence: 7, kind: 'deleted' } });
    });
  });
}
