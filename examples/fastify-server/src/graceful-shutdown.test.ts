import { EventEmitter } from 'node:events';
import { silentLogger } from '@carequeue/core';
import { describe, expect, it, vi } from 'vitest';
import { closeOnSignals } from './graceful-shutdown.js';

function setup(close: () => Promise<void>) {
  const source = new EventEmitter();
  const exit = vi.fn<(code: number) => void>();
  const remove = closeOnSignals({ source, close, exit, logger: silentLogger });
  return { source, exit, remove };
}

describe('closeOnSignals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('closes then exits 0 when %s arrives', async (signal) => {
    const close = vi.fn(() => Promise.resolve());
    const { source, exit } = setup(close);

    source.emit(signal);
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));

    expect(close).toHaveBeenCalledTimes(1);
  });

  it('exits 1 when closing fails', async () => {
    const { source, exit } = setup(() => Promise.reject(new Error('stuck')));

    source.emit('SIGTERM');

    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(1));
  });

  it('leaves later signals to the default handler when shutdown has started', () => {
    const { source } = setup(() => new Promise<void>(() => undefined));

    source.emit('SIGINT');

    expect(source.listenerCount('SIGINT')).toBe(0);
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  it('stops listening when the returned function is called', () => {
    const close = vi.fn(() => Promise.resolve());
    const { source, remove } = setup(close);

    remove();
    source.emit('SIGTERM');

    expect(close).not.toHaveBeenCalled();
  });
});
