import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createFakeClock, isCarequeueError, ValidationError } from '@carequeue/core';
import type { FieldEncryptor } from '@carequeue/core/crypto';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as postgresEntry from './adapters/postgres.js';
import * as supabaseEntry from './adapters/supabase.js';
import type { AuditLog } from './audit-event.js';
import type { AuditStore } from './audit-store.js';
import * as entry from './index.js';
import * as testingEntry from './testing/index.js';

// Every exported function of every entry point, and every method of the objects its factories
// return, is called with hostile arguments in each position: each is refused with a
// ValidationError naming the argument, before any port (store, executor, encryptor, sink,
// PostgREST) is called, and no message quotes the value. Before, null gave raw TypeErrors, a
// circular object a stack overflow, and a tenant id that is not a UUID a 503 on SQL stores.

const MARKER = `Marker-${randomUUID().slice(0, 12)}`;
const circular: Record<string, unknown> = { note: MARKER };
circular['self'] = circular;

const BAD = {
  null: null,
  undefined: undefined,
  number: 42,
  string: MARKER,
  circular,
  array: [MARKER],
} as const;
type BadName = keyof typeof BAD;

interface Param {
  readonly name: string;
  readonly valid: () => unknown;
  /** Bad values that are valid here (the call may succeed or fail with a non-validation error). */
  readonly accepts: readonly BadName[];
}

const req = (name: string, valid: () => unknown, accepts: readonly BadName[] = []): Param => ({
  name,
  valid,
  accepts,
});
const opt = (name: string, valid: () => unknown, accepts: readonly BadName[] = []): Param => ({
  name,
  valid,
  accepts: ['undefined', ...accepts],
});
/** A value recorded as JSON: anything but a cycle. */
const json = (name: string, valid: () => unknown): Param =>
  req(name, valid, ['null', 'undefined', 'number', 'string', 'array']);
const text = (name: string, valid: () => unknown): Param => req(name, valid, ['string']);

interface Fixture {
  readonly params: readonly Param[];
  /** Issue paths are relative to the query (as every store reports them), not prefixed. */
  readonly unprefixed?: boolean;
}

const calls: string[] = [];
const record =
  <T>(name: string, result: () => T) =>
  (): T => {
    calls.push(name);
    return result();
  };

function spyStore(inner: AuditStore = entry.memoryAuditStore()): AuditStore {
  return {
    append: (events) => (calls.push('store.append'), inner.append(events)),
    seal: (tenantId, limit) => (calls.push('store.seal'), inner.seal(tenantId, limit)),
    query: (query) => (calls.push('store.query'), inner.query(query)),
    verify: (tenantId, range) => (calls.push('store.verify'), inner.verify(tenantId, range)),
    head: (tenantId) => (calls.push('store.head'), inner.head(tenantId)),
  };
}

function spyExecutor(): SqlExecutor {
  const executor: SqlExecutor = {
    query: record('executor.query', () => Promise.resolve({ rows: [], rowCount: 0 })),
    exec: record('executor.exec', () => Promise.resolve()),
    queryBeforeCommit: record('executor.queryBeforeCommit', () => Promise.resolve()),
    transaction: (fn) => {
      calls.push('executor.transaction');
      return fn(executor);
    },
    queryCount: () => 0,
  };
  return executor;
}

function spyEncryptor(): FieldEncryptor {
  return {
    encrypt: record('encryptor.encrypt', () => Promise.resolve('cq1.s.k.iv.x')),
    decrypt: record('encryptor.decrypt', () => Promise.resolve('"x"')),
    shredSubject: record('encryptor.shredSubject', () => Promise.resolve()),
    needsRotation: record('encryptor.needsRotation', () => false),
    rotate: record('encryptor.rotate', () => Promise.resolve('cq1.s.k.iv.x')),
    blindIndex: record('encryptor.blindIndex', () => 'index'),
    rewrapSubjectKeys: record('encryptor.rewrapSubjectKeys', () =>
      Promise.resolve({ rewrapped: 0, alreadyCurrent: 0, changedConcurrently: 0, next: undefined }),
    ),
  };
}

/** A supabase-js client whose every request is recorded and answers nothing. */
function spyClient(): SupabaseClient {
  const reply = { data: [], error: null };
  const builder: unknown = new Proxy(() => undefined, {
    get: (_, property) =>
      property === 'then'
        ? (resolve: (value: unknown) => unknown) => resolve(reply)
        : () => builder,
  });
  const db = {
    from: record('supabase.from', () => builder),
    rpc: record('supabase.rpc', () => Promise.resolve(reply)),
  };
  return { schema: () => db } as unknown as SupabaseClient;
}

const keys = generateKeyPairSync('ed25519');
const TENANT = randomUUID();
const clock = createFakeClock(Date.UTC(2026, 0, 15));
let log: AuditLog;
let report: entry.AuditReport;
let checkpoint: entry.AuditCheckpoint;
let manifest: entry.ArchiveManifest;
let archive: Buffer;
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'cq-audit-arguments-'));
  const store = entry.memoryAuditStore();
  await store.append([
    testingEntry.sampleAuditEvent({ tenantId: TENANT, timestamp: new Date(Date.UTC(2019, 0, 2)) }),
  ]);
  await store.seal(TENANT);
  [log] = (await store.query({ tenantId: TENANT })).items as [AuditLog];
  report = await entry.breakGlassReport(store, { tenantId: TENANT, clock });
  checkpoint = await entry.createCheckpoint(store, TENANT, keys.privateKey, clock);
  const content = entry.archiveLine(log);
  archive = gzipSync(content);
  manifest = {
    version: 'cq-audit-archive-v1',
    partition: 'events_standard_2019_01',
    retentionClass: 'standard',
    rangeFrom: '2019-01-01T00:00:00.000Z',
    rangeTo: '2019-02-01T00:00:00.000Z',
    eventCount: 1,
    file: 'events_standard_2019_01.ndjson.gz',
    archiveSha256: entry.sha256Hex(archive),
    contentSha256: entry.sha256Hex(content),
    tenants: entry.summarizeTenants([log]),
    checkpoints: [checkpoint],
    createdAt: '2026-01-15T00:00:00.000Z',
  };
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const event = (): unknown => testingEntry.sampleAuditEvent({ tenantId: TENANT });
const store = (): unknown => spyStore();
const reportOptions =
  (extra: Record<string, unknown> = {}) =>
  (): unknown => ({
    tenantId: TENANT,
    clock,
    ...extra,
  });
const protection = (): unknown => ({
  protectedFields: entry.DEFAULT_PROTECTED_FIELDS,
  eventId: randomUUID(),
  column: 'new_value',
});
const holdOf = (): unknown => ({
  tenantId: TENANT,
  from: new Date(Date.UTC(2019, 0, 1)),
  to: new Date(Date.UTC(2019, 11, 31)),
  reason: 'Litigation',
  createdBy: null,
});

/** Every exported function, by entry point; a new export fails the suite until it is described. */
const FUNCTIONS: Record<string, Record<string, Fixture>> = {
  '@carequeue/audit': {
    activityCharts: {
      params: [req('logs', () => [log]), req('options', () => ({ byUser: true }))],
    },
    archiveLine: { params: [req('log', () => log)] },
    breakGlassReport: { params: [req('store', store), req('options', reportOptions())] },
    canonicalForm: {
      params: [req('event', event), req('previousHash', () => entry.GENESIS_HASH)],
    },
    changedFieldPaths: {
      params: [
        json('oldValue', () => ({ a: 1 })),
        json('newValue', () => ({ a: 2 })),
        opt('protectedFields', () => new Set(['a'])),
      ],
    },
    compareKeyThenId: {
      params: [
        req('keyA', () => 'a', ['number', 'string']),
        text('idA', () => 'id-1'),
        req('keyB', () => 'b', ['number', 'string']),
        text('idB', () => 'id-2'),
      ],
    },
    compareLogs: {
      params: [
        req('a', () => log),
        req('b', () => log),
        req('field', () => 'timestamp'),
        req('order', () => 'asc'),
      ],
    },
    createAuditLogService: { params: [req('options', () => ({ store: spyStore() }))] },
    createAuditSealTask: { params: [req('options', () => ({ store: spyStore() }))] },
    createBufferedAuditWriter: { params: [req('options', () => ({ store: spyStore(), clock }))] },
    createChainVerifier: {
      params: [
        opt('start', () => ({ sequence: 0, hash: entry.GENESIS_HASH })),
        opt('checkpoint', () => ({ sequence: 1, hash: entry.GENESIS_HASH })),
      ],
    },
    createCheckpoint: {
      params: [
        req('store', store),
        req('tenantId', () => TENANT),
        req('privateKey', () => keys.privateKey),
        opt('clock', () => clock),
      ],
    },
    // An options object with no known field is the default policy.
    createRetentionPolicy: { params: [req('options', () => ({}), ['circular'])] },
    csvField: { params: [req('cell', () => 'x', ['null', 'number', 'string'])] },
    // A string of the wrong form is a cursor error (AUDIT_CURSOR_INVALID), typed all the same.
    decodeCursor: {
      params: [
        req('cursor', () => entry.encodeCursor(log, 'timestamp', 'asc'), ['string']),
        req('field', () => 'timestamp'),
        req('order', () => 'asc'),
      ],
    },
    defineRetentionJurisdiction: {
      params: [
        req('preset', () => ({ id: 'xx', name: 'X', floorYears: { standard: 1, extended: 2 } })),
      ],
    },
    directoryArchiveSink: { params: [text('directory', () => directory)] },
    disclosureAccounting: {
      params: [req('store', store), req('options', reportOptions({ patientId: 'p-1' }))],
    },
    encodeCursor: {
      params: [req('log', () => log), req('field', () => 'timestamp'), req('order', () => 'asc')],
    },
    erasePatientAuditData: {
      params: [
        req('options', () => ({
          encryptor: spyEncryptor(),
          audit: entry.createAuditLogService({ store: spyStore() }),
          tenantId: TENANT,
          patientId: 'p-1',
          requestedBy: null,
        })),
      ],
    },
    escapeHtml: { params: [text('text', () => '<b>')] },
    eventCells: { params: [req('log', () => log)] },
    fileAuditSpool: { params: [req('options', () => ({ path: join(directory, 'spool') }))] },
    jsonbText: { params: [json('value', () => ({ a: 1 }))] },
    listCell: { params: [req('items', () => ['a'], ['array'])] },
    localTime: { params: [req('time', () => new Date()), req('timeZone', () => 'Europe/Berlin')] },
    // A query object without a tenant filters on nothing.
    matchesTrailQuery: {
      params: [req('log', () => log), req('query', () => ({ tenantId: TENANT }), ['circular'])],
    },
    memoryAuditStore: { params: [] },
    openCheckpoint: {
      params: [
        req('checkpoint', () => checkpoint),
        req('publicKey', () => keys.publicKey),
        req('tenantId', () => TENANT),
      ],
    },
    patientAccessReport: {
      params: [req('store', store), req('options', reportOptions({ patientId: 'p-1' }))],
    },
    payloadHash: { params: [req('event', event), req('previousHash', () => entry.GENESIS_HASH)] },
    protectValue: {
      params: [json('value', () => ({ givenName: 'Ada' })), req('options', protection)],
    },
    rangeReport: { params: [req('store', store), req('options', reportOptions())] },
    // The query is refused as every store refuses it, with paths relative to it.
    readWholeTrail: {
      params: [
        req('store', store),
        req('query', () => ({ tenantId: TENANT })),
        opt('onProgress', () => () => undefined),
      ],
      unprefixed: true,
    },
    renderReportCsv: { params: [req('report', () => report)] },
    renderReportHtml: { params: [req('report', () => report)] },
    renderReportJson: { params: [req('report', () => report)] },
    reportStamp: { params: [req('options', () => ({ clock }), ['circular'])] },
    resolveTrailQuery: { params: [req('query', () => ({ tenantId: TENANT }))], unprefixed: true },
    retentionCutoff: {
      params: [
        req('policy', () => ({ years: { standard: 6, extended: 10 } })),
        req('retentionClass', () => 'standard'),
        req('now', () => new Date()),
      ],
    },
    revealValue: {
      params: [
        json('value', () => ({ a: 1 })),
        req('options', () => ({ eventId: randomUUID(), column: 'new_value', subjectId: null })),
      ],
    },
    securityReport: { params: [req('store', store), req('options', reportOptions())] },
    sha256Hex: { params: [req('data', () => 'abc', ['string'])] },
    sortKeyOf: { params: [req('log', () => log), req('field', () => 'userId')] },
    storedTimestamp: { params: [req('date', () => new Date())] },
    summarizeTenants: { params: [req('logs', () => [log])] },
    timeBucket: { params: [req('time', () => new Date()), req('unit', () => 'day')] },
    toAuditJson: { params: [json('value', () => ({ a: 1 }))] },
    toFhirAuditEvent: {
      params: [req('log', () => log), opt('options', () => ({ site: 'clinic' }), ['circular'])],
    },
    toFhirBundle: {
      params: [
        req('logs', () => [log]),
        opt('options', () => ({}), ['circular']),
        opt('timestamp', () => new Date()),
      ],
    },
    toFhirNdjson: { params: [req('logs', () => [log]), opt('options', () => ({}), ['circular'])] },
    userActivityReport: {
      params: [req('store', store), req('options', reportOptions({ userId: 'u-1' }))],
    },
    verifyArchive: {
      params: [
        req('manifest', () => manifest),
        req('archive', () => archive),
        opt('publicKey', () => keys.publicKey),
      ],
    },
  },
  '@carequeue/audit/postgres': {
    listAuditPartitions: { params: [req('executor', spyExecutor)] },
    placeLegalHold: {
      params: [req('executor', spyExecutor), req('hold', holdOf), opt('clock', () => clock)],
    },
    postgresAuditStore: { params: [req('options', () => ({ executor: spyExecutor() }))] },
    recordInTransaction: { params: [req('tx', spyExecutor), req('events', () => [event()])] },
    releaseLegalHold: {
      params: [
        req('executor', spyExecutor),
        req('holdId', () => randomUUID()),
        opt('clock', () => clock),
      ],
    },
    runRetention: {
      params: [
        req('options', () => ({
          executor: spyExecutor(),
          policy: {
            jurisdiction: entry.HIPAA_RETENTION,
            years: { standard: 6, extended: 10 },
            belowFloor: [],
          },
          sink: {
            write: record('sink.write', () => Promise.resolve()),
            read: record('sink.read', () => Promise.resolve(Buffer.alloc(0))),
          },
          signingKey: keys.privateKey,
          clock,
        })),
      ],
    },
    toEventRecord: { params: [req('event', event)] },
    verifyArchiveAgainstChain: {
      params: [
        req('executor', spyExecutor),
        req('manifest', () => manifest),
        req('archive', () => archive),
        req('publicKey', () => keys.publicKey),
      ],
    },
  },
  '@carequeue/audit/supabase': {
    supabaseAuditStore: { params: [req('options', () => ({ client: spyClient() }))] },
  },
  '@carequeue/audit/testing': {
    runAuditStoreContract: {
      params: [
        req('api', () => ({ describe: () => undefined, it: () => undefined, expect: () => ({}) })),
        req('target', () => ({ name: 'spy', store: () => spyStore() })),
      ],
    },
    sampleAuditEvent: { params: [opt('overrides', () => ({}), ['circular'])] },
  },
};

const storeMethods: Record<string, Fixture> = {
  append: { params: [req('events', () => [event()])] },
  seal: { params: [req('tenantId', () => TENANT), opt('limit', () => 10, ['number'])] },
  query: { params: [req('query', () => ({ tenantId: TENANT }))], unprefixed: true },
  // A range object without a known field is the whole chain.
  verify: {
    params: [req('tenantId', () => TENANT), opt('range', () => ({ toSequence: 5 }), ['circular'])],
  },
  head: { params: [req('tenantId', () => TENANT)] },
};

const modification = (): Param[] => [
  req('userId', () => 'u-1', ['null', 'undefined', 'string']),
  req('resource', () => 'Patient/p-1', ['string']),
  json('oldValue', () => null),
  json('newValue', () => ({ status: 'active' })),
  opt('options', () => ({ tenantId: TENANT }), ['circular']),
];

/** The methods of the objects the factories return, with the factory that builds one. */
const METHODS: Record<string, { make: () => object; methods: Record<string, Fixture> }> = {
  memoryAuditStore: { make: () => entry.memoryAuditStore(), methods: storeMethods },
  postgresAuditStore: {
    make: () => postgresEntry.postgresAuditStore({ executor: spyExecutor() }),
    methods: storeMethods,
  },
  supabaseAuditStore: {
    make: () => supabaseEntry.supabaseAuditStore({ client: spyClient() }),
    methods: storeMethods,
  },
  createAuditLogService: {
    make: () => entry.createAuditLogService({ store: spyStore(), encryptor: spyEncryptor() }),
    methods: {
      logDataAccess: {
        params: [
          req('userId', () => 'u-1', ['null', 'undefined', 'string']),
          req('resource', () => 'Patient/p-1', ['string']),
          text('action', () => 'read'),
          opt('metadata', () => ({ page: 1 })),
          opt('options', () => ({ tenantId: TENANT }), ['circular']),
        ],
      },
      logDataModification: { params: modification() },
      buildModificationEvent: { params: modification() },
      logDataExport: {
        params: [
          req('userId', () => 'u-1', ['null', 'undefined', 'string']),
          text('patientId', () => 'p-1'),
          req('exportedFields', () => ['medications'], ['array']),
          opt('disclosure', () => ({ tenantId: TENANT }), ['circular']),
        ],
      },
      logAuthEvent: {
        params: [
          req('kind', () => 'login'),
          opt('options', () => ({ tenantId: TENANT }), ['circular']),
        ],
      },
      getAuditTrail: {
        params: [
          text('patientId', () => 'p-1'),
          opt('startDate', () => new Date(0)),
          opt('endDate', () => new Date()),
          opt('options', () => ({ tenantId: TENANT }), ['circular']),
        ],
      },
      queryTrail: {
        params: [req('query', () => ({ tenantId: TENANT }), ['circular'])],
        unprefixed: true,
      },
    },
  },
  createAuditSealTask: {
    make: () => entry.createAuditSealTask({ store: spyStore() }),
    methods: { run: { params: [req('tenantId', () => TENANT)] } },
  },
  createBufferedAuditWriter: {
    // The system clock, so a valid write is flushed (1 ms later) rather than waiting forever.
    make: () => entry.createBufferedAuditWriter({ store: spyStore(), flushIntervalMs: 1 }),
    methods: {
      write: { params: [req('event', event)] },
      start: { params: [] },
      flush: { params: [] },
      close: { params: [] },
    },
  },
  fileAuditSpool: {
    make: () => entry.fileAuditSpool({ path: join(directory, `spool-${randomUUID()}`) }),
    methods: {
      append: { params: [req('events', () => [event()])] },
      load: { params: [] },
      clear: { params: [] },
      close: { params: [] },
    },
  },
  directoryArchiveSink: {
    make: () => entry.directoryArchiveSink(join(directory, 'sink')),
    methods: {
      // A plain file name is valid even when no such file exists (then an I/O error follows).
      write: {
        params: [
          req('name', () => `file-${randomUUID()}`, ['string']),
          req('content', () => [Buffer.from('x')]),
        ],
      },
      read: { params: [req('name', () => 'missing', ['string'])] },
    },
  },
  createChainVerifier: {
    make: () => entry.createChainVerifier(),
    methods: {
      push: {
        params: [
          req('link', () => ({
            sequence: 1,
            previousHash: entry.GENESIS_HASH,
            payloadHash: entry.GENESIS_HASH,
            recomputedHash: entry.GENESIS_HASH,
          })),
        ],
      },
      finish: { params: [opt('expectedEnd', () => 0, ['number'])] },
    },
  },
};

const ENTRIES: Record<string, Record<string, unknown>> = {
  '@carequeue/audit': entry,
  '@carequeue/audit/postgres': postgresEntry,
  '@carequeue/audit/supabase': supabaseEntry,
  '@carequeue/audit/testing': testingEntry,
};

// Error classes are constructors, not calls on data; isCarequeueError is core's predicate.
const NOT_CALLS = new Set(['isCarequeueError']);

function exportedFunctions(module: Record<string, unknown>): string[] {
  return Object.entries(module)
    .filter(
      ([name, value]) =>
        typeof value === 'function' &&
        !NOT_CALLS.has(name) &&
        !Function.prototype.toString.call(value).startsWith('class'),
    )
    .map(([name]) => name)
    .sort();
}

/** The error a call ended with, thrown or rejected; `undefined` when it succeeded. */
async function failureOf(run: () => unknown): Promise<unknown> {
  try {
    await run();
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}

async function checkCalls(
  label: string,
  target: (...args: unknown[]) => unknown,
  fixture: Fixture,
): Promise<number> {
  const validArgs = (): unknown[] => fixture.params.map((param) => param.valid());
  // The fixture itself must be valid, or every refusal below would prove nothing.
  const sane = await failureOf(() => target(...validArgs()));
  expect.soft(sane, `${label} with valid arguments`).not.toBeInstanceOf(ValidationError);
  let refused = 0;
  for (const [position, param] of fixture.params.entries()) {
    for (const [badName, bad] of Object.entries(BAD) as [BadName, unknown][]) {
      const args = validArgs();
      args[position] = bad;
      const call = `${label}(${param.name} = ${badName})`;
      calls.length = 0;
      const error = await failureOf(() => target(...args));
      if (error !== undefined) {
        const raw = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
        expect.soft(isCarequeueError(error), `${call} threw a raw ${raw}`).toBe(true);
        expect
          .soft(JSON.stringify((error as ValidationError).toJSON()), call)
          .not.toContain(MARKER);
        expect.soft((error as Error).message, call).not.toContain(MARKER);
      }
      if (param.accepts.includes(badName)) continue;
      expect.soft(error, call).toBeInstanceOf(ValidationError);
      const path = (error as ValidationError).issues[0]?.path ?? '';
      if (!fixture.unprefixed) expect.soft(path, call).toMatch(new RegExp(`^${param.name}(\\.|$)`));
      expect.soft(calls, `${call} reached a port before it was refused`).toEqual([]);
      refused += 1;
    }
  }
  return refused;
}

describe('the public API of @carequeue/audit', () => {
  it('has an argument fixture for every exported function of every entry point', () => {
    for (const [name, module] of Object.entries(ENTRIES)) {
      expect(exportedFunctions(module), name).toEqual(Object.keys(FUNCTIONS[name] ?? {}).sort());
    }
  });

  for (const [entryName, fixtures] of Object.entries(FUNCTIONS)) {
    it(`refuses null, undefined, wrong types and circular objects in every argument of every ${entryName} function with a ValidationError naming it, before any port call (raw TypeErrors, stack overflows and 503s before)`, async () => {
      let refused = 0;
      for (const [name, fixture] of Object.entries(fixtures)) {
        const target = ENTRIES[entryName]?.[name] as (...args: unknown[]) => unknown;
        refused += await checkCalls(name, target, fixture);
      }
      expect(refused).toBeGreaterThan(0);
    });
  }

  it('refuses hostile arguments in every method of every object the factories return, before any port call', async () => {
    let refused = 0;
    for (const [factory, { make, methods }] of Object.entries(METHODS)) {
      const instance = make() as Record<string, unknown>;
      const own = Object.keys(instance).filter((key) => typeof instance[key] === 'function');
      expect(own.sort(), factory).toEqual(Object.keys(methods).sort());
      for (const [method, fixture] of Object.entries(methods)) {
        const target = (...args: unknown[]): unknown =>
          (make() as Record<string, (...a: unknown[]) => unknown>)[method]?.(...args);
        refused += await checkCalls(`${factory}().${method}`, target, fixture);
      }
    }
    expect(refused).toBeGreaterThan(100);
  });
});
