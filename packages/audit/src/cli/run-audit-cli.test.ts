import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlExecutor } from '@carequeue/core/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CLI_EXIT } from './exit-codes.js';
import { AUDIT_CLI_USAGE, runAuditCli, type AuditCliIo } from './run-audit-cli.js';

const TENANT = '0190a5c2-7b3e-7c1d-9f00-1a2b3c4d5e6f';
// A value that must never reach stderr: it stands for PHI typed into the wrong option.
const SECRET = 'Jane-Doe-1970-01-01';

interface FakeIo extends AuditCliIo {
  readonly out: string[];
  readonly err: string[];
  readonly connects: string[];
  readonly queries: string[];
}

/**
 * An io whose database answers every query by throwing `failure` (or connecting fails), or,
 * with `empty`, by returning no rows, as a database holding no trail for the tenant does.
 */
function fakeIo(
  options: {
    failure?: Error;
    connectFailure?: Error;
    env?: Record<string, string>;
    empty?: boolean;
  } = {},
): FakeIo {
  const out: string[] = [];
  const err: string[] = [];
  const connects: string[] = [];
  const queries: string[] = [];
  const query = (text: string) => {
    queries.push(text);
    return options.empty
      ? Promise.resolve({ rows: [] })
      : Promise.reject(options.failure ?? new Error('no query expected'));
  };
  const executor = {
    query,
    exec: query,
    queryBeforeCommit: query,
    transaction: () => Promise.reject(options.failure ?? new Error('no transaction expected')),
  } as unknown as SqlExecutor;
  return {
    out,
    err,
    connects,
    queries,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: options.env ?? { CAREQUEUE_AUDIT_DATABASE_URL: 'postgres://audit@127.0.0.1:1/audit' },
    connect(url) {
      connects.push(url);
      if (options.connectFailure !== undefined) return Promise.reject(options.connectFailure);
      return Promise.resolve({ executor, close: () => Promise.resolve() });
    },
  };
}

function pgError(code: string): Error {
  return Object.assign(new Error('driver detail with a row value'), { code });
}

describe('runAuditCli', () => {
  let directory: string;
  let signingKey: string;
  let publicKey: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'cq-audit-cli-unit-'));
    const keys = generateKeyPairSync('ed25519');
    signingKey = join(directory, 'signing.pem');
    publicKey = join(directory, 'public.pem');
    await writeFile(signingKey, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await writeFile(publicKey, keys.publicKey.export({ type: 'spki', format: 'pem' }));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('exits 2 without connecting when --tenant is malformed, and does not echo it', async () => {
    const io = fakeIo({ failure: pgError('22P02') });
    expect(await runAuditCli(['verify', '--tenant', SECRET], io)).toBe(AUDIT_CLI_EXIT.usage);
    expect(io.connects).toEqual([]);
    const stderr = io.err.join('');
    expect(stderr).toContain('--tenant must be a tenant id in UUID form');
    expect(stderr).not.toContain(SECRET);
  });

  it('exits 2 without connecting when export --format is xml', async () => {
    const io = fakeIo();
    expect(await runAuditCli(['export', '--tenant', TENANT, '--format', 'xml'], io)).toBe(
      AUDIT_CLI_EXIT.usage,
    );
    expect(io.connects).toEqual([]);
    expect(io.err.join('')).toContain('--format must be one of bundle, ndjson for exports.');
  });

  // Every option of every command in AUDIT_CLI_USAGE, each with a value it must refuse: all are
  // caught before a connection is opened, and none is echoed.
  const refused: readonly (readonly [string, readonly string[], string])[] = [
    [
      'a malformed --database-url',
      ['verify', '--tenant', TENANT, '--database-url', SECRET],
      '--database-url must be a postgres://',
    ],
    ['report --tenant malformed', ['report', 'security', '--tenant', SECRET], '--tenant must be'],
    ['export --tenant malformed', ['export', '--tenant', SECRET], '--tenant must be'],
    [
      'retention --tenant malformed',
      [
        'retention',
        '--archive-dir',
        '<dir>',
        '--signing-key',
        '<key>',
        '--standard-years',
        '1',
        '--acknowledge-below-floor',
        'why',
        '--acknowledged-by',
        'officer',
        '--tenant',
        SECRET,
      ],
      '--tenant must be',
    ],
    [
      '--patient empty',
      ['report', 'patient-access', '--tenant', TENANT, '--patient', ' '],
      '--patient is required',
    ],
    ['--user missing', ['report', 'user-activity', '--tenant', TENANT], '--user is required'],
    [
      '--from not ISO',
      ['report', 'security', '--tenant', TENANT, '--from', SECRET],
      '--from must be an ISO 8601 date',
    ],
    [
      '--to without a zone',
      ['export', '--tenant', TENANT, '--to', '2026-01-31T08:00:00'],
      '--to must be an ISO 8601 date',
    ],
    [
      '--from after --to',
      ['export', '--tenant', TENANT, '--from', '2026-02-01', '--to', '2026-01-01'],
      '--from must not be after --to',
    ],
    [
      'report --format xml',
      ['report', 'security', '--tenant', TENANT, '--format', SECRET],
      '--format must be one of json, csv, html',
    ],
    [
      '--sort-by unknown',
      ['report', 'range', '--tenant', TENANT, '--sort-by', SECRET],
      '--sort-by must be one of',
    ],
    [
      '--order unknown',
      ['report', 'range', '--tenant', TENANT, '--order', SECRET],
      '--order must be one of asc, desc',
    ],
    [
      '--include-staff outside patient-access',
      ['report', 'security', '--tenant', TENANT, '--include-staff'],
      '--include-staff does not apply to report security',
    ],
    [
      '--out on verify',
      ['verify', '--tenant', TENANT, '--out', SECRET],
      '--out does not apply to verify',
    ],
    [
      '--format on verify',
      ['verify', '--tenant', TENANT, '--format', 'json'],
      '--format does not apply to verify',
    ],
    [
      '--checkpoint without --public-key',
      ['verify', '--tenant', TENANT, '--checkpoint', '<key>'],
      '--checkpoint needs --public-key',
    ],
    [
      '--public-key without --checkpoint',
      ['verify', '--tenant', TENANT, '--public-key', '<public>'],
      '--public-key needs --checkpoint',
    ],
    [
      '--checkpoint unreadable',
      ['verify', '--tenant', TENANT, '--checkpoint', `<dir>/${SECRET}`, '--public-key', '<public>'],
      '--checkpoint cannot be read',
    ],
    [
      '--checkpoint not a checkpoint',
      ['verify', '--tenant', TENANT, '--checkpoint', '<key>', '--public-key', '<public>'],
      '--checkpoint must be a checkpoint',
    ],
    ['--archive-dir missing', ['retention', '--signing-key', '<key>'], '--archive-dir is required'],
    ['--signing-key missing', ['retention', '--archive-dir', '<dir>'], '--signing-key is required'],
    [
      '--signing-key not a key',
      ['retention', '--archive-dir', '<dir>', '--signing-key', '<dir>'],
      '--signing-key cannot be read',
    ],
    [
      '--signing-key holding a public key',
      ['retention', '--archive-dir', '<dir>', '--signing-key', '<public>'],
      '--signing-key must hold a PEM private key',
    ],
    [
      '--dry-run outside retention',
      ['export', '--tenant', TENANT, '--dry-run'],
      '--dry-run does not apply to export',
    ],
    [
      '--standard-years not a number',
      ['retention', '--archive-dir', '<dir>', '--signing-key', '<key>', '--standard-years', SECRET],
      '--standard-years must be a whole number',
    ],
    [
      '--extended-years fractional',
      ['retention', '--archive-dir', '<dir>', '--signing-key', '<key>', '--extended-years', '1.5'],
      '--extended-years must be a whole number',
    ],
    [
      '--acknowledge-below-floor blank',
      [
        'retention',
        '--archive-dir',
        '<dir>',
        '--signing-key',
        '<key>',
        '--acknowledge-below-floor',
        ' ',
      ],
      '--acknowledge-below-floor needs a reason',
    ],
    [
      '--acknowledged-by missing',
      [
        'retention',
        '--archive-dir',
        '<dir>',
        '--signing-key',
        '<key>',
        '--acknowledge-below-floor',
        'why',
        '--tenant',
        TENANT,
      ],
      '--acknowledged-by is required',
    ],
    [
      'retention --tenant without an acknowledgement',
      ['retention', '--archive-dir', '<dir>', '--signing-key', '<key>', '--tenant', TENANT],
      'retention always runs over every tenant',
    ],
    [
      'an unknown option (parseArgs quoted it as typed)',
      ['verify', '--tenant', TENANT, `--${SECRET}`],
      'Unknown option',
    ],
    ['an unknown short option', ['verify', '--tenant', TENANT, '-J'], 'Unknown option'],
    ['an unknown command', [SECRET], 'Unknown command'],
    ['an unknown report kind', ['report', SECRET, '--tenant', TENANT], 'report needs a kind'],
    ['an extra argument', ['verify', SECRET, '--tenant', TENANT], 'verify takes no arguments'],
  ];

  it.each(refused)('exits 2 without connecting for %s', async (_, template, message) => {
    const args = template.map((arg) =>
      arg.replace('<dir>', directory).replace('<key>', signingKey).replace('<public>', publicKey),
    );
    const io = fakeIo();
    expect(await runAuditCli(args, io)).toBe(AUDIT_CLI_EXIT.usage);
    expect(io.connects).toEqual([]);
    const stderr = io.err.join('');
    expect(stderr).toContain(message);
    expect(stderr).toContain(AUDIT_CLI_USAGE);
    expect(stderr).not.toContain(SECRET);
  });

  it('exits 2 without connecting when the database URL in the environment is malformed, and does not echo it', async () => {
    const io = fakeIo({ env: { CAREQUEUE_AUDIT_DATABASE_URL: `mysql://${SECRET}@db/audit` } });
    expect(await runAuditCli(['verify', '--tenant', TENANT], io)).toBe(AUDIT_CLI_EXIT.usage);
    expect(io.connects).toEqual([]);
    expect(io.err.join('')).toContain('CAREQUEUE_AUDIT_DATABASE_URL must be a postgres://');
    expect(io.err.join('')).not.toContain(SECRET);
  });

  it('exits 6 without connecting when --out is not writable, naming --out and not the path', async () => {
    const blocker = join(directory, 'a-file');
    await writeFile(blocker, '');
    for (const out of [join(directory, SECRET, 'report.csv'), join(blocker, SECRET), directory]) {
      const io = fakeIo();
      expect(
        await runAuditCli(['report', 'security', '--tenant', TENANT, '--out', out], io),
        out,
      ).toBe(AUDIT_CLI_EXIT.outputFailed);
      expect(io.connects).toEqual([]);
      expect(io.err.join('')).toContain('--out cannot be written');
      expect(io.err.join('')).not.toContain(SECRET);
    }
  });

  it('exits 6 without connecting when --archive-dir is below a file', async () => {
    const blocker = join(directory, 'not-a-folder');
    await writeFile(blocker, '');
    const io = fakeIo();
    expect(
      await runAuditCli(
        ['retention', '--archive-dir', join(blocker, 'archive'), '--signing-key', signingKey],
        io,
      ),
    ).toBe(AUDIT_CLI_EXIT.outputFailed);
    expect(io.connects).toEqual([]);
    expect(io.err.join('')).toContain('--archive-dir cannot be written');
  });

  it('exits 3 only for an unreachable database: refused, authentication failed, timed out', async () => {
    const unreachable = [
      { connectFailure: pgError('ECONNREFUSED') },
      { connectFailure: new Error('anything at all while connecting') },
      { failure: pgError('ECONNRESET') },
      { failure: pgError('28P01') },
      { failure: pgError('57014') },
      { failure: pgError('08006') },
      { failure: new Error('Connection terminated due to connection timeout') },
    ];
    for (const failure of unreachable) {
      const io = fakeIo(failure);
      expect(await runAuditCli(['verify', '--tenant', TENANT], io)).toBe(
        AUDIT_CLI_EXIT.unavailable,
      );
      expect(io.err.join('')).toContain('The audit database could not be reached');
      expect(io.err.join('')).not.toContain('row value');
    }
  });

  it('exits 7, not 3, when the database answers with another failure or an unexpected error is thrown', async () => {
    for (const failure of [pgError('42P01'), pgError('EPERM'), new TypeError('a bug')]) {
      const io = fakeIo({ failure });
      expect(await runAuditCli(['verify', '--tenant', TENANT], io)).toBe(AUDIT_CLI_EXIT.failed);
      expect(io.err.join('')).not.toContain('could not be reached');
      expect(io.err.join('')).not.toContain('row value');
    }
    const io = fakeIo({ failure: pgError('42P01') });
    await runAuditCli(['verify', '--tenant', TENANT], io);
    expect(io.err.join('')).toContain('AUDIT_STORE_FAILED');
    expect(io.err.join('')).toContain('(SQLSTATE 42P01)');
  });

  it('exits 1 without connecting when the checkpoint does not verify with the public key', async () => {
    const other = generateKeyPairSync('ed25519');
    const otherKey = join(directory, 'other-public.pem');
    await writeFile(otherKey, other.publicKey.export({ type: 'spki', format: 'pem' }));
    const checkpoint = join(directory, 'forged.json');
    await writeFile(
      checkpoint,
      JSON.stringify({
        version: 'cq-audit-checkpoint-v1',
        tenantId: TENANT,
        sequence: 3,
        hash: 'ab'.repeat(32),
        signedAt: '2026-01-01T00:00:00.000Z',
        signature: 'AAAA',
      }),
    );
    const io = fakeIo();
    expect(
      await runAuditCli(
        ['verify', '--tenant', TENANT, '--checkpoint', checkpoint, '--public-key', otherKey],
        io,
      ),
    ).toBe(AUDIT_CLI_EXIT.verificationFailed);
    expect(io.connects).toEqual([]);
    expect(io.err.join('')).toContain('The audit checkpoint is invalid');
  });

  it('exits 2 when the checkpoint was signed for another tenant', async () => {
    const checkpoint = join(directory, 'other-tenant.json');
    await writeFile(
      checkpoint,
      JSON.stringify({
        version: 'cq-audit-checkpoint-v1',
        tenantId: '0190a5c2-7b3e-7c1d-9f00-000000000000',
        sequence: 3,
        hash: 'ab'.repeat(32),
        signedAt: '2026-01-01T00:00:00.000Z',
        signature: 'AAAA',
      }),
    );
    const io = fakeIo();
    expect(
      await runAuditCli(
        ['verify', '--tenant', TENANT, '--checkpoint', checkpoint, '--public-key', publicKey],
        io,
      ),
    ).toBe(AUDIT_CLI_EXIT.usage);
    expect(io.connects).toEqual([]);
    expect(io.err.join('')).toContain('--checkpoint was signed for another tenant');
  });

  // Every command that names a tenant, with the options it needs.
  const tenantCommands: readonly (readonly [string, readonly string[]])[] = [
    ['report patient-access', ['report', 'patient-access', '--patient', 'p-1']],
    ['report disclosure-accounting', ['report', 'disclosure-accounting', '--patient', 'p-1']],
    ['report user-activity', ['report', 'user-activity', '--user', 'u-1']],
    ['report security', ['report', 'security']],
    ['report break-glass', ['report', 'break-glass']],
    ['report range', ['report', 'range']],
    ['export', ['export']],
    ['export --format ndjson', ['export', '--format', 'ndjson']],
  ];

  it.each(tenantCommands)(
    '%s exits 5 for an unknown tenant instead of an empty success',
    async (_, args) => {
      const io = fakeIo({ empty: true });
      expect(await runAuditCli([...args, '--tenant', TENANT], io)).toBe(
        AUDIT_CLI_EXIT.unknownTenant,
      );
      expect(io.out).toEqual([]);
      expect(io.err.join('')).toContain('No audit trail exists for this tenant');
      expect(io.err.join('')).not.toMatch(/^read \d+ events/m);
    },
  );

  it('retention exits 5 for an unknown acknowledging tenant before recording the acknowledgement in a new trail', async () => {
    const io = fakeIo({ empty: true });
    expect(
      await runAuditCli(
        [
          'retention',
          '--archive-dir',
          directory,
          '--signing-key',
          signingKey,
          '--dry-run',
          '--standard-years',
          '5',
          '--acknowledge-below-floor',
          'Research copy',
          '--acknowledged-by',
          'officer',
          '--tenant',
          TENANT,
        ],
        io,
      ),
    ).toBe(AUDIT_CLI_EXIT.unknownTenant);
    expect(io.out).toEqual([]);
    expect(io.queries.some((text) => /INSERT|append_event/i.test(text))).toBe(false);
  });
});
