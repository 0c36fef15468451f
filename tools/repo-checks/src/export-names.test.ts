import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { reportEntries } from '../../../scripts/api-report.mjs';
import {
  apiReports,
  exportedValues,
  namingViolation,
  namingViolations,
  typeOnlyClasses,
} from './export-names.js';
import { readWorkspacePackages } from './workspace.js';

/**
 * Exported names that still break the naming table, each to be renamed. The list only shrinks:
 * an entry that no longer breaks the table fails the test until it is removed.
 */
const KNOWN_EXCEPTIONS = [
  // Value classes whose instances are the cached values themselves.
  'packages/cache/api/index.api.md:ImmutableDate',
  'packages/cache/api/index.api.md:ImmutableMap',
  'packages/cache/api/index.api.md:ImmutableSet',
  // Decorating factories of queue's event sinks and units of work.
  'packages/queue/api/index.api.md:queueNotificationSink',
  'packages/queue/api/index.api.md:transactionalEventSink',
  'packages/queue/api/postgres.api.md:notifyingBookingUnitOfWork',
  // Queue's Postgres adapters, to become postgresX.
  'packages/queue/api/postgres.api.md:sqlAppointmentArrivals',
  'packages/queue/api/postgres.api.md:sqlAppointmentRepository',
  'packages/queue/api/postgres.api.md:sqlBookingUnitOfWork',
  'packages/queue/api/postgres.api.md:sqlClinicRepository',
  'packages/queue/api/postgres.api.md:sqlClinicUnitOfWork',
  'packages/queue/api/postgres.api.md:sqlInvitationRepository',
  'packages/queue/api/postgres.api.md:sqlInvitationUnitOfWork',
  'packages/queue/api/postgres.api.md:sqlOptOutStore',
  'packages/queue/api/postgres.api.md:sqlPatientRepository',
  'packages/queue/api/postgres.api.md:sqlPatientUnitOfWork',
  'packages/queue/api/postgres.api.md:sqlQueueEntryRepository',
  'packages/queue/api/postgres.api.md:sqlScheduleRepository',
  'packages/queue/api/postgres.api.md:sqlServiceTypeRepository',
  'packages/queue/api/postgres.api.md:sqlStaffRepository',
  'packages/queue/api/postgres.api.md:sqlStaffUnitOfWork',
  'packages/queue/api/postgres.api.md:sqlWaitlistRepository',
  'packages/queue/api/postgres.api.md:sqlWalkInUnitOfWork',
];

const reports = apiReports();

describe('namingViolation', () => {
  it('accepts createX factories, <engine>X adapters, errors and plain functions', () => {
    const values = exportedValues(
      [
        '```ts',
        'export function createCircuitBreaker(): CircuitBreaker;',
        'export function redisCacheStore(options: RedisCacheStoreOptions): CacheStore;',
        'export function twilioSmsNotifier(): SmsNotifier;',
        'export class SlotUnavailableError extends CarequeueError {}',
        'export function canonicalForm(value: unknown): string;',
        'export function sqlStateOf(error: unknown): string | undefined;',
        '```',
      ].join('\n'),
    );
    expect(values).toHaveLength(6);
    expect(values.map((value) => namingViolation(value, values))).toEqual(
      values.map(() => undefined),
    );
  });

  it('refuses a policy factory without create, naming the type it returns', () => {
    const [retry] = exportedValues(
      '```ts\nexport function retry(options?: RetryPolicyOptions): Policy;\n```',
    );
    expect(retry && namingViolation(retry)).toContain('returns a Policy');
  });

  it('refuses create<Engine>X and sqlX adapters', () => {
    const values = exportedValues(
      [
        '```ts',
        'export function createMemoryDeadLetterStore(): DeadLetterStore;',
        'export function sqlClinicRepository(executor: SqlExecutor): ClinicRepository;',
        '```',
      ].join('\n'),
    );
    expect(values.map((value) => namingViolation(value, values))).toEqual([
      'an adapter is named <engine>X, without create',
      'an adapter is named after its engine (postgresX), not sqlX',
    ]);
  });

  it('refuses a non-error class unless a createX factory stands beside it', () => {
    const alone = exportedValues('```ts\nexport class CircuitBreaker {}\n```');
    const withFactory = exportedValues(
      '```ts\nexport class CircuitBreaker {}\nexport function createCircuitBreaker(): CircuitBreaker;\n```',
    );
    expect(alone[0] && namingViolation(alone[0], alone)).toContain('allowed only for errors');
    expect(withFactory[0] && namingViolation(withFactory[0], withFactory)).toBeUndefined();
  });
});

describe('exported names in the API reports', () => {
  it('read some functions and classes from every package', () => {
    const packages = new Set(reports.filter((r) => r.values.length > 0).map((r) => r.pkg));
    expect([...packages].sort()).toEqual([
      'audit',
      'cache',
      'client',
      'core',
      'queue',
      'resilience',
    ]);
  });

  it('follow the naming table, apart from the listed exceptions', () => {
    const unexpected = namingViolations(reports).filter(
      (violation) => !KNOWN_EXCEPTIONS.includes(violation.id),
    );
    expect(unexpected).toEqual([]);
  });

  it('list no exception that already follows the table', () => {
    const current = new Set(namingViolations(reports).map((violation) => violation.id));
    expect(KNOWN_EXCEPTIONS.filter((id) => !current.has(id))).toEqual([]);
  });

  it.each(typeOnlyClasses(reports).map((entry) => [`${entry.pkg} ${entry.name}`, entry] as const))(
    '%s is exported as a type only, so it is built through its factory',
    async (_label, { pkg, file, name }) => {
      const manifest = readWorkspacePackages('packages').find((p) => p.dir.endsWith(`/${pkg}`));
      const entry = reportEntries(manifest?.manifest ?? { name: pkg }).find(
        (candidate) => candidate.reportFile === `api/${file}`,
      );
      expect(entry).toBeDefined();
      const built = join(
        manifest?.dir ?? '',
        (entry?.declarationFile ?? '').replace(/\.d\.ts$/, '.js'),
      );
      const module = (await import(pathToFileURL(built).href)) as Record<string, unknown>;
      expect(typeof module[`create${name}`]).toBe('function');
      expect(module).not.toHaveProperty(name);
    },
  );
});
