import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('returns the embedded defaults when no variable is set', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 3000,
      dataDir: undefined,
      logLevel: 'info',
      healthCheckTimeoutMs: 2000,
    });
  });

  it('reads every setting when the variables are set', () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '8080',
      CAREQUEUE_DATA_DIR: '/var/lib/carequeue',
      LOG_LEVEL: 'debug',
      HEALTH_CHECK_TIMEOUT_MS: '500',
    });
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/var/lib/carequeue',
      logLevel: 'debug',
      healthCheckTimeoutMs: 500,
    });
  });

  it('treats empty variables as unset when a shell exports them blank', () => {
    expect(loadConfig({ PORT: '', HOST: '', CAREQUEUE_DATA_DIR: '' })).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: undefined,
    });
  });

  it('accepts port 0 when the caller wants a free port', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('throws a ValidationError naming PORT when it is not a number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ValidationError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(
      'Invalid server configuration: PORT must be a whole number from 0 to 65535.',
    );
  });

  it('throws when PORT is above 65535', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT must be a whole number/);
  });

  it('lists every invalid variable when several are wrong', () => {
    let caught: unknown;
    try {
      loadConfig({ PORT: '-1', LOG_LEVEL: 'loud', HEALTH_CHECK_TIMEOUT_MS: '0' });
    } catch (error: unknown) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((issue) => issue.path)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'HEALTH_CHECK_TIMEOUT_MS',
    ]);
  });
});
