import { describe, expect, it } from 'vitest';
import { freshIdFixtures } from '../../test/memory-contract-fixtures.js';
import { memoryScheduleRepository } from '../staff/index.js';
import { runScheduleRepositoryContract } from './index.js';

runScheduleRepositoryContract(
  { describe, it, expect },
  {
    name: 'memory',
    create: memoryScheduleRepository,
    fixtures: freshIdFixtures,
  },
);
