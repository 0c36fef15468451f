import { ValidationError } from '@carequeue/core';
import type { LogLevel } from '@carequeue/core/logger';
import { z } from 'zod';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug', 'silent'] as const satisfies LogLevel[];

/** Settings of the example server, read once at startup. */
export interface ServerConfig {
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host: string;
  /** TCP port to listen on; 0 picks a free port. @default 3000 */
  readonly port: number;
  /** Folder of the embedded database; `undefined` keeps it in memory. @default undefined */
  readonly dataDir: string | undefined;
  /** Lowest level that is logged. @default 'info' */
  readonly logLevel: LogLevel;
  /** How long each readiness check may take before it fails. @default 2000 */
  readonly healthCheckTimeoutMs: number;
}

/** Environment variables the server reads, by name. */
export type ServerEnv = Readonly<Record<string, string | undefined>>;

const emptyAsUnset = (value: unknown): unknown => (value === '' ? undefined : value);

const envSchema = z.object({
  HOST: z.preprocess(emptyAsUnset, z.string().default('127.0.0.1')),
  PORT: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number from 0 to 65535')
      .transform(Number)
      .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535'))
      .default(3000),
  ),
  CAREQUEUE_DATA_DIR: z.preprocess(emptyAsUnset, z.string().optional()),
  LOG_LEVEL: z.preprocess(
    emptyAsUnset,
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  HEALTH_CHECK_TIMEOUT_MS: z.preprocess(
    emptyAsUnset,
    z
      .string()
      .regex(/^[1-9]\d*$/, 'must be a whole number of milliseconds greater than 0')
      .transform(Number)
      .default(2000),
  ),
});

/**
 * Reads and validates the server settings from environment variables, applying the embedded
 * defaults for anything unset.
 *
 * @param env - the variables to read; the process environment unless given.
 * @returns the validated settings.
 * @throws {@link ValidationError} naming each invalid variable and what it must be.
 * @example
 * ```ts
 * const config = loadConfig({ PORT: '8080' });
 * config.port; // 8080
 * config.host; // '127.0.0.1'
 * ```
 */
export function loadConfig(env: ServerEnv = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.join('.'),
      message: issue.message,
    }));
    const summary = issues.map((issue) => `${issue.path} ${issue.message}`).join('; ');
    throw new ValidationError(`Invalid server configuration: ${summary}.`, issues);
  }
  return {
    host: parsed.data.HOST,
    port: parsed.data.PORT,
    dataDir: parsed.data.CAREQUEUE_DATA_DIR,
    logLevel: parsed.data.LOG_LEVEL,
    healthCheckTimeoutMs: parsed.data.HEALTH_CHECK_TIMEOUT_MS,
  };
}
