import { ChildProcess } from 'child_process';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { NOTIFICATIONS_QUEUE } from '../../src/notifications/notifications.queue';
import { eventually, Harness, patient } from '../support/harness';
import { SmsSink } from '../support/message-sinks';
import { startWorker } from '../support/worker';

const PREFIX = 'snp-test:notify-logs';

/**
 * What a worker writes to its logs while it sends, retries and cancels messages: which message,
 * template, channel, attempt, never a phone number, a name, an address or a message text. Read
 * from the real process's output (`npm run start:worker`, debug level).
 */
describe('notification logs carry no patient data', () => {
  let api: Harness;
  let sms: SmsSink;
  let worker: ChildProcess | undefined;
  let output = '';

  beforeAll(async () => {
    sms = await SmsSink.start();
    // Retries follow the options of the process that queued the job (here the API): a short backoff.
    api = await Harness.start({ WORKERS_ENABLED: false, QUEUE_PREFIX: PREFIX, SMS_WEBHOOK_URL: sms.url, NOTIFY_BACKOFF_MS: 100 });
  });
  afterAll(async () => {
    if (worker && worker.exitCode === null) worker.kill('SIGKILL');
    await api.close();
    await sms.close();
  });

  it('logs ids, templates and outcomes only', async () => {
    const queue = api.app.get<Queue>(getQueueToken(NOTIFICATIONS_QUEUE));
    const before = await queue.getWorkersCount();
    worker = startWorker({ QUEUE_PREFIX: PREFIX, LOG_LEVEL: 'debug', SMS_WEBHOOK_URL: sms.url, NOTIFY_BACKOFF_MS: '100' }, ['ignore', 'pipe', 'pipe']);
    worker.stdout!.on('data', (d) => (output += d));
    worker.stderr!.on('data', (d) => (output += d));
    await eventually(() => queue.getWorkersCount(), (n) => n > before, 60_000);

    const { gp, practitionerId, communityId } = await api.gpWithAgenda();
    const [slot] = await api.publish(gp, practitionerId, [180]);
    const secretary = await api.account('secretary', { practiceId: (await api.practice(communityId)).id });
    sms.failNext('+33611223344', 1); // one refusal: the retry path logs too
    const booking = (
      await api.as(secretary).post('/bookings').send({ slotId: slot.id, patient: patient({ phone: '06 11 22 33 44', firstName: 'Anaïs', lastName: 'Quintard' }), reason: 'otite' }).expect(201)
    ).body;
    const [confirmed] = await eventually(async () => sms.to('+33611223344'), (m) => m.length === 1, 20_000);
    await api.as(secretary).post(`/bookings/${booking.id}/cancel`).send({ reason: 'rétablie' }).expect(200);
    await eventually(async () => sms.to('+33611223344'), (m) => m.length === 2, 20_000);
    await eventually(async () => output, (o) => (o.match(/notification sent/g) ?? []).length >= 2, 10_000);

    // The logs were read (they say what happened)…
    expect(output).toContain('notification not accepted; retried later');
    expect(output).toContain('booking_confirmed_patient');
    // …and hold none of what the messages carry.
    for (const secret of ['+33611223344', '06 11 22 33 44', '0611223344', 'Quintard', 'QUINTARD', 'Anaïs', 'otite', 'rétablie', '1 place du Marché', confirmed.text.slice(0, 40)]) {
      expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
    }
  }, 120_000);
});
