import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlExecutor } from '@carequeue/core/sql';
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { postgresAuditStore } from './adapters/postgres.js';
import { supabaseAuditStore } from './adapters/supabase.js';
import {
  AuditConfigError,
  createAuditLogService,
  createAuditSealTask,
  createBufferedAuditWriter,
  createRetentionPolicy,
  defineRetentionJurisdiction,
  directoryArchiveSink,
  fileAuditSpool,
  memoryAuditStore,
} from './index.js';

/** The error a factory ended with, thrown or rejected; `undefined` when it succeeded. */
async function refusalOf(create: () => unknown): Promise<unknown> {
  try {
    await create();
    return undefined;
  } catch (error: unknown) {
    return error;
  }
}

const executor = {
  query: () => Promise.resolve({ rows: [], rowCount: 0 }),
  exec: () => Promise.resolve(),
  queryBeforeCommit: () => Promise.resolve(),
  transaction: (fn: (tx: SqlExecutor) => Promise<unknown>) => fn(executor),
  queryCount: () => 0,
} as unknown as SqlExecutor;
const client = {
  schema: () => ({ from: () => undefined, rpc: () => undefined }),
} as unknown as SupabaseClient;
const jurisdiction = {
  id: 'xx-records',
  name: 'Records act',
  floorYears: { standard: 8, extended: 12 },
};

interface FactoryCase {
  readonly create: (options: unknown) => unknown;
  readonly valid: () => Record<string, unknown>;
  /** A misspelt option added to the valid ones, and the path it is refused under. */
  readonly misspelt: readonly [Record<string, unknown>, string];
  /** A known option with a value of the wrong type or range, and its path. */
  readonly wrong: readonly [Record<string, unknown>, string];
  /** The option a valid call cannot omit, when there is one. */
  readonly required?: string;
}

const FACTORIES: Record<string, FactoryCase> = {
  createAuditLogService: {
    create: (options) => createAuditLogService(options as never),
    valid: () => ({ store: memoryAuditStore() }),
    misspelt: [{ retentionKlass: 'extended' }, 'options.retentionKlass'],
    wrong: [{ clock: 42 }, 'options.clock'],
    required: 'store',
  },
  createAuditSealTask: {
    create: (options) => createAuditSealTask(options as never),
    valid: () => ({ store: memoryAuditStore() }),
    misspelt: [{ batchsize: 10 }, 'options.batchsize'],
    wrong: [{ batchSize: 0 }, 'options.batchSize'],
    required: 'store',
  },
  createBufferedAuditWriter: {
    create: (options) => createBufferedAuditWriter(options as never),
    valid: () => ({ store: memoryAuditStore() }),
    misspelt: [{ flushIntervalMS: 10 }, 'options.flushIntervalMS'],
    wrong: [{ maxBatchSize: 2.5 }, 'options.maxBatchSize'],
    required: 'store',
  },
  fileAuditSpool: {
    create: (options) => fileAuditSpool(options as never),
    valid: () => ({ path: join(tmpdir(), 'cq-audit-config.spool') }),
    misspelt: [{ fsync: true }, 'options.fsync'],
    wrong: [{ path: '' }, 'options.path'],
    required: 'path',
  },
  postgresAuditStore: {
    create: (options) => postgresAuditStore(options as never),
    valid: () => ({ executor }),
    misspelt: [{ schema: 'audit' }, 'options.schema'],
    wrong: [{ executor: { query: executor.query } }, 'options.executor'],
    required: 'executor',
  },
  supabaseAuditStore: {
    create: (options) => supabaseAuditStore(options as never),
    valid: () => ({ client }),
    misspelt: [{ shema: 'audit' }, 'options.shema'],
    wrong: [{ client: { schema: () => null } }, 'options.client'],
    required: 'client',
  },
  createRetentionPolicy: {
    create: (options) => createRetentionPolicy(options as never),
    valid: () => ({ years: { standard: 7 } }),
    misspelt: [{ years: { standart: 7 } }, 'options.years.standart'],
    wrong: [{ years: { standard: 1.5 } }, 'options.years.standard'],
  },
  defineRetentionJurisdiction: {
    create: (preset) => defineRetentionJurisdiction(preset as never),
    valid: () => ({ ...jurisdiction }),
    misspelt: [{ floorYear: { standard: 8 } }, 'preset.floorYear'],
    wrong: [{ floorYears: { standard: -1, extended: 12 } }, 'preset.floorYears.standard'],
    required: 'floorYears',
  },
};

describe('factory options', () => {
  describe.each(Object.entries(FACTORIES))('%s', (name, factory) => {
    const argument = name === 'defineRetentionJurisdiction' ? 'preset' : 'options';

    it('accepts valid options', async () => {
      expect(await refusalOf(() => factory.create(factory.valid()))).toBeUndefined();
    });

    it('refuses options that are not an object with an AuditConfigError naming the factory (a raw TypeError before for some)', async () => {
      for (const options of [null, undefined, 'options', 42, []]) {
        const error = await refusalOf(() => factory.create(options));
        expect(error).toBeInstanceOf(AuditConfigError);
        expect(error).toMatchObject({ factory: name, code: 'AUDIT_CONFIG_INVALID' });
        expect((error as AuditConfigError).issues[0]?.path).toBe(argument);
      }
    });

    it('refuses a misspelt option, naming it and the options it could be, instead of ignoring it', async () => {
      const [extra, path] = factory.misspelt;
      const error = await refusalOf(() => factory.create({ ...factory.valid(), ...extra }));
      expect(error).toBeInstanceOf(AuditConfigError);
      const issue = (error as AuditConfigError).issues.find((entry) => entry.path === path);
      expect(issue?.message).toMatch(
        /^is not an option: remove it, or correct its spelling to one of /,
      );
      expect((error as Error).message).toContain(`${name} ${path} is not an option`);
    });

    it('refuses an option of the wrong type or range, naming it', async () => {
      const [changed, path] = factory.wrong;
      const error = await refusalOf(() => factory.create({ ...factory.valid(), ...changed }));
      expect(error).toBeInstanceOf(AuditConfigError);
      expect((error as AuditConfigError).issues.map((entry) => entry.path)).toEqual([path]);
    });

    it.runIf(factory.required !== undefined)(
      'refuses a missing required option, naming it',
      async () => {
        const options = factory.valid();
        delete options[factory.required as string];
        const error = await refusalOf(() => factory.create(options));
        expect(error).toBeInstanceOf(AuditConfigError);
        expect((error as AuditConfigError).issues[0]?.path).toBe(`${argument}.${factory.required}`);
      },
    );
  });

  describe('directoryArchiveSink', () => {
    it('accepts a directory path', () => {
      expect(directoryArchiveSink(join(tmpdir(), 'cq-audit-config-archive'))).toHaveProperty(
        'write',
      );
    });

    it('refuses a directory that is not a non-blank path with an AuditConfigError naming it', () => {
      for (const directory of [null, undefined, '', ' ', 42, { path: '/tmp' }]) {
        const error = (() => {
          try {
            directoryArchiveSink(directory as never);
            return undefined;
          } catch (caught: unknown) {
            return caught;
          }
        })();
        expect(error).toBeInstanceOf(AuditConfigError);
        expect(error).toMatchObject({
          factory: 'directoryArchiveSink',
          issues: [{ path: 'directory' }],
        });
      }
    });
  });

  it('lists every option at fault in one error, so one fix-up round is enough', async () => {
    const error = await refusalOf(() =>
      createBufferedAuditWriter({ store: null, flushIntervalMS: 10, capacity: -1 } as never),
    );
    expect((error as AuditConfigError).issues.map((entry) => entry.path)).toEqual([
      'options.flushIntervalMS',
      'options.store',
      'options.capacity',
    ]);
  });
});
