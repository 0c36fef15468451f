import { describe, expect, it } from 'vitest';
import { createCacheDecorators, createCacheService } from '../../src/index.js';

const tenant = () => '0195f0a4-1111-7000-8000-000000000001';

describe('createCacheDecorators (experimentalDecorators)', () => {
  it('caches a method per key when compiled with experimentalDecorators', async () => {
    const { Cacheable } = createCacheDecorators(createCacheService({ tenant }));
    class ScheduleService {
      calls = 0;

      @Cacheable('staff-schedules', (staffId: string, week: string) => `${staffId}:${week}`)
      async week(staffId: string, week: string): Promise<string> {
        this.calls += 1;
        return Promise.resolve(`${staffId}/${week}/${this.calls}`);
      }
    }
    const service = new ScheduleService();
    expect(await service.week('s1', 'w1')).toBe('s1/w1/1');
    expect(await service.week('s1', 'w1')).toBe('s1/w1/1');
    expect(await service.week('s1', 'w2')).toBe('s1/w2/2');
  });
});
