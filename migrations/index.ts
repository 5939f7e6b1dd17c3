import { CoreSchema1763856000000 } from './1763856000000-CoreSchema';
import { SlotSearchByPractice1763942400000 } from './1763942400000-SlotSearchByPractice';
import { DropSpeculativeBookingIndexes1764028800000 } from './1764028800000-DropSpeculativeBookingIndexes';
import { SnpRequests1764115200000 } from './1764115200000-SnpRequests';
import { SearchByStoredEarthPoint1764201600000 } from './1764201600000-SearchByStoredEarthPoint';
import { Notifications1764288000000 } from './1764288000000-Notifications';
import { SlotTemplateEnd1764374400000 } from './1764374400000-SlotTemplateEnd';
import { OutboxStatus1764460800000 } from './1764460800000-OutboxStatus';
import { AccountsAndSessions1764547200000 } from './1764547200000-AccountsAndSessions';
import { AuditTrail1764633600000 } from './1764633600000-AuditTrail';
import { RequestCommunity1764720000000 } from './1764720000000-RequestCommunity';
import { SlotHolders1764806400000 } from './1764806400000-SlotHolders';
import { MessageBudgets1764892800000 } from './1764892800000-MessageBudgets';
import { PatientDataRetention1764979200000 } from './1764979200000-PatientDataRetention';
import { SasInteroperability1765065600000 } from './1765065600000-SasInteroperability';
import { Reporting1765152000000 } from './1765152000000-Reporting';
import { PatientBookingsIndex1765238400000 } from './1765238400000-PatientBookingsIndex';
import { CalendarFeeds1765324800000 } from './1765324800000-CalendarFeeds';
import { ReportingMatchingIndex1765411200000 } from './1765411200000-ReportingMatchingIndex';
import { RestorablePracticeEarth1765497600000 } from './1765497600000-RestorablePracticeEarth';

/** Every migration, in order; listed explicitly so the same list runs from ts (tests) and js (dist). */
export const MIGRATIONS = [CoreSchema1763856000000, SlotSearchByPractice1763942400000, DropSpeculativeBookingIndexes1764028800000, SnpRequests1764115200000, SearchByStoredEarthPoint1764201600000, Notifications1764288000000, SlotTemplateEnd1764374400000, OutboxStatus1764460800000, AccountsAndSessions1764547200000, AuditTrail1764633600000, RequestCommunity1764720000000, SlotHolders1764806400000, MessageBudgets1764892800000, PatientDataRetention1764979200000, SasInteroperability1765065600000, Reporting1765152000000, PatientBookingsIndex1765238400000, CalendarFeeds1765324800000, ReportingMatchingIndex1765411200000, RestorablePracticeEarth1765497600000];
