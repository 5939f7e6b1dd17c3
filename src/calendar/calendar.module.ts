import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** The GP's calendar feed: their SNP bookings in their own agenda software. */
@Module({ controllers: [CalendarController], providers: [CalendarService] })
export class CalendarModule {}
