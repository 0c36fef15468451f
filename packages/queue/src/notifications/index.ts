// The notifications context as other contexts see it: the notifier port, the templates and
// kinds a job renders, and the outbox a job writes notifications to.
export type { NotificationChannel, Notifier } from './notifier.js';
export type { NotificationKind, TemplateVariables } from './notification-templates.js';
export type { NewNotification, NotificationOutbox } from './ports/notification-outbox.js';
