import { describe, expect, it } from 'vitest';
import { createManagedProcess } from './managed-process.js';

describe('createManagedProcess', () => {
  it('rejects with the end of the output when the process exits during start-up', async () => {
    const server = createManagedProcess({
      name: 'failing-server',
      command: 'sh',
      args: ['-c', 'echo "port already in use" >&2; exit 3'],
      isReady: () => Promise.resolve(false),
    });
    await expect(server.start()).rejects.toThrow(
      /failing-server did not start[\s\S]*port already in use/,
    );
    expect(server.running).toBe(false);
  });

  it('runs until stopped when the process becomes ready', async () => {
    const server = createManagedProcess({
      name: 'sleeper',
      command: 'sleep',
      args: ['300'],
      isReady: () => Promise.resolve(true),
    });
    await server.start();
    expect(server.running).toBe(true);
    await server.start();
    expect(server.running).toBe(true);
    await server.stop('SIGTERM');
    expect(server.running).toBe(false);
  });
});
