import { describe, expect, it } from 'vitest';
import type { ScheduledJob } from './ports/job-scheduler.js';
import { QueueConfigError } from '../config/queue-config-error.js';
import { holdExpiryJob, MAINTENANCE_JOBS, noShowJob } from './maintenance-jobs.js';

const job = (kind: string, payload: ScheduledJob['payload'] = {}): ScheduledJob => ({
  id: 'j1',
  tenantId: 't1',
  kind,
  uniqueKey: `${kind}:1`,
  payload,
  runAt: 0,
  attempt: 1,
});
const context = { tx: {} as never, now: 0 };

describe('maintenance jobs', () => {
  it("runs the clinic's no-show sweep for the job's tenant", async () => {
    const swept: string[] = [];
    const handler = noShowJob({
      markNoShows: (tenantId, clinicId) => Promise.resolve(swept.push(`${tenantId}/${clinicId}`)),
    });

    await handler(job(MAINTENANCE_JOBS.noShow, { clinicId: 'c1' }), context);

    expect(swept).toEqual(['t1/c1']);
  });

  it("sweeps the clinic's lapsed holds for the job's tenant", async () => {
    const swept: string[] = [];
    const handler = holdExpiryJob({
      expireLapsedHolds: (tenantId, clinicId) =>
        Promise.resolve(swept.push(`${tenantId}/${clinicId}`)),
    });

    await handler(job(MAINTENANCE_JOBS.holdExpiry, { clinicId: 'c1' }), context);

    expect(swept).toEqual(['t1/c1']);
  });

  describe.each([
    ['noShowJob', noShowJob as (options: unknown) => unknown, 'markNoShows'],
    ['holdExpiryJob', holdExpiryJob as (options: unknown) => unknown, 'expireLapsedHolds'],
  ] as const)('%s options', (name, factory, option) => {
    const sweep = () => Promise.resolve();

    it('refuses options that are not an object with a QueueConfigError naming the factory (was accepted, then a TypeError when the job ran)', () => {
      for (const options of [null, undefined, 'options', 42, []]) {
        expect(() => factory(options)).toThrow(QueueConfigError);
        expect(() => factory(options)).toThrow(`${name}: options `);
      }
    });

    it('refuses a missing or non-function sweep, naming the option', () => {
      for (const value of [undefined, null, 'sweep', { run: sweep }]) {
        expect(() => factory({ [option]: value })).toThrow(
          `Invalid queue configuration: ${name}: options.${option} `,
        );
      }
    });

    it('refuses an option it does not know, such as a misspelt sweep', () => {
      expect(() => factory({ [option]: sweep, [`${option}s`]: sweep })).toThrow(
        `${name}: options has 1 unrecognized field(s)`,
      );
    });

    it('accepts the sweep function', () => {
      expect(typeof factory({ [option]: sweep })).toBe('function');
    });
  });
});
