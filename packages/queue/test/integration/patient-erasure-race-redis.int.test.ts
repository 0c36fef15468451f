import { randomUUID } from 'node:crypto';
import { postgresAuditStore } from '@carequeue/audit/postgres';
import { redisCacheBus, redisCacheStore, type RedisCacheBus } from '@carequeue/cache/redis';
import { createPgExecutor } from '@carequeue/core/sql';
import {
  requirePostgres,
  requireRedis,
  useTestDatabase,
  useTestRedis,
} from '@carequeue/test-harness';
import { afterAll, describe } from 'vitest';
import { sqlPatientUnitOfWork } from '../../src/postgres/index.js';
import { erasureRaceScenarios } from './patient-erasure-race-scenarios.js';
import { seedClinic } from './service-fixtures.js';

const postgres = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!postgres.available || !redis.available)(
  'erasure race on Redis (cache and bus) and Postgres',
  () => {
    const db = useTestDatabase({ poolSize: 4 });
    const testRedis = useTestRedis();
    const buses: RedisCacheBus[] = [];
    afterAll(async () => {
      await Promise.all(buses.map((bus) => bus.close()));
    });

    erasureRaceScenarios(() => {
      const executor = createPgExecutor({ pool: db.pool });
      const channel = `${testRedis.prefix}bus:${randomUUID()}`;
      const reader = testRedis.client();
      return {
        // A pool gives each transaction its own connection: a paused one holds up nothing.
        pausesInsideTransactions: true,
        unitOfWork: sqlPatientUnitOfWork({ executor }),
        auditStore: postgresAuditStore({ executor }),
        seed: () => seedClinic(executor),
        async instance() {
          const client = testRedis.client();
          const bus = await redisCacheBus({ client, channel });
          buses.push(bus);
          return { store: redisCacheStore({ client, keyPrefix: testRedis.prefix }), bus };
        },
        async storedPayloads() {
          const keys: string[] = [];
          let cursor = '0';
          do {
            const [next, batch] = await reader.scan(cursor, 'MATCH', `${testRedis.prefix}*`);
            keys.push(...batch);
            cursor = next;
          } while (cursor !== '0');
          if (keys.length === 0) return [];
          const values = await reader.mget(keys);
          return values.filter((value): value is string => value !== null);
        },
      };
    });
  },
);
