import { ApiProperty } from '@nestjs/swagger';

/** What POST /practitioners/:id/calendar-feed answers (calendar.service.ts), for the OpenAPI document. */
export class CalendarFeedLinkResponse {
  @ApiProperty({
    type: String,
    format: 'uri',
    example: 'https://snp.cpts-dunois.fr/api/v1/calendar-feeds/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cQ.ics',
    description: 'l’adresse secrète de l’agenda (iCalendar), à coller dans le logiciel d’agenda du médecin ; montrée cette fois-ci seulement, elle remplace la précédente',
  })
  url: string;
}

/** An iCalendar feed as GET /calendar-feeds/:file answers it (one event; the real feed folds lines longer than 75 octets). */
export const CALENDAR_FEED_EXAMPLE = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//CPTS//soins-non-programmes//FR',
  'METHOD:PUBLISH',
  'NAME:SNP – Dr Claire Durand',
  'X-WR-CALNAME:SNP – Dr Claire Durand',
  'REFRESH-INTERVAL;VALUE=DURATION:PT15M',
  'X-PUBLISHED-TTL:PT15M',
  'BEGIN:VEVENT',
  'UID:c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f@snp.cpts-dunois.fr',
  'SEQUENCE:0',
  'DTSTAMP:20261123T070000Z',
  'DTSTART:20261123T073000Z',
  'DTEND:20261123T074500Z',
  'SUMMARY:SNP – L. M. (1990)',
  'DESCRIPTION:Soin non programmé\\, au cabinet (Maison de santé du Dunois). Le rendez-vous : https://snp.cpts-dunois.fr/rendez-vous/c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  'URL;VALUE=URI:https://snp.cpts-dunois.fr/rendez-vous/c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
