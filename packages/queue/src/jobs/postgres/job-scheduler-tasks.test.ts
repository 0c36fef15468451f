import { describe, expect, it } from 'vitest';
import { QueueConfigError } from '../../config/queue-config-error.js';
import { createJobScheduler } from './job-scheduler.js';

const executor = { query: () => Promise.resolve(), transaction: () => Promise.resolve() };

describe('createJobScheduler tasks option', () => {
  it('refuses a kind that has both a handler and a task, naming it', () => {
    expect(() =>
      createJobScheduler({
        executor: executor as never,
        handlers: { 'audit.seal': () => Promise.resolve() },
        tasks: { 'audit.seal': { run: () => Promise.resolve() } },
      }),
    ).toThrow(
      new QueueConfigError(
        'createJobScheduler: options.tasks and options.handlers both have the job kind audit.seal; give each kind a handler or a task, not both.',
      ),
    );
  });

  it('refuses a task without run with a QueueConfigError', () => {
    expect(() =>
      createJobScheduler({
        executor: executor as never,
        handlers: {},
        tasks: { 'audit.seal': (() => Promise.resolve()) as never },
      }),
    ).toThrow(QueueConfigError);
  });
});
