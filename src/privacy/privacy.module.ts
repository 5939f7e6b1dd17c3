import { Module } from '@nestjs/common';
import { BookingsModule } from '../bookings/bookings.module';
import { AuditTrailService } from './audit-trail.service';
import { PatientsService } from './patients.service';
import { PrivacyController } from './privacy.controller';
import { RetentionService } from './retention.service';

/** The audit trail as read and verified, patients' rights, and retention. */
@Module({
  imports: [BookingsModule],
  controllers: [PrivacyController],
  providers: [AuditTrailService, PatientsService, RetentionService],
  exports: [RetentionService],
})
export class PrivacyModule {}
