import { Global, Module } from '@nestjs/common';
import { LimitsService } from './limits.service';

/** Abuse limits kept in Redis, shared by every process (sign-in, lockout, message budgets). */
@Global()
@Module({ providers: [LimitsService], exports: [LimitsService] })
export class LimitsModule {}
