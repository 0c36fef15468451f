import { type Clock, isCarequeueError, systemClock, TimeoutError } from '@carequeue/core';
import { numberOption } from '../config/number-option.js';
import { optionsObject } from '../config/options-object.js';
import { timerDurationMs } from '../config/timer-duration.js';
import { ResilienceConfigError } from '../errors.js';
import type { HealthCheckEntry, HealthJson, HealthStatus } from './health-json.js';

/**
 * What a check may return: nothing (pass) or an explicit status with a short reason.
 *
 * @example
 * ```ts
 * const outcome: HealthCheckOutcome = { status: 'warn', output: 'served by the fallback' };
 * ```
 */
export interface HealthCheckOutcome {
  readonly status: HealthStatus;
  /** Why the check warned or failed. Never include patient data. */
  readonly output?: string;
}

/**
 * What a check receives: a signal that aborts when the check's timeout elapses.
 *
 * @example
 * ```ts
 * const check: HealthCheck = ({ signal }) => fetch(url, { signal }).then(() => undefined);
 * ```
 */
export interface HealthCheckContext {
  readonly signal: AbortSignal;
}

/**
 * A health check. Resolving passes, resolving an outcome reports its status, throwing or
 * timing out fails.
 *
 * @example
 * ```ts
 * const database: HealthCheck = async ({ signal }) => {
 *   await pool.query('select 1', { signal });
 * };
 * ```
 */
export type HealthCheck = (
  context: HealthCheckContext,
) => Promise<HealthCheckOutcome | undefined | void> | HealthCheckOutcome | undefined | void;

/**
 * Options of one registered check.
 *
 * @example
 * ```ts
 * health.register('twilio', check, { timeoutMs: 500, cacheMs: 10_000, critical: false });
 * ```
 */
export interface HealthCheckOptions {
  /**
   * How long the check may take before it fails.
   * @default 1000
   */
  readonly timeoutMs?: number;
  /**
   * How long a result is reused, so that probes do not hammer the dependency.
   * @default 5000
   */
  readonly cacheMs?: number;
  /**
   * Whether the service is unready while this check fails. A failing non-critical check only
   * degrades the service (`warn`).
   * @default true
   */
  readonly critical?: boolean;
  /**
   * Groups checks in {@link HealthRegistry.report}, such as `external_apis`.
   * @default undefined
   */
  readonly group?: string;
  /**
   * The `componentType` in `application/health+json`.
   * @default 'component'
   */
  readonly componentType?: string;
}

/**
 * A check's status in the roadmap's health report format.
 *
 * @example
 * ```ts
 * const status: HealthReportStatus = 'degraded';
 * ```
 */
export type HealthReportStatus = 'healthy' | 'degraded' | 'unhealthy';

/**
 * The roadmap's health report: an overall status, when it was built, and each check's status
 * (grouped checks nest under their group).
 *
 * @example
 * ```ts
 * const report: HealthReport = {
 *   status: 'healthy',
 *   timestamp: '2026-01-01T00:00:00.000Z',
 *   checks: { database: 'healthy', external_apis: { twilio: 'healthy' } },
 * };
 * ```
 */
export interface HealthReport {
  readonly status: HealthReportStatus;
  readonly timestamp: string;
  readonly checks: Readonly<
    Record<string, HealthReportStatus | Readonly<Record<string, HealthReportStatus>>>
  >;
}

/**
 * Options of a {@link HealthRegistry}.
 *
 * @example
 * ```ts
 * const health = createHealthRegistry({ clock: systemClock });
 * ```
 */
export interface HealthRegistryOptions {
  /**
   * Where time comes from (timeouts, caching, timestamps).
   * @default systemClock
   */
  readonly clock?: Clock;
}

interface CheckResult {
  readonly status: HealthStatus;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly output?: string;
}

interface RegisteredCheck {
  readonly name: string;
  readonly check: HealthCheck;
  readonly timeoutMs: number;
  readonly cacheMs: number;
  readonly critical: boolean;
  readonly group: string | undefined;
  readonly componentType: string;
  cached: { readonly result: CheckResult; readonly expiresAt: number } | undefined;
  running: Promise<CheckResult> | undefined;
}

const REPORT_STATUS: Readonly<Record<HealthStatus, HealthReportStatus>> = {
  pass: 'healthy',
  warn: 'degraded',
  fail: 'unhealthy',
};

const SEVERITY: Readonly<Record<HealthStatus, number>> = { pass: 0, warn: 1, fail: 2 };

const STATUSES: readonly unknown[] = ['pass', 'warn', 'fail'];

/** The longest check name, group or component type: each is written into every report. */
const MAX_NAME_LENGTH = 200;

/** The longest output of a check kept in a report. */
const MAX_OUTPUT_LENGTH = 1000;

const NOT_AN_OUTCOME =
  'The check returned something other than { status: pass | warn | fail, output? }; fix the check.';

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

/** What a check's return value says: nothing is a pass, anything but an outcome a failure. */
function outcomeOf(value: unknown): HealthCheckOutcome {
  if (value === undefined || value === null) return { status: 'pass' };
  if (typeof value !== 'object') return { status: 'fail', output: NOT_AN_OUTCOME };
  const { status, output } = value as Partial<Record<keyof HealthCheckOutcome, unknown>>;
  if (!STATUSES.includes(status)) return { status: 'fail', output: NOT_AN_OUTCOME };
  return {
    status: status as HealthStatus,
    ...(typeof output === 'string' ? { output: output.slice(0, MAX_OUTPUT_LENGTH) } : {}),
  };
}

function worst(statuses: Iterable<HealthStatus>): HealthStatus {
  let result: HealthStatus = 'pass';
  for (const status of statuses) if (SEVERITY[status] > SEVERITY[result]) result = status;
  return result;
}

function outputOf(error: unknown): string {
  // Only CareQueue messages are known to be free of input values; anything else may echo them.
  if (isCarequeueError(error)) return error.message;
  return 'The check threw an error; see the service logs.';
}

/**
 * Named health checks with timeouts and short result caches, served as liveness, readiness,
 * the roadmap's report and IETF `application/health+json`.
 *
 * Created by {@link createHealthRegistry}.
 */
class HealthRegistry {
  readonly #clock: Clock;
  readonly #checks = new Map<string, RegisteredCheck>();

  constructor(options: HealthRegistryOptions = {}) {
    this.#clock = optionsObject('HealthRegistry options', options).clock ?? systemClock;
  }

  /**
   * Adds a check under a unique name.
   *
   * A check that returns neither nothing nor a {@link HealthCheckOutcome} counts as failing,
   * with an output that says so; a check's own output is cut to 1000 characters.
   *
   * @throws {@link ResilienceConfigError} when `name` is not a string of 1 to 200 characters or
   * a check with this name is already registered (a wiring mistake, so a configuration error
   * like the others), `check` is not a function, `options` is not an object, `timeoutMs` is not
   * greater than 0 and at most 2147483647, `cacheMs` is negative or not finite, `critical` is not
   * a boolean, `group` or `componentType` is not a string of 1 to 200 characters, or a group
   * would share its name with an ungrouped check.
   * @example
   * ```ts
   * health.register('redis', async () => { await redis.ping(); }, { timeoutMs: 300 });
   * ```
   */
  register(name: string, check: HealthCheck, options: HealthCheckOptions = {}): this {
    if (!isName(name)) {
      throw new ResilienceConfigError(
        `HealthRegistry.register name must be a string of 1 to ${MAX_NAME_LENGTH} characters.`,
      );
    }
    if (this.#checks.has(name)) {
      throw new ResilienceConfigError(
        'HealthRegistry.register name is already registered; give each check a unique name.',
      );
    }
    if (typeof check !== 'function') {
      throw new ResilienceConfigError('HealthRegistry.register check must be a function.');
    }
    optionsObject('HealthRegistry.register options', options);
    const { critical, group, componentType } = options;
    if (critical !== undefined && typeof critical !== 'boolean') {
      throw new ResilienceConfigError(
        'HealthRegistry.register options.critical must be true, false or be left out.',
      );
    }
    for (const [option, value] of [
      ['group', group],
      ['componentType', componentType],
    ] as const) {
      if (value !== undefined && !isName(value)) {
        throw new ResilienceConfigError(
          `HealthRegistry.register options.${option} must be a string of 1 to ${MAX_NAME_LENGTH} characters or be left out.`,
        );
      }
    }
    // A report lists ungrouped checks and groups side by side under their names.
    const taken = [...this.#checks.values()].some((entry) =>
      group === undefined
        ? entry.group === name
        : entry.group === undefined && entry.name === group,
    );
    if (taken) {
      throw new ResilienceConfigError(
        'HealthRegistry.register: a group and an ungrouped check cannot share a name; rename one of them.',
      );
    }
    const timeoutMs = timerDurationMs(
      'HealthRegistry.register options.timeoutMs',
      options.timeoutMs ?? 1000,
    );
    // A cache length is compared with the clock, never put in a timer.
    const cacheMs = numberOption(
      'HealthRegistry.register options.cacheMs',
      options.cacheMs ?? 5000,
      0,
    );
    this.#checks.set(name, {
      name,
      check,
      timeoutMs,
      cacheMs,
      critical: critical ?? true,
      group,
      componentType: componentType ?? 'component',
      cached: undefined,
      running: undefined,
    });
    return this;
  }

  /**
   * Whether the process itself is alive. Runs no dependency check, so a slow dependency never
   * gets a healthy instance restarted.
   *
   * @example
   * ```ts
   * app.get('/health/live', async () => health.liveness());
   * ```
   */
  liveness(): Promise<HealthJson> {
    return Promise.resolve({ status: 'pass', checks: {}, time: this.#isoNow() });
  }

  /**
   * Whether the service can take traffic: runs the critical checks and fails when one fails.
   *
   * @example
   * ```ts
   * const doc = await health.readiness();
   * reply.status(healthHttpStatus(doc.status)).type(HEALTH_JSON_MEDIA_TYPE).send(doc);
   * ```
   */
  async readiness(): Promise<HealthJson> {
    const critical = [...this.#checks.values()].filter((entry) => entry.critical);
    const results = await this.#runAll(critical);
    return this.#toJson(critical, results, (_entry, result) => result.status);
  }

  /**
   * Runs every check and returns the roadmap's report: `unhealthy` when a critical check fails,
   * `degraded` when any check warns or a non-critical one fails.
   *
   * @example
   * ```ts
   * const report = await health.report(); // { status: 'healthy', timestamp, checks: {...} }
   * ```
   */
  async report(): Promise<HealthReport> {
    const entries = [...this.#checks.values()];
    const results = await this.#runAll(entries);
    // Maps, turned into objects at the end, so a name such as __proto__ is an ordinary key.
    const checks = new Map<string, HealthReportStatus | Map<string, HealthReportStatus>>();
    entries.forEach((entry, index) => {
      const status = REPORT_STATUS[(results[index] as CheckResult).status];
      if (entry.group === undefined) {
        checks.set(entry.name, status);
        return;
      }
      const existing = checks.get(entry.group);
      const group = existing instanceof Map ? existing : new Map<string, HealthReportStatus>();
      group.set(entry.name, status);
      checks.set(entry.group, group);
    });
    const overall = worst(entries.map((entry, index) => this.#effective(entry, results[index])));
    return {
      status: REPORT_STATUS[overall],
      timestamp: this.#isoNow(),
      checks: Object.fromEntries(
        [...checks].map(([key, value]) => [
          key,
          value instanceof Map ? Object.fromEntries(value) : value,
        ]),
      ),
    };
  }

  /**
   * Runs every check and returns the full IETF `application/health+json` document.
   *
   * @example
   * ```ts
   * reply.type(HEALTH_JSON_MEDIA_TYPE).send(await health.toHealthJson());
   * ```
   */
  async toHealthJson(): Promise<HealthJson> {
    const entries = [...this.#checks.values()];
    const results = await this.#runAll(entries);
    return this.#toJson(entries, results, (entry, result) => this.#effective(entry, result));
  }

  #effective(entry: RegisteredCheck, result: CheckResult | undefined): HealthStatus {
    const status = (result as CheckResult).status;
    return status === 'fail' && !entry.critical ? 'warn' : status;
  }

  #toJson(
    entries: readonly RegisteredCheck[],
    results: readonly CheckResult[],
    contribution: (entry: RegisteredCheck, result: CheckResult) => HealthStatus,
  ): HealthJson {
    const checks: Record<string, HealthCheckEntry[]> = {};
    const statuses: HealthStatus[] = [];
    entries.forEach((entry, index) => {
      const result = results[index] as CheckResult;
      statuses.push(contribution(entry, result));
      checks[`${entry.name}:responseTime`] = [
        {
          componentId: entry.name,
          componentType: entry.componentType,
          status: result.status,
          observedValue: result.durationMs,
          observedUnit: 'ms',
          time: new Date(result.startedAt).toISOString(),
          ...(result.output === undefined ? {} : { output: result.output }),
        },
      ];
    });
    return { status: worst(statuses), checks, time: this.#isoNow() };
  }

  #runAll(entries: readonly RegisteredCheck[]): Promise<CheckResult[]> {
    return Promise.all(entries.map((entry) => this.#run(entry)));
  }

  #run(entry: RegisteredCheck): Promise<CheckResult> {
    const now = this.#clock.now();
    if (entry.cached !== undefined && now < entry.cached.expiresAt) {
      return Promise.resolve(entry.cached.result);
    }
    // Concurrent probes share one run of the check instead of each hitting the dependency.
    if (entry.running !== undefined) return entry.running;
    const running = this.#execute(entry, now).then((result) => {
      entry.cached = { result, expiresAt: this.#clock.now() + entry.cacheMs };
      entry.running = undefined;
      return result;
    });
    entry.running = running;
    return running;
  }

  #execute(entry: RegisteredCheck, startedAt: number): Promise<CheckResult> {
    const clock = this.#clock;
    const controller = new AbortController();
    const finish = (status: HealthStatus, output?: string): CheckResult => ({
      status,
      startedAt,
      durationMs: clock.now() - startedAt,
      ...(output === undefined ? {} : { output }),
    });
    return new Promise<CheckResult>((resolve) => {
      const timer = clock.setTimeout(() => {
        controller.abort(new TimeoutError(`health check ${entry.name}`, entry.timeoutMs));
        resolve(finish('fail', `The check did not finish within ${entry.timeoutMs} ms.`));
      }, entry.timeoutMs);
      Promise.resolve()
        .then(() => entry.check({ signal: controller.signal }))
        .then(
          (value) => {
            clock.clearTimeout(timer);
            const outcome = outcomeOf(value);
            resolve(finish(outcome.status, outcome.output));
          },
          (error: unknown) => {
            clock.clearTimeout(timer);
            resolve(finish('fail', outputOf(error)));
          },
        );
    });
  }

  #isoNow(): string {
    return new Date(this.#clock.now()).toISOString();
  }
}

/**
 * Creates a {@link HealthRegistry}.
 *
 * @example
 * ```ts
 * import { createHealthRegistry, healthHttpStatus } from '@carequeue/resilience';
 *
 * const health = createHealthRegistry({ clock: systemClock });
 * health.register('database', () => pool.query('select 1').then(() => undefined), {
 *   timeoutMs: 1000,
 *   cacheMs: 5000,
 *   critical: true,
 * });
 * app.get('/health/ready', async (_req, reply) => {
 *   const doc = await health.readiness();
 *   reply.status(healthHttpStatus(doc.status)).send(doc);
 * });
 * ```
 */
export function createHealthRegistry(options: HealthRegistryOptions = {}): HealthRegistry {
  return new HealthRegistry(options);
}

export type { HealthRegistry };
