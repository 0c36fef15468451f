import { readMigrations } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { resilienceMigrations } from './resilience-migrations.js';

describe('resilienceMigrations', () => {
  it('finds the package sql folder under the resilience namespace when read by the migrator', () => {
    expect(resilienceMigrations.namespace).toBe('resilience');
    expect(readMigrations(resilienceMigrations).map((migration) => migration.name)).toContain(
      '0001_dead_letters.sql',
    );
  });
});
