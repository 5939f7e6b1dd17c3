import { EventEmitter2 } from '@nestjs/event-emitter';

/**
 * Domain event: rows of the SAS appointment feed were committed (a booking made from the SAS, or a
 * change of one). The feed producer adds their jobs. Carries row ids only.
 */
export const SAS_FEED_QUEUED = 'sas.feed.queued';

export interface SasFeedQueuedEvent {
  ids: string[];
}

/** After commit: the feed rows a statement wrote (their ids) get their jobs. */
export function announceSasFeed(events: EventEmitter2, ids: string[] | null | undefined): void {
  if (ids?.length) events.emit(SAS_FEED_QUEUED, { ids } satisfies SasFeedQueuedEvent);
}

/** Our booking status → the SAS's Appointment.status. */
export const APPOINTMENT_STATUS = { confirmed: 'booked', attended: 'fulfilled', no_show: 'noshow', cancelled: 'cancelled' } as const;

/**
 * Writes the feed row of a status change of booking $1, in the transaction that made it, when the
 * booking came from the SAS and the feed is configured ($3): the SAS learns every change, in order.
 */
export const SAS_FEED_CHANGE_SQL = `
  INSERT INTO sas_appointment_feed (booking_id, appointment_status)
  SELECT id, $2 FROM booking WHERE id = $1 AND origin = 'sas' AND $3::boolean
  RETURNING id`;
