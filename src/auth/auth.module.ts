import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AccountChanges } from './account-changes';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AuditService } from './audit.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { Challenges } from './challenges';
import { MfaService } from './mfa.service';
import { PscController } from './psc.controller';
import { PscService } from './psc.service';
import { SessionsService } from './sessions.service';
import { loadSigningKey } from './signing-key';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [AppConfig, DataSource],
      // A KeyObject, not a string: jsonwebtoken would otherwise try (and fail, with a costly
      // exception) to parse the string as a PEM public key on every request.
      useFactory: async (c: AppConfig, ds: DataSource) => {
        const key = await loadSigningKey(c, ds);
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256', expiresIn: c.JWT_TTL_SECONDS },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
  ],
  controllers: [AuthController, PscController, AccountsController],
  providers: [AuthService, AccountsService, AuditService, SessionsService, AccountChanges, MfaService, Challenges, PscService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AuditService, SessionsService, Challenges, AccountChanges],
})
export class AuthModule {}
