import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditStoreError } from './errors.js';
import { fileAuditSpool } from './file-spool.js';
import { sampleAuditEvent } from './testing/sample-event.js';

describe('fileAuditSpool', () => {
  let directory: string;
  let path: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cq-audit-spool-'));
    path = join(directory, 'nested', 'audit.spool');
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('gives back every field of the events when they were appended', async () => {
    const spool = fileAuditSpool({ path });
    const first = sampleAuditEvent();
    const second = sampleAuditEvent({ metadata: { note: 'tab\there' } });
    await spool.append([first]);
    await spool.append([second]);
    await spool.close();
    const reopened = fileAuditSpool({ path });
    expect(await reopened.load()).toEqual({ events: [first, second], discardedRecords: 0 });
    await reopened.close();
  });

  it('ignores and cuts a torn last record when a crash interrupted its write', async () => {
    const spool = fileAuditSpool({ path });
    const kept = sampleAuditEvent();
    await spool.append([kept]);
    await spool.close();
    const intact = await readFile(path, 'utf8');
    await appendFile(path, intact.slice(0, intact.length / 2));
    const recovered = fileAuditSpool({ path });
    expect(await recovered.load()).toEqual({ events: [kept], discardedRecords: 1 });
    const next = sampleAuditEvent();
    await recovered.append([next]);
    expect((await recovered.load()).events).toEqual([kept, next]);
    await recovered.close();
  });

  it('skips a record when its checksum does not match', async () => {
    const spool = fileAuditSpool({ path });
    await spool.append([sampleAuditEvent({ action: 'read' })]);
    const kept = sampleAuditEvent();
    await spool.append([kept]);
    await spool.close();
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"action":"read"', '"action":"view"'));
    const reopened = fileAuditSpool({ path });
    expect(await reopened.load()).toEqual({ events: [kept], discardedRecords: 1 });
    await reopened.close();
  });

  it('holds nothing when it was cleared', async () => {
    const spool = fileAuditSpool({ path });
    await spool.append([sampleAuditEvent()]);
    await spool.clear();
    expect(await spool.load()).toEqual({ events: [], discardedRecords: 0 });
    expect(await readFile(path, 'utf8')).toBe('');
    await spool.close();
  });

  it('throws an AuditStoreError naming the spool when the file cannot be opened', async () => {
    await writeFile(join(directory, 'blocker'), '');
    const spool = fileAuditSpool({ path: join(directory, 'blocker', 'audit.spool') });
    const error: unknown = await spool
      .append([sampleAuditEvent()])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuditStoreError);
    expect((error as AuditStoreError).message.startsWith('[audit:spool] append failed.')).toBe(
      true,
    );
    expect((error as AuditStoreError).cause).toBeInstanceOf(Error);
  });
});
