import { EventEmitter2 } from '@nestjs/event-emitter';

/**
 * Domain event: notification rows were committed (by a booking, a cancellation, an escalation).
 * The notifications producer adds their jobs. Carries ids and send times only.
 */
export const NOTIFICATIONS_QUEUED = 'notifications.queued';

export interface QueuedNotification {
  id: string;
  sendAt: Date;
}

export interface NotificationsQueuedEvent {
  notifications: QueuedNotification[];
}

/** Rows as SQL answers them (`json_agg` of `{id, sendAt}`) → the event's shape. */
export function queuedFrom(json: Array<{ id: string; sendAt: string }> | null | undefined): QueuedNotification[] {
  return (json ?? []).map((n) => ({ id: n.id, sendAt: new Date(n.sendAt) }));
}

/** After commit: the notification rows a statement wrote (its `notifications` json) get their jobs. */
export function announceQueued(events: EventEmitter2, json: Array<{ id: string; sendAt: string }> | null | undefined): void {
  const notifications = queuedFrom(json);
  if (notifications.length) events.emit(NOTIFICATIONS_QUEUED, { notifications } satisfies NotificationsQueuedEvent);
}
