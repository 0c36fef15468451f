import { isCarequeueError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import * as postgres from '../postgres/index.js';
import * as supabase from '../supabase/index.js';
import * as root from '../index.js';
import * as smtp from '../notifications/smtp/email-notifier.js';
import * as twilio from '../notifications/twilio/sms-notifier.js';
import * as redis from '../realtime/redis/event-bus.js';
import * as supabaseRealtime from '../realtime/supabase/event-bus.js';
import { QueueConfigError } from './queue-config-error.js';

// Every factory of every runtime entry point, found by name like the public-API fuzz suite does,
// so a new factory is covered without editing this file.
const FACTORY_NAME =
  /^(create|memory|sql|postgres|supabase|redis|twilio|smtp|notifying|resilient|queueNotification|transactional|http)[A-Z]/;

const factories = Object.entries({
  ...root,
  ...postgres,
  ...supabase,
  ...smtp,
  ...twilio,
  ...redis,
  ...supabaseRealtime,
}).filter(
  (entry): entry is [string, (...args: unknown[]) => unknown] =>
    FACTORY_NAME.test(entry[0]) && typeof entry[1] === 'function',
);

const MARKER = 'Zq8marker';

/** The error `create` throws, or `undefined` when it returns. */
function thrownBy(create: () => unknown): unknown {
  try {
    create();
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('factory options', () => {
  it('finds the factories of every entry point', () => {
    expect(factories.length).toBeGreaterThan(60);
  });

  it.each(factories)(
    '%s refuses options that are not an object with a QueueConfigError (or a ValidationError for an argument), never a raw TypeError',
    (_name, factory) => {
      for (const value of [null, MARKER, 42, [MARKER], Symbol('options')]) {
        const error = thrownBy(() => factory(value));
        if (error === undefined) continue;
        expect(isCarequeueError(error)).toBe(true);
        expect(['QUEUE_CONFIG_INVALID', 'VALIDATION_FAILED']).toContain(
          (error as QueueConfigError).code,
        );
        expect(JSON.stringify(error)).not.toContain(MARKER);
      }
    },
  );

  it.each(factories.filter(([, factory]) => factory.length > 0))(
    '%s, which needs options, refuses null and an empty object with a QueueConfigError naming the factory (was a raw TypeError or RangeError)',
    (name, factory) => {
      for (const value of [null, {}]) {
        const error = thrownBy(() => factory(value));
        if (name === 'createSeededRandom') {
          expect(error).toMatchObject({ code: 'VALIDATION_FAILED' });
          continue;
        }
        expect(error).toBeInstanceOf(QueueConfigError);
        expect((error as Error).message).toContain(name);
      }
    },
  );

  it('names the option at fault without echoing the value given', () => {
    const error = thrownBy(() =>
      root.createQueueService({
        unitOfWork: { run: MARKER },
        audit: {},
        cache: {},
        clock: {},
      } as never),
    );
    expect(error).toBeInstanceOf(QueueConfigError);
    expect((error as Error).message).toContain('options.unitOfWork must be a WalkInUnitOfWork');
    expect(JSON.stringify((error as QueueConfigError).toProblem())).not.toContain(MARKER);
  });
});
