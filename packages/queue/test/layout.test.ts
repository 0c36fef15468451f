// The layout of packages/queue/ARCHITECTURE.md, checked on every source file of `src/`.
//
// ALLOW-LIST: `knownViolations` below names, one entry each, every violation the tree had when
// this test was written (189 entries). It only ever shrinks: the test fails on any violation that
// is not listed (new code must follow the layout) and on any listed one that no longer occurs
// (a move that fixes one removes its entry in the same commit). When it is empty, delete it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { entriesFromExports } from '../../../scripts/package-entries.mjs';
import { layoutViolations } from './layout-rules.js';

const knownViolations = [
  'misplaced realtime/supabase-realtime-event-bus.ts',
  'sql booking/memory/appointment-repository.ts -> postgres/sql-values.ts',
  'sql errors.ts -> supabase/errors.ts',
  'sql index.ts -> realtime/postgres/event-bus.ts',
  'sql jobs/job-scheduler.ts -> @carequeue/core/sql',
  'sql notifications/outbox-dispatcher.ts -> @carequeue/core/sql',
  'sql-text jobs/job-scheduler.ts',
  'sql-text jobs/notification-jobs.ts',
  'sql-text notifications/notification-outbox.ts',
  'sql-text notifications/opt-out-store.ts',
  'sql-text notifications/outbox-dispatcher.ts',
];

const packageDir = join(import.meta.dirname, '..');

function readSources(): Map<string, string> {
  const src = join(packageDir, 'src');
  const files = new Map<string, string>();
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(src, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return files;
}

const entries = Object.values(entriesFromExports(packageDir)).map((file) =>
  file.replace(/^src\//, ''),
);

const tree = (files: Record<string, string>) => new Map(Object.entries(files));

describe('queue source layout', () => {
  const violations = layoutViolations(readSources(), entries);

  it('has no layout violation beyond the allow-list', () => {
    expect(violations.filter((violation) => !knownViolations.includes(violation))).toEqual([]);
  });

  it('lists only violations that still occur, so the allow-list shrinks with every move', () => {
    expect(knownViolations.filter((violation) => !violations.includes(violation))).toEqual([]);
  });
});

describe('layoutViolations', () => {
  it('reports a context importing a file of another context', () => {
    const files = tree({
      'staff/staff-service.ts': "import type { Clinic } from '../clinics/clinic-repository.js';",
      'clinics/clinic-repository.ts': 'export interface Clinic { id: string }',
    });
    expect(layoutViolations(files, [])).toEqual([
      'internals staff/staff-service.ts -> clinics/clinic-repository.ts',
    ]);
  });

  it('accepts an import of another context through its index', () => {
    const files = tree({
      'staff/staff-service.ts': "import type { Clinic } from '../clinics/index.js';",
      'clinics/index.ts': "export type { Clinic } from './clinic-repository.js';",
      'clinics/clinic-repository.ts': 'export interface Clinic { id: string }',
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });

  it('lets the entry points compose every context', () => {
    const files = tree({
      'index.ts': "export { createClinicService } from './clinics/clinic-service.js';",
      'clinics/clinic-service.ts': 'export const createClinicService = () => ({});',
    });
    expect(layoutViolations(files, ['index.ts'])).toEqual([]);
  });

  it('reports SQL code imported outside a postgres or supabase folder', () => {
    const files = tree({
      'booking/memory/appointment-repository.ts':
        "import { toRange } from '../../postgres/sql-values.js';",
      'booking/book.ts': "import { withClaims } from '@carequeue/core/sql';",
      'booking/postgres/appointment-repository.ts':
        "import { withClaims } from '@carequeue/core/sql';\nimport { toRange } from '../../postgres/sql-values.js';",
      'postgres/sql-values.ts': 'export const toRange = () => 1;',
    });
    expect(layoutViolations(files, [])).toEqual([
      'sql booking/book.ts -> @carequeue/core/sql',
      'sql booking/memory/appointment-repository.ts -> postgres/sql-values.ts',
    ]);
  });

  it('allows types and constraint errors of core sql outside adapter folders', () => {
    const files = tree({
      'realtime/event-bus.ts': "import type { SqlExecutor } from '@carequeue/core/sql';",
      'clinics/memory/clinic-repository.ts':
        "import { UniqueViolationError, type SqlExecutor } from '@carequeue/core/sql';",
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });

  it('reports SQL text outside a postgres or supabase folder', () => {
    const files = tree({
      'jobs/job-scheduler.ts': 'export const claim = `SELECT id FROM queue.jobs`;',
      'jobs/postgres/job-scheduler.ts': 'export const claim = `SELECT id FROM queue.jobs`;',
    });
    expect(layoutViolations(files, [])).toEqual(['sql-text jobs/job-scheduler.ts']);
  });

  it('reports adapters outside their adapter folder and files outside the layout', () => {
    const files = tree({
      'clinics/memory-clinic-repository.ts': 'export {};',
      'clinics/memory/clinic-repository.ts': 'export {};',
      'outbox/notification-outbox.ts': 'export {};',
      'arguments/checked-port.ts': 'export {};',
    });
    expect(layoutViolations(files, [])).toEqual([
      'misplaced clinics/memory-clinic-repository.ts',
      'misplaced outbox/notification-outbox.ts',
    ]);
  });

  it('ignores imports written in comments, such as TSDoc examples', () => {
    const files = tree({
      'clinics/clinic-service.ts':
        "/**\n * @example\n * import { sqlClinicRepository } from '@carequeue/queue/postgres';\n * import '../staff/staff-service.js';\n */\nexport {};",
    });
    expect(layoutViolations(files, [])).toEqual([]);
  });
});
