import { Module } from '@nestjs/common';
import { ReportingController } from './reporting.controller';
import { ReportingService } from './reporting.service';

/** The coordination's figures (ACI indicators) and the GPs' SNP add-on counter. */
@Module({ controllers: [ReportingController], providers: [ReportingService] })
export class ReportingModule {}
