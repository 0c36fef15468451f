// A dispatcher process for the crash test: it delivers the outbox of DATABASE_URL through the
// Twilio stand-in at TWILIO_URL until it is killed (SIGKILL) or asked to stop (SIGTERM).
import { createFieldEncryptor, createBlindIndex, keyringFromConfig } from '@carequeue/core/crypto';
import { createPgExecutor } from '@carequeue/core/sql';
import {
  createCircuitBreaker,
  createDeadLetterQueue,
  memoryDeadLetterStore,
} from '@carequeue/resilience';
import { createNotificationTemplates, isRecipientError, resilientNotifier } from '@carequeue/queue';
import { createOutboxDispatcher, sqlOptOutStore } from '@carequeue/queue/postgres';
import { twilioSmsNotifier } from '@carequeue/queue/twilio';

const env = process.env;
const executor = createPgExecutor({ connectionString: env.DATABASE_URL, poolSize: 2 });
const blindIndex = createBlindIndex({ key: env.BLIND_INDEX_KEY });
const sms = resilientNotifier(
  twilioSmsNotifier({
    accountSid: 'AC0123456789abcdef0123456789abcdef',
    authToken: 'test-auth-token',
    from: '+14155550199',
    baseUrl: env.TWILIO_URL,
  }),
  {
    breaker: createCircuitBreaker({ name: 'twilio', isIgnored: isRecipientError }),
    retry: { maxRetries: 0 },
  },
);
const dispatcher = createOutboxDispatcher({
  executor,
  encryptor: createFieldEncryptor({
    keys: keyringFromConfig({ current: 'k1', keys: { k1: env.ENCRYPTION_KEY } }),
  }),
  templates: createNotificationTemplates(),
  notifiers: { sms },
  optOuts: (tx) => sqlOptOutStore({ executor: tx, blindIndex }),
  deadLetters: createDeadLetterQueue({ store: memoryDeadLetterStore() }),
  workerId: env.WORKER_ID,
  leaseMs: Number(env.LEASE_MS),
  batchSize: 3,
  pollIntervalMs: 20,
});

process.on('SIGTERM', () => {
  void dispatcher
    .stop()
    .then(() => executor.close())
    .then(() => process.exit(0));
});
dispatcher.start();
process.stdout.write('ready\n');
// Timers of the system clock are unref'd; this keeps the process alive until it is stopped.
setInterval(() => undefined, 1000);
