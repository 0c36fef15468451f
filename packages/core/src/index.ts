/**
 * `@carequeue/core`: the browser-safe vocabulary shared by every CareQueue package.
 *
 * Node-only parts live in subpath exports (`@carequeue/core/context`, `@carequeue/core/logger`).
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './clock.js';
export * from './durations.js';
export * from './logger-port.js';
export * from './uuidv7.js';
export * from './pooled-random.js';
export * from './id-generator.js';
export * from './ids.js';
export * from './phi.js';
export * from './validation.js';
export * from './model/index.js';
export * from './telemetry.js';
export * from './authorization/index.js';
