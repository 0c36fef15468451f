import { readMigrations } from '@carequeue/core/sql';
import { describe, expect, it } from 'vitest';
import { queueMigrations } from './postgres/index.js';

describe('queueMigrations', () => {
  it('names the queue namespace and the package sql folder when read', () => {
    const migrations = readMigrations(queueMigrations);
    expect(queueMigrations.namespace).toBe('queue');
    expect(migrations.map((migration) => migration.name)).toContain('0001_clinic_schema.sql');
  });
});
