import { createSecretKey } from 'crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config';
import { ApiKey } from './api-key.entity';
import { AuditService } from './audit.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { User } from './user.entity';

@Global()
@Module({
  imports: [
    TypeOrmModule.forFeature([User, ApiKey]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      // A KeyObject, not the string: jsonwebtoken would otherwise try (and fail, with a costly
      // exception) to parse the string as a PEM public key on every request.
      useFactory: (c: AppConfig) => {
        const key = createSecretKey(Buffer.from(c.JWT_SECRET, 'utf8'));
        return {
          secretOrKeyProvider: () => key,
          signOptions: { algorithm: 'HS256', expiresIn: c.JWT_TTL_SECONDS },
          verifyOptions: { algorithms: ['HS256'] },
        };
      },
    }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (c: AppConfig) => [{ ttl: 60_000, limit: c.LOGIN_RATE_LIMIT }],
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, AuditService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [AuthService, AuditService],
})
export class AuthModule {}
