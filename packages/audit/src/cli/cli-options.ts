import { constants, type Stats } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChainPosition } from '../chain-verifier.js';
import { checkpointIssues } from '../checkpoint-signing.js';
import { openCheckpoint, type AuditCheckpoint } from '../checkpoint.js';
import { AUDIT_REPORT_KINDS, type AuditReportKind } from '../reports/audit-report.js';
import { AUDIT_SORT_FIELDS, type AuditSortField } from '../trail-query.js';
import { AuditCliOutputError, AuditCliUsageError } from './cli-errors.js';

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

type OptionName = keyof typeof OPTIONS;

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

type Target = 'verify' | 'export' | 'retention' | `report ${AuditReportKind}`;

const REPORT_OPTIONS: readonly OptionName[] = ['tenant', 'from', 'to', 'format', 'out'];

// An option a command does not use is refused rather than ignored: `retention --tenant` would
// otherwise look like a one-tenant run while it expires every tenant's partitions, and
// `verify --out` would leave the caller looking for a file that was never written.
const ACCEPTED: Record<Target, readonly OptionName[]> = {
  verify: ['tenant', 'checkpoint', 'public-key'],
  export: REPORT_OPTIONS,
  retention: [
    'archive-dir',
    'signing-key',
    'dry-run',
    'standard-years',
    'extended-years',
    'acknowledge-below-floor',
    'acknowledged-by',
    'tenant',
  ],
  'report patient-access': [...REPORT_OPTIONS, 'patient', 'include-staff'],
  'report disclosure-accounting': [...REPORT_OPTIONS, 'patient'],
  'report user-activity': [...REPORT_OPTIONS, 'user'],
  'report security': REPORT_OPTIONS,
  'report break-glass': REPORT_OPTIONS,
  'report range': [...REPORT_OPTIONS, 'sort-by', 'order'],
};

interface Common {
  readonly databaseUrl: string;
}

interface Trail extends Common {
  readonly tenantId: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly out?: string;
}

/**
 * A `carequeue-audit` command line, checked in full before any connection is opened: every value
 * well-formed, every input file read and parsed, every output path writable.
 *
 * @example
 * ```ts
 * const command = await readAuditCliCommand(['verify', '--tenant', tenantId], process.env);
 * if (command.name === 'verify') console.log(command.tenantId);
 * ```
 */
export type AuditCliCommand =
  | { readonly name: 'help' }
  | (Common & {
      readonly name: 'verify';
      readonly tenantId: string;
      /** The position a valid signed checkpoint of the tenant vouches for, with `--checkpoint`. */
      readonly checkpoint?: ChainPosition;
    })
  | (Trail & {
      readonly name: 'report';
      readonly kind: AuditReportKind;
      readonly format: 'json' | 'csv' | 'html';
      readonly patientId?: string;
      readonly userId?: string;
      readonly includeStaff: boolean;
      readonly sortBy: AuditSortField;
      readonly order: 'asc' | 'desc';
    })
  | (Trail & { readonly name: 'export'; readonly format: 'bundle' | 'ndjson' })
  | (Common & {
      readonly name: 'retention';
      readonly archiveDir: string;
      readonly signingKey: KeyObject;
      readonly dryRun: boolean;
      readonly years: { readonly standard?: number; readonly extended?: number };
      readonly belowFloor?: {
        readonly reason: string;
        readonly acknowledgedBy: string;
        readonly tenantId: string;
      };
    });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A date-time without a zone would be read in the local zone of whoever runs the command, so the
// same report would cover different hours on different machines.
const ISO_DATE =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

function usage(message: string): AuditCliUsageError {
  return new AuditCliUsageError(message);
}

function requiredText(values: Values, name: 'patient' | 'user' | 'acknowledged-by'): string {
  const value = values[name];
  if (value === undefined || value.trim() === '') throw usage(`--${name} is required.`);
  return value;
}

function tenant(values: Values): string {
  const value = values.tenant;
  if (value === undefined) throw usage('--tenant is required.');
  if (!UUID.test(value)) {
    throw usage(
      '--tenant must be a tenant id in UUID form: 32 hexadecimal digits as 8-4-4-4-12, e.g. 0190a5c2-7b3e-7c1d-9f00-1a2b3c4d5e6f.',
    );
  }
  return value.toLowerCase();
}

function date(values: Values, name: 'from' | 'to'): Date | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (!ISO_DATE.test(value) || Number.isNaN(parsed.getTime())) {
    throw usage(
      `--${name} must be an ISO 8601 date (2026-01-31) or date-time with a zone (2026-01-31T08:00:00Z).`,
    );
  }
  return parsed;
}

function years(values: Values, name: 'standard-years' | 'extended-years'): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (!/^\d{1,3}$/.test(value))
    throw usage(`--${name} must be a whole number of years (0 to 999).`);
  return Number(value);
}

function oneOf<T extends string>(
  values: Values,
  name: 'format' | 'sort-by' | 'order',
  allowed: readonly T[],
  fallback: T,
  what: string,
): T {
  const value = values[name] ?? fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw usage(`--${name} must be one of ${allowed.join(', ')}${what}.`);
  }
  return value as T;
}

function databaseUrl(values: Values, env: Readonly<Record<string, string | undefined>>): string {
  const url = values['database-url'] ?? env.CAREQUEUE_AUDIT_DATABASE_URL;
  if (!url) throw usage('No database: pass --database-url or set CAREQUEUE_AUDIT_DATABASE_URL.');
  // The URL usually holds a password: the message names the source, never the value.
  const source =
    values['database-url'] === undefined ? 'CAREQUEUE_AUDIT_DATABASE_URL' : '--database-url';
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
    throw usage(`${source} must be a postgres:// or postgresql:// URL.`);
  }
  return url;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

async function isWritableFolder(path: string): Promise<boolean> {
  const stats = await statOrUndefined(path);
  if (!stats?.isDirectory()) return false;
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** `--out` is written with writeFile, which creates the file but not its folder. */
async function checkOut(path: string): Promise<void> {
  const target = resolve(path);
  const existing = await statOrUndefined(target);
  const writable = existing
    ? existing.isFile() &&
      (await access(target, constants.W_OK).then(
        () => true,
        () => false,
      ))
    : await isWritableFolder(dirname(target));
  if (!writable) throw new AuditCliOutputError('--out');
}

/** The archive sink creates its folder with its parents, so the nearest existing one must be writable. */
async function checkArchiveDir(path: string): Promise<void> {
  let folder = resolve(path);
  let stats = await statOrUndefined(folder);
  while (!stats && dirname(folder) !== folder) {
    folder = dirname(folder);
    stats = await statOrUndefined(folder);
  }
  if (!(await isWritableFolder(folder))) throw new AuditCliOutputError('--archive-dir');
}

async function readOption(
  values: Values,
  name: 'checkpoint' | 'public-key' | 'signing-key',
  form: string,
): Promise<string> {
  try {
    return await readFile(values[name] ?? '', 'utf8');
  } catch (error: unknown) {
    throw new AuditCliUsageError(
      `--${name} cannot be read: pass a readable file holding ${form}.`,
      {
        cause: error,
      },
    );
  }
}

function isCheckpoint(value: unknown): value is AuditCheckpoint {
  return checkpointIssues(value, 'checkpoint').length === 0;
}

const CHECKPOINT_FORM =
  'a checkpoint written by createCheckpoint (JSON, version cq-audit-checkpoint-v1)';

async function checkpointPosition(
  values: Values,
  tenantId: string,
): Promise<ChainPosition | undefined> {
  if (values.checkpoint === undefined && values['public-key'] === undefined) return undefined;
  if (values.checkpoint === undefined) throw usage('--public-key needs --checkpoint.');
  if (values['public-key'] === undefined) throw usage('--checkpoint needs --public-key.');
  const text = await readOption(values, 'checkpoint', CHECKPOINT_FORM);
  let checkpoint: unknown;
  try {
    checkpoint = JSON.parse(text);
  } catch {
    checkpoint = undefined;
  }
  if (!isCheckpoint(checkpoint)) throw usage(`--checkpoint must be ${CHECKPOINT_FORM}.`);
  if (checkpoint.tenantId.toLowerCase() !== tenantId) {
    throw usage(
      "--checkpoint was signed for another tenant than --tenant: pass that tenant's checkpoint.",
    );
  }
  const pem = await readOption(values, 'public-key', 'a PEM public key');
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(pem);
  } catch (error: unknown) {
    throw new AuditCliUsageError('--public-key must hold a PEM public key (SPKI).', {
      cause: error,
    });
  }
  // The signature check needs no database, so a forged checkpoint fails before connecting.
  return openCheckpoint(checkpoint, publicKey, tenantId);
}

async function signingKey(values: Values): Promise<KeyObject> {
  if (values['signing-key'] === undefined) throw usage('--signing-key is required.');
  const pem = await readOption(values, 'signing-key', 'a PEM private key');
  try {
    return createPrivateKey(pem);
  } catch (error: unknown) {
    throw new AuditCliUsageError('--signing-key must hold a PEM private key (PKCS#8).', {
      cause: error,
    });
  }
}

function parse(args: readonly string[]): { values: Values; positionals: string[] } {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error: unknown) {
    // node:util quotes an unknown option as typed, and what was typed may be anything (a name
    // pasted as `--Jane-Doe`): that message is replaced. Its other messages name one of OPTIONS.
    if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw usage('Unknown option: use only the options listed below, spelt as shown.');
    }
    throw new AuditCliUsageError((error as Error).message, { cause: error });
  }
}

function targetOf(positionals: readonly string[]): Target {
  const [command, kind, ...extra] = positionals;
  if (!command) throw usage('No command given.');
  if (command === 'report') {
    if (!kind || !(AUDIT_REPORT_KINDS as readonly string[]).includes(kind)) {
      throw usage(`report needs a kind: ${AUDIT_REPORT_KINDS.join(', ')}.`);
    }
    if (extra.length > 0) throw usage('report takes one kind and no further arguments.');
    return `report ${kind as AuditReportKind}`;
  }
  if (command !== 'verify' && command !== 'export' && command !== 'retention') {
    throw usage('Unknown command: use verify, report, export or retention.');
  }
  if (kind !== undefined) throw usage(`${command} takes no arguments besides its options.`);
  return command;
}

function checkApplicable(values: Values, target: Target): void {
  const accepted = ACCEPTED[target];
  for (const name of Object.keys(values) as OptionName[]) {
    if (name === 'database-url' || name === 'help' || accepted.includes(name)) continue;
    throw usage(`--${name} does not apply to ${target}.`);
  }
}

async function trail(
  values: Values,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Trail> {
  const tenantId = tenant(values);
  const from = date(values, 'from');
  const to = date(values, 'to');
  if (from && to && from > to) throw usage('--from must not be after --to.');
  const url = databaseUrl(values, env);
  if (values.out !== undefined) await checkOut(values.out);
  return {
    databaseUrl: url,
    tenantId,
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(values.out !== undefined ? { out: values.out } : {}),
  };
}

async function retention(
  values: Values,
  env: Readonly<Record<string, string | undefined>>,
): Promise<AuditCliCommand> {
  const archiveDir = values['archive-dir'];
  if (!archiveDir) throw usage('--archive-dir is required.');
  const standard = years(values, 'standard-years');
  const extended = years(values, 'extended-years');
  const reason = values['acknowledge-below-floor'];
  let belowFloor: { reason: string; acknowledgedBy: string; tenantId: string } | undefined;
  if (reason === undefined) {
    if (values['acknowledged-by'] !== undefined || values.tenant !== undefined) {
      throw usage(
        '--acknowledged-by and --tenant apply to retention only with --acknowledge-below-floor; retention always runs over every tenant.',
      );
    }
  } else {
    if (reason.trim() === '') throw usage('--acknowledge-below-floor needs a reason.');
    belowFloor = {
      reason,
      acknowledgedBy: requiredText(values, 'acknowledged-by'),
      tenantId: tenant(values),
    };
  }
  const url = databaseUrl(values, env);
  const key = await signingKey(values);
  await checkArchiveDir(archiveDir);
  return {
    name: 'retention',
    databaseUrl: url,
    archiveDir,
    signingKey: key,
    dryRun: values['dry-run'] ?? false,
    years: {
      ...(standard !== undefined ? { standard } : {}),
      ...(extended !== undefined ? { extended } : {}),
    },
    ...(belowFloor ? { belowFloor } : {}),
  };
}

/**
 * Reads a `carequeue-audit` command line (without `node` and the script) and checks every value,
 * reads every input file and checks every output path, all before any connection is opened.
 *
 * @throws {AuditCliUsageError} for an unknown command or option, an option the command does not
 *   use, or a missing, malformed or unreadable value (the message names the option, never the value)
 * @throws {AuditCliOutputError} when `--out` or `--archive-dir` cannot be written
 * @throws {AuditCheckpointInvalidError} when `--checkpoint` does not verify with `--public-key`
 * @example
 * ```ts
 * const command = await readAuditCliCommand(process.argv.slice(2), process.env);
 * ```
 */
export async function readAuditCliCommand(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<AuditCliCommand> {
  const { values, positionals } = parse(args);
  if (values.help) return { name: 'help' };
  const target = targetOf(positionals);
  checkApplicable(values, target);
  if (target === 'retention') return retention(values, env);
  if (target === 'verify') {
    const tenantId = tenant(values);
    const url = databaseUrl(values, env);
    const checkpoint = await checkpointPosition(values, tenantId);
    return {
      name: 'verify',
      databaseUrl: url,
      tenantId,
      ...(checkpoint !== undefined ? { checkpoint } : {}),
    };
  }
  if (target === 'export') {
    const format = oneOf(values, 'format', ['bundle', 'ndjson'] as const, 'bundle', ' for exports');
    return { name: 'export', ...(await trail(values, env)), format };
  }
  const kind = target.slice('report '.length) as AuditReportKind;
  const format = oneOf(values, 'format', ['json', 'csv', 'html'] as const, 'json', ' for reports');
  const sortBy = oneOf(values, 'sort-by', AUDIT_SORT_FIELDS, 'timestamp', '');
  const order = oneOf(values, 'order', ['asc', 'desc'] as const, 'asc', '');
  const patientId =
    kind === 'patient-access' || kind === 'disclosure-accounting'
      ? requiredText(values, 'patient')
      : undefined;
  const userId = kind === 'user-activity' ? requiredText(values, 'user') : undefined;
  return {
    name: 'report',
    ...(await trail(values, env)),
    kind,
    format,
    includeStaff: values['include-staff'] ?? false,
    sortBy,
    order,
    ...(patientId !== undefined ? { patientId } : {}),
    ...(userId !== undefined ? { userId } : {}),
  };
}
