/**
 * Message templates per kind, channel and locale, with no clinical details.
 *
 * @packageDocumentation
 */
import { parseArguments, ValidationError } from '@carequeue/core';
import { z } from 'zod';
import {
  ChannelArgument,
  NotificationKindArgument,
  TemplateVariablesArgument,
  LocalesArgument,
} from './notification-arguments.js';
import type { NotificationKind } from './notification-kinds.js';
import type { NotificationChannel } from './notifier.js';
import { checkFactoryOptions } from '../config/factory-options.js';

const renderArguments = z.object({
  request: z.object({
    kind: NotificationKindArgument,
    channel: ChannelArgument,
    locales: LocalesArgument,
    variables: TemplateVariablesArgument,
  }),
});

export { NOTIFICATION_KINDS, type NotificationKind } from './notification-kinds.js';

/**
 * The only values a template can show. There is deliberately no field for a service, a reason
 * for the visit or a clinician: a message on a lock screen must not disclose clinical details.
 *
 * @example
 * ```ts
 * const variables: TemplateVariables = { clinicName: 'Riverside Clinic', ticket: 'A-017', counter: 'Room 3' };
 * ```
 */
export interface TemplateVariables {
  readonly clinicName: string;
  /** The queue ticket shown to the patient, such as `A-017`. */
  readonly ticket?: string;
  /** Where to go, such as `Room 3` or `Desk 2`. */
  readonly counter?: string;
  /** Patients ahead. */
  readonly position?: number;
  /** Estimated minutes until called. */
  readonly etaMinutes?: number;
  /** The appointment time, formatted in the clinic's zone for the message's locale. */
  readonly time?: string;
}

/**
 * One message template: `{name}` placeholders name {@link TemplateVariables} fields.
 *
 * @example
 * ```ts
 * const template: MessageTemplate = { body: '{clinicName}: you are next.' };
 * ```
 */
export interface MessageTemplate {
  /** Email subject; SMS ignores it. */
  readonly subject?: string;
  readonly body: string;
}

/**
 * Templates of one locale: per kind, one template for both channels or one per channel.
 *
 * @example
 * ```ts
 * const fr: LocaleTemplates = { 'queue.next': { body: '{clinicName} : vous êtes le prochain.' } };
 * ```
 */
export type LocaleTemplates = Partial<
  Record<NotificationKind, MessageTemplate | Partial<Record<NotificationChannel, MessageTemplate>>>
>;

/**
 * A rendered message.
 *
 * @example
 * ```ts
 * const { subject, body, locale }: RenderedMessage = templates.render({ kind, channel, locales, variables });
 * ```
 */
export interface RenderedMessage {
  readonly subject?: string;
  readonly body: string;
  /** The locale whose template was used. */
  readonly locale: string;
}

/**
 * What {@link NotificationTemplates.render} needs.
 *
 * @example
 * ```ts
 * const request: RenderRequest = { kind: 'queue.called', channel: 'sms', locales: ['de-DE', 'en'], variables };
 * ```
 */
export interface RenderRequest {
  readonly kind: NotificationKind;
  readonly channel: NotificationChannel;
  /** Locales in order of preference: the patient's, then the clinic's default. */
  readonly locales: readonly (string | undefined)[];
  readonly variables: TemplateVariables;
}

/**
 * Options of {@link createNotificationTemplates}.
 *
 * @example
 * ```ts
 * const options: NotificationTemplatesOptions = { locales: { fr }, fallbackLocale: 'en' };
 * ```
 */
export interface NotificationTemplatesOptions {
  /** Templates by locale tag; merged over the built-in `en` and `de` ones, kind by kind. */
  readonly locales?: Readonly<Record<string, LocaleTemplates>>;
  /** Used when no preferred locale has a template. @default 'en' */
  readonly fallbackLocale?: string;
  /** Appended to every SMS (carriers require opt-out instructions). @default per locale, 'Reply STOP to opt out.' */
  readonly smsFooter?: Readonly<Record<string, string>>;
}

/**
 * Renders notification messages.
 *
 * @example
 * ```ts
 * const { body } = templates.render({ kind: 'queue.next', channel: 'sms', locales: ['en'], variables });
 * ```
 */
export interface NotificationTemplates {
  /**
   * Renders the template of the first locale in `locales` (or its language, `de` for `de-AT`)
   * that has one, else the fallback locale's.
   *
   * @throws ValidationError when the template uses a variable that `variables` does not have.
   */
  render(request: RenderRequest): RenderedMessage;
}

const ALLOWED_VARIABLES: ReadonlySet<string> = new Set([
  'clinicName',
  'ticket',
  'counter',
  'position',
  'etaMinutes',
  'time',
]);

const BUILT_IN: Readonly<Record<string, LocaleTemplates>> = {
  en: {
    'queue.next': {
      subject: '{clinicName}: you are next',
      body: '{clinicName}: ticket {ticket}, you are almost up. Please come back to the waiting area.',
    },
    'queue.called': {
      subject: '{clinicName}: it is your turn',
      body: '{clinicName}: ticket {ticket}, it is your turn. Please go to {counter}.',
    },
    'booking.confirmed': {
      subject: '{clinicName}: booking confirmed',
      body: '{clinicName}: your appointment on {time} is confirmed.',
    },
    'booking.reminder': {
      subject: '{clinicName}: appointment reminder',
      body: '{clinicName}: reminder of your appointment on {time}.',
    },
    'booking.cancelled': {
      subject: '{clinicName}: appointment cancelled',
      body: '{clinicName}: your appointment on {time} has been cancelled.',
    },
  },
  de: {
    'queue.next': {
      subject: '{clinicName}: Sie sind gleich dran',
      body: '{clinicName}: Nummer {ticket}, Sie sind gleich dran. Bitte kommen Sie in den Wartebereich.',
    },
    'queue.called': {
      subject: '{clinicName}: Sie sind dran',
      body: '{clinicName}: Nummer {ticket}, Sie sind dran. Bitte gehen Sie zu {counter}.',
    },
    'booking.confirmed': {
      subject: '{clinicName}: Termin bestätigt',
      body: '{clinicName}: Ihr Termin am {time} ist bestätigt.',
    },
    'booking.reminder': {
      subject: '{clinicName}: Terminerinnerung',
      body: '{clinicName}: Erinnerung an Ihren Termin am {time}.',
    },
    'booking.cancelled': {
      subject: '{clinicName}: Termin abgesagt',
      body: '{clinicName}: Ihr Termin am {time} wurde abgesagt.',
    },
  },
};

const BUILT_IN_FOOTERS: Readonly<Record<string, string>> = {
  en: 'Reply STOP to opt out.',
  de: 'Antworten Sie STOP zum Abmelden.',
};

const PLACEHOLDER = /\{(\w+)\}/g;

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string);
}

function pick(
  entry: MessageTemplate | Partial<Record<NotificationChannel, MessageTemplate>> | undefined,
  channel: NotificationChannel,
): MessageTemplate | undefined {
  if (entry === undefined) return undefined;
  if ('body' in entry && typeof entry.body === 'string') return entry;
  return (entry as Partial<Record<NotificationChannel, MessageTemplate>>)[channel];
}

function candidates(locales: readonly (string | undefined)[], fallback: string): string[] {
  const result: string[] = [];
  for (const locale of [...locales, fallback]) {
    if (locale === undefined || locale.length === 0) continue;
    result.push(locale, locale.split('-')[0] as string);
  }
  return [...new Set(result)];
}

const NotificationTemplatesOptionsSchema = z.object({
  locales: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  fallbackLocale: z.string().min(1).max(35).optional(),
  smsFooter: z.record(z.string(), z.string()).optional(),
});

/**
 * Creates the template catalogue: built-in English and German templates for every kind, merged
 * with the host's own locales. Every template is checked when the catalogue is created: a
 * placeholder that is not a {@link TemplateVariables} field is rejected, so no template can pull
 * in a value that was never meant for a message.
 *
 * @throws ValidationError when a template names an unknown placeholder.
 * @example
 * ```ts
 * import { createNotificationTemplates } from '@carequeue/queue';
 *
 * const templates = createNotificationTemplates({
 *   locales: { fr: { 'queue.called': { body: '{clinicName} : ticket {ticket}, présentez-vous à {counter}.' } } },
 * });
 * templates.render({ kind: 'queue.called', channel: 'sms', locales: ['fr-CA', 'en'], variables });
 * ```
 */
export function createNotificationTemplates(
  options: NotificationTemplatesOptions = {},
): NotificationTemplates {
  checkFactoryOptions('createNotificationTemplates', NotificationTemplatesOptionsSchema, options);
  const fallbackLocale = options.fallbackLocale ?? 'en';
  const catalogue = new Map<string, LocaleTemplates>();
  for (const [locale, templates] of Object.entries(BUILT_IN)) catalogue.set(locale, templates);
  for (const [locale, templates] of Object.entries(options.locales ?? {})) {
    catalogue.set(locale, { ...catalogue.get(locale), ...templates });
  }
  const footers = { ...BUILT_IN_FOOTERS, ...options.smsFooter };
  for (const [locale, templates] of catalogue) {
    for (const [kind, entry] of Object.entries(templates)) {
      const parts =
        entry !== undefined && 'body' in entry && typeof entry.body === 'string'
          ? [entry]
          : Object.values(entry ?? {});
      for (const template of parts as MessageTemplate[]) {
        for (const name of [
          ...placeholders(template.body),
          ...placeholders(template.subject ?? ''),
        ]) {
          if (!ALLOWED_VARIABLES.has(name)) {
            throw new ValidationError(
              `The ${locale} template of ${kind} uses {${name}}, which is not a template variable. Use only ${[...ALLOWED_VARIABLES].join(', ')}.`,
            );
          }
        }
      }
    }
  }

  function fill(text: string, variables: TemplateVariables, kind: string): string {
    return text.replace(PLACEHOLDER, (_match, name: string) => {
      const value = (variables as unknown as Record<string, string | number | undefined>)[name];
      if (value === undefined) {
        throw new ValidationError(
          `The ${kind} template needs the variable ${name}. Pass it in the notification's variables.`,
        );
      }
      return String(value);
    });
  }

  return {
    render(request) {
      parseArguments(renderArguments, { request }, 'NotificationTemplates.render');
      for (const locale of candidates(request.locales, fallbackLocale)) {
        const template = pick(catalogue.get(locale)?.[request.kind], request.channel);
        if (template === undefined) continue;
        let body = fill(template.body, request.variables, request.kind);
        if (request.channel === 'sms') {
          const footer = footers[locale] ?? footers[fallbackLocale];
          if (footer !== undefined && footer.length > 0) body = `${body} ${footer}`;
        }
        return {
          ...(template.subject === undefined
            ? {}
            : { subject: fill(template.subject, request.variables, request.kind) }),
          body,
          locale,
        };
      }
      throw new ValidationError(
        `No template for ${request.kind} in ${fallbackLocale}. Add one to the templates' locales.`,
      );
    },
  };
}
