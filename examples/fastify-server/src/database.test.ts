import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCarequeueError } from '@carequeue/core';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database.js';

describe('openDatabase', () => {
  const folders: string[] = [];

  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('throws a non-transient ExternalServiceError when the data dir cannot be created', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'carequeue-db-'));
    folders.push(folder);
    const file = join(folder, 'not-a-folder');
    writeFileSync(file, '');

    const error: unknown = await openDatabase(join(file, 'data')).catch((e: unknown) => e);

    expect(isCarequeueError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EXTERNAL_SERVICE_FAILED', transient: false });
    expect((error as Error).message).not.toContain(folder);
  });
});
