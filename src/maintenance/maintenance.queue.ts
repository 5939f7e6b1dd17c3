export const MAINTENANCE_QUEUE = 'maintenance';
export type MaintenanceJob = 'expand-templates' | 'release-holds' | 'retention';
