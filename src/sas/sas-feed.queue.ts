export const SAS_FEED_QUEUE = 'sas-feed';

/** Job names of the SAS feed queue; payloads carry row ids only. */
export type SasFeedJob = 'send' | 'reconcile';

export interface SasSendJobData {
  rowId: string;
}
