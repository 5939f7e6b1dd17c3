import { Module } from '@nestjs/common';
import { FhirController } from './fhir.controller';
import { FhirService } from './fhir.service';
import { RegulatorsService } from './regulators.service';

/** The SAS platform's FHIR R4 interface (docs/sas.md): slots for the regulators, their accounts. */
@Module({
  controllers: [FhirController],
  providers: [FhirService, RegulatorsService],
})
export class FhirModule {}
