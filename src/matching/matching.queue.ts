export const MATCHING_QUEUE = 'matching';

/** Job names of the matching queue; payloads carry ids only (Redis holds no patient data). */
export type MatchingJob = 'match' | 'escalate' | 'dispatch' | 'reconcile';

export interface MatchJobData {
  requestId: string;
}
export interface DispatchJobData {
  slotIds: string[];
}
