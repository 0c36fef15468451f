import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POSTGRES_URL,
  DEFAULT_REDIS_URL,
  postgresUrl,
  redactUrl,
  redisUrl,
  servicesRequired,
} from './service-urls.js';

describe('service urls', () => {
  it('uses the local defaults when no variable is set', () => {
    expect(postgresUrl({})).toBe(DEFAULT_POSTGRES_URL);
    expect(redisUrl({})).toBe(DEFAULT_REDIS_URL);
  });

  it('uses the environment variables when they are set', () => {
    const env = { CAREQUEUE_PG_URL: 'postgres://db:5433/x', CAREQUEUE_REDIS_URL: 'redis://r:1' };
    expect(postgresUrl(env)).toBe('postgres://db:5433/x');
    expect(redisUrl(env)).toBe('redis://r:1');
  });
});

describe('servicesRequired', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['false', false],
    ['1', true],
    ['true', true],
  ])('returns %s -> %s when CAREQUEUE_REQUIRE_SERVICES has that value', (value, expected) => {
    const env = value === undefined ? {} : { CAREQUEUE_REQUIRE_SERVICES: value };
    expect(servicesRequired(env)).toBe(expected);
  });
});

describe('redactUrl', () => {
  it('hides the password when the url has one', () => {
    expect(redactUrl('postgres://app:secret@db:5432/app')).toBe('postgres://app:***@db:5432/app');
  });

  it('returns the url unchanged when it has no password or does not parse', () => {
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactUrl('not a url')).toBe('not a url');
  });
});
