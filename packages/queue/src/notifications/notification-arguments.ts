/**
 * Argument schemas of the notification ports and functions: opt-out stores, inbound SMS,
 * notifiers and the outbox.
 *
 * @internal
 * @packageDocumentation
 */
import { z } from 'zod';
import { ClinicId, PatientId, singleLine, TenantId } from '@carequeue/core';
import { EpochMillisecondsArgument } from '../arguments/common-arguments.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.js';

/** The longest message body: ten concatenated SMS segments, or a short email. */
export const MAX_MESSAGE_BODY_LENGTH = 1600;

/** A notification channel. */
export const ChannelArgument = z.enum(['sms', 'email']);

/** A phone number or email address as sent by a provider or a caller: one line, 320 characters. */
export const AddressArgument = singleLine(z.string().min(1).max(320));

/** What `OptOutStore.record` takes. */
export const OptOutArgument = z.strictObject({
  tenantId: TenantId,
  channel: ChannelArgument,
  address: AddressArgument,
  patientId: PatientId.optional(),
  source: z.enum(['stop_keyword', 'provider', 'patient', 'staff']),
  at: EpochMillisecondsArgument,
});

/** What `handleInboundSms` takes. */
export const InboundSmsArgument = z.strictObject({
  tenantId: TenantId,
  from: AddressArgument,
  body: z.string().max(MAX_MESSAGE_BODY_LENGTH),
  at: EpochMillisecondsArgument,
  patientId: PatientId.optional(),
});

/** What `Notifier.send` takes. */
export const OutgoingMessageArgument = z.strictObject({
  id: singleLine(z.string().min(1).max(200)),
  channel: ChannelArgument,
  to: AddressArgument,
  subject: singleLine(z.string().max(200)).optional(),
  body: z.string().max(MAX_MESSAGE_BODY_LENGTH * 10),
});

/** The options of `Notifier.send`. */
export const SendOptionsArgument = z
  .strictObject({ signal: z.instanceof(AbortSignal).optional() })
  .optional();

const Label = singleLine(z.string().max(200));

/** A notification kind. */
export const NotificationKindArgument = z.enum(
  NOTIFICATION_KINDS as [NotificationKind, ...NotificationKind[]],
);

/** Locales in order of preference; `undefined` entries are skipped. */
export const LocalesArgument = z.array(singleLine(z.string().max(35)).optional()).max(10);

/** The values a template can show, and nothing else. */
export const TemplateVariablesArgument = z.strictObject({
  clinicName: Label,
  ticket: Label.optional(),
  counter: Label.optional(),
  position: z.int().nonnegative().optional(),
  etaMinutes: z.number().nonnegative().optional(),
  time: Label.optional(),
});

/** What `NotificationOutbox.enqueue` takes. */
export const NewNotificationArgument = z.strictObject({
  tenantId: TenantId,
  clinicId: ClinicId.optional(),
  patientId: PatientId.optional(),
  kind: NotificationKindArgument,
  channel: ChannelArgument,
  to: AddressArgument,
  locales: LocalesArgument,
  variables: TemplateVariablesArgument,
  dedupeKey: singleLine(z.string().min(1).max(200)),
  availableAt: EpochMillisecondsArgument.optional(),
});
