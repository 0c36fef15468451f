import { describe } from 'vitest';
import { requirePostgres, requireRedis, useTestDatabase, useTestRedis } from '../../src/index.js';
import { isolationScenario } from './isolation-scenario.js';

const postgres = await requirePostgres();
const redis = await requireRedis();

describe.skipIf(!postgres.available || !redis.available)('isolation-a', () => {
  isolationScenario('isolation-a', useTestDatabase(), useTestRedis());
});
