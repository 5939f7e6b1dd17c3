import { ApiProperty } from '@nestjs/swagger';
import { MODALITIES } from '../../slots/slot-rules';
import { PROFESSIONS } from '../professions';

/** What the directory routes answer (directory.service.ts, communes.service.ts, directory.controller.ts), for the OpenAPI document. */

export class CommunityResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  id: string;

  @ApiProperty({ type: String, example: 'CPTS du Dunois' })
  name: string;

  @ApiProperty({ type: String, example: 'Europe/Paris' })
  timezone: string;

  @ApiProperty({ type: [String], example: ['28088', '28051'], description: 'son territoire (codes INSEE)' })
  communeCodes: string[];

  @ApiProperty({ type: String, nullable: true, example: '950047225', description: 'null tant qu’il n’est pas donné (la plateforme SAS ne voit pas alors ses créneaux)' })
  finess: string | null;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00.000Z' })
  createdAt: string;
}

export class PracticeLocation {
  @ApiProperty({ type: Number, example: 48.0708 })
  lat: number;

  @ApiProperty({ type: Number, example: 1.3378 })
  lon: number;
}

export class PracticeResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  id: string;

  @ApiProperty({ type: String, format: 'uuid', example: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f' })
  communityId: string;

  @ApiProperty({ type: String, example: 'Maison de santé du Dunois' })
  name: string;

  @ApiProperty({ type: String, example: 'msp' })
  kind: string;

  @ApiProperty({ type: String, example: '12 rue de la République, 28200 Châteaudun', description: 'telle que saisie' })
  address: string;

  @ApiProperty({ type: String, example: '12 rue de la République', description: 'la voie, comme la lit la plateforme SAS' })
  addressLine: string;

  @ApiProperty({ type: String, nullable: true, example: '28200' })
  postcode: string | null;

  @ApiProperty({ type: String, example: 'Châteaudun' })
  city: string;

  @ApiProperty({ type: String, example: '28088' })
  communeCode: string;

  @ApiProperty({ type: String, example: '+33237450000', description: 'E.164' })
  phone: string;

  @ApiProperty({ type: PracticeLocation, description: 'la position donnée, sinon l’adresse géocodée, sinon le centre de la commune' })
  location: PracticeLocation;

  @ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00.000Z' })
  createdAt: string;
}

export class PracticeListResponse {
  @ApiProperty({ type: [PracticeResponse], description: 'par nom ; 1000 au plus' })
  practices: PracticeResponse[];
}

export class PractitionerResponse {
  @ApiProperty({ type: String, format: 'uuid', example: '0d6f3b9e-2c4a-4e1b-8a7d-1f2e3d4c5b6a' })
  id: string;

  @ApiProperty({ type: String, example: '10003456784' })
  rpps: string;

  @ApiProperty({ type: String, example: 'Claire' })
  firstName: string;

  @ApiProperty({ type: String, example: 'Durand' })
  lastName: string;

  @ApiProperty({ enum: PROFESSIONS, example: 'general_practitioner' })
  profession: string;

  @ApiProperty({ type: String, nullable: true, example: 'SM54', description: 'spécialité ordinale (TRE_R38) ; null pour une profession sans' })
  specialty: string | null;

  @ApiProperty({ type: String, format: 'uuid', example: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' })
  practiceId: string;

  @ApiProperty({ type: 'integer', example: 0 })
  minPatientAgeMonths: number;

  @ApiProperty({ enum: MODALITIES, isArray: true, example: ['in_person', 'teleconsultation'] })
  modalities: string[];

  @ApiProperty({ type: String, format: 'date-time', example: '2026-09-01T08:00:00.000Z' })
  createdAt: string;
}

export class PractitionerListResponse {
  @ApiProperty({ type: [PractitionerResponse], description: 'par nom ; 1000 au plus' })
  practitioners: PractitionerResponse[];
}

export class CommuneResponse {
  @ApiProperty({ type: String, example: '28088', description: 'code INSEE' })
  code: string;

  @ApiProperty({ type: String, example: 'Châteaudun' })
  name: string;

  @ApiProperty({ type: [String], example: ['28200'] })
  postcodes: string[];

  @ApiProperty({ type: Boolean, example: true, description: 'son centre est connu (sinon il sera demandé au géocodeur national à la première recherche)' })
  hasLocation: boolean;
}

export class CommuneListResponse {
  @ApiProperty({ type: [CommuneResponse], description: 'situées d’abord, puis les noms les plus courts ; 10 au plus' })
  communes: CommuneResponse[];
}
