/**
 * The floor under the API, for the booking phase: what any Node.js HTTP service has to do for a
 * booking, and nothing the framework adds. Fastify (the HTTP server under the API) parses the JSON
 * body; the booking runs as rawBook() runs it (the service's statement, on a pg pool of the API's
 * size); the notification jobs are added by the API's own NotificationsProducer (one addBulk per
 * turn of the event loop, the same options); the statement's row is answered as JSON. No NestJS (router,
 * guards, pipes, interceptors), no authentication (the client's number says which secretary books),
 * no validation, no phone parsing (the benchmark's numbers are all « 06 … »), no response shaping.
 *
 * Started by bench/run.ts with PORT, DATABASE_URL, REDIS_URL, DB_POOL_SIZE, QUEUE_PREFIX and
 * BARE_PRINCIPALS (the secretaries as the API's guard builds them, JSON). Not part of the service.
 */
import Fastify from 'fastify';
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { Principal } from '../src/auth/roles';
import { BookingRequest } from '../src/bookings/bookings.service';
import { patientAgeMonths } from '../src/bookings/age';
import { NOTIFICATIONS_QUEUE } from '../src/notifications/notifications.queue';
import { NotificationsProducer } from '../src/notifications/notifications.producer';
import { queuedFrom } from '../src/notifications/notification-events';
import { AppConfig } from '../src/config/app-config';
import { rawBook } from './booking';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`bare-api: ${name} is not set`);
  return value;
};

const principals: Principal[] = JSON.parse(env('BARE_PRINCIPALS'));
const pool = new Pool({ connectionString: env('DATABASE_URL'), max: Number(env('DB_POOL_SIZE')) });
const queue = new Queue(NOTIFICATIONS_QUEUE, { connection: { url: env('REDIS_URL') }, prefix: env('QUEUE_PREFIX') });
/** The API's own producer, with the service's defaults (attempts, back-off): one addBulk per turn of the event loop. */
const producer = new NotificationsProducer(queue, new AppConfig());

const app = Fastify();
app.post('/api/v1/bookings', async (request, reply) => {
  const principal = principals[Number(request.headers['x-client']) % principals.length];
  const req = request.body as BookingRequest;
  const phone = `+33${req.patient.phone.replace(/\s/g, '').slice(1)}`;
  const { status, body } = await rawBook(pool, principal, req, phone, patientAgeMonths(req.patient.birthDate));
  if (status === 201) void producer.queued({ notifications: queuedFrom((body as { notifications: Array<{ id: string; sendAt: string }> | null }).notifications) });
  return reply.code(status).send(body);
});
app.get('/health', async () => ({ status: 'ok' }));

process.once('SIGTERM', () => {
  void app.close().then(() => Promise.all([pool.end(), queue.close()])).then(() => process.exit(0));
});

app.listen({ port: Number(env('PORT')), host: '127.0.0.1' }).catch((e) => {
  console.error(e);
  process.exit(1);
});
