import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isCarequeueError } from '@carequeue/core';
import type { SqlExecutor } from '@carequeue/core/sql';
import { postgresAuditStore } from '../adapters/postgres.js';
import { openCheckpoint, type AuditCheckpoint } from '../checkpoint.js';
import { AuditRetentionBelowFloorError } from '../errors.js';
import { toFhirBundle, toFhirNdjson } from '../fhir/fhir-audit-event.js';
import { breakGlassReport } from '../reports/break-glass-report.js';
import { disclosureAccounting } from '../reports/disclosure-accounting.js';
import { patientAccessReport } from '../reports/patient-access-report.js';
import { rangeReport } from '../reports/range-report.js';
import { renderReportCsv } from '../reports/render-csv.js';
import { renderReportHtml } from '../reports/render-html.js';
import { renderReportJson } from '../reports/render-json.js';
import { securityReport } from '../reports/security-report.js';
import { readWholeTrail } from '../reports/trail-reader.js';
import { userActivityReport } from '../reports/user-activity-report.js';
import type { AuditReport } from '../reports/audit-report.js';
import { directoryArchiveSink } from '../retention/archive-sink.js';
import { createRetentionPolicy } from '../retention/retention-policy.js';
import { runRetention } from '../retention/retention-runner.js';
import { createAuditLogService } from '../audit-log-service.js';
import { AUDIT_SORT_FIELDS, type AuditSortField } from '../trail-query.js';
import { AUDIT_CLI_EXIT, type AuditCliExitCode } from './exit-codes.js';

/**
 * A database connection the CLI opened, closed when the command ends.
 *
 * @example
 * ```ts
 * const connection: AuditCliConnection = { executor: createPgExecutor({ pool }), close: () => pool.end() };
 * ```
 */
export interface AuditCliConnection {
  readonly executor: SqlExecutor;
  close(): Promise<void>;
}

/**
 * What the CLI runs against: its output streams, environment and how it connects.
 *
 * @example
 * ```ts
 * const io: AuditCliIo = { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text), env: process.env, connect };
 * ```
 */
export interface AuditCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly connect: (databaseUrl: string) => Promise<AuditCliConnection>;
}

/**
 * The usage text of `carequeue-audit`.
 *
 * @example
 * ```ts
 * process.stdout.write(AUDIT_CLI_USAGE);
 * ```
 */
export const AUDIT_CLI_USAGE = `Usage: carequeue-audit <command> [options]

Commands:
  verify     --tenant <id> [--checkpoint <file> --public-key <pem>]
  report     <patient-access|disclosure-accounting|user-activity|security|break-glass|range>
             --tenant <id> [--patient <id>] [--user <id>] [--from <iso>] [--to <iso>]
             [--format json|csv|html] [--out <file>] [--sort-by <field>] [--order asc|desc]
             [--include-staff]
  export     --tenant <id> [--from <iso>] [--to <iso>] [--format bundle|ndjson] [--out <file>]
  retention  --archive-dir <dir> --signing-key <pem> [--dry-run]
             [--standard-years <n>] [--extended-years <n>]
             [--acknowledge-below-floor <reason> --acknowledged-by <user> --tenant <id>]

Common: --database-url <url> (default: CAREQUEUE_AUDIT_DATABASE_URL)
Progress goes to stderr. Exit codes: 0 ok, 1 verification failed, 2 usage, 3 service unavailable,
4 refused (e.g. retention below the floor without an acknowledgement).
`;

class UsageError extends Error {}

const OPTIONS = {
  'database-url': { type: 'string' },
  tenant: { type: 'string' },
  patient: { type: 'string' },
  user: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  'sort-by': { type: 'string' },
  order: { type: 'string' },
  'include-staff': { type: 'boolean' },
  checkpoint: { type: 'string' },
  'public-key': { type: 'string' },
  'archive-dir': { type: 'string' },
  'signing-key': { type: 'string' },
  'dry-run': { type: 'boolean' },
  'standard-years': { type: 'string' },
  'extended-years': { type: 'string' },
  'acknowledge-below-floor': { type: 'string' },
  'acknowledged-by': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

function required(
  values: Values,
  name: 'tenant' | 'patient' | 'user' | 'archive-dir' | 'signing-key',
): string {
  const value = values[name];
  if (!value) throw new UsageError(`--${name} is required.`);
  return value;
}

function date(values: Values, name: 'from' | 'to'): Date | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new UsageError(`--${name} must be an ISO 8601 date.`);
  return parsed;
}

function years(values: Values, name: 'standard-years' | 'extended-years'): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number of years.`);
  return Number(value);
}

function range(values: Values): { from?: Date; to?: Date } {
  const from = date(values, 'from');
  const to = date(values, 'to');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

async function emit(values: Values, io: AuditCliIo, text: string): Promise<void> {
  if (values.out) await writeFile(values.out, text, 'utf8');
  else io.stdout(text);
}

async function verifyCommand(
  values: Values,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const tenantId = required(values, 'tenant');
  let expectedEnd: number | undefined;
  if (values.checkpoint) {
    if (!values['public-key']) throw new UsageError('--checkpoint needs --public-key.');
    const checkpoint = JSON.parse(await readFile(values.checkpoint, 'utf8')) as AuditCheckpoint;
    const publicKey = createPublicKey(await readFile(values['public-key'], 'utf8'));
    expectedEnd = openCheckpoint(checkpoint, publicKey).sequence;
  }
  io.stderr(`verifying the audit chain of tenant ${tenantId}\n`);
  const result = await postgresAuditStore({ executor }).verify(
    tenantId,
    expectedEnd === undefined ? {} : { expectedEnd },
  );
  io.stdout(`${JSON.stringify(result)}\n`);
  return result.ok ? AUDIT_CLI_EXIT.ok : AUDIT_CLI_EXIT.verificationFailed;
}

async function reportCommand(
  kind: string | undefined,
  values: Values,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const store = postgresAuditStore({ executor });
  const tenantId = required(values, 'tenant');
  const base = {
    tenantId,
    ...range(values),
    onProgress: (read: number) => io.stderr(`read ${read} events\n`),
  };
  let report: AuditReport;
  switch (kind) {
    case 'patient-access':
      report = await patientAccessReport(store, {
        ...base,
        patientId: required(values, 'patient'),
        includeStaffIdentities: values['include-staff'] ?? false,
      });
      break;
    case 'disclosure-accounting':
      report = await disclosureAccounting(store, {
        ...base,
        patientId: required(values, 'patient'),
      });
      break;
    case 'user-activity':
      report = await userActivityReport(store, { ...base, userId: required(values, 'user') });
      break;
    case 'security':
      report = await securityReport(store, base);
      break;
    case 'break-glass':
      report = await breakGlassReport(store, base);
      break;
    case 'range': {
      const sortBy = values['sort-by'] ?? 'timestamp';
      if (!(AUDIT_SORT_FIELDS as readonly string[]).includes(sortBy)) {
        throw new UsageError(`--sort-by must be one of ${AUDIT_SORT_FIELDS.join(', ')}.`);
      }
      const order = values.order ?? 'asc';
      if (order !== 'asc' && order !== 'desc') throw new UsageError('--order must be asc or desc.');
      report = await rangeReport(store, { ...base, sortBy: sortBy as AuditSortField, order });
      break;
    }
    default:
      throw new UsageError(
        'report needs a kind: patient-access, disclosure-accounting, user-activity, security, break-glass or range.',
      );
  }
  const format = values.format ?? 'json';
  const render = { json: renderReportJson, csv: renderReportCsv, html: renderReportHtml }[format];
  if (!render) throw new UsageError('--format must be json, csv or html for reports.');
  await emit(values, io, render(report));
  io.stderr(`${report.rows.length} rows\n`);
  return AUDIT_CLI_EXIT.ok;
}

async function exportCommand(
  values: Values,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const tenantId = required(values, 'tenant');
  const format = values.format ?? 'bundle';
  if (format !== 'bundle' && format !== 'ndjson')
    throw new UsageError('--format must be bundle or ndjson for exports.');
  const logs = await readWholeTrail(
    postgresAuditStore({ executor }),
    { tenantId, ...range(values) },
    (read) => io.stderr(`read ${read} events\n`),
  );
  await emit(
    values,
    io,
    format === 'bundle' ? `${JSON.stringify(toFhirBundle(logs))}\n` : toFhirNdjson(logs),
  );
  io.stderr(`${logs.length} AuditEvents exported\n`);
  return AUDIT_CLI_EXIT.ok;
}

async function retentionCommand(
  values: Values,
  executor: SqlExecutor,
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  const archiveDir = required(values, 'archive-dir');
  const signingKey = createPrivateKey(await readFile(required(values, 'signing-key'), 'utf8'));
  const standard = years(values, 'standard-years');
  const extended = years(values, 'extended-years');
  const reason = values['acknowledge-below-floor'];
  const policy = await createRetentionPolicy({
    years: {
      ...(standard !== undefined ? { standard } : {}),
      ...(extended !== undefined ? { extended } : {}),
    },
    ...(reason
      ? {
          belowFloor: {
            reason,
            acknowledgedBy: values['acknowledged-by'] ?? '',
            tenantId: required(values, 'tenant'),
          },
          audit: createAuditLogService({ store: postgresAuditStore({ executor }) }),
        }
      : {}),
  });
  const result = await runRetention({
    executor,
    policy,
    sink: directoryArchiveSink(archiveDir),
    signingKey,
    dryRun: values['dry-run'] ?? false,
    onProgress: (message) => io.stderr(`${message}\n`),
  });
  io.stdout(
    `${JSON.stringify({ expired: result.expired, archived: result.archived.map((archive) => ({ partition: archive.partition, events: archive.manifest.eventCount, manifest: archive.manifestFile, manifestSha256: archive.manifestSha256 })), heldBack: result.heldBack })}\n`,
  );
  return AUDIT_CLI_EXIT.ok;
}

/**
 * Runs `carequeue-audit` with its arguments (without `node` and the script) and returns the
 * exit code; never throws. Errors are reported on stderr without any stored value.
 *
 * @example
 * ```ts
 * process.exitCode = await runAuditCli(process.argv.slice(2), io);
 * ```
 */
export async function runAuditCli(
  args: readonly string[],
  io: AuditCliIo,
): Promise<AuditCliExitCode> {
  let values: Values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    }));
  } catch (error: unknown) {
    io.stderr(`${(error as Error).message}\n\n${AUDIT_CLI_USAGE}`);
    return AUDIT_CLI_EXIT.usage;
  }
  const [command, kind] = positionals;
  if (values.help) {
    io.stdout(AUDIT_CLI_USAGE);
    return AUDIT_CLI_EXIT.ok;
  }
  if (!command || !['verify', 'report', 'export', 'retention'].includes(command)) {
    io.stderr(
      `${command ? `Unknown command ${command}.` : 'No command given.'}\n\n${AUDIT_CLI_USAGE}`,
    );
    return AUDIT_CLI_EXIT.usage;
  }
  const databaseUrl = values['database-url'] ?? io.env.CAREQUEUE_AUDIT_DATABASE_URL;
  if (!databaseUrl) {
    io.stderr(
      `No database: pass --database-url or set CAREQUEUE_AUDIT_DATABASE_URL.\n\n${AUDIT_CLI_USAGE}`,
    );
    return AUDIT_CLI_EXIT.usage;
  }
  let connection: AuditCliConnection | undefined;
  try {
    connection = await io.connect(databaseUrl);
    const { executor } = connection;
    if (command === 'verify') return await verifyCommand(values, executor, io);
    if (command === 'report') return await reportCommand(kind, values, executor, io);
    if (command === 'export') return await exportCommand(values, executor, io);
    return await retentionCommand(values, executor, io);
  } catch (error: unknown) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${AUDIT_CLI_USAGE}`);
      return AUDIT_CLI_EXIT.usage;
    }
    if (error instanceof AuditRetentionBelowFloorError) {
      io.stderr(`${error.message}\n`);
      return AUDIT_CLI_EXIT.refused;
    }
    if (isCarequeueError(error) && error.code === 'AUDIT_CHECKPOINT_INVALID') {
      io.stderr(`${error.message}\n`);
      return AUDIT_CLI_EXIT.verificationFailed;
    }
    io.stderr(
      `${isCarequeueError(error) ? `${error.code}: ${error.message}` : 'The audit database could not be reached or failed.'}\n`,
    );
    return AUDIT_CLI_EXIT.unavailable;
  } finally {
    await connection?.close();
  }
}
