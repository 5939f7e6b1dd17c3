import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { SAS_FEED_STATUSES } from '../sas-feed.service';

const toNumber = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value);

export class ListSasAppointmentsQuery {
  @ApiPropertyOptional({ enum: SAS_FEED_STATUSES }) @IsOptional() @IsIn(SAS_FEED_STATUSES, { message: `status doit être l'un de : ${SAS_FEED_STATUSES.join(', ')}` })
  status?: (typeof SAS_FEED_STATUSES)[number];

  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'bookingId doit être un identifiant (uuid)' })
  bookingId?: string;

  @ApiPropertyOptional({ default: 200 }) @IsOptional() @Transform(toNumber) @IsInt({ message: 'limit doit être un entier' }) @Min(1) @Max(1000)
  limit?: number;
}
