import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunesService } from './communes.service';
import { Community } from './community.entity';
import { DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';
import { Geocoder } from './geocoder';
import { Practice } from './practice.entity';
import { Practitioner } from './practitioner.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Community, Practice, Practitioner])],
  controllers: [DirectoryController],
  providers: [DirectoryService, CommunesService, Geocoder],
  exports: [DirectoryService, CommunesService],
})
export class DirectoryModule {}
