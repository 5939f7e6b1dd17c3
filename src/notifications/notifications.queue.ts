export const NOTIFICATIONS_QUEUE = 'notifications';

/** Job names of the notifications queue; payloads carry row ids only (Redis holds no message). */
export type NotificationsJob = 'send' | 'reconcile';

export interface SendJobData {
  notificationId: string;
}
