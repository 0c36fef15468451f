import { ValidationError } from '@carequeue/core';
import { describe, expect, it } from 'vitest';
import { createNotificationTemplates, NOTIFICATION_KINDS } from './notification-templates.js';

const variables = {
  clinicName: 'Riverside Clinic',
  ticket: 'A-017',
  counter: 'Room 3',
  etaMinutes: 4,
  position: 1,
  time: '2 March 2026, 09:30',
};

describe('createNotificationTemplates', () => {
  it('renders every kind on both channels in English and German', () => {
    const templates = createNotificationTemplates();
    for (const kind of NOTIFICATION_KINDS) {
      for (const channel of ['sms', 'email'] as const) {
        for (const locale of ['en', 'de']) {
          const rendered = templates.render({ kind, channel, locales: [locale], variables });
          expect(rendered.locale).toBe(locale);
          expect(rendered.body).toContain('Riverside Clinic');
          expect(rendered.body).not.toMatch(/\{\w+\}/);
          expect(rendered.subject).toContain('Riverside Clinic');
        }
      }
    }
  });

  it('appends the opt-out instructions to SMS only', () => {
    const templates = createNotificationTemplates();
    const sms = templates.render({
      kind: 'queue.called',
      channel: 'sms',
      locales: ['en'],
      variables,
    });
    const email = templates.render({
      kind: 'queue.called',
      channel: 'email',
      locales: ['en'],
      variables,
    });

    expect(sms.body).toBe(
      'Riverside Clinic: ticket A-017, it is your turn. Please go to Room 3. Reply STOP to opt out.',
    );
    expect(email.body).not.toContain('STOP');
  });

  it("prefers the patient's locale, then its language, then the clinic default, then the fallback", () => {
    const templates = createNotificationTemplates({
      locales: {
        fr: { 'queue.called': { body: '{clinicName} : ticket {ticket}, allez à {counter}.' } },
      },
      smsFooter: { fr: 'Répondez STOP pour vous désabonner.' },
    });

    expect(
      templates.render({
        kind: 'queue.called',
        channel: 'sms',
        locales: ['fr-CA', 'de'],
        variables,
      }),
    ).toMatchObject({
      locale: 'fr',
      body: 'Riverside Clinic : ticket A-017, allez à Room 3. Répondez STOP pour vous désabonner.',
    });
    expect(
      templates.render({
        kind: 'queue.next',
        channel: 'sms',
        locales: ['fr-CA', 'de-AT'],
        variables,
      }).locale,
    ).toBe('de');
    expect(
      templates.render({
        kind: 'queue.next',
        channel: 'sms',
        locales: [undefined, 'pt'],
        variables,
      }).locale,
    ).toBe('en');
  });

  it('uses a per-channel template when a locale gives one', () => {
    const templates = createNotificationTemplates({
      locales: {
        en: {
          'booking.reminder': {
            sms: { body: '{clinicName}: see you {time}.' },
            email: { subject: 'Reminder', body: 'Dear patient, see you {time} at {clinicName}.' },
          },
        },
      },
      smsFooter: { en: '' },
    });

    expect(
      templates.render({ kind: 'booking.reminder', channel: 'sms', locales: ['en'], variables })
        .body,
    ).toBe('Riverside Clinic: see you 2 March 2026, 09:30.');
    expect(
      templates.render({ kind: 'booking.reminder', channel: 'email', locales: ['en'], variables }),
    ).toMatchObject({
      subject: 'Reminder',
      body: 'Dear patient, see you 2 March 2026, 09:30 at Riverside Clinic.',
    });
  });

  it('rejects a template that names anything but a template variable', () => {
    expect(() =>
      createNotificationTemplates({
        locales: { en: { 'queue.called': { body: '{clinicName}: your {serviceName} is ready.' } } },
      }),
    ).toThrow(ValidationError);
    expect(() =>
      createNotificationTemplates({
        locales: { en: { 'queue.called': { sms: { subject: '{diagnosis}', body: 'x' } } } },
      }),
    ).toThrow(/diagnosis/);
  });

  it('throws a validation error naming the missing variable', () => {
    const templates = createNotificationTemplates();
    expect(() =>
      templates.render({
        kind: 'queue.called',
        channel: 'sms',
        locales: ['en'],
        variables: { clinicName: 'Riverside Clinic', ticket: 'A-1' },
      }),
    ).toThrow(/counter/);
  });

  it('throws when no locale, not even the fallback, has the kind', () => {
    const templates = createNotificationTemplates({ fallbackLocale: 'pt' });
    expect(() =>
      templates.render({ kind: 'queue.called', channel: 'sms', locales: ['it'], variables }),
    ).toThrow(/No template for queue.called in pt/);
  });

  it('refuses render(null), an unknown kind or a variable no template has with a ValidationError naming request (raw TypeError)', () => {
    const templates = createNotificationTemplates();
    const valid = {
      kind: 'queue.called',
      channel: 'sms',
      locales: ['en'],
      variables: { clinicName: 'Riverside', ticket: 'A-017', counter: 'Room 3' },
    } as const;
    for (const bad of [
      null,
      { ...valid, kind: 'queue.marketing' },
      { ...valid, variables: { ...valid.variables, diagnosis: 'flu' } },
    ]) {
      expect(() => templates.render(bad as never)).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          issues: [expect.objectContaining({ path: expect.stringMatching(/^request/) as unknown })],
        }),
      );
    }
    expect(templates.render(valid).body).toContain('A-017');
  });
});
